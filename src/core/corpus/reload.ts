import { Worker } from 'node:worker_threads';
import type { Library } from '../dispatch/bot.js';
import { openSegments } from '../search/corpus-index.js';
import { createUnitsBuilder, type IndexArrays, unitsOf } from '../search/units.js';
import { workerSource } from '../worker-source.js';
import { loadCorpus, whyUnservable } from './load.js';
import { type Corpus, type CorpusFile, formatWarning } from './model.js';
import type { ParseCache } from './parse-cache.js';

/*
 * Loading a changed corpus folder for a running bot: parse it, decide whether it may replace
 * the corpus being served, and build its index. `loadInWorker` does all of it in a worker
 * thread, so the bot's event loop (Discord's heartbeats, Slack's acks, every answer) never
 * waits for the seconds a large archive takes; `loadHere` does the same in this thread, for
 * tests that want it plain.
 */

/** What the served corpus was, file by file: all a reload needs to know of it. */
export interface FileSummary {
  file: string;
  essays: number;
}

function summaryOf(corpus: Corpus): FileSummary[] {
  return corpus.files.map((f) => ({ file: f.file, essays: f.essays.length }));
}

export type LoadResult =
  | { kind: 'unchanged'; version: string }
  /** The new corpus must not be served (see `reasonToKeep`), or could not be loaded at all. */
  | { kind: 'refused'; reason: string }
  | { kind: 'loaded'; library: Library };

/** Loads the folder `dir` to replace `current`. Never throws: a failure is `refused`. */
export type CorpusLoader = (dir: string, current: Corpus) => Promise<LoadResult>;

/**
 * Why a new corpus must not replace the one being served: a file that gave essays now gives
 * none (it turned unreadable, binary or malformed while being edited or copied), or nothing
 * at all can be served. A file that was removed is a deliberate change and is not a reason.
 */
export function reasonToKeep(current: FileSummary[], next: Corpus): string | null {
  for (const before of current) {
    if (before.essays === 0) continue;
    const after = next.files.find((f) => f.file === before.file);
    if (after && after.essays.length === 0) {
      const detail = after.warnings.map((w) => formatWarning(w)).join('; ');
      return `${before.file} no longer yields any essay (${detail})`;
    }
  }
  return whyUnservable(next);
}

/** Parses the folder and decides: the corpus to index, or why there is nothing to do. */
export async function parseForReload(
  dir: string,
  current: { version: string; files: FileSummary[] },
  parseCache: ParseCache | undefined,
): Promise<Exclude<LoadResult, { kind: 'loaded' }> | { kind: 'parsed'; corpus: Corpus }> {
  let next: Corpus;
  try {
    next = await loadCorpus(dir, { parseCache });
  } catch (error) {
    return { kind: 'refused', reason: error instanceof Error ? error.message : String(error) };
  }
  if (next.version === current.version) return { kind: 'unchanged', version: next.version };
  const reason = reasonToKeep(current.files, next);
  return reason ? { kind: 'refused', reason } : { kind: 'parsed', corpus: next };
}

/** Loads in this thread, with `buildIndex`. */
export function loadHere(options: { buildIndex: (corpus: Corpus) => Library['index']; parseCache?: ParseCache }): CorpusLoader {
  return async (dir, current) => {
    const parsed = await parseForReload(dir, { version: current.version, files: summaryOf(current) }, options.parseCache);
    if (parsed.kind !== 'parsed') return parsed;
    try {
      return { kind: 'loaded', library: { corpus: parsed.corpus, index: options.buildIndex(parsed.corpus) } };
    } catch (error) {
      return { kind: 'refused', reason: `the index could not be built (${(error as Error).message})` };
    }
  };
}

/** What the worker is given. */
export interface ReloadJob {
  dir: string;
  current: { version: string; files: FileSummary[] };
  /** Where the parse and index caches are (the worker reads and writes them), or null for none. */
  cacheDir: string | null;
  /** The cache folder's bound (CACHE_MAX_MB). */
  cacheMaxBytes?: number;
}

/**
 * What the worker sends, in order: each parsed file on its own, the next only when this
 * thread asks for it (so that taking one in costs a turn of the event loop a few
 * milliseconds, never the whole corpus at once), then the index's segments, one per file
 * (handed over, not copied); or, instead, why there is nothing to serve.
 */
export type ReloadMessage =
  | { kind: 'file'; file: CorpusFile }
  | { kind: 'index'; dir: string; version: string; segments: IndexArrays[] }
  | Exclude<LoadResult, { kind: 'loaded' }>;

/** Loads in a worker thread of its own, which reads and writes the caches in `cacheDir`. */
export function loadInWorker(options: { cacheDir: string | null; cacheMaxBytes?: number }): CorpusLoader {
  return (dir, current) =>
    new Promise((resolve) => {
      const job: ReloadJob = {
        dir,
        current: { version: current.version, files: summaryOf(current) },
        cacheDir: options.cacheDir,
        ...(options.cacheMaxBytes ? { cacheMaxBytes: options.cacheMaxBytes } : {}),
      };
      let worker: Worker;
      try {
        const { source, eval: isEval } = workerSource('reload-worker', import.meta.url);
        worker = new Worker(source, { eval: isEval, workerData: job });
      } catch (error) {
        resolve({ kind: 'refused', reason: `the reload could not start (${(error as Error).message})` });
        return;
      }
      const files: CorpusFile[] = [];
      // Each file's units as it arrives: at the end there is only the index to open.
      const units = createUnitsBuilder();
      let settled = false;
      const settle = (result: LoadResult) => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        resolve(result);
      };
      worker.on('message', (message: ReloadMessage) => {
        if (message.kind === 'file') {
          files.push(message.file);
          units.add(unitsOf(message.file.essays));
          // The next file once this turn of the event loop is over, so that answers come between two files.
          setImmediate(() => {
            if (!settled) worker.postMessage('next');
          });
          return;
        }
        if (message.kind !== 'index') {
          settle(message);
          return;
        }
        const corpus: Corpus = { dir: message.dir, files, version: message.version };
        try {
          settle({ kind: 'loaded', library: { corpus, index: openSegments(corpus, message.segments, units.finish()) } });
        } catch (error) {
          settle({ kind: 'refused', reason: `the index the reload built does not fit its corpus (${(error as Error).message})` });
        }
      });
      worker.once('error', (error) => {
        const memory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        settle({ kind: 'refused', reason: memory ? 'the reload ran out of memory' : `the reload failed (${error.message})` });
      });
      worker.once('exit', (code) => settle({ kind: 'refused', reason: `the reload stopped with code ${code} before it was done` }));
    });
}
