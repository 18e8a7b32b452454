import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticCorpus, writeSyntheticCorpus } from '../../../bench/synthetic.js';
import { BUNDLED_CORPUS_DIR } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { type Corpus, essaysOf, sentenceText } from '../../../src/core/corpus/model.js';
import { createIndex } from '../../../src/core/search/corpus-index.js';
import type { CorpusIndex, PassageHit, SearchFilters } from '../../../src/core/search/search.js';

/*
 * When only hits holding the whole phrase can be shown (asked for with `exactOnly`, or when
 * the sentences holding it fill the limit), the index has MiniSearch score only the sentences
 * that can hold it. That must change nothing but the work: the hits are those a full search
 * ranks first, with the same scores, on a corpus where phrases recur in many sentences and
 * run across sentence ends.
 */

interface Query {
  text: string;
  filters: SearchFilters;
}

function view(hit: PassageHit) {
  return { id: hit.paragraph.id, start: hit.start, end: hit.end, exact: hit.exact, score: hit.score };
}

let dir: string;
let corpus: Corpus;
let index: CorpusIndex;
const queries: Query[] = [];

beforeAll(async () => {
  const source = await loadCorpus(BUNDLED_CORPUS_DIR);
  const sourceBytes = (await Promise.all(source.files.map((f) => readFile(join(BUNDLED_CORPUS_DIR, f.file))))).reduce((n, b) => n + b.length, 0);
  dir = await mkdtemp(join(tmpdir(), 'yinzheng-index-exact-'));
  await writeSyntheticCorpus(dir, generateSyntheticCorpus(source, { scale: 5, seed: 3, sourceBytes }));
  corpus = await loadCorpus(dir);
  index = createIndex(corpus);
  const labelled = JSON.parse(await readFile('test/fixtures/queries.json', 'utf8')) as Array<{ query: string; author?: string }>;
  for (const q of labelled) queries.push({ text: q.query, filters: q.author !== undefined ? { author: q.author } : {} });
  // Whole sentences, and phrases across a sentence end: the tail of one and the head of the next.
  const paragraphs = essaysOf(corpus).flatMap((e) => e.sections.flatMap((s) => s.paragraphs));
  for (const p of paragraphs.filter((_, i) => i % 40 === 0)) {
    const [a, b] = p.sentences;
    if (a) queries.push({ text: sentenceText(p, a), filters: {} });
    if (a && b) queries.push({ text: sentenceText(p, a).slice(-4) + sentenceText(p, b).slice(0, 4), filters: {} });
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('searching for phrase hits only', () => {
  it('gives the phrase hits a full search ranks first, with their scores', () => {
    let phraseHits = 0;
    let windows = 0;
    for (const q of queries) {
      const all = index.search(q.text, q.filters);
      for (const limit of [1, 5, 200]) {
        const only = index.search(q.text, q.filters, { limit, exactOnly: true });
        expect(only.map(view), q.text).toEqual(
          all
            .filter((h) => h.exact)
            .slice(0, limit)
            .map(view),
        );
      }
      const exact = all.filter((h) => h.exact);
      phraseHits += exact.length;
      windows += exact.filter((h) => h.paragraph.sentences.filter((s) => s.start < h.end && s.end > h.start).length > 1).length;
    }
    // The comparison is only worth something if there were phrase hits, windows among them.
    expect(phraseHits).toBeGreaterThan(100);
    expect(windows).toBeGreaterThan(0);
  });

  it("gives the first hits of a full search when the phrase's sentences fill the limit", () => {
    let filled = 0;
    for (const q of queries) {
      const all = index.search(q.text, q.filters);
      for (const limit of [1, 3, 10]) {
        if (all.filter((h) => h.exact).length >= limit) filled++;
        expect(index.search(q.text, q.filters, { limit }).map(view), q.text).toEqual(all.slice(0, limit).map(view));
      }
    }
    expect(filled).toBeGreaterThan(50);
  });
});
