import type { SearchResult } from 'minisearch';
import { termsOfFolded } from './tokenize.js';

/*
 * The postings of our index, owned rather than kept in MiniSearch: every term's sentences as
 * one slice of a single Uint32Array, and each sentence's length (its distinct terms). A
 * MiniSearch index keeps a Map of Maps per term, some fifty bytes a posting, and could only be
 * built fast through its serialised form, a round trip that took most of a large build. Here
 * a build is one pass over the sentences and one copy; the cache is the arrays themselves.
 *
 * `search` scores exactly as MiniSearch 7.2 does for what we ask of it (exact terms, OR,
 * BM25 with its default parameters, a term in one field, frequency 1): the same float
 * operations in the same order, the same tie order, so the results are MiniSearch's own.
 */

/** MiniSearch's defaults: k, b and d of BM25+. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

export interface PostingsSearch {
  filter?: (result: SearchResult) => boolean;
  /** A document's boost; 0 leaves it out, as in MiniSearch. */
  boostDocument?: (id: number) => number;
}

export interface Postings {
  readonly documentCount: number;
  /** Sentences holding `term` (its document frequency), or undefined when none does. */
  df(term: string): number | undefined;
  /** Distinct terms, and postings in all. */
  readonly termCount: number;
  readonly postingCount: number;
  search(terms: readonly string[], options?: PostingsSearch): SearchResult[];
  /** The arrays as a JSON-safe object (base64), for the index cache. */
  serialize(): SavedPostings;
}

interface Data {
  terms: Map<string, number>;
  offsets: Uint32Array;
  docs: Uint32Array;
  fieldLength: Uint32Array;
  average: number;
}

/** Builds the postings of folded sentences: each term once per sentence, in sentence order. */
export function buildPostings(folded: readonly string[]): Postings {
  const runs = new Map<string, string[]>();
  const terms = new Map<string, number>();
  // Pass 1: each sentence's distinct term numbers, one after another in a flat array, and
  // how many sentences each term is in. No array per term: a large corpus has a hundred
  // thousand terms and millions of postings, and growing that many small arrays cost more
  // than all the rest, and more than linearly.
  let counts: Uint32Array = new Uint32Array(1 << 12);
  let ids: Uint32Array = new Uint32Array(1 << 16);
  let n = 0;
  const starts = new Uint32Array(folded.length + 1);
  const fieldLength = new Uint32Array(folded.length);
  let average = 0;
  folded.forEach((text, doc) => {
    starts[doc] = n;
    const distinct = new Set(termsOfFolded(text, runs));
    if (n + distinct.size > ids.length) ids = grown(ids, n + distinct.size);
    for (const term of distinct) {
      let t = terms.get(term);
      if (t === undefined) {
        t = terms.size;
        terms.set(term, t);
        if (t >= counts.length) counts = grown(counts, t + 1);
      }
      counts[t] = (counts[t] as number) + 1;
      ids[n++] = t;
    }
    fieldLength[doc] = distinct.size;
    // The running mean as MiniSearch's add keeps it, so scores match to the last bit.
    average = (average * doc + distinct.size) / (doc + 1);
  });
  starts[folded.length] = n;
  // Pass 2: each term's slice, filled in sentence order, so every slice is ascending.
  const offsets = new Uint32Array(terms.size + 1);
  for (let t = 0; t < terms.size; t++) offsets[t + 1] = (offsets[t] as number) + (counts[t] as number);
  const cursor = offsets.slice(0, terms.size);
  const docs = new Uint32Array(n);
  for (let doc = 0; doc < folded.length; doc++) {
    for (let i = starts[doc] as number, end = starts[doc + 1] as number; i < end; i++) {
      const t = ids[i] as number;
      docs[cursor[t] as number] = doc;
      cursor[t] = (cursor[t] as number) + 1;
    }
  }
  return postingsOf({ terms, offsets, docs, fieldLength, average });
}

/** A copy of `a` with room for at least `size` entries (doubling). */
function grown(a: Uint32Array, size: number): Uint32Array {
  let length = a.length;
  while (length < size) length *= 2;
  const out = new Uint32Array(length);
  out.set(a);
  return out;
}

const toBase64 = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromBase64(text: string): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copied into an aligned buffer of its own: a Buffer may sit at any offset of a shared pool.
  const out = new Uint32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** What `serialize` gives: the terms one per line, the arrays in base64. */
export interface SavedPostings {
  terms: string;
  offsets: string;
  docs: string;
  fieldLength: string;
  average: number;
}

/** Reads what `serialize` gave. */
export function loadPostings(saved: SavedPostings): Postings {
  const list = saved.terms === '' ? [] : saved.terms.split('\n');
  const terms = new Map<string, number>(list.map((term, t) => [term, t]));
  const data = { terms, offsets: fromBase64(saved.offsets), docs: fromBase64(saved.docs), fieldLength: fromBase64(saved.fieldLength), average: saved.average };
  if (data.offsets.length !== list.length + 1 || data.offsets[list.length] !== data.docs.length) throw new Error('loadPostings: a damaged index cache');
  return postingsOf(data);
}

type Partial = { score: number; terms: string[]; match: Record<string, string[]> };

function postingsOf(data: Data): Postings {
  const { terms, offsets, docs, fieldLength, average } = data;
  const documentCount = fieldLength.length;

  /** One term's results, as MiniSearch's termResults makes them. */
  function termResults(term: string, boostDocument: PostingsSearch['boostDocument']): Map<number, Partial> {
    const results = new Map<number, Partial>();
    const t = terms.get(term);
    if (t === undefined) return results;
    const from = offsets[t] as number;
    const to = offsets[t + 1] as number;
    const matching = to - from;
    const invDocFreq = Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5));
    for (let i = from; i < to; i++) {
      const doc = docs[i] as number;
      const docBoost = boostDocument ? boostDocument(doc) : 1;
      if (!docBoost) continue;
      const length = fieldLength[doc] as number;
      const raw = invDocFreq * (BM25.d + (1 * (BM25.k + 1)) / (1 + BM25.k * (1 - BM25.b + (BM25.b * length) / average)));
      const weighted = 1 * 1 * 1 * docBoost * raw;
      results.set(doc, { score: weighted, terms: [term], match: { [term]: ['text'] } });
    }
    return results;
  }

  return {
    documentCount,
    termCount: terms.size,
    postingCount: docs.length,
    df(term) {
      const t = terms.get(term);
      return t === undefined ? undefined : (offsets[t + 1] as number) - (offsets[t] as number);
    },
    search(query, options = {}) {
      const perTerm = query.filter((t) => t !== '').map((t) => termResults(t, options.boostDocument));
      if (perTerm.length === 0) return [];
      // MiniSearch's OR: later terms' results added to the first's, scores summed in that order.
      const combined = perTerm.reduce((a, b) => {
        for (const [doc, value] of b) {
          const existing = a.get(doc);
          if (existing === undefined) a.set(doc, value);
          else {
            existing.score = existing.score + value.score;
            existing.match = Object.assign(existing.match, value.match);
            for (const term of value.terms) if (!existing.terms.includes(term)) existing.terms.push(term);
          }
        }
        return a;
      });
      const results: SearchResult[] = [];
      for (const [doc, { score, terms: matched, match }] of combined) {
        const result = { id: doc, score: score * (matched.length || 1), terms: Object.keys(match), queryTerms: matched, match };
        if (!options.filter || options.filter(result)) results.push(result);
      }
      results.sort((a, b) => b.score - a.score);
      return results;
    },
    serialize() {
      return { terms: [...terms.keys()].join('\n'), offsets: toBase64(offsets), docs: toBase64(docs), fieldLength: toBase64(fieldLength), average };
    },
  };
}
