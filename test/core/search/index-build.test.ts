import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MiniSearch, { type AsPlainObject } from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniSearchStorage } from '../../../bench/minisearch-engine.js';
import { generateSyntheticCorpus, writeSyntheticCorpus } from '../../../bench/synthetic.js';
import { BUNDLED_CORPUS_DIR } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { type Corpus, sentenceText } from '../../../src/core/corpus/model.js';
import { createIndex, serializeIndex } from '../../../src/core/search/corpus-index.js';
import { foldText } from '../../../src/core/search/fold.js';
import { termsOfFolded } from '../../../src/core/search/tokenize.js';

/*
 * The MiniSearch engine (IndexOptions.engine, kept as the benchmark's baseline and as the
 * reference postings.ts must rank like) hands MiniSearch its postings grouped by term, through loadJS, instead of adding
 * sentence after sentence (see buildChinese in src/core/search/corpus-index.ts). That is only a speed-up if
 * MiniSearch ends up holding exactly what `add` would have given it; these tests build the
 * index both ways, with the real MiniSearch, and compare everything BM25 reads.
 */

/** What `add` builds from the same documents: each distinct sentence of each file, folded, its terms once. */
function addedOneByOne(corpus: Corpus): AsPlainObject {
  const texts = corpus.files.flatMap((f) => [
    ...new Set(f.essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.sentences.map((s) => sentenceText(p, s)))))),
  ]);
  const folded = texts.map(foldText);
  const ms = new MiniSearch<{ id: number }>({
    fields: ['text'],
    extractField: (doc, field) => (field === 'id' ? doc.id : folded[doc.id]),
    tokenize: (text) => [...new Set(termsOfFolded(text))],
    processTerm: (term) => term,
  });
  ms.addAll(folded.map((_, id) => ({ id })));
  return ms.toJSON();
}

/** The radix tree lists terms in insertion order, which is not what is compared. */
function byTerm(js: AsPlainObject): Map<string, unknown> {
  return new Map([...js.index].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function expectSameIndex(corpus: Corpus): void {
  const saved = JSON.parse(new TextDecoder().decode(serializeIndex(createIndex(corpus, { engine: miniSearchStorage })))) as {
    df: Array<[string, number]>;
    minisearch: AsPlainObject;
  };
  const expected = addedOneByOne(corpus);
  const { index: ours, ...oursRest } = saved.minisearch;
  const { index: theirs, ...theirsRest } = expected;
  expect(ours.length).toBe(theirs.length);
  // Field lengths and their running mean to the last bit: BM25 divides by them.
  expect(oursRest).toEqual(theirsRest);
  expect(byTerm(saved.minisearch)).toEqual(byTerm(expected));
  // Document frequencies, which search uses to choose the rarer query terms.
  expect(new Map(saved.df)).toEqual(new Map(expected.index.map(([term, data]) => [term, Object.keys(data[0] ?? {}).length])));
}

describe('building the index from postings grouped by term', () => {
  let dir: string;
  let synthetic: Corpus;

  beforeAll(async () => {
    const source = await loadCorpus(BUNDLED_CORPUS_DIR);
    const sourceBytes = (await Promise.all(source.files.map((f) => readFile(join(BUNDLED_CORPUS_DIR, f.file))))).reduce((n, b) => n + b.length, 0);
    dir = await mkdtemp(join(tmpdir(), 'yinzheng-index-build-'));
    // Reshuffled sentences: many repeated, so that terms have long posting lists.
    await writeSyntheticCorpus(dir, generateSyntheticCorpus(source, { scale: 5, seed: 11, sourceBytes }));
    synthetic = await loadCorpus(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives MiniSearch the index adding each sentence would, on the bundled corpus', async () => {
    expectSameIndex(await loadCorpus(BUNDLED_CORPUS_DIR));
  });

  it('gives MiniSearch the index adding each sentence would, on a synthetic corpus five times its size', () => {
    expect(synthetic.files.length).toBeGreaterThan(0);
    expectSameIndex(synthetic);
  });
});
