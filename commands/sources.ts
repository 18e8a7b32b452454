import { z } from 'zod';
import { type Essay, followCitation, type Paragraph, type Section } from '../src/core/corpus/model.js';
import { type NoteRows, noteRows, type ParagraphRows, paragraphRows } from '../src/core/corpus/parsed-file.js';
import type { Command, CommandContext } from '../src/core/dispatch/command.js';
import { queryText } from '../src/core/dispatch/input.js';
import { filterOptions, noMatchMessage } from '../src/core/dispatch/passage-options.js';
import { attributionOf, authorLabel, excerpt, footnotesFor, sentenceAt } from '../src/core/reply/excerpt.js';
import type { Reply, ReplyBlock } from '../src/core/reply/model.js';
import { SourcesResult } from '../src/core/reply/results.js';
import { foldText } from '../src/core/search/fold.js';
import { essaysMatching, type PassageHit, type SearchFilters } from '../src/core/search/search.js';
import { wordsFor } from '../src/core/words/index.js';

const options = z.object({
  query: queryText(200).optional(),
  ...filterOptions,
});

/** A place in the text that cites a note. */
interface Citing {
  essay: Essay;
  section: Section;
  /** Made when read: a source lists a few of its citing places and counts the rest. */
  readonly paragraph: Paragraph;
  paragraphId: string;
  /** The marker's note (a short form or 同上 counts as citing the full note it stands for). */
  note: number;
  offset: number;
}

/** A source in the list: one full citation, the first places that cite it and how many do. */
interface Source {
  essay: Essay;
  number: number;
  text: string;
  urls: string[];
  /** The first CITED_BY_MAX citing places, in reading order. */
  places: Citing[];
  /** Every citing place, counted. */
  count: number;
}

/** Search hits whose notes are listed, when a query finds no exact phrase. */
const CLOSE_HITS_MAX = 5;

/** Exact hits read for a query; on a large corpus a phrase can occur thousands of times. */
const PHRASE_HITS_MAX = 200;

/** Citing places listed under one source; the results count them all. */
const CITED_BY_MAX = 20;

export default {
  name: 'sources',
  words: (locale) => wordsFor(locale).commands.sources,
  options,
  result: SourcesResult,
  positional: 'query',
  run(input, ctx) {
    const filters = { author: input.author, essay: input.essay };
    const base: Reply<never> = {
      command: 'sources',
      title: wordsFor(ctx.locale).commands.sources.title,
      blocks: [],
      actions: [],
      results: [],
      corpusVersion: ctx.corpus.version,
    };
    const grouped = new Grouping();
    const passages = input.query === undefined ? [] : placesFor(input.query, ctx, filters, grouped);
    if (input.query === undefined) allPlaces(ctx, filters, grouped);
    const sources = grouped.sources();
    if (input.query === undefined) addUncited(sources, ctx, filters);
    if (sources.length === 0) {
      const citeNothing = input.query === undefined && essaysIn(ctx, filters).length > 0;
      const uncited = [...new Set(passages.map((h) => h.paragraph.id))].slice(0, CLOSE_HITS_MAX);
      let message = noMatchMessage(ctx, filters);
      if (citeNothing) message = wordsFor(ctx.locale).commands.sources.citeNothing;
      // The words are in the essays; it is the notes that are missing. Say so, and where.
      else if (uncited.length > 0) {
        message = wordsFor(ctx.locale).commands.sources.uncited(uncited);
      }
      return { ...base, message };
    }

    const blocks: ReplyBlock[] = sources.map((s) => ({
      kind: 'note',
      number: s.number,
      text: s.text,
      urls: s.urls,
      essayId: s.essay.id,
      citedBy: s.places.slice(0, CITED_BY_MAX).map((p) => ({ quote: citingQuote(p), attribution: attributionOf(p.essay, p.section, p.paragraph, ctx.locale) })),
    }));
    const results = sources.map((s, i) => {
      const cited = (blocks[i] as Extract<ReplyBlock, { kind: 'note' }>).citedBy;
      const first = cited[0];
      return {
        number: s.number,
        text: s.text,
        urls: s.urls,
        quote: first?.quote ?? null,
        author: first?.attribution.author ?? authorLabel(s.essay, ctx.locale),
        essay: s.essay.title,
        citedBy: cited.map((c) => ({
          quote: c.quote,
          id: c.attribution.passageId,
          author: c.attribution.author,
          essay: c.attribution.essay,
          section: c.attribution.section,
        })),
        citedByCount: s.count,
      };
    });
    const capped = sources.some((s) => s.count > CITED_BY_MAX);
    return {
      ...base,
      // What is counted, said in the title: full citations (one per URL set), and their distinct URLs as /author counts them.
      title: wordsFor(ctx.locale).commands.sources.count(sources.length, new Set(sources.flatMap((s) => s.urls)).size),
      ...(capped ? { message: wordsFor(ctx.locale).commands.sources.citedByMax(CITED_BY_MAX) } : {}),
      blocks,
      results,
    };
  },
} satisfies Command<typeof options, typeof SourcesResult>;

function essaysIn(ctx: CommandContext, filters: SearchFilters): Essay[] {
  return essaysMatching(ctx.index, filters);
}

/**
 * Every marker of the chosen essays, in reading order, added to `grouped`; with `notesOf`, only
 * the markers of the notes it gives for an essay. An essay it gives none for is skipped.
 * Markers are read as rows (paragraphRows), and a place is made only for the first few of a
 * source, which a reply quotes; the rest are counted. On the archive, a place for every marker
 * of the corpus promoted 3 MB to the old generation on each `/sources` without a query.
 */
function allPlaces(ctx: CommandContext, filters: SearchFilters, grouped: Grouping, notesOf?: (essay: Essay) => ReadonlySet<number>): void {
  for (const essay of essaysIn(ctx, filters)) {
    const own = noteRows(essay);
    if (own.to === own.from) continue;
    const notes = notesOf?.(essay);
    if (notes?.size === 0) continue;
    for (const section of essay.sections) {
      const rows = paragraphRows(section);
      for (let k = rows.from; k < rows.to; k++) {
        // Markers side by side (`①②`) share an offset: a place once per source all the same.
        const atOffset: Source[] = [];
        let offset = -1;
        for (const m of rows.markers(k)) {
          if (m.footnote === null || (notes !== undefined && !notes.has(m.footnote))) continue;
          const source = grouped.sourceOf(essay, m.footnote);
          if (source === null) continue;
          if (m.offset !== offset) {
            offset = m.offset;
            atOffset.length = 0;
          }
          if (atOffset.includes(source) || grouped.taken(source, rows, k, m.offset)) continue;
          atOffset.push(source);
          if (grouped.count(source)) source.places.push(new RowPlace(essay, section, k - rows.from, rows.id(k), m.footnote, m.offset));
        }
      }
    }
  }
}

/**
 * A citing place in paragraph `row` of a section, its paragraph made when read. A class: its
 * getter is one on the prototype, not a closure for each place.
 */
class RowPlace implements Citing {
  constructor(
    readonly essay: Essay,
    readonly section: Section,
    private readonly row: number,
    readonly paragraphId: string,
    readonly note: number,
    readonly offset: number,
  ) {}

  get paragraph(): Paragraph {
    return this.section.paragraphs[this.row] as Paragraph;
  }
}

/**
 * Adds the places cited by passages matching the query, then the places citing notes whose own
 * text matches it (`斯坦福`, `mfa.gov.cn`); returns the passages.
 */
function placesFor(query: string, ctx: CommandContext, filters: SearchFilters, grouped: Grouping): PassageHit[] {
  // Passages holding the phrase first: on a large corpus that scores a few sentences, not
  // every one sharing a term with it. The closest ones are looked for only if none does.
  const exact = ctx.index.search(query, filters, { limit: PHRASE_HITS_MAX, exactOnly: true });
  const chosen = exact.length > 0 ? exact : ctx.index.search(query, filters, { limit: CLOSE_HITS_MAX });
  for (const hit of chosen) {
    for (const note of footnotesFor(hit.essay, hit.paragraph, hit.start, hit.end)) {
      const marker = hit.paragraph.markers.find((m) => m.footnote === note.number);
      if (marker)
        grouped.addHit({
          essay: hit.essay,
          section: hit.section,
          paragraph: hit.paragraph,
          paragraphId: hit.paragraph.id,
          note: note.number,
          offset: marker.offset,
        });
    }
  }
  const key = foldText(query).replace(/[^\p{L}\p{N}]/gu, '');
  if (key.length > 0) allPlaces(ctx, filters, grouped, (essay) => notesMatching(essay, key));
  return chosen;
}

/** The numbers of the essay's notes whose citation holds `key` (a marker's number names the first note of it). */
function notesMatching(essay: Essay, key: string): Set<number> {
  const { numbers, text, starts } = noteSearchOf(essay);
  const matching = new Set<number>();
  // Hits come in order, so the entry holding each is found by walking on from the last one's.
  // Offsets in code units; a UTF-16 search finds only whole ones, at even byte offsets.
  let entry = 0;
  for (let at = text.indexOf(key, 0, 'utf16le'); at !== -1; ) {
    while (entry + 1 < starts.length && (starts[entry + 1] as number) <= at / 2) entry++;
    matching.add(numbers[entry] as number);
    const next = starts[entry + 1];
    at = next === undefined ? -1 : text.indexOf(key, next * 2, 'utf16le');
  }
  return matching;
}

interface NoteCitations {
  rows: NoteRows;
  /** Each note number's citation: the row of the full note it stands for. */
  cited: Map<number, number>;
}

/** `make`'s value for an essay, made when first asked for and kept while the essay is. */
function perEssay<T>(make: (essay: Essay) => T): (essay: Essay) => T {
  const made = new WeakMap<Essay, T>();
  return (essay) => {
    let value = made.get(essay);
    if (value === undefined) {
      value = make(essay);
      made.set(essay, value);
    }
    return value;
  };
}

/**
 * Each note number's citation, as `citationOf` gives it (a short form or 同上 stands for the
 * note it refers to, followed until none), as the row of that full note; a marker's number
 * names the first note of it. In the order the numbers first come.
 */
const citationRows = perEssay((essay): NoteCitations => {
  const rows = noteRows(essay);
  const firstRow = new Map<number, number>();
  for (let f = rows.from; f < rows.to; f++) if (!firstRow.has(rows.number(f))) firstRow.set(rows.number(f), f);
  const byRow = { number: (f: number) => rows.number(f), refersTo: (f: number) => rows.refersTo(f), byNumber: (n: number) => firstRow.get(n) };
  const cited = new Map<number, number>();
  for (const [number, row] of firstRow) cited.set(number, followCitation(row, byRow));
  return { rows, cited };
});

/**
 * An essay's notes as a note search reads them: per note number, the full citation it stands
 * for, folded to letters and digits, all in one UTF-16 buffer with a separator no key holds,
 * searched natively. Made once per essay, on its first note search, not kept for a string per
 * note; and kept out of the JavaScript heap, as the passage index keeps its texts (units.ts):
 * an archive's is 7 MB, which the collector would let grow by as much again between two
 * collections.
 */
interface NoteSearch {
  numbers: Uint32Array;
  text: Buffer;
  /** Where each note's text starts, in code units. */
  starts: Uint32Array;
}

const noteSearchOf = perEssay((essay): NoteSearch => {
  const { rows, cited } = citationRows(essay);
  const numbers = new Uint32Array(cited.size);
  const starts = new Uint32Array(cited.size);
  const parts: string[] = [];
  let at = 0;
  for (const [number, row] of cited) {
    const folded = foldText(`${rows.text(row)} ${rows.urls(row).join(' ')}`).replace(/[^\p{L}\p{N}]/gu, '');
    numbers[parts.length] = number;
    starts[parts.length] = at;
    parts.push(folded);
    at += folded.length + 1;
  }
  // Zeroed: between two notes' texts stays U+0000, the separator.
  const text = Buffer.alloc(at * 2);
  for (const [i, part] of parts.entries()) text.write(part, (starts[i] as number) * 2, 'utf16le');
  return { numbers, text, starts };
});

/** A note's full citation as a source is keyed: by its URLs when it has some, else by the note itself. */
interface Citation {
  key: string;
  number: number;
  text: string;
  urls: string[];
}

/**
 * Citing places grouped by source, in the order the sources are first cited. Each place once
 * per source: a passage hit's place may be met again among the markers of a note search, so
 * those are remembered per source (a few hundred at most), as `paragraphId:offset`; a marker
 * is met once, and markers side by side are told apart by allPlaces.
 */
class Grouping {
  private readonly byKey = new Map<string, Source>();
  // Each note's citation once per essay and number: a note cited all over a corpus has thousands of places.
  private readonly citations = new Map<Essay, Map<number, Citation | null>>();
  private readonly hits = new Map<Source, Set<string>>();

  /** The source note `note` of the essay cites, made on its first place; null for a note the essay lacks. */
  sourceOf(essay: Essay, note: number): Source | null {
    let ofEssay = this.citations.get(essay);
    if (!ofEssay) {
      ofEssay = new Map();
      this.citations.set(essay, ofEssay);
    }
    let citation = ofEssay.get(note);
    if (citation === undefined) {
      const { rows, cited } = citationRows(essay);
      const row = cited.get(note);
      const urls = row === undefined ? [] : rows.urls(row);
      const number = row === undefined ? 0 : rows.number(row);
      citation = row === undefined ? null : { key: urls.length > 0 ? [...urls].sort().join(' ') : `${essay.id}#${number}`, number, text: rows.text(row), urls };
      ofEssay.set(note, citation);
    }
    if (citation === null) return null;
    let source = this.byKey.get(citation.key);
    if (!source) {
      source = { essay, number: citation.number, text: citation.text, urls: citation.urls, places: [], count: 0 };
      this.byKey.set(citation.key, source);
    }
    return source;
  }

  /** A place a passage hit cites. */
  addHit(place: Citing): void {
    const source = this.sourceOf(place.essay, place.note);
    if (source === null) return;
    let seen = this.hits.get(source);
    if (!seen) {
      seen = new Set();
      this.hits.set(source, seen);
    }
    const key = `${place.paragraphId}:${place.offset}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (this.count(source)) source.places.push(place);
  }

  /** Counts a place of `source`; true while the source keeps fewer than CITED_BY_MAX, and the place is to be kept. */
  count(source: Source): boolean {
    source.count++;
    return source.places.length < CITED_BY_MAX;
  }

  /** Whether the marker at `offset` of row `k` was added to `source` as a passage hit's place (the row's ID read only then). */
  taken(source: Source, rows: ParagraphRows, k: number, offset: number): boolean {
    return this.hits.get(source)?.has(`${rows.id(k)}:${offset}`) === true;
  }

  sources(): Source[] {
    return [...this.byKey.values()];
  }
}

/** Full citations of the chosen essays that no marker reaches, so "all sources" misses none. */
function addUncited(sources: Source[], ctx: CommandContext, filters: SearchFilters): void {
  const listed = new Set(sources.map((s) => `${s.essay.id}#${s.number}`));
  const urls = new Set(sources.flatMap((s) => s.urls));
  for (const essay of essaysIn(ctx, filters)) {
    // As rows: notes read from the parse cache are not made for a look at their numbers and URLs.
    const { rows } = citationRows(essay);
    for (let f = rows.from; f < rows.to; f++) {
      if (rows.refersTo(f) !== null || listed.has(`${essay.id}#${rows.number(f)}`)) continue;
      const own = rows.urls(f);
      if (own.length > 0 && own.every((u) => urls.has(u))) continue;
      sources.push({ essay, number: rows.number(f), text: rows.text(f), urls: own, places: [], count: 0 });
    }
  }
}

/** The sentence that cites a note, trimmed to a quote's length around its marker. */
function citingQuote(place: Citing): string {
  const s = sentenceAt(place.paragraph, place.offset);
  return excerpt(place.paragraph, s.start, s.end, [[Math.max(s.start, place.offset - 1), place.offset]]).text;
}
