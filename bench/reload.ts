import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Corpus } from '../src/core/corpus/model.js';
import { type CorpusLoader, loadHere, loadInWorker } from '../src/core/corpus/reload.js';
import { createIndex } from '../src/core/search/corpus-index.js';

/*
 * A live reload of a large corpus, as the running bot makes one: in its worker thread (what
 * the bot does), against the same parse and index build on the main thread, with the event
 * loop's longest stall measured throughout (monitorEventLoopDelay, 10 ms resolution).
 */

export interface ReloadRun {
  where: 'worker' | 'main thread';
  ms: number;
  stallMaxMs: number;
  stallP99Ms: number;
}

export interface ReloadFigures {
  label: string;
  essays: number;
  runs: ReloadRun[];
}

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

export async function benchReload(label: string, dir: string): Promise<ReloadFigures> {
  const worker = await once('worker', loadInWorker({ cacheDir: null }), dir);
  const main = await once('main thread', loadHere({ buildIndex: createIndex }), dir);
  return { label, essays: worker.essays, runs: [worker.run, main.run] };
}
