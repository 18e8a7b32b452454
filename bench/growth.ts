/**
 * How the index build grows from one corpus size to another, measured in one process of its
 * own that bench/run.ts starts: both corpora are parsed, then built in turn, round after
 * round (three builds of the smaller, one of the larger, each after a full collection), so
 * that a slow spell of this shared machine falls on both sizes alike. Timed in the two
 * sizes' own processes minutes apart, the same code gave growth ratios 20% apart.
 *
 *   node --expose-gc dist/bench/growth.js SMALL_DIR LARGE_DIR ROUNDS OUT
 */
import { writeFile } from 'node:fs/promises';
import { loadCorpus } from '../src/core/corpus/load.js';
import { createIndex } from '../src/core/search/corpus-index.js';

export interface GrowthFigures {
  rounds: number;
  smallMs: number[];
  largeMs: number[];
}

const [, , smallDir, largeDir, rounds, out] = process.argv as Array<string | undefined>;
if (!smallDir || !largeDir || !rounds || !out) throw new Error('bench: growth.js SMALL_DIR LARGE_DIR ROUNDS OUT');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench: growth.js needs --expose-gc');
const small = await loadCorpus(smallDir);
const large = await loadCorpus(largeDir);
const build = (corpus: typeof small): number => {
  gc();
  const t0 = performance.now();
  createIndex(corpus);
  return performance.now() - t0;
};
// A first build of each, not timed: the code is compiled and optimised on it.
build(small);
build(large);
const figures: GrowthFigures = { rounds: Number(rounds), smallMs: [], largeMs: [] };
for (let r = 0; r < figures.rounds; r++) {
  for (let k = 0; k < 3; k++) figures.smallMs.push(build(small));
  figures.largeMs.push(build(large));
}
await writeFile(out, JSON.stringify(figures));
