import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry } from '../commands/index.js';
import { loadCorpus } from '../src/core/corpus/load.js';
import { essaysOf, sentenceText } from '../src/core/corpus/model.js';
import { createBot, type Logger, type Requester } from '../src/core/dispatch/bot.js';
import { loadOrBuildIndex } from '../src/core/search/cache.js';
import { createIndex, indexSize } from '../src/core/search/corpus-index.js';
import type { CorpusIndex } from '../src/core/search/search.js';
import { miniSearchDefault, miniSearchStorage } from './minisearch-engine.js';
import { commandMix, mixMaterial } from './mix.js';
import { evaluate, loadQuerySet, type RecallReport } from './quality.js';
import { median, peakRssMb, percentile, timeRuns, timeRunsAsync } from './stats.js';

/** How hard to measure one corpus size: modest, so that the whole run fits in minutes on two cores. */
export interface Effort {
  parseRuns: number;
  buildRuns: number;
  /** Timed calls per command (one pass over its mix at least, unless the budget runs out). */
  samples: number;
  /**
   * Time per command, warm-up included, after which it stops at MIN_SAMPLES calls: a command
   * that takes a second a call on the 1000× corpus must not hold the run up for minutes.
   */
  budgetMs: number;
}

const MIN_SAMPLES = 5;

/**
 * Hits asked of `index.search` when it is timed alone: the most any command asks for (/who,
 * /sources and /verify read up to 200). No command lists every hit of a common word, and on
 * the 1000× corpus such a list is tens of thousands of hits, made and dropped per query.
 */
export const SEARCH_LIMIT = 200;

export interface CommandTiming {
  name: string;
  inputs: number;
  /** Inputs run once before timing; fewer than `inputs` when the warm-up used its share of the budget. */
  warmed: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** Replies with `error` set, by code: a command timed on refusals would be no measure. */
  errors: Record<string, number>;
  empty: number;
  /** Peak RSS of the process after this command's calls (commands run in registry order). */
  peakRssMb: number;
}

export interface SizeResult {
  label: string;
  files: number;
  essays: number;
  paragraphs: number;
  sentences: number;
  /** Distinct sentence texts: what an index that stores each sentence once has to hold. */
  distinctSentences: number;
  footnotes: number;
  bytes: number;
  warnings: number;
  parseMs: number;
  /** Our index; MiniSearch's default tokenizer (the best-recall peer's baseline); and our tokenizer in a MiniSearch index, the build before our own postings. */
  build: { chineseMs: number; defaultMs: number; previousMs: number };
  /** Distinct terms and postings of our index. */
  terms: number;
  postings: number;
  /** `loadOrBuildIndex` into an empty folder (build, serialise, write), then again (read, load). */
  /** `fileBytes`: the cache folder's entries (a segment per file) in all. */
  cache: { missMs: number; hitMs: number; fileBytes: number };
  commands: CommandTiming[];
  /** `index.search` alone over the labelled queries, for both tokenizers. */
  search: { chinese: { p50: number; p99: number }; default: { p50: number; p99: number } };
  recall: { chinese: RecallReport; default: RecallReport } | null;
  /** Peak RSS after parsing, after our index, after the query runs, and with the baseline index too. */
  rssMb: { parsed: number; built: number; ours: number; withBaseline: number };
  /** Heap in use and RSS right after a full GC following the query runs (the children run with --expose-gc). */
  retained: { heapMb: number; rssMb: number };
}

/** The bytes of the files in a folder. */
function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, name) => n + statSync(join(dir, name)).size, 0);
}

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };
const requester: Requester = { platform: 'cli', userId: 'bench', locale: 'en' };

// Long on purpose: the steps of one size's measurement in the order they must run (cold start,
// build, queries, memory after a full GC), all reading the same corpus and timings.
/** Measures one corpus folder in this process. `recall` evaluates the labelled set (bundled corpus only). */
export async function measureCorpus(options: { dir: string; label: string; queriesPath: string; recall: boolean; effort: Effort }): Promise<SizeResult> {
  const { effort } = options;
  const labelled = await loadQuerySet(options.queriesPath);

  const parsed = await timeRunsAsync(effort.parseRuns, () => loadCorpus(options.dir));
  const corpus = parsed.result;
  const essays = essaysOf(corpus);
  const paragraphs = essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs));
  const sentenceTexts = paragraphs.flatMap((p) => p.sentences.map((s) => sentenceText(p, s)));

  const rssParsed = peakRssMb();
  const built = timeRuns(effort.buildRuns, () => createIndex(corpus));
  const index = built.result;
  const rssBuilt = peakRssMb();

  const bot = createBot({ commands: registry, library: { corpus, index }, logger: silent });
  const visible = [...registry.values()].filter((c) => !c.hidden);
  const material = mixMaterial(
    corpus,
    index,
    labelled,
    visible.map((c) => c.name),
  );
  const commands = visible.map((command): CommandTiming => {
    const mix = commandMix(command, material);
    const started = performance.now();
    const spent = () => performance.now() - started;
    let warmed = 0;
    for (; warmed < mix.length && (warmed < 2 || spent() < effort.budgetMs / 4); warmed++)
      bot.run(command.name, mix[warmed] as Record<string, unknown>, requester);
    const ms: number[] = [];
    const errors: Record<string, number> = {};
    let empty = 0;
    const total = Math.max(effort.samples, mix.length);
    for (let i = 0; i < total && (i < MIN_SAMPLES || spent() < effort.budgetMs); i++) {
      const input = mix[i % mix.length] as Record<string, unknown>;
      const t0 = performance.now();
      const reply = bot.run(command.name, input, requester);
      ms.push(performance.now() - t0);
      if (reply.error) errors[reply.error.code] = (errors[reply.error.code] ?? 0) + 1;
      else if (reply.results.length === 0) empty++;
    }
    return {
      name: command.name,
      inputs: mix.length,
      warmed,
      samples: ms.length,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      max: Math.max(...ms),
      errors,
      empty,
      peakRssMb: peakRssMb(),
    };
  });

  const searchTimes = (ix: CorpusIndex) => {
    const ms: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const q of labelled) {
        const t0 = performance.now();
        ix.search(q.query, q.author !== undefined ? { author: q.author } : {}, { limit: SEARCH_LIMIT });
        if (round > 0) ms.push(performance.now() - t0);
      }
    }
    return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
  };
  const oursSearch = searchTimes(index);
  const recallOurs = options.recall ? evaluate(index, labelled) : null;
  const rssOurs = peakRssMb();
  // The child runs with --expose-gc: what stays after a full collection is the index and the
  // caches; the rest of the peak was garbage the queries made, which V8 let pile up first.
  (globalThis as { gc?: () => void }).gc?.();
  const afterGc = process.memoryUsage();
  const retained = { heapMb: afterGc.heapUsed / 2 ** 20, rssMb: afterGc.rss / 2 ** 20 };
  // The build timed at least three times, as at every size, so that the growth from one size
  // to the next compares medians; the runs past the first come after the memory readings.
  const moreBuilds = timeRuns(Math.max(0, 3 - effort.buildRuns), () => void createIndex(corpus));

  // The on-disk index cache, in a folder of its own: a miss builds and writes, a hit reads.
  const cacheDir = await mkdtemp(join(tmpdir(), 'yinzheng-bench-cache-'));
  let cache: SizeResult['cache'];
  try {
    const miss = await timeRunsAsync(1, () => loadOrBuildIndex(corpus, cacheDir));
    const hit = await timeRunsAsync(effort.buildRuns, () => loadOrBuildIndex(corpus, cacheDir));
    if (miss.result.source !== 'built' || hit.result.source !== 'hit') {
      throw new Error(`bench: the index cache gave ${miss.result.source} then ${hit.result.source}, not built then hit`);
    }
    // The cached index must answer as the built one does, or its timing would be meaningless.
    for (const q of labelled.slice(0, 10)) {
      if (hit.result.index.search(q.query).length !== index.search(q.query).length) throw new Error(`bench: the cached index answers ${q.query} differently`);
    }
    cache = { missMs: median(miss.ms), hitMs: median(hit.ms), fileBytes: folderBytes(cacheDir) };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }

  const size = indexSize(index);
  // The build as it was before our own postings (MiniSearch storing our terms), in this run,
  // each one dropped, so that it is not in the baseline's memory reading. Where it is a target
  // (1000×) it is timed three times, as ours is, and the medians compared.
  const previous = timeRuns(options.label === '1000×' ? 3 : 1, () => void createIndex(corpus, { engine: miniSearchStorage }));
  const baseline = timeRuns(effort.buildRuns, () => createIndex(corpus, { engine: miniSearchDefault }));
  const baselineSearch = searchTimes(baseline.result);
  const recallBaseline = options.recall ? evaluate(baseline.result, labelled) : null;

  return {
    label: options.label,
    files: corpus.files.length,
    essays: essays.length,
    paragraphs: paragraphs.length,
    sentences: sentenceTexts.length,
    distinctSentences: new Set(sentenceTexts).size,
    footnotes: essays.reduce((n, e) => n + e.footnotes.length, 0),
    bytes: corpus.files.reduce((n, f) => n + statSync(join(options.dir, f.file)).size, 0),
    warnings: corpus.files.reduce((n, f) => n + f.warnings.length, 0),
    parseMs: median(parsed.ms),
    build: { chineseMs: median([...built.ms, ...moreBuilds.ms]), defaultMs: median(baseline.ms), previousMs: median(previous.ms) },
    terms: size?.terms ?? 0,
    postings: size?.postings ?? 0,
    cache,
    commands,
    search: { chinese: oursSearch, default: baselineSearch },
    recall: recallOurs && recallBaseline ? { chinese: recallOurs, default: recallBaseline } : null,
    rssMb: { parsed: rssParsed, built: rssBuilt, ours: rssOurs, withBaseline: peakRssMb() },
    retained,
  };
}
