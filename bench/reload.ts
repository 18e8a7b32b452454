import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { registry } from '../commands/index.js';
import type { Corpus } from '../src/core/corpus/model.js';
import { type CorpusLoader, loadHere, loadInWorker } from '../src/core/corpus/reload.js';
import { type ReloadOutcome, watchCorpus } from '../src/core/corpus/watch.js';
import { createBot, type Logger } from '../src/core/dispatch/bot.js';
import { createIndex } from '../src/core/search/corpus-index.js';

/*
 * A live reload of a large corpus, as the running bot makes one: in its worker thread (what
 * the bot does), against the same parse and index build on the main thread, with the event
 * loop's longest stall measured throughout (monitorEventLoopDelay, 10 ms resolution). Then
 * a bot serving the corpus and watching its folder is given one new file at a time: from the
 * file's write to its being served (the watcher's debounce included), and the stall meanwhile.
 */

export interface ReloadRun {
  where: 'worker' | 'main thread';
  ms: number;
  stallMaxMs: number;
  stallP99Ms: number;
}

/** One file added to (or removed from) a watched folder: written, until served. */
export interface ChangeRun {
  ms: number;
  stallMaxMs: number;
}

export interface ReloadFigures {
  label: string;
  essays: number;
  runs: ReloadRun[];
  /** A new file added, then removed, round after round (issue 24: one file costs that file). */
  added: ChangeRun[];
  removed: ChangeRun[];
}

/** Files added and removed in the change runs. */
const CHANGE_ROUNDS = 10;
/** A change not served by then is a failure of the run. */
const CHANGE_TIMEOUT_MS = 30_000;

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Resolves once the histogram has taken one more sample (its timer runs after whatever held the loop). */
export async function nextSample(histogram: IntervalHistogram): Promise<void> {
  const seen = histogram.count;
  while (histogram.count === seen) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function once(where: ReloadRun['where'], load: CorpusLoader, dir: string): Promise<{ run: ReloadRun; essays: number }> {
  // Nothing served yet: every file is new, so the whole folder is parsed and indexed.
  const nothing: Corpus = { dir, files: [], version: 'none' };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const result = await load(dir, nothing);
  const ms = performance.now() - started;
  // The stall the last synchronous step caused is recorded when the histogram's timer next fires.
  await nextSample(delay);
  delay.disable();
  if (result.kind !== 'loaded') throw new Error(`bench: the reload in the ${where} did not load (${result.kind === 'refused' ? result.reason : result.kind})`);
  const essays = result.library.corpus.files.reduce((n, f) => n + f.essays.length, 0);
  return { run: { where, ms, stallMaxMs: delay.max / 1e6, stallP99Ms: delay.percentile(99) / 1e6 }, essays };
}

/**
 * A bot serving `dir` (started through its worker, a cache folder of its own) and watching it:
 * `text` (a file of essays the folder does not have, made new each round) written and removed
 * again, each change timed from the write until the watcher has swapped the new library in.
 */
async function changes(dir: string, text: string): Promise<{ added: ChangeRun[]; removed: ChangeRun[] }> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'yinzheng-bench-reload-cache-'));
  const load = loadInWorker({ cacheDir });
  const start = await load(dir, { dir, files: [], version: 'none' });
  if (start.kind !== 'loaded') throw new Error(`bench: the watched bot could not start (${start.kind})`);
  const bot = createBot({ commands: registry, library: start.library, logger: silent });
  const waiting: Array<(o: ReloadOutcome) => void> = [];
  const watcher = watchCorpus(dir, { bot, logger: silent, load, onReload: (o) => waiting.shift()?.(o) });
  const timed = async (change: () => Promise<void>, served: () => boolean): Promise<ChangeRun> => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // A change never served would leave nothing pending, and the process would end in silence.
    let timer: NodeJS.Timeout | undefined;
    const outcome = new Promise<ReloadOutcome>((resolve, reject) => {
      waiting.push(resolve);
      timer = setTimeout(() => reject(new Error(`bench: a change to the watched folder was not served within ${CHANGE_TIMEOUT_MS} ms`)), CHANGE_TIMEOUT_MS);
    });
    const started = performance.now();
    await change();
    const o = await outcome.finally(() => clearTimeout(timer));
    const ms = performance.now() - started;
    await nextSample(delay);
    delay.disable();
    if (o.kind !== 'replaced' || !served()) throw new Error(`bench: a change to the watched folder was not served (${o.kind})`);
    return { ms, stallMaxMs: delay.max / 1e6 };
  };
  const added: ChangeRun[] = [];
  const removed: ChangeRun[] = [];
  try {
    for (let i = 0; i < CHANGE_ROUNDS; i++) {
      const name = `zz-added-${i}.txt`;
      const has = () => bot.library().corpus.files.some((f) => f.file === name);
      added.push(await timed(() => writeFile(join(dir, name), `${text}\n\n补记第${i + 1}条。\n`), has));
      removed.push(
        await timed(
          () => rm(join(dir, name)),
          () => !has(),
        ),
      );
    }
  } finally {
    watcher.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
  return { added, removed };
}

/** `text`: a file of essays `dir` does not have, for the change runs. */
export async function benchReload(label: string, dir: string, text: string): Promise<ReloadFigures> {
  const worker = await once('worker', loadInWorker({ cacheDir: null }), dir);
  const main = await once('main thread', loadHere({ buildIndex: createIndex }), dir);
  const { added, removed } = await changes(dir, text);
  return { label, essays: worker.essays, runs: [worker.run, main.run], added, removed };
}
