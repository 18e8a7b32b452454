import { type Corpus, type CorpusFile, type Essay, essaysOf, type Paragraph, type Section } from '../corpus/model.js';
import { latinKey, nameKeys, pinyinLabel } from '../corpus/names.js';
import { createEssayIndex, createEssayIndexInSlices, type EssayIndex, essayIndexAfter, SLICE_MS } from './essay-index.js';
import { type Folded, fold, foldText, occurrences, sourceSpan } from './fold.js';
import { openPostings, type Postings, type PostingsArrays, type Scored, type SharedBuild, sharedBuild } from './postings.js';
import { type AuthorEntry, type Choice, type CorpusIndex, essaysMatching, type PassageHit, type SearchFilters, type SearchOptions } from './search.js';
import { runSteps, runStepsInTurns } from './steps.js';
import { isSingleHan, tokenize } from './tokenize.js';
import {
  buildArrays,
  checkArrays,
  compactOf,
  composeArrays,
  composeArraysInTurns,
  countsOf,
  createComposer,
  type IndexArrays,
  nextUnit,
  paragraphAt,
  type SegmentSlice,
  type Units,
  unitsOf,
  unitText,
  wholeSlice,
} from './units.js';

/**
 * The search index. The unit quoted is a sentence, so the index's documents are sentences;
 * a phrase that runs across a sentence end is found as a window of up to three sentences.
 * Sentences are ranked by BM25 over character bigrams and long words (see tokenize.ts), scored
 * by our own postings exactly as MiniSearch would (postings.ts); on top of that, a passage
 * holding the whole query as a phrase (folded, spaces and punctuation ignored) ranks before
 * every passage that does not. Which sentences hold the phrase is not left to the terms: a
 * scan of the folded text finds them all (see docsHolding), so the postings are only asked
 * for a query's rarer terms (see rarestTerms).
 *
 * A document is a distinct sentence text of a file, not a sentence occurrence: a sentence a
 * file prints in many places (a quoted law, a slogan) is indexed and scored once, and its
 * occurrences are expanded in corpus order only as far as the caller's limit.
 *
 * The index is in segments, one per corpus file, each built from that file alone (see
 * `buildSegment`; cache.ts keeps them by the file's content), the way Lucene and Tantivy keep
 * immutable segments: a file added or changed costs that file's segment, not the corpus's
 * index. BM25 reads its statistics summed over the segments, and docs are numbered one
 * segment after another, so a query ranks exactly as over one build of all the files at
 * once (`createIndex` with `single`, which the tests hold the segments to).
 *
 * The segments' docs and text are composed into one part, read by the queries in place; a
 * team's index (`openAfter`) is the operator's part, shared, and a part of the team's files
 * after it, so that no team holds a copy of the operator's. Docs, units and essays are numbered
 * across the parts as across one, and so it ranks as one build too.
 *
 * Another term index can take the postings' place (IndexOptions.engine): the benchmark's
 * MiniSearch baselines in bench/minisearch-engine.ts (MiniSearch's default tokenizer, and
 * our tokenizer in MiniSearch's storage, the build before our own postings).
 */

/** Whose terms an index holds: our Chinese tokenizer's, or MiniSearch's default one (a benchmark baseline). */
export type TokenizerKind = 'chinese' | 'minisearch-default';

/**
 * A term index other than our own postings, plugged in through IndexOptions: the benchmark's
 * MiniSearch baselines (bench/minisearch-engine.ts) are the only ones. It scores sentences
 * (documents numbered from 0) as our postings do, so the rest of the index is the same.
 */
export interface TermEngine {
  /** A term's document frequency under our tokenizer; undefined for none, or for an engine with a tokenizer of its own. */
  df(term: string): number | undefined;
  /**
   * The sentences for a query: our tokenizer's chosen terms, or (for an engine with its own
   * tokenizer) the query's text, which it tokenizes itself.
   */
  search(query: readonly string[] | string, options: { filter: (r: Scored) => boolean; boostDocument?: (id: number) => number }): Scored[];
  /** What serializeIndex writes for it, and its factory's `load` reads back. */
  toJSON(): object;
}

/** Makes a TermEngine over a corpus's distinct sentences, `textOf(id)` each one's text. */
export interface TermEngineFactory {
  tokenizer: TokenizerKind;
  build(docCount: number, textOf: (id: number) => string): TermEngine;
  /** Throws when `saved` is not of `docCount` sentences. */
  load(docCount: number, textOf: (id: number) => string, saved: unknown): TermEngine;
}

export interface IndexOptions {
  /** Another term index in place of our postings: a benchmark baseline. */
  engine?: TermEngineFactory;
  /**
   * One build over all the files at once instead of a segment per file: the same index (the
   * tests hold the two to the same scores), kept as the reference the segments are held to.
   */
  single?: boolean;
}

/** The longest run of sentences a phrase match may span. */
const MAX_WINDOW = 3;

/** Autocomplete lists are capped by Discord at 25 choices of at most 100 characters. */
const CHOICES_MAX = 25;
const CHOICE_TEXT_MAX = 100;

/** Results kept, best first, when no passage holds enough of a query's terms. */
const CLOSEST_WITHOUT_COVERAGE = 50;

/** Share of the query's distinct terms a passage must hold to be a hit at all. */
const MIN_COVERAGE = 0.34;

/**
 * Paragraph folds kept for highlighting, most recently used first out last: a few pages of
 * hits (a reply reads the spans of the hits it shows). Each is two Int32Arrays of offsets
 * per kind, 8 bytes a character, and one dropped from the cache is garbage of the old
 * generation, so a larger cache costs heap without answering faster (docs/decisions.md).
 */
const FOLDS_CACHED = 64;

/** Postings a query may read (see rarestTerms). */
const POSTINGS_BUDGET = 8_000;

/** Sentences holding the exact phrase beyond which no other passage is looked for. */
const EXACT_ENOUGH = 500;

/** Builds the index of a corpus: a segment per file, unless `options` ask for one build or another engine. */
export function createIndex(corpus: Corpus, options: IndexOptions = {}): CorpusIndex {
  const { engine } = options;
  if (engine === undefined && options.single !== true) {
    const composed = buildComposed(corpus);
    return openSegments(
      corpus,
      corpus.files.map((_, part) => ({ composed, part })),
    );
  }
  const units = unitsOf(essaysOf(corpus));
  const arrays = buildArrays(units, { postings: engine === undefined, fileOfEssay: fileOfEssayOf(corpus) });
  if (engine === undefined) return assemble(corpus, 'chinese', [partOf(arrays, units, FIRST, null)], [arrays.postings as PostingsArrays]);
  return assemble(corpus, engine.tokenizer, [partOf(arrays, units, FIRST, null)], null, engine.build(docCountOf(arrays), docTextOf(units, arrays)));
}

/** Each essay's file, by number: a sentence is a doc of its own in each file. */
function fileOfEssayOf(corpus: Corpus): Uint32Array {
  return Uint32Array.from(corpus.files.flatMap((f, i) => f.essays.map(() => i)));
}

/**
 * A file's segment of the index: its units' docs, their folded text and their postings, from
 * this file alone, so that it is the same in every corpus the file is in (and cached by the
 * file's content). Typed arrays and a string: a worker thread hands it over without copying.
 * Builds of several files pass one `shared` (postings.ts), so that what they share is cut once.
 */
export function buildSegment(file: CorpusFile, shared: SharedBuild = sharedBuild()): IndexArrays {
  return buildArrays(unitsOf(file.essays), { postings: true, shared });
}

/**
 * Every file's segment, built and composed one after another (createComposer): at 1000× the
 * build's peak is the size of the composed text and docs (about 10 MB) lower than building
 * every segment and composing them after.
 */
function buildComposed(corpus: Corpus): ComposedSegments {
  // The composer copies each segment's arrays before the next is built.
  const shared = sharedBuild({ reusedText: true });
  const essays = essaysOf(corpus);
  // A doc's compact text is its sentence folded, less what is not a letter or digit, and a separator.
  let textBound = 0;
  for (const e of essays) for (const s of e.sections) for (const p of s.paragraphs) textBound += p.text.length + Math.max(1, p.sentences.length);
  const composer = createComposer(unitCountOf(essays), textBound);
  const postings = corpus.files.map((file) => {
    const segment = buildSegment(file, shared);
    composer.add(segment);
    return segment.postings as PostingsArrays;
  });
  const { arrays, starts } = composer.finish();
  return { arrays, postings, starts };
}

/** Units of the essays (as `unitsOf` counts them). */
function unitCountOf(essays: Essay[]): number {
  return countsOf(essays).count;
}

/** A segment of an index already open (file number `file` of its corpus), reused as it is there. */
export interface ReusedSegment {
  from: CorpusIndex;
  file: number;
}

/** Where each segment starts in composed arrays, and one more entry: where they end. */
interface SegmentStarts {
  units: Uint32Array;
  docs: Uint32Array;
  text: Uint32Array;
}

/**
 * Several files' segments put together where they were built (a reload's worker): their
 * arrays one after another, each file's postings, and where each file's part starts. Opened
 * whole, nothing is copied in the thread that serves.
 */
export interface ComposedSegments {
  arrays: IndexArrays;
  postings: PostingsArrays[];
  starts: SegmentStarts;
}

/** Part `part` of composed segments. */
export interface ComposedPart {
  composed: ComposedSegments;
  part: number;
}

/** Composes segments (see ComposedSegments). */
export function composeSegments(segments: readonly IndexArrays[]): ComposedSegments {
  const slices = segments.map(wholeSlice);
  return {
    arrays: composeArrays(slices),
    postings: segments.map((s) => {
      if (s.postings === null) throw new Error('composeSegments: a segment without postings');
      return s.postings;
    }),
    starts: startsOf(slices),
  };
}

/** File `part`'s slice of arrays composed with `starts`. */
function sliceAt(arrays: IndexArrays, starts: SegmentStarts, part: number): SegmentSlice {
  return {
    arrays,
    units: [starts.units[part] as number, starts.units[part + 1] as number],
    docs: [starts.docs[part] as number, starts.docs[part + 1] as number],
    text: [starts.text[part] as number, starts.text[part + 1] as number],
  };
}

/** Where file `file`'s segment is in an index opened from segments; null for one build or another engine. */
function sliceOf(index: CorpusIndex, file: number): { slice: SegmentSlice; postings: PostingsArrays } | null {
  const d = internals.get(index);
  if (!d?.postings || !hasSegments(index)) return null;
  let first = 0;
  for (const part of d.parts) {
    const at = part.starts as SegmentStarts;
    const files = at.units.length - 1;
    if (file < first + files) return { slice: sliceAt(part.arrays, at, file - first), postings: d.postings.segments[file] as PostingsArrays };
    first += files;
  }
  return null;
}

/** Whether `index` was opened from segments, so that a reload can reuse them (`ReusedSegment`). */
export function hasSegments(index: CorpusIndex): boolean {
  const d = internals.get(index);
  return d !== undefined && d.postings !== null && d.parts.every((p) => p.starts !== null);
}

/**
 * The index of `corpus` from its files' segments, in the corpus's file order: each built
 * (`buildSegment`, or a cache's copy), or reused from an index already open, whose arrays are
 * read in place and whose postings are shared (segments never change). Takes the corpus's
 * units when they are worked out already; throws when a segment is not of its file. The
 * postings of a segment read from a cache are checked where they are read (cache.ts), not
 * here, where a reload's new library is put together while the event loop waits.
 */
export function openSegments(
  corpus: Corpus,
  segments: ReadonlyArray<IndexArrays | ReusedSegment | ComposedPart>,
  units: Units = unitsOf(essaysOf(corpus)),
): CorpusIndex {
  const p = prepareSegments(corpus, segments, units);
  return openPrepared(corpus, units, p, p.whole ? p.whole.arrays : composeArrays(p.slices));
}

/** Where the first part starts: at the beginning. */
const FIRST = { unit0: 0, doc0: 0, essay0: 0 };

/**
 * The index of `corpus` whose first files are those of `base`'s corpus, and the rest
 * `segments` (a team's files after the operator's, serve.ts): `base`'s units, docs, text and
 * postings are read where they are, shared and never copied, and only the segments' arrays
 * are put together (in turns of the event loop of about `turnMs` each), as a part of their own
 * after `base`'s. It ranks exactly as an index opened from all the files' segments; a segment
 * not of its file, or a `base` whose files are not the corpus's first, throws.
 */
export async function openAfter(base: CorpusIndex, corpus: Corpus, segments: readonly IndexArrays[], turnMs: number): Promise<CorpusIndex> {
  const b = internals.get(base);
  if (!b?.postings || !hasSegments(base)) throw new Error('openAfter: a base index not in segments');
  const baseFiles = b.postings.segments.length;
  if (baseFiles + segments.length !== corpus.files.length) throw new Error('openAfter: not a segment per file');
  // The base's files must be the corpus's first: the same units, file by file.
  for (let file = 0; file < baseFiles; file++) {
    const { slice } = sliceOf(base, file) as { slice: SegmentSlice };
    if (slice.units[1] - slice.units[0] !== unitCountOf((corpus.files[file] as CorpusFile).essays)) throw new Error('openAfter: a base of other files');
  }
  const units = unitsOf(corpus.files.slice(baseFiles).flatMap((f) => f.essays));
  const p = prepareSegments(corpus, segments, units, baseFiles);
  const arrays = await composeArraysInTurns(p.slices, turnMs);
  checkArrays(units.paragraph.length, arrays);
  const last = b.parts[b.parts.length - 1] as Part;
  const at = { unit0: last.unit0 + last.units.paragraph.length, doc0: last.doc0 + docCountOf(last.arrays), essay0: last.essay0 + last.units.essays };
  const part = partOf(arrays, units, at, startsOf(p.slices));
  return assemble(corpus, 'chinese', [...b.parts, part], [...b.postings.segments, ...p.postings], null, b);
}

/**
 * `openSegments` for a reload in the thread that serves: the arrays are put together in turns
 * of the event loop of about `turnMs` each, so that answers go on meanwhile.
 */
export async function openSegmentsInTurns(
  corpus: Corpus,
  segments: ReadonlyArray<IndexArrays | ReusedSegment | ComposedPart>,
  units: Units,
  turnMs: number,
): Promise<CorpusIndex> {
  const p = prepareSegments(corpus, segments, units);
  return openPrepared(corpus, units, p, p.whole ? p.whole.arrays : await composeArraysInTurns(p.slices, turnMs));
}

interface PreparedSegments {
  slices: SegmentSlice[];
  postings: PostingsArrays[];
  /** The segments, when they are all of one ComposedSegments in order. */
  whole: ComposedSegments | null;
}

/** Each segment's slice and postings, checked against its file (the corpus's files from `first` on, whose `units` they are). */
function prepareSegments(corpus: Corpus, segments: ReadonlyArray<IndexArrays | ReusedSegment | ComposedPart>, units: Units, first = 0): PreparedSegments {
  let essays = 0;
  for (let i = first; i < corpus.files.length; i++) essays += (corpus.files[i] as CorpusFile).essays.length;
  if (units.essays !== essays) throw new Error('openSegments: units of another corpus');
  if (first + segments.length !== corpus.files.length) throw new Error('openSegments: not a segment per file');
  const slices: SegmentSlice[] = [];
  const postings: PostingsArrays[] = [];
  segments.forEach((segment, i) => {
    const count = unitCountOf((corpus.files[first + i] as CorpusFile).essays);
    const { slice, postings: p } = resolve(segment);
    if (slice.units[1] - slice.units[0] !== count) throw new Error('openSegments: a segment that is not of its file');
    if ('postings' in segment) checkArrays(count, segment);
    slices.push(slice);
    postings.push(p);
  });
  // Composed whole where they were built, in this very order: opened as they are.
  return { slices, postings, whole: wholeComposed(segments) };
}

/** The index over the segments' arrays put together. */
function openPrepared(corpus: Corpus, units: Units, p: PreparedSegments, arrays: IndexArrays): CorpusIndex {
  checkArrays(units.paragraph.length, arrays);
  return assemble(corpus, 'chinese', [partOf(arrays, units, FIRST, p.whole ? p.whole.starts : startsOf(p.slices))], p.postings);
}

/** A segment's slice and postings, wherever it is. */
function resolve(segment: IndexArrays | ReusedSegment | ComposedPart): { slice: SegmentSlice; postings: PostingsArrays } {
  if ('from' in segment) {
    const reused = sliceOf(segment.from, segment.file);
    if (reused === null) throw new Error('openSegments: a reused segment of an index not in segments');
    return reused;
  }
  if ('composed' in segment) {
    const { composed, part } = segment;
    const p = composed.postings[part];
    if (p === undefined || part + 1 >= composed.starts.units.length) throw new Error('openSegments: no such composed segment');
    return { slice: sliceAt(composed.arrays, composed.starts, part), postings: p };
  }
  if (segment.postings === null) throw new Error('openSegments: a segment without postings');
  return { slice: wholeSlice(segment), postings: segment.postings };
}

/** The composed segments that are all of `segments`, in order, if they are. */
function wholeComposed(segments: ReadonlyArray<IndexArrays | ReusedSegment | ComposedPart>): ComposedSegments | null {
  const first = segments[0];
  if (first === undefined || !('composed' in first) || first.composed.postings.length !== segments.length) return null;
  const { composed } = first;
  return segments.every((s, i) => 'composed' in s && s.composed === composed && s.part === i) ? composed : null;
}

/** Where each segment starts in composed arrays, and one more entry: where they end. */
function startsOf(slices: readonly SegmentSlice[]): SegmentStarts {
  const at = { units: new Uint32Array(slices.length + 1), docs: new Uint32Array(slices.length + 1), text: new Uint32Array(slices.length + 1) };
  slices.forEach((s, i) => {
    at.units[i + 1] = (at.units[i] as number) + s.units[1] - s.units[0];
    at.docs[i + 1] = (at.docs[i] as number) + s.docs[1] - s.docs[0];
    at.text[i + 1] = (at.text[i] as number) + s.text[1] - s.text[0];
  });
  return at;
}

function docCountOf(arrays: IndexArrays): number {
  return arrays.docStarts.length - 1;
}

/** A distinct sentence's text, as printed (its first occurrence). */
function docTextOf(units: Units, arrays: IndexArrays): (id: number) => string {
  return (id) => unitText(units, arrays.docUnits[arrays.docUnitStart[id] as number] as number);
}

/**
 * An index of another engine (a benchmark baseline) as bytes: its own JSON. Our own index is
 * cached segment by segment instead (cache.ts).
 */
export function serializeIndex(index: CorpusIndex): Uint8Array {
  const inner = internals.get(index);
  if (!inner) throw new Error('serializeIndex: not an index made by createIndex');
  if (inner.postings) throw new Error('serializeIndex: our own index is cached by its segments (cache.ts)');
  return new TextEncoder().encode(JSON.stringify({ ...inner.engine.toJSON(), kind: inner.kind }));
}

/** Rebuilds an index of `options.engine` from `serializeIndex` output, for the same corpus version. */
export function loadIndex(corpus: Corpus, bytes: Uint8Array, options: IndexOptions & { engine: TermEngineFactory }): CorpusIndex {
  const { engine } = options;
  const units = unitsOf(essaysOf(corpus));
  const arrays = buildArrays(units, { postings: false, fileOfEssay: fileOfEssayOf(corpus) });
  const saved: unknown = JSON.parse(new TextDecoder().decode(bytes));
  return assemble(corpus, engine.tokenizer, [partOf(arrays, units, FIRST, null)], null, engine.load(docCountOf(arrays), docTextOf(units, arrays), saved));
}

/** Distinct terms and postings of an index built with our own postings (for the benchmark). */
export function indexSize(index: CorpusIndex): { terms: number; postings: number } | null {
  const p = internals.get(index)?.postings;
  return p ? { terms: p.termCount, postings: p.postingCount } : null;
}

/** The docs and text of each of an index's parts, in order (for the tests): a team's first are the operator's own. */
export function indexParts(index: CorpusIndex): readonly IndexArrays[] {
  return internals.get(index)?.parts.map((p) => p.arrays) ?? [];
}

const internals = new WeakMap<CorpusIndex, IndexData>();

/** An author with the keys their name is matched by, worked out once per index. */
interface AuthorRecord {
  entry: AuthorEntry;
  /** Folded name, letters only. */
  folded: string;
  /** Latin keys: pinyin in both orders. */
  keys: string[];
}

/** Everything a built index holds; the query functions below read it, and only the scan and fold caches change. */
interface IndexData {
  kind: TokenizerKind;
  essays: Essay[];
  /**
   * The docs and their text, in parts one after another (their postings are in `postings`):
   * one part, but for an index opened after another (`openAfter`), whose parts come first.
   */
  parts: readonly Part[];
  /** Our postings, over the segments; null when another engine holds the terms. */
  postings: Postings | null;
  /** The term index searched: our postings, or a benchmark's engine. */
  engine: TermEngine;
  /** Worked out on the first essay lookup by title. */
  titleKeys: string[] | null;
  essayNumber: Map<Essay, number>;
  /** Worked out on the first author lookup: their pinyin is the only use of the pinyin dictionaries after parsing. */
  authorRecords: AuthorRecord[] | null;
  /** The essay index (essay-index.ts), of this corpus only: a reload makes a new index, and a new one of these. */
  essayIndex: EssayIndex | null;
  /** The index this one was opened after (`openAfter`): its essay index is shared, not built again. */
  after: IndexData | null;
  /**
   * Folds of the paragraphs whose matches were read lately. Bounded: a large corpus read
   * query after query would otherwise keep a fold of every paragraph it ever showed.
   */
  foldedParagraphs: Map<Paragraph, { plain?: Folded; compact?: Folded }>;
  /** The last scan's phrase and what it found (read only by docsHolding). */
  lastScan: { phrase: string; found: Set<number> } | null;
}

/**
 * Docs of some of an index's files, composed: numbered from 0 in `arrays`, and from `unit0` and
 * `doc0` in the index. A team's index reads the operator's part where it is, shared by every
 * team and never copied, and has a part of its own for its files (`openAfter`).
 */
interface Part {
  /** The part's units, numbered from 0 (paragraphs and essays too). */
  units: Units;
  arrays: IndexArrays;
  /** `arrays.joined` as bytes, for Buffer's native search. */
  joinedBytes: Buffer;
  unit0: number;
  doc0: number;
  essay0: number;
  /** For a part opened from segments: where each of its files' units, docs and text start in `arrays` (one more entry: the ends). */
  starts: SegmentStarts | null;
}

function partOf(arrays: IndexArrays, units: Units, at: { unit0: number; doc0: number; essay0: number }, starts: SegmentStarts | null): Part {
  return { units, arrays, joinedBytes: Buffer.from(arrays.joined.buffer, arrays.joined.byteOffset, arrays.joined.byteLength), ...at, starts };
}

/** The part that holds unit `u`. Parts are one or two: a scan from the last. */
function partOfUnit(d: IndexData, u: number): Part {
  let i = d.parts.length - 1;
  while (i > 0 && u < (d.parts[i] as Part).unit0) i--;
  return d.parts[i] as Part;
}

/** The part that holds doc `id`. */
function partOfDoc(d: IndexData, id: number): Part {
  let i = d.parts.length - 1;
  while (i > 0 && id < (d.parts[i] as Part).doc0) i--;
  return d.parts[i] as Part;
}

/** Unit `u`'s doc. */
function docOfUnit(d: IndexData, u: number): number {
  const p = partOfUnit(d, u);
  return (p.arrays.doc[u - p.unit0] as number) + p.doc0;
}

/** Unit `u`'s essay, by number. */
function essayOfUnit(d: IndexData, u: number): number {
  const p = partOfUnit(d, u);
  return p.essay0 + (p.units.essayOf[p.units.paragraph[u - p.unit0] as number] as number);
}

/** The unit after `u` in its paragraph, or -1: a paragraph is in one file, and so in one part. */
function unitAfter(d: IndexData, u: number): number {
  const p = partOfUnit(d, u);
  const next = nextUnit(p.units, u - p.unit0);
  return next === -1 ? -1 : next + p.unit0;
}

/** A term's document frequency under our tokenizer; undefined for none, or for MiniSearch's default tokenizer. */
function dfOf(d: IndexData, term: string): number | undefined {
  return d.engine.df(term);
}

/** Our postings as a TermEngine: searched with our tokenizer's terms only. */
function postingsEngine(postings: Postings): TermEngine {
  return {
    df: (term) => postings.df(term),
    search: (query, options) => (typeof query === 'string' ? [] : postings.search(query, options)),
    toJSON: () => ({}),
  };
}

/**
 * The index over `parts`, scored by the postings of `segments`, or else by `engine`. Postings
 * opened after `base`'s share its scratch (see openPostings).
 */
function assemble(
  corpus: Corpus,
  kind: TokenizerKind,
  parts: readonly Part[],
  segments: readonly PostingsArrays[] | null,
  engine: TermEngine | null = null,
  after?: IndexData,
): CorpusIndex {
  const essays = essaysOf(corpus);
  const postings = segments === null ? null : openPostings(segments, after?.postings ?? undefined);
  const d: IndexData = {
    kind,
    after: after ?? null,
    essays,
    parts,
    postings,
    engine: engine ?? postingsEngine(postings as Postings),
    titleKeys: null,
    essayNumber: new Map(essays.map((e, i) => [e, i])),
    authorRecords: null,
    essayIndex: null,
    foldedParagraphs: new Map(),
    lastScan: null,
  };
  const index: CorpusIndex = {
    version: corpus.version,
    search: (query, filters = {}, options = {}) => search(d, () => essaysFor(d, index, filters), query, options),
    findAuthors: (name) => findAuthors(d, name),
    findEssays: (query) => findEssays(d, query),
    searchEssays: (query, limit) => essayIndexOf(d).essays(query, limit),
    searchAuthors: (name, limit) => essayIndexOf(d).authors(name, limit),
    complete: (kindOf, prefix, limit) => complete(d, kindOf, prefix, limit),
    warmEssays: () => warmEssays(d),
  };
  internals.set(index, d);
  return index;
}

/** The occurrences of doc `id`, in corpus order. */
function unitsOfDoc(d: IndexData, id: number): Uint32Array {
  const p = partOfDoc(d, id);
  const { docUnits, docUnitStart } = p.arrays;
  const own = docUnits.subarray(docUnitStart[id - p.doc0], docUnitStart[id - p.doc0 + 1]);
  // A later part's units are numbered from its own first: a team's few, renumbered when read.
  return p.unit0 === 0 ? own : own.map((u) => u + p.unit0);
}

/**
 * How many of doc `id`'s occurrences are in scope, counted up to `enough`. Read in place: it
 * runs for every scored sentence of a filtered query, where a view per sentence was garbage.
 */
function countInScope(d: IndexData, id: number, inScope: (u: number) => boolean, enough: number): number {
  const p = partOfDoc(d, id);
  const { docUnits, docUnitStart } = p.arrays;
  const local = id - p.doc0;
  let n = 0;
  for (let k = docUnitStart[local] as number, end = docUnitStart[local + 1] as number; k < end && n < enough; k++) {
    if (inScope((docUnits[k] as number) + p.unit0)) n++;
  }
  return n;
}

/** Doc `id`'s compact text in its part's `joined`: [from, to). */
function compactSpan(p: Part, id: number): [number, number] {
  const { docStarts } = p.arrays;
  return [docStarts[id - p.doc0] as number, (docStarts[id - p.doc0 + 1] as number) - 1];
}
function compactText(d: IndexData, id: number): string {
  const p = partOfDoc(d, id);
  const [from, to] = compactSpan(p, id);
  return p.joinedBytes.toString('utf16le', from * 2, to * 2);
}

/** A paragraph's fold of one kind, made when first asked for (a hit needs one kind, not both). */
function foldedOf(d: IndexData, p: Paragraph, kind: 'plain' | 'compact'): Folded {
  let f = d.foldedParagraphs.get(p);
  if (f) {
    d.foldedParagraphs.delete(p);
  } else {
    f = {};
    if (d.foldedParagraphs.size >= FOLDS_CACHED) d.foldedParagraphs.delete(d.foldedParagraphs.keys().next().value as Paragraph);
  }
  d.foldedParagraphs.set(p, f);
  f[kind] ??= fold(p.text, { compact: kind === 'compact' });
  return f[kind];
}

function findAuthors(d: IndexData, name: string): AuthorEntry[] {
  const q = compactOf(foldText(name));
  const authors = authorsOf(d);
  if (q === '') return authors.map((a) => a.entry);
  if (/\p{Script=Han}/u.test(q)) return authors.filter((a) => a.folded.includes(q) || q.includes(a.folded)).map((a) => a.entry);
  const key = latinKey(name);
  if (key.length < 2) return [];
  return authors.filter((a) => a.keys.some((k) => k.startsWith(key))).map((a) => a.entry);
}

function findEssays(d: IndexData, query: string): Essay[] {
  const q = compactOf(foldText(query));
  if (q === '') return d.essays;
  const id = query.trim().toLowerCase();
  const byId = d.essays.filter((e) => e.id.toLowerCase() === id);
  if (byId.length > 0) return byId;
  d.titleKeys ??= d.essays.map((e) => compactOf(foldText(e.title)));
  const keys = d.titleKeys;
  return d.essays.filter((e, i) => (keys[i] as string).includes(q) || compactOf(e.id).includes(q));
}

/** The essays a search may draw from, by number; null for all of them. */
function essaysFor(d: IndexData, index: CorpusIndex, filters: SearchFilters): Set<number> | null {
  if (!filters.author?.trim() && !filters.essay?.trim()) return null;
  return new Set(essaysMatching(index, filters).map((e) => d.essayNumber.get(e) as number));
}

/**
 * The essay index, built on first use: the CLI's /quote and a console that never asks for an
 * essay need neither it nor the pinyin dictionaries its authors' keys load (a tenth of a
 * second of a cold start). It belongs to this index, so a reload rebuilds it with the corpus.
 */
function essayIndexOf(d: IndexData): EssayIndex {
  const authors = authorsOf(d);
  d.essayIndex ??= d.after
    ? teamEssayIndex(d, d.after)
    : createEssayIndex(
        d.essays,
        authors.map((a) => a.entry),
      );
  return d.essayIndex;
}

/** The corpus's authors, worked out on first use; an index opened after another reuses the other's. */
function authorsOf(d: IndexData): AuthorRecord[] {
  d.authorRecords ??= d.after ? authorsAfter(authorsOf(d.after), collectAuthors(d.essays.slice(d.after.essays.length))) : collectAuthors(d.essays);
  return d.authorRecords;
}

/**
 * The authors of a corpus whose first essays are another's: that one's records, the same
 * objects, but for an author of both parts (one record with the essays of both, as
 * collectAuthors over all the essays would make it), then the new authors.
 */
function authorsAfter(before: readonly AuthorRecord[], own: readonly AuthorRecord[]): AuthorRecord[] {
  const added = new Map(own.map((r) => [r.folded, r]));
  const merged = before.map((r) => {
    const also = added.get(r.folded);
    if (!also) return r;
    added.delete(r.folded);
    return { ...r, entry: { ...r.entry, affiliation: r.entry.affiliation ?? also.entry.affiliation, essays: [...r.entry.essays, ...also.entry.essays] } };
  });
  return [...merged, ...added.values()];
}

/**
 * The essay index of an index opened after another (a team's after the operator's): the
 * other's, shared, and one of this index's own essays (essayIndexAfter).
 */
function teamEssayIndex(d: IndexData, after: IndexData): EssayIndex {
  const shared = essayIndexOf(after);
  const own = d.essays.slice(after.essays.length);
  const records = authorsOf(d);
  // Authors are one by their folded name (authorSteps), in either part.
  const byName = new Map(records.map((r, i) => [r.folded, { entry: r.entry, rank: i }]));
  const of = (a: AuthorEntry) => byName.get(compactOf(foldText(a.name)));
  const mine = collectAuthors(own).map((r) => r.entry);
  return essayIndexAfter(shared, own, mine, {
    essay: (e) => d.essayNumber.get(e) ?? Number.MAX_SAFE_INTEGER,
    author: (a) => of(a)?.entry,
    authorRank: (a) => of(a)?.rank ?? Number.MAX_SAFE_INTEGER,
  });
}

/** The essay index built in slices, unless a query built it first; the one built first is kept. */
async function warmEssays(d: IndexData): Promise<void> {
  if (d.essayIndex) return;
  // A team's: the operator's shared one (usually warm already), then its own few essays at once.
  if (d.after) {
    await warmEssays(d.after);
    essayIndexOf(d);
    return;
  }
  if (!d.authorRecords) {
    // The authors first, in slices too: on the archive they hold the loop 40-70 ms at once.
    const records = await runStepsInTurns(authorSteps(d.essays), SLICE_MS);
    d.authorRecords ??= records;
  }
  const built = await createEssayIndexInSlices(
    d.essays,
    d.authorRecords.map((a) => a.entry),
  );
  d.essayIndex ??= built;
}

/**
 * Ranked by the essay index first; then what the plain filter finds that the index does not
 * (a character in the middle of a title, part of an essay ID), so that no choice the filter
 * offered before is lost. An exact essay ID comes first of all.
 */
function complete(d: IndexData, kindOf: 'author' | 'essay', prefix: string, limit = CHOICES_MAX): Choice[] {
  const max = Math.min(Math.max(limit, 0), CHOICES_MAX);
  if (max === 0) return [];
  const typed = prefix.trim() !== '';
  if (kindOf === 'author') {
    const ranked = typed
      ? essayIndexOf(d)
          .authors(prefix, max)
          .map((h) => h.author)
      : [];
    return distinct([...ranked, ...findAuthors(d, prefix)], max).map((a) => ({
      name: clip(`${a.name} (${a.pinyin})${a.affiliation ? ` ${a.affiliation}` : ''}`),
      value: a.name,
    }));
  }
  const id = prefix.trim().toLowerCase();
  const exact = typed ? d.essays.filter((e) => e.id.toLowerCase() === id) : [];
  const ranked = typed
    ? essayIndexOf(d)
        .essays(prefix, max)
        .map((h) => h.essay)
    : [];
  return distinct([...exact, ...ranked, ...findEssays(d, prefix)], max).map((e) => ({ name: clip(e.title), value: e.id }));
}

/** The first `max` distinct items, in order. */
function distinct<T>(items: T[], max: number): T[] {
  return [...new Set(items)].slice(0, max);
}

/** A ranked group of occurrences: a distinct sentence's, or one phrase window's. */
interface Bucket {
  exact: boolean;
  score: number;
  first: number;
  units: ArrayLike<number> & Iterable<number>;
  /** For a window across sentences: the last sentence of the window. */
  windowEnd?: number;
}

/** One query as the steps below see it. */
interface Query {
  text: string;
  /** Folded, letters and digits only: what an exact match must hold. */
  phrase: string;
  terms: string[];
  limit: number;
  allowed: Set<number> | null;
  inScope: (u: number) => boolean;
}

/** `scope` gives the essays a search may draw from; it is worked out only for a query worth searching. */
function search(d: IndexData, scope: () => Set<number> | null, text: string, options: SearchOptions): PassageHit[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const phrase = compactOf(foldText(text));
  if (phrase === '' || limit <= 0) return [];
  const allowed = scope();
  if (allowed !== null && allowed.size === 0) return [];
  const q: Query = {
    text,
    phrase,
    terms: d.kind === 'chinese' ? tokenize(text) : [],
    limit,
    allowed,
    inScope: (u) => allowed === null || allowed.has(essayOfUnit(d, u)),
  };
  // The baseline is MiniSearch alone: it finds what its tokenizer finds, nothing more.
  const exactDocs = d.kind === 'chinese' ? docsHolding(d, phrase) : null;
  // Whether only passages holding the whole phrase can be among the hits: asked for, or
  // the sentences holding it fill the limit already. Then the term index scores only the
  // sentences that hold the phrase or may start a window holding it (the rest are skipped
  // before it makes a result of them), and those score as they would among all.
  const phrasesOnly = options.exactOnly === true || (exactDocs !== null && scopedCountOf(d, exactDocs, q.inScope, limit) >= limit);
  const results = scoredSentences(d, q, exactDocs, phrasesOnly);
  const exact = exactDocs ?? new Set(results.map((r) => r.id as number).filter((id) => compactText(d, id).includes(phrase)));
  const buckets = [...bucketsOf(d, q, results, exact, phrasesOnly), ...unscoredPhrases(d, q, exact, new Set(results.map((r) => r.id as number)))];
  // Exact phrases first; then the term index's score; then corpus order, so ties are stable.
  buckets.sort((a, b) => Number(b.exact) - Number(a.exact) || b.score - a.score || a.first - b.first);
  return hitsOf(d, q, buckets);
}

/** The sentences the term index scores for the query (for ours, only for its rarer terms). */
function scoredSentences(d: IndexData, q: Query, exactDocs: Set<number> | null, phrasesOnly: boolean): Scored[] {
  const chosen = d.kind === 'chinese' ? rarestTerms(d, q.terms) : null;
  // Terms no sentence has count against a passage; terms left out for being common do not.
  const weighed = chosen === null ? 0 : [...new Set(q.terms)].filter((t) => dfOf(d, t) === undefined || chosen.includes(t)).length;
  // Matching one common bigram of a long query is no hit: demand a share of its terms.
  const covers = (r: Scored) => weighed < 3 || r.matched >= weighed * MIN_COVERAGE;
  const scoped = (r: Scored) => q.allowed === null || countInScope(d, r.id, q.inScope, 1) > 0;
  const filter = (r: Scored) => covers(r) && scoped(r);
  if (chosen === null) return d.engine.search(q.text, { filter });
  // With this many sentences holding the phrase, nobody reads past them: they are listed in
  // corpus order and the term index is not asked at all.
  if ((exactDocs?.size ?? 0) >= EXACT_ENOUGH || chosen.length === 0) return [];
  const boostDocument = phrasesOnly && exactDocs !== null ? (id: number) => (exactDocs.has(id) || endsWithStartOf(d, id, q.phrase) ? 1 : 0) : undefined;
  // One search, the coverage demand applied to its results afterwards: a question whose
  // function words (…发挥了什么作用？) are in no essay covers too little of itself anywhere,
  // and then the passages closest to what the essays do hold are better than nothing. They
  // come ranked, so the best few suffice.
  const all = d.engine.search(chosen, { filter: scoped, ...(boostDocument ? { boostDocument } : {}) });
  const covered = all.filter(covers);
  return covered.length > 0 || phrasesOnly ? covered : all.slice(0, CLOSEST_WITHOUT_COVERAGE);
}

/** The scored sentences as ranked groups of occurrences in scope, phrase windows found. */
function bucketsOf(d: IndexData, q: Query, results: Scored[], exact: Set<number>, phrasesOnly: boolean): Bucket[] {
  const buckets: Bucket[] = [];
  for (const r of results) {
    const id = r.id as number;
    const all = unitsOfDoc(d, id);
    const scoped = q.allowed === null ? all : all.filter(q.inScope);
    if (scoped.length === 0) continue;
    if (exact.has(id)) {
      buckets.push({ exact: true, score: r.score, first: scoped[0] as number, units: scoped });
      continue;
    }
    // The phrase may begin in this sentence and end in the next one or two. Only a
    // sentence that ends with the phrase's beginning can start such a window, which is
    // checked once for the text before looking at any occurrence.
    if (!endsWithStartOf(d, id, q.phrase)) {
      if (!phrasesOnly) buckets.push({ exact: false, score: r.score, first: scoped[0] as number, units: scoped });
      continue;
    }
    const rest: number[] = [];
    for (const u of scoped) {
      const last = windowEnd(d, u, q.phrase);
      if (last === null) rest.push(u);
      else buckets.push({ exact: true, score: r.score, first: u, units: [u], windowEnd: last });
    }
    if (rest.length > 0 && !phrasesOnly) buckets.push({ exact: false, score: r.score, first: rest[0] as number, units: rest });
  }
  return buckets;
}

/**
 * A phrase the terms cannot reach (one character at the end of a word, `战。`) is still
 * found by the scan; it ranks after the phrases the term index scored. They come in corpus
 * order, and no more of them are needed than the limit.
 */
function unscoredPhrases(d: IndexData, q: Query, exact: Set<number>, scored: Set<number>): Bucket[] {
  const buckets: Bucket[] = [];
  let unscored = 0;
  for (const id of exact) {
    if (unscored >= q.limit) break;
    if (scored.has(id)) continue;
    const all = unitsOfDoc(d, id);
    const scoped = q.allowed === null ? all : all.filter(q.inScope);
    if (scoped.length === 0) continue;
    buckets.push({ exact: true, score: 0, first: scoped[0] as number, units: scoped });
    unscored += scoped.length;
  }
  return buckets;
}

/** The ranked buckets' occurrences as hits, up to the limit. */
function hitsOf(d: IndexData, q: Query, buckets: Bucket[]): PassageHit[] {
  const hits: PassageHit[] = [];
  for (const bucket of buckets) {
    for (const u of bucket.units) {
      if (hits.length >= q.limit) return hits;
      hits.push(makeHit(d, u, bucket.windowEnd ?? u, bucket.exact, bucket.score, q.phrase, q.terms));
    }
  }
  return hits;
}

/**
 * The query terms the term index is asked for: the rarest first, as long as their postings
 * stay within a budget, and always the rarest one. A term most sentences have (人工 in a
 * corpus on artificial intelligence) ranks almost nothing and would cost a pass over most
 * of the index; the phrase scan still finds the sentences that hold the whole query.
 */
function rarestTerms(d: IndexData, terms: string[]): string[] {
  // Each term's frequency asked once: over segments it is a look-up in each, and a sort
  // comparing by it asked for it twice per comparison (3x slower /verify at 1000x).
  const frequency = new Map<string, number>();
  for (const t of new Set(terms)) {
    const n = dfOf(d, t);
    if (n !== undefined) frequency.set(t, n);
  }
  const known = [...frequency.keys()].sort((a, b) => (frequency.get(a) as number) - (frequency.get(b) as number));
  const chosen: string[] = [];
  let cost = 0;
  for (const term of known) {
    const n = frequency.get(term) as number;
    if (chosen.length > 0 && cost + n > POSTINGS_BUDGET) break;
    chosen.push(term);
    cost += n;
  }
  return chosen;
}

/**
 * The distinct sentences holding the phrase, by a scan of all their folded texts joined
 * in one string: exact matches must never depend on how the query was tokenized, and
 * native indexOf over the distinct text of even a large corpus takes milliseconds.
 */
function docsHolding(d: IndexData, phrase: string): Set<number> {
  // A command that asks for the phrase hits first and then, finding none, for the closest
  // passages scans for the same phrase twice in a row; the scan is milliseconds at scale.
  if (d.lastScan?.phrase === phrase) return d.lastScan.found;
  const found = new Set<number>();
  // Part after part: the docs come in corpus order all the same.
  for (const { arrays, joinedBytes: bytes, doc0 } of d.parts) {
    const { docStarts } = arrays;
    // Byte offsets: a UTF-16 search finds only whole code units, at even offsets.
    for (let at = bytes.indexOf(phrase, 0, 'utf16le'); at !== -1; at = bytes.indexOf(phrase, at + 2, 'utf16le')) {
      const doc = docAt(docStarts, at / 2);
      found.add(doc0 + doc);
      // Skip the rest of this sentence: it is found already.
      at = ((docStarts[doc + 1] as number) - 1) * 2;
    }
  }
  d.lastScan = { phrase, found };
  return found;
}

function docAt(docStarts: Uint32Array, offset: number): number {
  let lo = 0;
  let hi = docStarts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((docStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The last sentence of the window from unit `u` (at most MAX_WINDOW) that holds the phrase, if any. */
function windowEnd(d: IndexData, u: number, phrase: string): number | null {
  const head = compactText(d, docOfUnit(d, u));
  let joined = head;
  let last = u;
  for (let k = 1; k < MAX_WINDOW; k++) {
    const next = unitAfter(d, last);
    if (next === -1) return null;
    last = next;
    joined += compactText(d, docOfUnit(d, last));
    const at = joined.indexOf(phrase);
    if (at !== -1) return at < head.length ? last : null;
  }
  return null;
}

/** The hit of units `u` to `last` (a window's last sentence, in the same paragraph; or `u` itself). */
function makeHit(d: IndexData, u: number, last: number, exact: boolean, score: number, phrase: string, terms: string[]): PassageHit {
  const { units, unit0, essay0 } = partOfUnit(d, u);
  const p = units.paragraph[u - unit0] as number;
  const paragraph = paragraphAt(units, p);
  const start = units.start[u - unit0] as number;
  const end = units.end[last - unit0] as number;
  let matches: Array<[number, number]> | null = null;
  // Spans are worked out only for the hits a command reads, not for every result.
  return {
    essay: d.essays[essay0 + (units.essayOf[p] as number)] as Essay,
    section: units.sections[p] as Section,
    paragraph,
    start,
    end,
    exact,
    score,
    get matches() {
      matches ??= exact ? phraseSpans(d, paragraph, start, end, phrase) : termSpans(d, paragraph, start, end, terms);
      return matches;
    },
  };
}

function phraseSpans(d: IndexData, p: Paragraph, start: number, end: number, phrase: string): Array<[number, number]> {
  const f = foldedOf(d, p, 'compact');
  return occurrences(f.text, phrase)
    .map((at) => sourceSpan(f, at, at + phrase.length))
    .filter(([a, b]) => a < end && b > start)
    .map(([a, b]) => [Math.max(a, start), Math.min(b, end)] as [number, number]);
}

function termSpans(d: IndexData, p: Paragraph, start: number, end: number, terms: string[]): Array<[number, number]> {
  const f = foldedOf(d, p, 'plain');
  const long = terms.filter((t) => !isSingleHan(t));
  // A single character is highlighted only when it is all the query has.
  const wanted = new Set(long.length > 0 ? long : terms);
  const spans: Array<[number, number]> = [];
  for (const term of wanted) {
    for (const at of occurrences(f.text, term)) {
      const [a, b] = sourceSpan(f, at, at + term.length);
      if (a >= start && b <= end) spans.push([a, b]);
    }
  }
  return mergeSpans(spans);
}

/** How many occurrences in scope the sentences `ids` have, counted up to `enough`. */
function scopedCountOf(d: IndexData, ids: Set<number>, inScope: (u: number) => boolean, enough: number): number {
  let n = 0;
  for (const id of ids) {
    n += countInScope(d, id, inScope, enough - n);
    if (n >= enough) return n;
  }
  return n;
}

/**
 * True when doc `id`'s compact text ends with a proper beginning of `phrase` (`…达成共识` and `共识上游`).
 * Compared in place: it runs for every sentence the term index returns, thousands a query on a
 * large corpus, and a slice of the phrase for each length tried was megabytes of garbage a
 * query, made while the term index's results were still held.
 */
function endsWithStartOf(d: IndexData, id: number, phrase: string): boolean {
  const p = partOfDoc(d, id);
  const text = p.arrays.joined;
  const [from, to] = compactSpan(p, id);
  // Only the doc's own last characters are looked at: an indexOf would run on through the
  // whole corpus's text whenever they do not hold the phrase's first character.
  const first = phrase.charCodeAt(0);
  for (let at = Math.max(from, to - phrase.length + 1); at < to; at++) {
    if (text[at] !== first) continue;
    let k = 1;
    while (at + k < to && text[at + k] === phrase.charCodeAt(k)) k++;
    if (at + k === to) return true;
  }
  return false;
}

function clip(text: string): string {
  return text.length <= CHOICE_TEXT_MAX ? text : `${text.slice(0, CHOICE_TEXT_MAX - 1)}…`;
}

/** Sorted, with overlapping or touching spans joined. */
export function mergeSpans(spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Every author of the corpus once, in corpus order, with all their essays. */
function collectAuthors(essays: Essay[]): AuthorRecord[] {
  return runSteps(authorSteps(essays));
}

/** The corpus's authors, an essay a step: their pinyin is worked out here, a few milliseconds an essay at worst. */
function* authorSteps(essays: Essay[]): Generator<void, AuthorRecord[], void> {
  const byName = new Map<string, AuthorRecord>();
  for (const essay of essays) {
    for (const author of essay.authors) {
      const folded = compactOf(foldText(author.name));
      let record = byName.get(folded);
      if (!record) {
        record = {
          entry: { name: author.name, affiliation: author.affiliation, pinyin: pinyinLabel(author.name), essays: [] },
          folded,
          keys: nameKeys(author.name),
        };
        byName.set(folded, record);
      }
      record.entry.affiliation ??= author.affiliation;
      record.entry.essays.push(essay);
    }
    yield;
  }
  return [...byName.values()];
}
