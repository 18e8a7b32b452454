import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniSearchStorage } from '../../../bench/minisearch-engine.js';
import { createRandom, generateSyntheticCorpus, writeSyntheticCorpus } from '../../../bench/synthetic.js';
import { BUNDLED_CORPUS_DIR } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { type Corpus, essaysOf, sentenceText } from '../../../src/core/corpus/model.js';
import { createIndex, indexSize } from '../../../src/core/search/corpus-index.js';
import { foldText } from '../../../src/core/search/fold.js';
import { createPostingsBuilder, loadPostings, NARROW_DOCS_MAX, openPostings } from '../../../src/core/search/postings.js';
import type { CorpusIndex } from '../../../src/core/search/search.js';
import { termsOfFolded } from '../../../src/core/search/tokenize.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * Our own postings (src/core/search/postings.ts) must rank exactly as the MiniSearch index
 * they replace: every labelled query, and a seeded sample of sentences, fragments and word
 * pairs of the corpus, give the same passages in the same order with the same scores (to nine
 * decimals: MiniSearch's mean field length is a running mean, ours one division), on the
 * bundled corpus and on a synthetic one with long posting lists; in segments, one per file,
 * and in one build over all the files (segments.test.ts holds the two to the last bit).
 */

interface Labelled {
  query: string;
  author?: string;
  essay?: string;
}

function sampleQueries(corpus: Corpus, count: number, seed: number): string[] {
  const sentences = essaysOf(corpus).flatMap((e) => e.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.sentences.map((x) => sentenceText(p, x)))));
  const next = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const s = sentences[Math.floor(next() * sentences.length)] ?? '';
    const from = Math.floor(next() * Math.max(1, s.length - 4));
    // Whole sentences, fragments, short words, and fragments of two sentences put together.
    if (i % 4 === 0) return s;
    if (i % 4 === 1) return s.slice(from, from + 2 + Math.floor(next() * 12));
    if (i % 4 === 2) return s.slice(from, from + 2);
    const other = sentences[Math.floor(next() * sentences.length)] ?? '';
    return `${s.slice(from, from + 6)}${other.slice(0, 6)}`;
  });
}

function ranking(index: CorpusIndex, query: string, filters: { author?: string; essay?: string } = {}) {
  return index.search(query, filters, { limit: 10 }).map((h) => ({ passage: [h.paragraph.id, h.start, h.end, h.exact].join(' '), score: h.score }));
}

/**
 * The same passages in the same order, with the same scores but for rounding: MiniSearch's
 * running mean of the field lengths and our one division differ in the last bits, which a
 * long query's sum of a hundred terms carries into the twelfth digit of a score of 35,000.
 */
function sameRanking(a: ReturnType<typeof ranking>, b: ReturnType<typeof ranking>): boolean {
  return a.length === b.length && a.every((x, i) => x.passage === b[i]?.passage && Math.abs(x.score - (b[i]?.score ?? 0)) <= 1e-12 * Math.max(1, x.score));
}

function expectSameRanking(corpus: Corpus, queries: Labelled[]): void {
  const ours = createIndex(corpus);
  const reference = createIndex(corpus, { engine: miniSearchStorage });
  const single = createIndex(corpus, { single: true });
  const differ: string[] = [];
  for (const q of queries) {
    const filters = { ...(q.author ? { author: q.author } : {}), ...(q.essay ? { essay: q.essay } : {}) };
    const expected = ranking(reference, q.query, filters);
    if (!sameRanking(ranking(ours, q.query, filters), expected)) differ.push(`built: ${q.query}`);
    if (!sameRanking(ranking(single, q.query, filters), expected)) differ.push(`single build: ${q.query}`);
  }
  expect(differ, `seed ${PROPERTY_SEED}`).toEqual([]);
}

describe('our postings rank exactly as the MiniSearch index they replace', () => {
  let dir: string;
  let bundled: Corpus;
  let synthetic: Corpus;
  let labelled: Labelled[];

  beforeAll(async () => {
    bundled = await loadCorpus(BUNDLED_CORPUS_DIR);
    const sourceBytes = (await Promise.all(bundled.files.map((f) => readFile(join(BUNDLED_CORPUS_DIR, f.file))))).reduce((n, b) => n + b.length, 0);
    dir = await mkdtemp(join(tmpdir(), 'yinzheng-postings-'));
    await writeSyntheticCorpus(dir, generateSyntheticCorpus(bundled, { scale: 10, seed: 7, sourceBytes }));
    synthetic = await loadCorpus(dir);
    labelled = JSON.parse(await readFile(join(BUNDLED_CORPUS_DIR, '..', '..', 'test', 'fixtures', 'queries.json'), 'utf8')) as Labelled[];
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('on the bundled corpus: every labelled query and 300 sampled ones', () => {
    expectSameRanking(bundled, [...labelled, ...sampleQueries(bundled, 300, PROPERTY_SEED).map((query) => ({ query }))]);
  });

  it('on a synthetic corpus ten times its size, whose terms have long posting lists', () => {
    expectSameRanking(synthetic, [
      ...labelled.map((q) => ({ query: q.query })),
      ...sampleQueries(synthetic, 300, PROPERTY_SEED + 1).map((query) => ({ query })),
    ]);
    const size = indexSize(createIndex(synthetic));
    expect(size?.postings).toBeGreaterThan(size?.terms ?? 0);
  });
});

describe('building the postings', () => {
  let bundledForTerms: Corpus;
  beforeAll(async () => {
    bundledForTerms = await loadCorpus(BUNDLED_CORPUS_DIR);
  });

  it('gives each term of termsOfFolded the sentences that hold it, once each, in order', () => {
    // Sentences of the bundled corpus, and what a build must cope with: Latin words,
    // characters outside the BMP, one-character runs, repeated terms, and nothing at all.
    const texts = [
      ...essaysOf(bundledForTerms).flatMap((e) => e.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.sentences.map((x) => foldText(sentenceText(p, x)))))),
      'openai 与 openai 的 gpt-4 模型',
      '𠀀𠀁字𠀂',
      '的',
      '鸿沟鸿沟鸿沟',
      '',
      '。，',
    ];
    const expected = new Map<string, number[]>();
    texts.forEach((text, doc) => {
      for (const term of new Set(termsOfFolded(text))) {
        const docs = expected.get(term) ?? [];
        docs.push(doc);
        expected.set(term, docs);
      }
    });
    // Its cache of cut runs as a build keeps it, and one that is cleared every few runs.
    for (const runsCached of [undefined, 3]) {
      const builder = createPostingsBuilder(runsCached === undefined ? {} : { runsCached });
      for (const text of texts) builder.add(text);
      const arrays = builder.finish();
      const postings = loadPostings(arrays);
      const { termText, termStarts, offsets, docs, fieldLength } = arrays;
      const got = new Map<string, number[]>();
      for (let t = 0; t + 1 < termStarts.length; t++) {
        got.set(termText.slice(termStarts[t], termStarts[t + 1]), [...docs.subarray(offsets[t], offsets[t + 1])]);
      }
      expect(got).toEqual(expected);
      expect([...fieldLength]).toEqual(texts.map((t) => new Set(termsOfFolded(t)).size));
      for (const [term, list] of expected) expect(postings.df(term)).toBe(list.length);
      expect(postings.df('不在任何句子里')).toBeUndefined();
    }
  });

  it("numbers a segment's sentences in two bytes up to 65,536 of them, in four past that, and searches both alike", () => {
    // Sentences of two characters and a Latin word: no Han run long enough to cut words, so
    // that 70,000 of them build in a moment. The last segment holds the last sentence past the bound.
    const han = '人工智能治理全球合作发展安全数据规则';
    const texts = Array.from({ length: NARROW_DOCS_MAX + 4_464 }, (_, i) => `${han[i % han.length]}${han[(i >> 4) % han.length]} w${i % 997}`);
    const build = (list: string[]) => {
      const builder = createPostingsBuilder();
      for (const text of list) builder.add(text);
      return builder.finish();
    };
    const narrow = build(texts.slice(0, NARROW_DOCS_MAX));
    const wide = build(texts.slice(NARROW_DOCS_MAX));
    const whole = build(texts);
    expect(narrow.docs).toBeInstanceOf(Uint16Array);
    expect(wide.docs).toBeInstanceOf(Uint16Array);
    expect(whole.docs).toBeInstanceOf(Uint32Array);
    const inSegments = openPostings([narrow, wide]);
    const inOne = loadPostings(whole);
    for (const query of [['人工'], ['w996', '智能'], ['据规', 'w0', '人人'], ['w500']]) {
      const a = inSegments.search(query);
      const b = inOne.search(query);
      expect(a.map((r) => r.id)).toEqual(b.map((r) => r.id));
      expect(a.map((r) => r.score)).toEqual(b.map((r) => r.score));
      expect(Math.max(...a.map((r) => r.id))).toBeGreaterThanOrEqual(NARROW_DOCS_MAX);
    }
    // Two bytes a sentence cannot number more sentences than that: such a segment is damaged.
    expect(() => loadPostings({ ...whole, docs: Uint16Array.from(whole.docs) })).toThrow('a damaged index');
  });
});
