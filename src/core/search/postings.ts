import { createHashTable, hashUnits, mix } from './hash-table.js';
import { HAN_RUN, LATIN_WORD, longWords, RUN_CACHE_MAX } from './tokenize.js';

/*
 * The postings of our index, owned rather than kept in MiniSearch: every term's sentences as
 * one slice of a single Uint32Array, and each sentence's length (its distinct terms). The
 * terms themselves are one string in code-unit order, found by binary search. Everything is a
 * typed array or a string: the index cache writes them as they are, a worker thread hands
 * them over without copying, and the garbage collector has a few objects to look at instead
 * of a few million.
 *
 * A build reads each sentence once and makes no string per term occurrence: a bigram of two
 * characters of the Basic Multilingual Plane is a number (the two code units), and a term's
 * string is made once, when it is first seen. The terms are those of `termsOfFolded`
 * (tokenize.ts), each once per sentence (the tests hold the two to the same postings).
 *
 * `search` scores as MiniSearch 7.2 does for what we ask of it (exact terms, OR, BM25 with
 * its default parameters, a term in one field, frequency 1): the same float operations in the
 * same order, the same tie order, with one exception. MiniSearch keeps the mean field length
 * as a running mean, updated document by document, whose last bits depend on the order the
 * documents came in; ours is the total length over the count, one division, so that postings
 * held in several segments (one per corpus file, see `openPostings`) give the very numbers
 * one set of postings over all their documents gives. Scores differ from MiniSearch's by a
 * rounding at most (the equivalence tests compare them to twelve digits).
 */

/** MiniSearch's defaults: k, b and d of BM25+. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** A scored sentence: MiniSearch's SearchResult, as much of it as the index reads. */
export interface Scored {
  id: number;
  score: number;
  /** How many of the query's distinct terms the sentence holds (MiniSearch's `queryTerms.length`). */
  matched: number;
}

export interface PostingsSearch {
  filter?: (result: Scored) => boolean;
  /** A document's boost; 0 leaves it out, as in MiniSearch. */
  boostDocument?: (id: number) => number;
}

/** The postings as plain data: what the cache writes and a worker thread transfers. */
export interface PostingsArrays {
  /** Every distinct term, in code-unit order, one after another. */
  termText: string;
  /** Where term `t` starts in `termText`; one more entry, its length. */
  termStarts: Uint32Array;
  /** Term `t`'s sentences are `docs[offsets[t], offsets[t + 1])`, ascending. */
  offsets: Uint32Array;
  docs: DocNumbers;
  /** Each sentence's distinct terms. */
  fieldLength: Uint32Array;
}

/**
 * A segment's sentence numbers, its own from 0: two bytes each when it has no more than
 * 65,536 sentences, as every file but a book-length one has (an archive's files have about
 * 450). They are most of an index: 29 MB of the archive's 37 MB of postings in four bytes each.
 */
export type DocNumbers = Uint16Array | Uint32Array;

/** The widest segment whose sentence numbers fit two bytes. */
export const NARROW_DOCS_MAX = 0x10000;

/**
 * Postings over one or more segments, searched as one: a document's number is its number in
 * its segment plus the documents of the segments before it.
 */
export interface Postings {
  readonly documentCount: number;
  /** Sentences holding `term` (its document frequency), or undefined when none does. */
  df(term: string): number | undefined;
  /** Distinct terms (worked out when first asked: the benchmark's figure), and postings in all. */
  readonly termCount: number;
  readonly postingCount: number;
  search(terms: readonly string[], options?: PostingsSearch): Scored[];
  readonly segments: readonly PostingsArrays[];
}

export interface PostingsBuilder {
  /** Adds the next sentence, folded (its number is the count of those added before). */
  add(folded: string): void;
  finish(): PostingsArrays;
}

/** `a` when it has room for `size` entries, or else a copy of it with room (doubling). */
export function grown<T extends Uint32Array | Int32Array | Uint16Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  let length = Math.max(1, a.length);
  while (length < size) length *= 2;
  const out = new (a.constructor as new (n: number) => T)(length);
  out.set(a);
  return out;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/**
 * What the builds of several segments (one per file, one after another) share:
 * - `longWords`: long words of Han runs already cut, by run. A file's builder has term numbers
 *   of its own, but a clause that recurs across files (为此, a slogan, a quoted title) is cut
 *   by Intl.Segmenter once. Bounded by clearing.
 * - `chunks`: the blocks of term numbers a build fills (CHUNK), handed on to the next build
 *   when one finishes. A block of its own for each file's build was 4 MB allocated and freed
 *   per file, and once one such block was freed, glibc's allocator served the build's smaller
 *   arrays from memory it keeps when they are freed (mallopt(3): freeing a mapped block raises
 *   the mapping threshold to its size), which the collector's pages cannot use:
 *   the archive's build peaked at 317-330 MB of RSS, 285-289 with the blocks handed on.
 * - `text`: for builds whose caller copies each segment's arrays before the next build (an
 *   index composed as its files are built, corpus-index.ts), the buffer a segment's folded
 *   texts are written into, reused: a buffer per file added up to the corpus's text in
 *   UTF-16 (about 20 MB at 1000×), dropped by the end of the build and freed only at a
 *   mark-compact. Null for builds whose segments are kept (a cache's, a reload's).
 */
export interface SharedBuild {
  longWords: Map<string, string[]>;
  chunks: Uint32Array[];
  text: Uint16Array | null;
}

/** `reusedText`: the segments built are copied before the next is built (see `text`). */
export function sharedBuild(options: { reusedText?: boolean } = {}): SharedBuild {
  return { longWords: new Map(), chunks: [], text: options.reusedText ? new Uint16Array(0) : null };
}

// Long on purpose: a factory whose length is the builder's methods over one set of growing
// arrays and the run cache, which each of them reads and grows.
/** Builds postings one folded sentence at a time: each term once per sentence, in sentence order. */
export function createPostingsBuilder(options: { runsCached?: number; shared?: SharedBuild } = {}): PostingsBuilder {
  const runsCached = options.runsCached ?? RUN_CACHE_MAX;
  const shared = options.shared?.longWords;
  const free = options.shared?.chunks ?? [];
  // Term numbers in order of first sight, and each term's string. A bigram's key is its two
  // code units, which `mix` turns into its hash one-to-one: a matching hash is the bigram.
  const bigrams = createHashTable(1 << 14);
  const named = new Map<string, number>();
  const strings: string[] = [];
  // Long words of the Han runs already cut (Intl.Segmenter is most of a build's cost, and
  // clauses recur), bounded: each run's text and its words' term numbers, in pools.
  const runs = createHashTable(1 << 14);
  let runText = new Uint16Array(1 << 16);
  let runStarts = new Uint32Array(1 << 12);
  let runWords = new Uint32Array(1 << 14);
  let runWordStarts = new Uint32Array(1 << 12);
  let runCount = 0;
  // Pass 1 keeps each sentence's distinct term numbers one after another in a flat array,
  // and how many sentences each term is in. No array per term: a large corpus has a hundred
  // thousand terms and millions of postings, and growing that many small arrays cost more
  // than all the rest, and more than linearly. Each term's last sentence counted, plus one (a
  // term counts once per sentence), and its count are side by side: one read per occurrence.
  let seen = new Uint32Array(1 << 13);
  // In chunks, not one array grown by doubling: a copy at each doubling, and the unused half
  // of the last, were tens of megabytes at the build's peak on a large corpus.
  const chunks: Uint32Array[] = [];
  let chunk: Uint32Array = new Uint32Array(0);
  let starts = new Uint32Array(1 << 12);
  let fieldLength = new Uint32Array(1 << 12);
  let n = 0;
  let doc = 0;

  function newTerm(term: string): number {
    const t = strings.length;
    strings.push(term);
    if (2 * t + 1 >= seen.length) seen = grown(seen, 2 * t + 2);
    return t;
  }
  function count(t: number): void {
    if (seen[2 * t] === doc + 1) return;
    seen[2 * t] = doc + 1;
    seen[2 * t + 1] = (seen[2 * t + 1] as number) + 1;
    const at = n & CHUNK_MASK;
    if (at === 0) {
      chunk = free.pop() ?? new Uint32Array(CHUNK);
      chunks.push(chunk);
    }
    chunk[at] = t;
    n++;
  }
  function namedTerm(term: string): number {
    let t = named.get(term);
    if (t === undefined) {
      t = newTerm(term);
      named.set(term, t);
    }
    return t;
  }
  const always = () => true;
  function bigram(run: string, i: number): number {
    const hash = mix((run.charCodeAt(i) << 16) | run.charCodeAt(i + 1));
    let t = bigrams.find(hash, always);
    if (t < 0) {
      t = newTerm(run.slice(i, i + 2));
      bigrams.add(t);
    }
    return t;
  }
  // The run `find` compares against (a closure made once, not per look-up).
  let sought = '';
  const sameRun = (r: number): boolean => {
    const from = runStarts[r] as number;
    if ((runStarts[r + 1] as number) - from !== sought.length) return false;
    for (let i = 0; i < sought.length; i++) if (runText[from + i] !== sought.charCodeAt(i)) return false;
    return true;
  };
  /** Cuts a run that `runs.find(hash)` just missed, and remembers it. */
  function cutRun(run: string, hash: number): number {
    if (runCount >= runsCached) {
      runs.clear();
      runCount = 0;
      runs.find(hash, sameRun);
    }
    let cut = shared?.get(run);
    if (cut === undefined) {
      cut = longWords(run);
      if (shared) {
        if (shared.size >= runsCached) shared.clear();
        shared.set(run, cut);
      }
    }
    const words = cut.map(namedTerm);
    const r = runCount++;
    if (r + 2 > runStarts.length) {
      runStarts = grown(runStarts, r + 2);
      runWordStarts = grown(runWordStarts, r + 2);
    }
    const textAt = runStarts[r] as number;
    if (textAt + run.length > runText.length) runText = grown(runText, textAt + run.length);
    for (let i = 0; i < run.length; i++) runText[textAt + i] = run.charCodeAt(i);
    runStarts[r + 1] = textAt + run.length;
    const wordsAt = runWordStarts[r] as number;
    if (wordsAt + words.length > runWords.length) runWords = grown(runWords, wordsAt + words.length);
    runWords.set(words, wordsAt);
    runWordStarts[r + 1] = wordsAt + words.length;
    runs.add(r);
    return r;
  }
  function addRun(run: string): void {
    // The run's code points: one is a term by itself, two or more give their bigrams.
    let first = 0;
    let second = isHigh(run.charCodeAt(0)) && run.length > 1 ? 2 : 1;
    if (second >= run.length) {
      count(namedTerm(run));
      return;
    }
    while (second < run.length) {
      const width = isHigh(run.charCodeAt(second)) && second + 1 < run.length ? 2 : 1;
      if (second - first === 1 && width === 1) count(bigram(run, first));
      else count(namedTerm(run.slice(first, second + width)));
      first = second;
      second += width;
    }
    // A run of two characters has no word of three (most runs between two commas are longer).
    if (run.length < 3) return;
    sought = run;
    const hash = hashUnits(run, 0, run.length);
    let r = runs.find(hash, sameRun);
    if (r < 0) r = cutRun(run, hash);
    for (let k = runWordStarts[r] as number, end = runWordStarts[r + 1] as number; k < end; k++) count(runWords[k] as number);
  }

  return {
    add(folded) {
      if (doc + 1 >= starts.length) starts = grown(starts, doc + 2);
      if (doc >= fieldLength.length) fieldLength = grown(fieldLength, doc + 1);
      starts[doc] = n;
      for (const m of folded.matchAll(LATIN_WORD)) count(namedTerm(m[0]));
      for (const m of folded.matchAll(HAN_RUN)) addRun(m[0]);
      const length = n - (starts[doc] as number);
      fieldLength[doc] = length;
      doc++;
    },
    finish() {
      starts[doc] = n;
      // Terms in code-unit order (the order `<` compares strings in), for the binary search.
      const order = Array.from(strings.keys()).sort((a, b) => ((strings[a] as string) < (strings[b] as string) ? -1 : 1));
      const rank = new Uint32Array(strings.length);
      order.forEach((t, r) => {
        rank[t] = r;
      });
      const termStarts = new Uint32Array(strings.length + 1);
      const offsets = new Uint32Array(strings.length + 1);
      order.forEach((t, r) => {
        termStarts[r + 1] = (termStarts[r] as number) + (strings[t] as string).length;
        offsets[r + 1] = (offsets[r] as number) + (seen[2 * t + 1] as number);
      });
      // Pass 2: each term's slice, filled in sentence order, so every slice is ascending.
      const cursor = offsets.slice(0, strings.length);
      const docs: DocNumbers = doc <= NARROW_DOCS_MAX ? new Uint16Array(n) : new Uint32Array(n);
      for (let d = 0; d < doc; d++) {
        for (let i = starts[d] as number, end = starts[d + 1] as number; i < end; i++) {
          const r = rank[(chunks[i >>> CHUNK_BITS] as Uint32Array)[i & CHUNK_MASK] as number] as number;
          docs[cursor[r] as number] = d;
          cursor[r] = (cursor[r] as number) + 1;
        }
      }
      free.push(...chunks);
      chunks.length = 0;
      named.clear();
      return { termText: order.map((t) => strings[t]).join(''), termStarts, offsets, docs, fieldLength: fieldLength.slice(0, doc) };
    },
  };
}

/** Term numbers kept per chunk during a build (a million: 4 MB). */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/** Throws unless `a` are whole postings (read from a cache, or sent by a worker). */
export function checkPostings(a: PostingsArrays): void {
  const terms = a.termStarts.length - 1;
  const docsFit = a.docs instanceof Uint32Array || a.fieldLength.length <= NARROW_DOCS_MAX;
  if (terms < 0 || a.offsets.length !== terms + 1 || a.termStarts[terms] !== a.termText.length || a.offsets[terms] !== a.docs.length || !docsFit) {
    throw new Error('loadPostings: a damaged index');
  }
  // A document past the segment's would be scored as another segment's.
  const { docs } = a;
  let last = 0;
  for (let i = 0; i < docs.length; i++) last = Math.max(last, docs[i] as number);
  if (docs.length > 0 && last >= a.fieldLength.length) throw new Error('loadPostings: a damaged index');
}

/** Checks arrays read from a cache or a worker, and gives their postings. */
export function loadPostings(a: PostingsArrays): Postings {
  checkPostings(a);
  return openPostings([a]);
}

/**
 * The postings of several segments as one: BM25 reads the document count, the document
 * frequencies and the total field length summed over them, and numbers the documents one
 * segment after another, so a query scores and orders exactly as over one set of postings
 * built from all the segments' documents in that order. Each segment's terms are its own,
 * found by a binary search of its own. Segments from a cache or a worker are checked first
 * (`checkPostings`), once: a reload reuses the served index's segments, millions of postings
 * that need no second look while the event loop waits. Postings opened after `base`'s (a
 * team's after the operator's) share its scratch.
 */
export function openPostings(segments: readonly PostingsArrays[], base?: Postings): Postings {
  return postingsOf(segments, (base && scratches.get(base)) ?? { arrays: null });
}

/**
 * A query's scratch (see `search`), 14 bytes a document: shared by postings opened after
 * another's (a team's after the operator's), grown to the largest. A search runs to its end
 * before another begins and leaves the scratch as it found it, so one serves them all.
 */
interface Scratch {
  arrays: { scores: Float64Array; matched: Uint16Array; order: Uint32Array } | null;
}
const scratches = new WeakMap<Postings, Scratch>();

/** Term `r` of segment `s` against `term`, as `<` compares strings. */
function compare(s: PostingsArrays, term: string, r: number): number {
  const from = s.termStarts[r] as number;
  const length = (s.termStarts[r + 1] as number) - from;
  const common = Math.min(term.length, length);
  for (let i = 0; i < common; i++) {
    const d = term.charCodeAt(i) - s.termText.charCodeAt(from + i);
    if (d !== 0) return d;
  }
  return term.length - length;
}

/** The term's number in segment `s`, or -1. */
function find(s: PostingsArrays, term: string): number {
  let lo = 0;
  let hi = s.termStarts.length - 2;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(s, term, mid);
    if (c === 0) return mid;
    if (c < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return -1;
}

/** Distinct terms over all segments. */
function distinctTerms(segments: readonly PostingsArrays[]): number {
  if (segments.length === 1) return (segments[0] as PostingsArrays).termStarts.length - 1;
  const terms = new Set<string>();
  for (const s of segments) for (let r = 0; r + 1 < s.termStarts.length; r++) terms.add(s.termText.slice(s.termStarts[r], s.termStarts[r + 1]));
  return terms.size;
}

// Long on purpose: small named methods (df, search and their helpers) over one set of
// segments and one reused scratch.
function postingsOf(segments: readonly PostingsArrays[], shared: Scratch): Postings {
  // Each segment's first document, and one more entry: the count.
  const bases = new Uint32Array(segments.length + 1);
  let totalLength = 0;
  let postingCount = 0;
  segments.forEach((s, i) => {
    bases[i + 1] = (bases[i] as number) + s.fieldLength.length;
    for (const length of s.fieldLength) totalLength += length;
    postingCount += s.docs.length;
  });
  const documentCount = bases[segments.length] as number;
  // One division, the same whichever segments the documents came in (see the head of the file).
  const average = documentCount === 0 ? 0 : totalLength / documentCount;
  let termCount: number | null = null;
  // Per query term, its number in each segment (-1: not there).
  const found = new Int32Array(segments.length);

  /** The term's document frequency over all segments, its numbers left in `found`. */
  function locate(term: string): number {
    let matching = 0;
    segments.forEach((s, i) => {
      const t = find(s, term);
      found[i] = t;
      if (t !== -1) matching += (s.offsets[t + 1] as number) - (s.offsets[t] as number);
    });
    return matching;
  }

  // Per query, reused: each sentence's score so far, how many of the query's distinct terms
  // it holds (0: not matched yet), and the sentences in the order they were first matched:
  // an object per posting, thousands a query, would live long enough to fill the old
  // generation with garbage.
  function scratchFor(): NonNullable<Scratch['arrays']> {
    if (shared.arrays === null || shared.arrays.scores.length < documentCount) {
      shared.arrays = { scores: new Float64Array(documentCount), matched: new Uint16Array(documentCount), order: new Uint32Array(documentCount) };
    }
    return shared.arrays;
  }

  function search(query: readonly string[], options: PostingsSearch = {}): Scored[] {
    const terms = query.filter((t) => t !== '');
    if (terms.length === 0) return [];
    const { scores, matched, order } = scratchFor();
    const { boostDocument } = options;
    let touched = 0;
    try {
      // As MiniSearch's termResults and its OR: each term's score for each of its sentences,
      // added to the sentence's score in the order of the terms; a term the query repeats
      // adds its score again but is one matched term. A term's sentences come segment by
      // segment, each segment's in ascending order: ascending over all.
      terms.forEach((term, ti) => {
        const matching = locate(term);
        if (matching === 0) return;
        const repeated = terms.indexOf(term) < ti;
        const invDocFreq = Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5));
        segments.forEach((s, si) => {
          const t = found[si] as number;
          if (t === -1) return;
          const base = bases[si] as number;
          const { docs, fieldLength } = s;
          for (let i = s.offsets[t] as number, to = s.offsets[t + 1] as number; i < to; i++) {
            const local = docs[i] as number;
            const doc = base + local;
            const docBoost = boostDocument ? boostDocument(doc) : 1;
            if (!docBoost) continue;
            const length = fieldLength[local] as number;
            const raw = invDocFreq * (BM25.d + (1 * (BM25.k + 1)) / (1 + BM25.k * (1 - BM25.b + (BM25.b * length) / average)));
            const weighted = 1 * 1 * 1 * docBoost * raw;
            if (matched[doc] === 0) {
              scores[doc] = weighted;
              matched[doc] = 1;
              order[touched++] = doc;
            } else {
              scores[doc] = (scores[doc] as number) + weighted;
              if (!repeated) matched[doc] = (matched[doc] as number) + 1;
            }
          }
        });
      });
      const results: Scored[] = [];
      for (let k = 0; k < touched; k++) {
        const doc = order[k] as number;
        const n = matched[doc] as number;
        const result = { id: doc, score: (scores[doc] as number) * n, matched: n };
        if (!options.filter || options.filter(result)) results.push(result);
      }
      results.sort((a, b) => b.score - a.score);
      return results;
    } finally {
      for (let k = 0; k < touched; k++) matched[order[k] as number] = 0;
    }
  }

  const postings: Postings = {
    documentCount,
    get termCount() {
      termCount ??= distinctTerms(segments);
      return termCount;
    },
    postingCount,
    segments,
    df(term) {
      const matching = locate(term);
      return matching === 0 ? undefined : matching;
    },
    search,
  };
  scratches.set(postings, shared);
  return postings;
}
