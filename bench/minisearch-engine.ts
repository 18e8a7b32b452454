import MiniSearch, { type AsPlainObject, type Options, type SearchResult } from 'minisearch';
import type { TermEngine, TermEngineFactory, TokenizerKind } from '../src/core/search/corpus-index.js';
import { foldText } from '../src/core/search/fold.js';
import type { Scored } from '../src/core/search/postings.js';
import { termsOfFolded, tokenize } from '../src/core/search/tokenize.js';

/*
 * The benchmark's MiniSearch baselines, plugged into the index through IndexOptions.engine:
 *
 * - miniSearchDefault: MiniSearch's own tokenizer, the ranking and latency baseline of the
 *   best-recall peer;
 * - miniSearchStorage: our tokenizer's terms stored in a MiniSearch index, the build before
 *   our own postings (docs/decisions.md, 2026-12-02). The bench times its build beside ours,
 *   and the equivalence tests (test/core/search/postings.test.ts, index-build.test.ts) rank
 *   against it.
 *
 * Neither serves the bot; both live here so that src/ holds only the engine it serves with.
 */

/** A document carries only its sentence's number; the text is looked up. */
type Doc = { id: number };

function miniSearchOptions(kind: TokenizerKind, texts: (id: number) => string): Options<Doc> {
  // Documents carry only their number and the text is looked up, so the documents handed to
  // MiniSearch do not hold a second copy of the corpus.
  if (kind === 'minisearch-default') return { fields: ['text'], extractField: (doc, field) => (field === 'id' ? doc.id : texts(doc.id)) };
  // Ours are never added one by one (see buildChinese); the index is searched with terms
  // that arrive folded already, which MiniSearch's default would only lower-case again.
  return { fields: ['text'], processTerm: (term) => term, searchOptions: { tokenize, processTerm: (term) => term } };
}

/**
 * Our tokenizer's terms in a MiniSearch index, as the index was before our own postings
 * (kept to prove the two rank alike, and as the benchmark's baseline for the build): built
 * as MiniSearch's own serialised form and loaded with `loadJS`, rather than by `add`, whose
 * linear scan of a radix node's keys made a large corpus's build take many seconds. The
 * result is the index `add` would build: each term once per sentence, its frequency 1, field
 * lengths and their running mean as `add` counts them. The document frequency of each term
 * is returned too: search uses it to leave out the terms nearly every sentence has.
 */
function buildChinese(docCount: number, foldedOf: (id: number) => string, options: Options<Doc>): { ms: MiniSearch<Doc>; df: Map<string, number> } {
  const runs = new Map<string, string[]>();
  const postings = new Map<string, number[]>();
  const documentIds: Record<number, number> = {};
  const fieldLength: Record<number, number[]> = {};
  let average = 0;
  for (let doc = 0; doc < docCount; doc++) {
    const terms = new Set(termsOfFolded(foldedOf(doc), runs));
    for (const term of terms) {
      const docs = postings.get(term);
      if (docs === undefined) postings.set(term, [doc]);
      else docs.push(doc);
    }
    documentIds[doc] = doc;
    fieldLength[doc] = [terms.size];
    average = (average * doc + terms.size) / (doc + 1);
  }
  const df = new Map<string, number>();
  for (const [term, docs] of postings) df.set(term, docs.length);
  // Each term's serialised entry is made only as loadJS reads it.
  function* entries(): Generator<[string, Record<string, Record<string, number>>]> {
    for (const [term, docs] of postings) {
      const freqs: Record<number, number> = {};
      for (const doc of docs) freqs[doc] = 1;
      postings.delete(term);
      yield [term, { 0: freqs }];
    }
  }
  const js: AsPlainObject = {
    documentCount: docCount,
    nextId: docCount,
    documentIds,
    fieldIds: { text: 0 },
    fieldLength,
    averageFieldLength: [average],
    storedFields: {},
    dirtCount: 0,
    // loadJS reads the entries once, in order, with for…of.
    index: entries() as unknown as AsPlainObject['index'],
    serializationVersion: 2,
  };
  return { ms: MiniSearch.loadJS<Doc>(js, options), df };
}

/** What serializeIndex writes for a MiniSearch engine. */
interface Serialized {
  df: Array<[string, number]>;
  minisearch: AsPlainObject;
}

/** A MiniSearch index as a TermEngine; `df` is null for MiniSearch's own tokenizer. */
function engineOf(ms: MiniSearch<Doc>, df: Map<string, number> | null): TermEngine {
  const scoredOf = (r: SearchResult): Scored => ({ id: r.id as number, score: r.score, matched: r.queryTerms.length });
  return {
    df: (term) => df?.get(term),
    search(query, { filter, boostDocument }) {
      // Our chosen terms arrive folded and whole: split on the spaces they are joined with, not tokenized again.
      const text = typeof query === 'string' ? query : query.join(' ');
      const split = typeof query === 'string' ? {} : { tokenize: (t: string) => t.split(' ') };
      return ms.search(text, { filter: (r) => filter(scoredOf(r)), ...(boostDocument ? { boostDocument } : {}), ...split }).map(scoredOf);
    },
    toJSON: (): Serialized => ({ df: [...(df ?? [])], minisearch: ms.toJSON() }),
  };
}

function factory(kind: TokenizerKind): TermEngineFactory {
  return {
    tokenizer: kind,
    build(docCount, textOf) {
      const msOptions = miniSearchOptions(kind, textOf);
      if (kind === 'chinese') {
        const { ms, df } = buildChinese(docCount, (id) => foldText(textOf(id)), msOptions);
        return engineOf(ms, df);
      }
      const ms = new MiniSearch<Doc>(msOptions);
      ms.addAll(Array.from({ length: docCount }, (_, id) => ({ id })));
      return engineOf(ms, null);
    },
    load(docCount, textOf, saved) {
      const { df, minisearch } = saved as Serialized;
      const ms = MiniSearch.loadJS<Doc>(minisearch, miniSearchOptions(kind, textOf));
      if (ms.documentCount !== docCount) throw new Error('loadIndex: the cached index is of another corpus');
      return engineOf(ms, kind === 'chinese' ? new Map(df) : null);
    },
  };
}

/** MiniSearch with its own tokenizer: the benchmark's baseline for ranking and latency. */
export const miniSearchDefault: TermEngineFactory = factory('minisearch-default');

/** Our tokenizer's terms in MiniSearch's storage: the build before our own postings. */
export const miniSearchStorage: TermEngineFactory = factory('chinese');
