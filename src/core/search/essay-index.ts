import { createRequire } from 'node:module';
import type MiniSearch from 'minisearch';
import type { AsPlainObject, Options, SearchOptions, SearchResult } from 'minisearch';
import type { Essay } from '../corpus/model.js';
import { nameKeys, pinyinLabel } from '../corpus/names.js';
import { foldText } from './fold.js';
import type { AuthorEntry, AuthorHit, EssayHit } from './search.js';
import { runSteps, runStepsInTurns } from './steps.js';
import { LATIN_WORD, termsOfFolded } from './tokenize.js';

/**
 * Finding essays, not passages: a MiniSearch index whose documents are whole essays (title,
 * authors and their pinyin, keywords, abstract, headings, the English title, abstract and
 * keywords) and the corpus's authors (name and pinyin), in one index so that `/essays`, the
 * `essay` option's autocomplete and the `author` option's rank alike. Passage search has its
 * own postings (postings.ts) because it indexes every sentence of the corpus; an archive has
 * only thousands of essays, and MiniSearch's prefix and fuzzy search are what finding a title
 * half typed, or an English word misspelt, needs.
 *
 * Terms are the passage index's (tokenize.ts): text folded (NFKC, lower case, Traditional to
 * Simplified), Han runs cut into bigrams and long words, Latin words whole, here with their
 * tone marks dropped too, so that `Chén` finds `chen`. Only Latin terms are matched by prefix
 * and fuzzily; a lone Han character is matched by prefix, since it is what one types first.
 */

/*
 * MiniSearch, loaded when an essay index is first built: a CLI answer, or a console that
 * never asks for an essay, does without it (a megabyte of RSS and its parse), as with
 * pinyin-pro (pinyin.ts). Its CommonJS build, which the bundle leaves in node_modules.
 */
const require = createRequire(import.meta.url);
let miniSearchClass: typeof MiniSearch | undefined;
function miniSearch(): typeof MiniSearch {
  miniSearchClass ??= require('minisearch') as typeof MiniSearch;
  return miniSearchClass;
}

/** A document by its number: essay `i` is `i`, author `i` is `essays.length + i`. */
type Doc = { id: number };

/** The fields and how much a match in each weighs against one in an abstract. */
const BOOST = {
  title: 3,
  authors: 2,
  pinyin: 2,
  keywords: 1.5,
  englishTitle: 2,
  englishKeywords: 1.5,
  headings: 1,
  abstract: 1,
  englishAbstract: 1,
  slug: 1,
} as const;
type Field = keyof typeof BOOST;
const FIELDS = Object.keys(BOOST) as Field[];

/**
 * Share of a query's distinct terms an essay must hold, for a query of three terms or more:
 * an OR of a long Chinese query's bigrams would otherwise list every essay sharing one common
 * bigram (治理, 人工) with it. The passage search demands the same share (corpus-index.ts).
 */
const MIN_COVERAGE = 0.34;

/** Fuzziness of a Latin term of at least FUZZY_MIN letters: MiniSearch allows round(0.2 × length) edits. */
const FUZZY = 0.2;
const FUZZY_MIN = 4;
/** The shortest Latin term matched as a prefix: one letter would match most of an English abstract. */
const PREFIX_MIN = 2;

const HAN = /\p{Script=Han}/u;
const HAN_ONLY = /^\p{Script=Han}+$/u;

/** What a part after this one scores with: its documents' count and its fields' mean lengths. */
interface EssayStats {
  count: number;
  average: number[];
}

/** Each essay index's stats, for a part built after it (essayIndexAfter). */
const statsOf = new WeakMap<EssayIndex, EssayStats>();

function withStats(index: EssayIndex, stats: EssayStats): EssayIndex {
  statsOf.set(index, stats);
  return index;
}

export interface EssayIndex {
  /** Essays ranked for `query`, best first, ties in corpus order; [] for a query without words. */
  essays(query: string, limit?: number): EssayHit[];
  /** Authors ranked for a name (Chinese, Traditional, pinyin in either order, or part of one). */
  authors(query: string, limit?: number): AuthorHit[];
}

/**
 * Terms of a text as both the index and the queries cut it. A build passes a cache of the Han
 * runs it has cut, as the passage index's does: headings and titles repeat words (结语, a
 * symposium's theme), and Intl.Segmenter is most of the cost.
 */
export function essayTerms(text: string, runs?: Map<string, string[]>): string[] {
  const folded = foldText(text);
  // Tone marks off Latin words only: NFD of a Han character is itself, but there is no need to ask.
  const latin = HAN.test(folded) ? folded.replace(LATIN_WORD, stripMarks) : stripMarks(folded);
  return termsOfFolded(latin, runs);
}

function stripMarks(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** Text of one field of an essay; `pinyinOf` gives a name's (pinyinWords), remembered by the build. */
function essayField(essay: Essay, field: Field, pinyinOf: (name: string) => string): string {
  switch (field) {
    case 'title':
      return essay.title;
    case 'authors':
      return essay.kind === 'editors-note' ? '编者 editors' : essay.authors.map((a) => a.name).join(' ');
    case 'pinyin':
      return essay.authors.map((a) => pinyinOf(a.name)).join(' ');
    case 'keywords':
      return essay.keywords.join(' ');
    case 'abstract':
      return essay.abstract ?? partText(essay, 'abstract');
    case 'headings':
      return essay.sections.flatMap((s) => (s.heading !== null && s.part === 'body' ? [s.heading] : [])).join('\n');
    case 'englishTitle':
      return essay.english?.title ?? '';
    case 'englishAbstract':
      return essay.english?.abstract ?? partText(essay, 'english');
    case 'englishKeywords':
      return essay.english?.keywords.join(' ') ?? '';
    case 'slug':
      return essay.id.replace(/[-_.]/gu, ' ');
  }
}

/**
 * The text of an essay's abstract sections. The parser prints an abstract both as front matter
 * and as a section (model.ts); the front matter is read when there is some, so that its
 * terms are not counted twice.
 */
function partText(essay: Essay, part: 'abstract' | 'english'): string {
  return essay.sections
    .filter((s) => s.part === part)
    .flatMap((s) => s.paragraphs.map((p) => p.text))
    .join('\n');
}

/** A name's pinyin as words (`chen zhimin`) and run together in both orders (`chenzhimin`, `zhiminchen`). */
function pinyinWords(name: string): string {
  return [pinyinLabel(name), ...nameKeys(name)].join(' ');
}

/** The essay index over a MiniSearch index built by essayMiniSearch. */
function essayIndexOver(ms: MiniSearch<Doc>, essays: readonly Essay[], authors: readonly AuthorEntry[]): EssayIndex {
  const essayCount = essays.length;
  return {
    essays: (query, limit) => ranked(ms, query, (id) => id < essayCount, limit).map((r) => ({ essay: essays[r.id] as Essay, score: r.score, terms: r.terms })),
    authors: (query, limit) =>
      ranked(ms, query, (id) => id >= essayCount, limit, ['authors', 'pinyin']).map((r) => ({
        author: authors[r.id - essayCount] as AuthorEntry,
        score: r.score,
      })),
  };
}

/**
 * Builds the essay index. `authors` is the corpus's authors in corpus order (the passage
 * index works them out once; they are only read here).
 */
export function createEssayIndex(essays: readonly Essay[], authors: readonly AuthorEntry[]): EssayIndex {
  const ms = essayMiniSearch(essays, authors, 'add');
  return withStats(essayIndexOver(ms, essays, authors), statsOfSearch(ms));
}

/** How long a slice of an essay index (or the authors) built in the background holds the event loop, ms. */
export const SLICE_MS = 8;

/**
 * The same index, built a slice at a time with the event loop free between slices, for a bot
 * that serves while it warms the index: on the 2,000-essay archive the build takes about half
 * a second, which a first `/essays` or autocomplete would otherwise wait for, and every other
 * answer with it.
 */
export async function createEssayIndexInSlices(essays: readonly Essay[], authors: readonly AuthorEntry[]): Promise<EssayIndex> {
  const { options, count, done } = essayBuild(essays, authors);
  const ms = await runStepsInTurns(added(new (miniSearch())<Doc>(options), count), SLICE_MS);
  done();
  return withStats(essayIndexOver(ms, essays, authors), statsOfSearch(ms));
}

/**
 * MiniSearch's own `add`, a document a step. Building the serialised form and loading it
 * (`essayMiniSearch(…, 'load')`) takes about half the time, but holds every term's records until
 * the load has read them: the first /essays raised the peak RSS by 31–42 MB at 1000× the
 * bundled essays and 37 MB on the archive, against 0–2 MB with `add` (0.45 s against 0.91 s on
 * the archive; a live bot builds it in the background at start).
 */
function* added(ms: MiniSearch<Doc>, count: number): Generator<void, MiniSearch<Doc>, void> {
  for (let id = 0; id < count; id++) {
    ms.add({ id });
    yield;
  }
  return ms;
}

/** The document count and mean field lengths MiniSearch keeps (its `_avgFieldLength`, as its own `toJSON` gives it). */
function statsOfSearch(ms: MiniSearch<Doc>): EssayStats {
  const average = (ms as unknown as { _avgFieldLength?: unknown })._avgFieldLength;
  if (!Array.isArray(average) || average.length !== FIELDS.length) throw new Error('essay index: MiniSearch no longer keeps _avgFieldLength as 7.2 does');
  return { count: ms.documentCount, average: [...(average as number[])] };
}

/**
 * A team's essay index: the operator's, shared as it is (never built again for a team), and a
 * small one of the team's own essays and their authors, scored with the document count and
 * mean field lengths of both, so that the two rank alike; the hits are merged by score. An
 * author in both is one hit (`authorOf` gives the entry of the team's whole corpus).
 * `rank` breaks ties in corpus order.
 */
export function essayIndexAfter(
  base: EssayIndex,
  essays: readonly Essay[],
  authors: readonly AuthorEntry[],
  rank: { essay(e: Essay): number; author(a: AuthorEntry): AuthorEntry | undefined; authorRank(a: AuthorEntry): number },
): EssayIndex {
  const prior = statsOf.get(base);
  if (!prior) throw new Error('essayIndexAfter: a base index this module did not build');
  const own = essayIndexOver(essayMiniSearch(essays, authors, 'load', prior), essays, authors);
  return {
    essays(query, limit) {
      const hits = [...base.essays(query, limit), ...own.essays(query, limit)];
      return hits.sort((a, b) => b.score - a.score || rank.essay(a.essay) - rank.essay(b.essay)).slice(0, limit);
    },
    authors(query, limit) {
      const best = new Map<AuthorEntry, number>();
      for (const hit of [...base.authors(query, limit), ...own.authors(query, limit)]) {
        const author = rank.author(hit.author) ?? hit.author;
        best.set(author, Math.max(best.get(author) ?? Number.NEGATIVE_INFINITY, hit.score));
      }
      return [...best]
        .map(([author, score]) => ({ author, score }))
        .sort((a, b) => b.score - a.score || rank.authorRank(a.author) - rank.authorRank(b.author))
        .slice(0, limit);
    },
  };
}

/**
 * The MiniSearch index of the essays, then the authors (document `essays.length + i` is
 * author `i`), built either way: `add` (what the bot builds, see `added`) walks the radix tree
 * once per term occurrence; `load` builds MiniSearch's serialised form and loads it with
 * `loadJS`, once per distinct term, in half the time but with every term's records held until
 * the load ends. A team's own part is built this way (`essayIndexAfter`), with `prior`, the
 * counts of the part before it, in its serialised form; the two are proved alike in
 * essay-index.test.ts.
 */
export function essayMiniSearch(essays: readonly Essay[], authors: readonly AuthorEntry[], how: 'add' | 'load', prior?: EssayStats): MiniSearch<Doc> {
  const { options, count, steps, done } = essayBuild(essays, authors, prior);
  if (how === 'add') {
    const ms = runSteps(added(new (miniSearch())<Doc>(options), count));
    done();
    return ms;
  }
  return miniSearch().loadJS<Doc>(runSteps(steps), options);
}

/** MiniSearch's options for the essay index, and the steps that make its serialised form, a document a step. */
function essayBuild(
  essays: readonly Essay[],
  authors: readonly AuthorEntry[],
  prior?: EssayStats,
): { options: Options<Doc>; count: number; steps: Generator<void, AsPlainObject, void>; done: () => void } {
  const essayCount = essays.length;
  // Bounded by the tokenizer (RUN_CACHE_MAX), and dropped with the build.
  const runs = new Map<string, string[]>();
  // An author's pinyin is asked for by each of their essays and by their own document.
  const pinyin = new Map<string, string>();
  const pinyinOf = (name: string): string => {
    const known = pinyin.get(name);
    if (known !== undefined) return known;
    const words = pinyinWords(name);
    pinyin.set(name, words);
    return words;
  };
  const fieldOf = (id: number, field: Field): string => {
    if (id < essayCount) return essayField(essays[id] as Essay, field, pinyinOf);
    const author = authors[id - essayCount] as AuthorEntry;
    if (field === 'authors') return author.name;
    return field === 'pinyin' ? pinyinOf(author.name) : '';
  };
  const options: Options<Doc> = {
    fields: FIELDS,
    // Documents carry only their number: the text is read from the essays, not copied.
    extractField: (doc, field) => (field === 'id' ? doc.id : fieldOf(doc.id, field as Field)),
    tokenize: (text) => essayTerms(text, runs),
    // Terms arrive folded; MiniSearch's default would only lower-case them again.
    processTerm: (term) => term,
  };
  const count = essayCount + authors.length;
  function* steps(): Generator<void, AsPlainObject, void> {
    const plain = yield* serialised(count, (id, field) => essayTerms(fieldOf(id, field), runs), prior);
    // The cut runs served the build; the index keeps only its terms.
    runs.clear();
    return plain;
  }
  // After an `add` build: the cut runs served it, the index keeps only its terms.
  return { options, count, steps: steps(), done: () => runs.clear() };
}

/**
 * What `add` would make of `count` documents, as MiniSearch serialises it: each field's terms
 * with their frequency per document, each document's field lengths in distinct terms, and
 * their running means, a field with no text counting as length 0 (as `add` counts it).
 */
function* serialised(count: number, termsOf: (id: number, field: Field) => string[], prior?: EssayStats): Generator<void, AsPlainObject, void> {
  const index = new Map<string, Record<number, Record<number, number>>>();
  const documentIds: Record<number, number> = {};
  const fieldLength: Record<number, number[]> = {};
  const average = FIELDS.map(() => 0);
  for (let id = 0; id < count; id++) {
    const lengths: number[] = [];
    FIELDS.forEach((field, fieldId) => {
      const terms = termsOf(id, field);
      for (const term of terms) {
        let entry = index.get(term);
        if (entry === undefined) {
          entry = {};
          index.set(term, entry);
        }
        entry[fieldId] ??= {};
        const docs = entry[fieldId];
        docs[id] = (docs[id] ?? 0) + 1;
      }
      const length = new Set(terms).size;
      lengths.push(length);
      average[fieldId] = ((average[fieldId] as number) * id + length) / (id + 1);
    });
    documentIds[id] = id;
    fieldLength[id] = lengths;
    yield;
  }
  // A part after another scores with the counts of both: its documents are ranked among the
  // other's as one index of all of them would rank them (but for each term's document count).
  const total = count + (prior?.count ?? 0);
  const mean = prior ? average.map((a, i) => (a * count + (prior.average[i] ?? 0) * prior.count) / Math.max(total, 1)) : average;
  return {
    documentCount: total,
    nextId: count,
    documentIds,
    fieldIds: Object.fromEntries(FIELDS.map((f, i) => [f, i])),
    fieldLength,
    averageFieldLength: mean,
    storedFields: {},
    dirtCount: 0,
    // loadJS reads the entries once, in order, with for…of.
    index: index.entries() as unknown as AsPlainObject['index'],
    serializationVersion: 2,
  };
}

function searchOptions(fields: Field[] | undefined, filter: (result: SearchResult) => boolean): SearchOptions {
  return {
    ...(fields ? { fields } : {}),
    boost: BOOST,
    tokenize: essayTerms,
    processTerm: (term) => term,
    prefix: (term) => (HAN_ONLY.test(term) ? term.length === 1 : term.length >= PREFIX_MIN),
    fuzzy: (term) => (!HAN_ONLY.test(term) && term.length >= FUZZY_MIN ? FUZZY : false),
    filter,
  };
}

function ranked(
  ms: MiniSearch<Doc>,
  query: string,
  kind: (id: number) => boolean,
  limit = Number.POSITIVE_INFINITY,
  fields?: Field[],
): Array<{ id: number; score: number; terms: string[] }> {
  const terms = new Set(essayTerms(query));
  if (terms.size === 0 || limit <= 0) return [];
  // `queryTerms` are the query's own terms, however they matched (`terms` are the index's,
  // `climate` for `clim`): coverage counts the query's.
  const covers = (r: SearchResult) => terms.size < 3 || r.queryTerms.length >= terms.size * MIN_COVERAGE;
  const results = ms.search(
    query,
    searchOptions(fields, (r) => kind(r.id as number) && covers(r)),
  );
  return results
    .map((r) => ({ id: r.id as number, score: r.score, terms: r.queryTerms }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, limit);
}
