import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { fold, foldText, occurrences, sourceSpan, type Folded } from './fold.js';
import { essaysOf, type Corpus, type Essay, type Paragraph, type Section } from './model.js';
import { nameMatches, pinyinLabel } from './names.js';
import { essaysMatching, type AuthorEntry, type Choice, type CorpusIndex, type PassageHit, type SearchFilters } from './search.js';
import { isSingleHan, tokenize } from './tokenize.js';

/**
 * The search index. MiniSearch documents are sentences (the unit a quote is cut from); a
 * phrase that runs across a sentence end is found as a window of up to three sentences.
 * MiniSearch ranks by BM25 over words and character bigrams (see tokenize.ts); on top of
 * that, a passage holding the whole query as a phrase (folded, spaces and punctuation
 * ignored) ranks before every passage that does not.
 */

export type TokenizerKind = 'chinese' | 'minisearch-default';

export interface IndexOptions {
  /** `minisearch-default` is MiniSearch's own tokenizer: the benchmark's baseline. */
  tokenizer?: TokenizerKind;
}

/** A sentence of the corpus: the unit MiniSearch indexes. */
interface Unit {
  essay: number;
  section: Section;
  paragraph: Paragraph;
  start: number;
  end: number;
  /** Folded text without anything but letters and digits, for the phrase test. */
  compact: string;
  /** The next sentence of the same paragraph, or -1. */
  next: number;
}

/** The longest run of sentences a phrase match may span. */
const MAX_WINDOW = 3;

/** Autocomplete lists are capped by Discord at 25 choices of at most 100 characters. */
const CHOICES_MAX = 25;
const CHOICE_TEXT_MAX = 100;

/** Share of the query's distinct terms a passage must hold to be a hit at all. */
const MIN_COVERAGE = 0.34;

type Doc = { id: number; text: string };

function compactOf(folded: string): string {
  return folded.replace(/[^\p{L}\p{N}]/gu, '');
}

function miniSearchOptions(kind: TokenizerKind, tokenizeUnit: (text: string) => string[]): Options<Doc> {
  if (kind === 'minisearch-default') return { fields: ['text'] };
  return {
    fields: ['text'],
    tokenize: tokenizeUnit,
    // Terms arrive folded already; MiniSearch's default would only lower-case them again.
    processTerm: (term) => term,
    searchOptions: {
      tokenize,
      processTerm: (term) => term,
      // A single character is searched as the start of the bigrams it begins.
      prefix: (term) => isSingleHan(term),
    },
  };
}

function buildUnits(essays: Essay[]): { units: Unit[]; texts: string[] } {
  const units: Unit[] = [];
  const texts: string[] = [];
  // Repeated sentences (a corpus built from copies, or quotations of the same law) are folded once.
  const compactCache = new Map<string, string>();
  essays.forEach((essay, e) => {
    for (const section of essay.sections) {
      for (const paragraph of section.paragraphs) {
        const spans = paragraph.sentences.length > 0 ? paragraph.sentences : [{ start: 0, end: paragraph.text.length }];
        spans.forEach((s, k) => {
          const text = paragraph.text.slice(s.start, s.end);
          let compact = compactCache.get(text);
          if (compact === undefined) {
            compact = compactOf(foldText(text));
            compactCache.set(text, compact);
          }
          units.push({ essay: e, section, paragraph, start: s.start, end: s.end, compact, next: k + 1 < spans.length ? units.length + 1 : -1 });
          texts.push(text);
        });
      }
    }
  });
  return { units, texts };
}

/** Builds the index of a corpus. */
export function createIndex(corpus: Corpus, options: IndexOptions = {}): CorpusIndex {
  return assemble(corpus, options.tokenizer ?? 'chinese', null);
}

/** MiniSearch's serialised index, for a cache keyed by the corpus version. */
export function serializeIndex(index: CorpusIndex): string {
  const inner = internals.get(index);
  if (!inner) throw new Error('serializeIndex: not an index made by createIndex');
  return JSON.stringify(inner);
}

/** Rebuilds an index from `serializeIndex` output for the same corpus version. */
export function loadIndex(corpus: Corpus, json: string, options: IndexOptions = {}): CorpusIndex {
  return assemble(corpus, options.tokenizer ?? 'chinese', json);
}

const internals = new WeakMap<CorpusIndex, MiniSearch<Doc>>();

function assemble(corpus: Corpus, kind: TokenizerKind, json: string | null): CorpusIndex {
  const essays = essaysOf(corpus);
  const { units, texts } = buildUnits(essays);

  const termCache = new Map<string, string[]>();
  const tokenizeUnit = (text: string): string[] => {
    let terms = termCache.get(text);
    if (!terms) {
      terms = tokenize(text);
      termCache.set(text, terms);
    }
    return terms;
  };
  const msOptions = miniSearchOptions(kind, tokenizeUnit);
  let ms: MiniSearch<Doc>;
  if (json !== null) {
    ms = MiniSearch.loadJSON<Doc>(json, msOptions);
  } else {
    ms = new MiniSearch<Doc>(msOptions);
    ms.addAll(texts.map((text, id) => ({ id, text })));
  }
  termCache.clear();

  const authors = collectAuthors(essays);
  const essayNumber = new Map(essays.map((e, i) => [e, i]));
  const foldedParagraphs = new WeakMap<Paragraph, { plain: Folded; compact: Folded }>();
  const foldedOf = (p: Paragraph) => {
    let f = foldedParagraphs.get(p);
    if (!f) {
      f = { plain: fold(p.text), compact: fold(p.text, { compact: true }) };
      foldedParagraphs.set(p, f);
    }
    return f;
  };

  function findAuthors(name: string): AuthorEntry[] {
    if (name.trim() === '') return authors;
    return authors.filter((a) => nameMatches(name, a.name));
  }

  function findEssays(query: string): Essay[] {
    const q = compactOf(foldText(query));
    if (q === '') return essays;
    const byId = essays.filter((e) => e.id.toLowerCase() === query.trim().toLowerCase());
    if (byId.length > 0) return byId;
    return essays.filter((e) => compactOf(foldText(e.title)).includes(q) || compactOf(e.id).includes(q));
  }

  function essaysFor(filters: SearchFilters): Set<number> | null {
    if (!filters.author?.trim() && !filters.essay?.trim()) return null;
    return new Set(essaysMatching(index, filters).map((e) => essayNumber.get(e) as number));
  }

  function search(query: string, filters: SearchFilters = {}): PassageHit[] {
    const phrase = compactOf(foldText(query));
    if (phrase === '') return [];
    const allowed = essaysFor(filters);
    if (allowed !== null && allowed.size === 0) return [];
    const queryTerms = kind === 'chinese' ? tokenize(query) : [];
    const distinct = new Set(kind === 'chinese' ? queryTerms : []);
    const results: SearchResult[] = ms.search(query, {
      filter: (r) => {
        if (allowed !== null && !allowed.has((units[r.id as number] as Unit).essay)) return false;
        // Matching one common bigram of a long query is no hit: demand a share of its terms.
        return distinct.size < 3 || r.queryTerms.length >= distinct.size * MIN_COVERAGE;
      },
    });

    const seen = new Set<string>();
    const hits: PassageHit[] = [];
    for (const r of results) {
      const id = r.id as number;
      const unit = units[id] as Unit;
      const window = phraseWindow(id, phrase);
      const first = window === null ? unit : (units[window.first] as Unit);
      const last = window === null ? unit : (units[window.last] as Unit);
      const key = `${unit.paragraph.id}:${first.start}:${last.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push(makeHit(unit, first.start, last.end, window !== null, r.score, phrase, queryTerms));
    }
    // Exact phrases first; then MiniSearch's score; then corpus order, so ties are stable.
    const order = new Map(hits.map((h, i) => [h, i]));
    hits.sort((a, b) => Number(b.exact) - Number(a.exact) || b.score - a.score || (order.get(a) as number) - (order.get(b) as number));
    return hits;
  }

  /** The run of sentences from `id` (at most MAX_WINDOW) that first holds the phrase, if any. */
  function phraseWindow(id: number, phrase: string): { first: number; last: number } | null {
    const unit = units[id] as Unit;
    if (unit.compact.includes(phrase)) return { first: id, last: id };
    // A phrase running across a sentence end starts in this sentence and ends in a later one.
    let joined = unit.compact;
    let last = id;
    for (let k = 1; k < MAX_WINDOW; k++) {
      const next = (units[last] as Unit).next;
      if (next === -1) break;
      last = next;
      joined += (units[last] as Unit).compact;
      const at = joined.indexOf(phrase);
      if (at !== -1) return at < unit.compact.length ? { first: id, last } : null;
    }
    return null;
  }

  function makeHit(unit: Unit, start: number, end: number, exact: boolean, score: number, phrase: string, terms: string[]): PassageHit {
    const essay = essays[unit.essay] as Essay;
    let matches: Array<[number, number]> | null = null;
    // Spans are worked out only for the hits a command shows, not for every result.
    const hit: PassageHit = {
      essay,
      section: unit.section,
      paragraph: unit.paragraph,
      start,
      end,
      exact,
      score,
      get matches() {
        matches ??= exact ? phraseSpans(unit.paragraph, start, end, phrase) : termSpans(unit.paragraph, start, end, terms);
        return matches;
      },
    };
    return hit;
  }

  function phraseSpans(p: Paragraph, start: number, end: number, phrase: string): Array<[number, number]> {
    const f = foldedOf(p).compact;
    return occurrences(f.text, phrase)
      .map((at) => sourceSpan(f, at, at + phrase.length))
      .filter(([a, b]) => a < end && b > start)
      .map(([a, b]) => [Math.max(a, start), Math.min(b, end)] as [number, number]);
  }

  function termSpans(p: Paragraph, start: number, end: number, terms: string[]): Array<[number, number]> {
    const f = foldedOf(p).plain;
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

  function complete(kindOf: 'author' | 'essay', prefix: string, limit = CHOICES_MAX): Choice[] {
    const max = Math.min(Math.max(limit, 0), CHOICES_MAX);
    if (kindOf === 'author') {
      return findAuthors(prefix)
        .slice(0, max)
        .map((a) => ({ name: clip(`${a.name} (${a.pinyin})${a.affiliation ? ` ${a.affiliation}` : ''}`), value: a.name }));
    }
    return findEssays(prefix)
      .slice(0, max)
      .map((e) => ({ name: clip(e.title), value: e.id }));
  }

  const index: CorpusIndex = { version: corpus.version, search, findAuthors, findEssays, complete };
  internals.set(index, ms);
  return index;
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
function collectAuthors(essays: Essay[]): AuthorEntry[] {
  const byName = new Map<string, AuthorEntry>();
  for (const essay of essays) {
    for (const author of essay.authors) {
      const key = foldText(author.name).replace(/\s+/gu, '');
      let entry = byName.get(key);
      if (!entry) {
        entry = { name: author.name, affiliation: author.affiliation, pinyin: pinyinLabel(author.name), essays: [] };
        byName.set(key, entry);
      }
      entry.affiliation ??= author.affiliation;
      entry.essays.push(essay);
    }
  }
  return [...byName.values()];
}
