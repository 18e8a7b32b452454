import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Corpus, Essay } from '../src/core/corpus/model.js';
import { essaysOf } from '../src/core/corpus/model.js';
import { nameKeys, pinyinLabel } from '../src/core/corpus/names.js';
import { createIndex } from '../src/core/search/corpus-index.js';
import { createEssayIndex, createEssayIndexInSlices } from '../src/core/search/essay-index.js';
import { foldText } from '../src/core/search/fold.js';
import { compactOf } from '../src/core/search/units.js';
import { median, percentile } from './stats.js';
import { createRandom } from './synthetic.js';

/**
 * Finding essays (issue 23): the essay index (src/core/search/essay-index.ts) against the
 * substring filter autocomplete used before it, on one corpus in one process, so that both
 * meet the same machine. Builds alternate, a round of each at a time; every query of the mix
 * is timed by both in turn, after a warm-up pass.
 */

/** Build rounds of each; the medians are reported. */
const BUILD_ROUNDS = 5;
/** Timed passes over the query mix, after one warm-up pass. */
const QUERY_ROUNDS = 3;
/** Queries in the mix: as typed into an `essay` or `author` option, or after /essays. */
const QUERY_COUNT = 300;

export interface Timing {
  p50: number;
  p99: number;
}

export interface EssaySearchFigures {
  label: string;
  essays: number;
  authors: number;
  queries: number;
  seed: number;
  /** Median build, ms: the substring filter's keys (folded titles, authors' pinyin keys) and the essay index. */
  build: { substring: number; index: number };
  /**
   * The build a live bot makes in the background (createEssayIndexInSlices), against the one a
   * query makes at once: medians of the whole time and of the longest the event loop waited, ms.
   */
  background: { atOnce: number; sliced: number; atOnceStall: number; slicedStall: number };
  /** Per-query times, ms, for each use. */
  uses: Array<{ use: string; substring: Timing; index: Timing; substringHits: number; indexHits: number }>;
}

/**
 * What users type: a title's first characters (a choice half typed), a few characters from
 * its middle, an author's name or the start of its pinyin, a keyword, an English word.
 */
export function essayQueryMix(essays: readonly Essay[], seed: number, count = QUERY_COUNT): string[] {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const queries: string[] = [];
  const named = essays.filter((e) => e.authors.length > 0);
  while (queries.length < count && essays.length > 0) {
    const essay = pick(essays);
    const title = Array.from(essay.title);
    const kind = queries.length % 5;
    if (kind === 0) queries.push(title.slice(0, 1 + Math.floor(random() * 6)).join(''));
    else if (kind === 1) {
      const at = Math.floor(random() * Math.max(1, title.length - 4));
      queries.push(title.slice(at, at + 2 + Math.floor(random() * 3)).join(''));
    } else if (kind === 2 && named.length > 0) {
      const name = pick(pick(named).authors).name;
      const pinyin = pinyinLabel(name);
      queries.push(random() < 0.5 ? name : pinyin.slice(0, 3 + Math.floor(random() * (pinyin.length - 2))));
    } else if (kind === 3 && essay.keywords.length > 0) queries.push(pick(essay.keywords));
    else if (kind === 4 && essay.english?.title) queries.push(pick(essay.english.title.split(/\s+/u).filter((w) => w.length > 3)) ?? 'governance');
    else queries.push(random() < 0.5 ? '治理' : 'governance');
  }
  return queries;
}

function timed(queries: string[], run: (q: string) => number): { timing: Timing; hits: number } {
  for (const q of queries) run(q);
  const times: number[] = [];
  let hits = 0;
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    for (const q of queries) {
      const t0 = performance.now();
      const n = run(q);
      times.push(performance.now() - t0);
      if (round === 0) hits += n;
    }
  }
  return { timing: { p50: median(times), p99: percentile(times, 99) }, hits };
}

/** The substring filter's build: what the corpus index works out for it (corpus-index.ts `assemble`, `collectAuthors`). */
function substringKeys(essays: readonly Essay[]): number {
  let n = 0;
  const seen = new Set<string>();
  for (const e of essays) {
    n += compactOf(foldText(e.title)).length;
    for (const a of e.authors) {
      if (seen.has(a.name)) continue;
      seen.add(a.name);
      n += compactOf(foldText(a.name)).length + nameKeys(a.name).length + pinyinLabel(a.name).length;
    }
  }
  return n;
}

/** The whole time of `build` and the longest the event loop waited meanwhile, ms. */
async function stalls(build: () => unknown): Promise<{ time: number; stall: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // The monitor's timer must have fired once before the build: its first delay has nothing to
  // be measured from, so a build held in the first turn would not show at all.
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  const t0 = performance.now();
  await build();
  const time = performance.now() - t0;
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  delay.disable();
  return { time, stall: delay.max / 1e6 };
}

export async function benchEssaySearch(corpus: Corpus, label: string, seed: number): Promise<EssaySearchFigures> {
  const essays = essaysOf(corpus);
  const index = createIndex(corpus);
  const authors = index.findAuthors('');
  const substring: number[] = [];
  const built: number[] = [];
  for (let round = 0; round < BUILD_ROUNDS; round++) {
    let t0 = performance.now();
    substringKeys(essays);
    substring.push(performance.now() - t0);
    t0 = performance.now();
    createEssayIndex(essays, authors);
    built.push(performance.now() - t0);
  }
  const background = { atOnce: [] as number[], sliced: [] as number[], atOnceStall: [] as number[], slicedStall: [] as number[] };
  for (let round = 0; round < BUILD_ROUNDS; round++) {
    const once = await stalls(() => createEssayIndex(essays, authors));
    const sliced = await stalls(() => createEssayIndexInSlices(essays, authors));
    background.atOnce.push(once.time);
    background.atOnceStall.push(once.stall);
    background.sliced.push(sliced.time);
    background.slicedStall.push(sliced.stall);
  }
  const queries = essayQueryMix(essays, seed);
  const uses: EssaySearchFigures['uses'] = [];
  const compare = (use: string, before: (q: string) => number, after: (q: string) => number) => {
    const a = timed(queries, before);
    const b = timed(queries, after);
    uses.push({ use, substring: a.timing, index: b.timing, substringHits: a.hits, indexHits: b.hits });
  };
  // The old autocomplete: the substring filter, its first 25 (corpus-index.ts before the essay index).
  compare(
    '`essay` autocomplete (25 choices)',
    (q) => index.findEssays(q).slice(0, 25).length,
    (q) => index.complete('essay', q).length,
  );
  compare(
    '`author` autocomplete (25 choices)',
    (q) => index.findAuthors(q).slice(0, 25).length,
    (q) => index.complete('author', q).length,
  );
  compare(
    '`/essays <words>`, every hit',
    (q) => index.findEssays(q).length,
    (q) => index.searchEssays(q).length,
  );
  return {
    label,
    essays: essays.length,
    authors: authors.length,
    queries: queries.length,
    seed,
    build: { substring: median(substring), index: median(built) },
    background: {
      atOnce: median(background.atOnce),
      sliced: median(background.sliced),
      atOnceStall: median(background.atOnceStall),
      slicedStall: median(background.slicedStall),
    },
    uses,
  };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (a: number, b: number) => `${(a / b).toFixed(a / b < 0.1 ? 2 : 1)}×`;

/** The figures as a report section (bench/RESULTS.md). */
export function essaySearchSection(f: EssaySearchFigures | { failure: string } | null): string {
  if (f === null) return 'Not measured: no archive in this run.';
  if ('failure' in f) return `Finding essays could not be measured: ${f.failure}`;
  return [
    `The ${f.label} corpus: ${f.essays} essays, ${f.authors} authors. The essay index (MiniSearch over titles, authors and their pinyin, keywords, abstracts, headings and English matter; src/core/search/essay-index.ts) against the substring filter that autocomplete used before it, in one process (bench/essays.ts). ` +
      `Build: medians of ${BUILD_ROUNDS} rounds, alternating. Queries: ${f.queries} as typed (title beginnings and middles, author names and pinyin beginnings, keywords, English words; seed ${f.seed}), ${QUERY_ROUNDS} timed passes after a warm-up; hits are those of one pass.`,
    '',
    '| | substring filter | essay index | index ÷ filter |',
    '|---|---:|---:|---:|',
    `| build | ${ms(f.build.substring)} ms | ${ms(f.build.index)} ms | ${ratio(f.build.index, f.build.substring)} |`,
    ...f.uses.flatMap((u) => [
      `| ${u.use}: p50 | ${ms(u.substring.p50)} ms | ${ms(u.index.p50)} ms | ${ratio(u.index.p50, u.substring.p50)} |`,
      `| ${u.use}: p99 | ${ms(u.substring.p99)} ms | ${ms(u.index.p99)} ms | ${ratio(u.index.p99, u.substring.p99)} |`,
      `| ${u.use}: hits | ${u.substringHits} | ${u.indexHits} | ${ratio(u.indexHits, Math.max(1, u.substringHits))} |`,
    ]),
    '',
    `A live bot builds the essay index in the background as soon as it serves a corpus (createEssayIndexInSlices, ${BUILD_ROUNDS} rounds alternating with the build a first query would make at once; medians, the longest event-loop delay by monitorEventLoopDelay):`,
    '',
    '| | at once (first query) | in slices (background) | slices ÷ at once |',
    '|---|---:|---:|---:|',
    `| whole build | ${ms(f.background.atOnce)} ms | ${ms(f.background.sliced)} ms | ${ratio(f.background.sliced, f.background.atOnce)} |`,
    `| longest event-loop delay | ${ms(f.background.atOnceStall)} ms | ${ms(f.background.slicedStall)} ms | ${ratio(f.background.slicedStall, f.background.atOnceStall)} |`,
  ].join('\n');
}
