import { Worker } from 'node:worker_threads';
import type { Library } from '../dispatch/bot.js';
import { type ComposedSegments, hasSegments, openSegmentsInTurns, type ReusedSegment } from '../search/corpus-index.js';
import type { CorpusIndex } from '../search/search.js';
import { createUnitsBuilder, type IndexArrays, unitsOf } from '../search/units.js';
import { workerSource } from '../worker-source.js';
import { corpusVersion, createIdRegistry, idsChanged, loadCorpus, metadataKey, whyUnservable } from './load.js';
import { type Corpus, type CorpusFile, formatWarning } from './model.js';
import type { ParseCache } from './parse-cache.js';

/*
 * Loading a changed corpus folder for a running bot: parse it, decide whether it may replace
 * the corpus being served, and build its index. `loadInWorker` does all of it in a worker
 * thread, so the bot's event loop (Discord's heartbeats, Slack's acks, every answer) never
 * waits for the seconds a large archive takes; `loadHere` does the same in this thread, for
 * tests that want it plain.
 *
 * In the worker, a reload reads only what changed: a file whose name, bytes and metadata are
 * those of the corpus being served is not parsed again, and its segment of the index is not
 * built again (nor is one whose content the served index has under another name); this
 * thread reuses its parsed essays and its segment as they are. Adding, replacing or removing
 * one file costs that file's parse and segment, and putting the segments together.
 */

/** What the served corpus was, file by file: all a reload needs to know of it. */
export interface FileSummary {
  file: string;
  essays: number;
  /** Content hash, and metadata as `metadataKey` gives it (null: never reused). */
  hash: string;
  metadata: string | null;
  /** Another file's claim changed one of its essay IDs (see `disambiguateIds`): read again, never reused. */
  idsChanged: boolean;
}

function summaryOf(corpus: Corpus): FileSummary[] {
  return corpus.files.map((f) => ({ file: f.file, essays: f.essays.length, hash: f.hash, metadata: metadataKey(f), idsChanged: idsChanged(f) }));
}

export type LoadResult =
  | { kind: 'unchanged'; version: string }
  /** The new corpus must not be served (see `reasonToKeep`), or could not be loaded at all. */
  | { kind: 'refused'; reason: string }
  | { kind: 'loaded'; library: Library };

/**
 * Loads the folder `dir` to replace `current` (served with `currentIndex`, whose segments a
 * reload may reuse). Never throws: a failure is `refused`.
 */
export type CorpusLoader = (dir: string, current: Corpus, currentIndex?: CorpusIndex) => Promise<LoadResult>;

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
  /** Content hashes whose segments this thread has (the served index's): the worker sends none for them. */
  segmentHashes: string[];
}

/**
 * What the worker sends, in order: each file on its own, parsed or (`kept`) as the served
 * corpus has it, the next only when this thread asks for it (so that taking one in costs a
 * turn of the event loop a few milliseconds, never the whole corpus at once), then the
 * index's segments, one per file (handed over, not copied; null for one this thread has); or,
 * instead, why there is nothing to serve.
 */
export type ReloadMessage =
  | { kind: 'file'; file: CorpusFile }
  | { kind: 'kept'; file: string }
  | { kind: 'index'; dir: string; segments: Array<IndexArrays | null> }
  /** Every segment new: put together in the worker already. */
  | { kind: 'index'; dir: string; composed: ComposedSegments }
  | Exclude<LoadResult, { kind: 'loaded' }>;

/** The served index's segments by their file's content hash, for a reload to reuse. */
function reusableSegments(current: Corpus, index: CorpusIndex | undefined): Map<string, ReusedSegment> {
  const reusable = new Map<string, ReusedSegment>();
  if (index === undefined || !hasSegments(index)) return reusable;
  current.files.forEach((f, file) => {
    if (f.hash !== '') reusable.set(f.hash, { from: index, file });
  });
  return reusable;
}

/**
 * Puts the worker's files together with the served corpus's kept ones, as they arrive: each
 * file's essay IDs claimed in name order as `loadCorpus` claims them, and its units worked
 * out, so that nothing is left for the end but the segments.
 */
function createAssembly(current: Corpus) {
  const served = new Map(current.files.map((f) => [f.file, f]));
  const ids = createIdRegistry();
  const files: CorpusFile[] = [];
  const units = createUnitsBuilder();
  return {
    files,
    units,
    add(message: { kind: 'file'; file: CorpusFile } | { kind: 'kept'; file: string }): void {
      let file = message.kind === 'file' ? message.file : served.get(message.file);
      if (file === undefined) throw new Error(`the reload kept ${message.file}, which is not served`);
      // The served corpus's objects are still being answered from: a kept file whose IDs
      // must change (a file sorting before it now claims one) is changed in a copy.
      if (message.kind === 'kept' && ids.collides(file)) file = structuredClone(file);
      ids.claim(file);
      files.push(file);
      units.add(unitsOf(file.essays));
    },
  };
}

/** Loads in a worker thread of its own, which reads and writes the caches in `cacheDir`. */
export function loadInWorker(options: { cacheDir: string | null; cacheMaxBytes?: number }): CorpusLoader {
  return (dir, current, currentIndex) =>
    new Promise((resolve) => {
      const reusable = reusableSegments(current, currentIndex);
      const job: ReloadJob = {
        dir,
        current: { version: current.version, files: summaryOf(current) },
        cacheDir: options.cacheDir,
        ...(options.cacheMaxBytes ? { cacheMaxBytes: options.cacheMaxBytes } : {}),
        segmentHashes: [...reusable.keys()],
      };
      let worker: Worker;
      try {
        const { source, eval: isEval } = workerSource('reload-worker', import.meta.url);
        worker = new Worker(source, { eval: isEval, workerData: job });
      } catch (error) {
        resolve({ kind: 'refused', reason: `the reload could not start (${(error as Error).message})` });
        return;
      }
      const assembly = createAssembly(current);
      let settled = false;
      let finishing = false;
      const settle = (result: LoadResult) => {
        if (settled || finishing) return;
        settled = true;
        void worker.terminate();
        resolve(result);
      };
      worker.on('message', (message: ReloadMessage) => {
        if (message.kind === 'file' || message.kind === 'kept') {
          try {
            assembly.add(message);
          } catch (error) {
            settle({ kind: 'refused', reason: `the reload failed (${(error as Error).message})` });
            return;
          }
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
        // The worker's work is done (it may exit now); what is left is this thread's.
        finishing = true;
        void worker.terminate();
        void finish(current, message, assembly, reusable).then((result) => {
          finishing = false;
          settle(result);
        });
      });
      worker.once('error', (error) => {
        const memory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        settle({ kind: 'refused', reason: memory ? 'the reload ran out of memory' : `the reload failed (${error.message})` });
      });
      worker.once('exit', (code) => settle({ kind: 'refused', reason: `the reload stopped with code ${code} before it was done` }));
    });
}

/** How long a reload may hold the event loop in one turn while it puts the new index together. */
const ASSEMBLY_TURN_MS = 10;

/** The new library from the files and segments the worker sent and those it kept; or why it must not be served. */
async function finish(
  current: Corpus,
  message: { dir: string } & ({ segments: Array<IndexArrays | null> } | { composed: ComposedSegments }),
  assembly: ReturnType<typeof createAssembly>,
  reusable: Map<string, ReusedSegment>,
): Promise<LoadResult> {
  const { files } = assembly;
  const corpus: Corpus = { dir: message.dir, files, version: corpusVersion(files) };
  if (corpus.version === current.version) return { kind: 'unchanged', version: corpus.version };
  const reason = reasonToKeep(summaryOf(current), corpus);
  if (reason) return { kind: 'refused', reason };
  try {
    const segments =
      'composed' in message
        ? files.map((_, part) => ({ composed: message.composed, part }))
        : message.segments.map((segment, i) => {
            const reused = segment ?? reusable.get((files[i] as CorpusFile).hash);
            if (reused === undefined) throw new Error(`no segment for ${(files[i] as CorpusFile).file}`);
            return reused;
          });
    return { kind: 'loaded', library: { corpus, index: await openSegmentsInTurns(corpus, segments, assembly.units.finish(), ASSEMBLY_TURN_MS) } };
  } catch (error) {
    return { kind: 'refused', reason: `the index the reload built does not fit its corpus (${(error as Error).message})` };
  }
}
