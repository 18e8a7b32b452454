import { endianness } from 'node:os';
import type { CorpusFile, Essay, Footnote, Paragraph, Section } from './model.js';
import { nameSyllables, rememberSyllables } from './names.js';

/*
 * The parse cache's file: a parsed corpus file as one text buffer and one array of numbers,
 * like the index's (index-file.ts), rather than JSON of nested objects. JSON of an archive's
 * 24,000 paragraphs, 110,000 sentences and 20,000 notes took a warm start 150 ms to parse and
 * left as much again to the garbage collector; here reading a file allocates its essays and
 * sections (a JSON header of a few kilobytes), and a section's paragraphs, like an essay's
 * notes, are made when something first reads them (a reply, the reader), their strings cut
 * from the file's buffer then. What the index needs of every paragraph (its text's length and
 * sentence spans) is read from the arrays as they are (`sectionSpans`).
 *
 * Layout: a 32-byte head (magic, the numbers' byte order, the text's length in UTF-16 code
 * units, the numbers' count, where in the text the header is and how long), the text (UTF-16,
 * padded to four bytes), the numbers (u32). The header (JSON, in the text) holds the file's
 * own fields, its essays' (sections and notes as ranges of rows) and where each column of
 * rows is in the numbers. A string is two numbers, its start and length in the text; a null
 * one starts at NONE. A raw text is kept as what it adds to its display text (editsOf), or
 * whole where it is not that. Everything is checked on reading, so that what is made later
 * cannot fail: anything that does not add up throws, and the caller parses the file again.
 */

const MAGIC = 'YZPARSE2';
const HEAD = 32;
/** A null string's start, a null number's value. */
const NONE = 0xffffffff;
const FORMS = ['full', 'short', 'ibid'] as const;

/** The columns, each a row per paragraph, sentence, marker, line, page, note or URL. */
const COLUMNS = {
  paragraph: ['pId', 'pIdLength', 'pNumber', 'pText', 'pTextLength', 'pRaw', 'pRawLength'],
  /** Where each paragraph's sentences, markers, lines and pages begin; one more row: the ends. */
  paragraphFrom: ['pSentences', 'pMarkers', 'pLines', 'pPages', 'pEdits'],
  sentence: ['sStart', 'sEnd'],
  marker: ['mOffset', 'mNote', 'mMark', 'mMarkLength'],
  line: ['line'],
  page: ['gPage', 'gStart'],
  note: ['fNumber', 'fMark', 'fMarkLength', 'fText', 'fTextLength', 'fLocator', 'fLocatorLength', 'fRaw', 'fRawLength', 'fRefersTo', 'fForm', 'fLine', 'fPage'],
  noteFrom: ['fUrls', 'fEdits'],
  url: ['uText', 'uTextLength'],
  /** What a raw text adds to its display text: `…Text` inserted at `…At` of it (see editsOf). */
  paragraphEdit: ['peAt', 'peText', 'peTextLength'],
  noteEdit: ['feAt', 'feText', 'feTextLength'],
} as const;
type Column = (typeof COLUMNS)[keyof typeof COLUMNS][number];

interface SectionHead extends Omit<Section, 'paragraphs'> {
  /** Its paragraphs' rows. */
  paragraphs: [number, number];
}
interface EssayHead extends Omit<Essay, 'sections' | 'footnotes'> {
  sections: SectionHead[];
  /** Its notes' rows. */
  footnotes: [number, number];
}
interface Header extends Omit<CorpusFile, 'essays'> {
  essays: EssayHead[];
  columns: Record<Column, [at: number, length: number]>;
  /** The authors' names' syllables (names.ts), so that reading the entry needs no pinyin-pro. */
  names: Record<string, string[]>;
}

// Long on purpose: one pass over the file that writes every column beside the text buffer;
// split, the passes would share a dozen running offsets.
/** Encodes a parsed file (all of it read: a fresh parse, or one whose parts were all made). */
export function encodeParsed(file: CorpusFile): Uint8Array {
  const texts: string[] = [];
  let textLength = 0;
  const rows = Object.fromEntries(Object.values(COLUMNS).flatMap((names) => names.map((n) => [n, [] as number[]]))) as Record<Column, number[]>;
  const put = (value: string | null, start: Column, length: Column) => {
    if (value === null) {
      rows[start].push(NONE);
      rows[length].push(0);
      return;
    }
    rows[start].push(textLength);
    rows[length].push(value.length);
    texts.push(value);
    textLength += value.length;
  };
  // A raw text as what it adds to the display text, or whole (and no edits) when it is not
  // that, or when its edits would take more room (three numbers, six code units, each: a PDF
  // line spaced out character by character).
  const rawRows = (text: string, raw: string, whole: 'pRaw' | 'fRaw', edit: 'pe' | 'fe') => {
    const found = editsOf(text, raw);
    const edits = found && found.reduce((n, [, inserted]) => n + 6 + inserted.length, 0) <= raw.length ? found : null;
    put(edits === null ? raw : null, whole, `${whole}Length`);
    rows[`${edit === 'pe' ? 'p' : 'f'}Edits`].push(rows[`${edit}At`].length);
    for (const [at, inserted] of edits ?? []) {
      rows[`${edit}At`].push(at);
      put(inserted, `${edit}Text`, `${edit}TextLength`);
    }
  };
  const paragraphRows = (p: Paragraph) => {
    put(p.id, 'pId', 'pIdLength');
    rows.pNumber.push(p.number);
    put(p.text, 'pText', 'pTextLength');
    rawRows(p.text, p.raw, 'pRaw', 'pe');
    rows.pSentences.push(rows.sStart.length);
    rows.pMarkers.push(rows.mOffset.length);
    rows.pLines.push(rows.line.length);
    rows.pPages.push(rows.gPage.length);
    for (const s of p.sentences) {
      rows.sStart.push(s.start);
      rows.sEnd.push(s.end);
    }
    for (const m of p.markers) {
      rows.mOffset.push(m.offset);
      rows.mNote.push(m.footnote ?? NONE);
      put(m.mark, 'mMark', 'mMarkLength');
    }
    rows.line.push(...p.lines);
    for (const g of p.pages) {
      rows.gPage.push(g.page);
      rows.gStart.push(g.start);
    }
  };
  const noteRows = (f: Footnote) => {
    rows.fNumber.push(f.number);
    put(f.mark, 'fMark', 'fMarkLength');
    put(f.text, 'fText', 'fTextLength');
    put(f.locator, 'fLocator', 'fLocatorLength');
    rawRows(f.text, f.raw, 'fRaw', 'fe');
    rows.fRefersTo.push(f.refersTo ?? NONE);
    rows.fForm.push(FORMS.indexOf(f.form));
    rows.fLine.push(f.line);
    rows.fPage.push(f.page ?? NONE);
    rows.fUrls.push(rows.uText.length);
    for (const url of f.urls) put(url, 'uText', 'uTextLength');
  };
  const essays = file.essays.map((essay): EssayHead => {
    const sections = essay.sections.map(({ paragraphs, ...section }): SectionHead => {
      const from = rows.pNumber.length;
      for (const p of paragraphs) paragraphRows(p);
      return { ...section, paragraphs: [from, rows.pNumber.length] };
    });
    const from = rows.fNumber.length;
    for (const f of essay.footnotes) noteRows(f);
    return { ...essay, sections, footnotes: [from, rows.fNumber.length] };
  });
  rows.pSentences.push(rows.sStart.length);
  rows.pMarkers.push(rows.mOffset.length);
  rows.pLines.push(rows.line.length);
  rows.pPages.push(rows.gPage.length);
  rows.pEdits.push(rows.peAt.length);
  rows.fUrls.push(rows.uText.length);
  rows.fEdits.push(rows.feAt.length);

  const columns = {} as Header['columns'];
  let count = 0;
  for (const [name, values] of Object.entries(rows) as Array<[Column, number[]]>) {
    columns[name] = [count, values.length];
    count += values.length;
  }
  const numbers = new Uint32Array(count);
  for (const [name, values] of Object.entries(rows) as Array<[Column, number[]]>) numbers.set(values, columns[name][0]);
  const names = nameSyllables(file.essays.flatMap((e) => e.authors.map((a) => a.name)));
  const header = JSON.stringify({ ...file, essays, columns, names } satisfies Header);
  texts.push(header);
  const text = Buffer.from(texts.join(''), 'utf16le');
  const head = Buffer.alloc(HEAD);
  head.write(MAGIC, 0, 'latin1');
  head.write(endianness(), 8, 'latin1');
  head.writeUInt32LE(textLength + header.length, 12);
  head.writeUInt32LE(count, 16);
  head.writeUInt32LE(textLength, 20);
  head.writeUInt32LE(header.length, 24);
  return Buffer.concat([head, text, Buffer.alloc(pad(text.byteLength)), Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength)]);
}

const pad = (n: number) => (4 - (n % 4)) % 4;

/**
 * `raw` as insertions into `text`: the parser's raw text is its display text with markers and
 * layout spaces in (model.ts), so what it adds is a few characters, where kept whole it was a
 * third of an archive's entries (18 of 57 MB, all of it held by a warm bot). Null when `text`
 * is not a subsequence of `raw`: such a raw text is kept whole. Taken greedily, which rebuilds
 * `raw` exactly whenever it consumes all of `text`.
 */
export function editsOf(text: string, raw: string): Array<[at: number, inserted: string]> | null {
  // Most paragraphs: no markers, no layout spaces.
  if (raw === text) return [];
  const edits: Array<[number, string]> = [];
  let t = 0;
  let from = 0;
  for (let r = 0; r < raw.length; r++) {
    if (t < text.length && raw.charCodeAt(r) === text.charCodeAt(t)) {
      if (from < r) edits.push([t, raw.slice(from, r)]);
      t++;
      from = r + 1;
    }
  }
  if (t !== text.length) return null;
  if (from < raw.length) edits.push([t, raw.slice(from)]);
  return edits;
}

/** A section's paragraphs as the index reads them, without making them: rows `[from, to)` of these columns. */
export interface SectionSpans {
  from: number;
  to: number;
  /** Per paragraph: its text's length, and where its sentences begin (one more row: the ends). */
  textLength: Uint32Array;
  sentences: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  /** Row `k`'s text, ID and markers, cut from the entry without making the paragraph (see paragraphRows). */
  text(k: number): string;
  id(k: number): string;
  markers(k: number): Array<{ offset: number; footnote: number | null }>;
}

/** Sections read from a cache entry whose paragraphs are not made yet (nor need be, for the index). */
const spansBySection = new WeakMap<Section, SectionSpans>();

/** The spans of a section read from the cache (made or not); undefined for one parsed in this process. */
export function sectionSpans(section: Section): SectionSpans | undefined {
  return spansBySection.get(section);
}

/**
 * A section's paragraphs as rows `[from, to)`, or an essay's notes, for readers that want a
 * few fields of every one (/sources' markers and notes, /author's background sample): the
 * parse cache entry's own rows while nothing has made them, else the made objects from 0,
 * which are then what replies read (an essay renamed for an ID another file took has its
 * paragraphs made and renamed). No closures per call: /sources reads every section.
 */
export interface ParagraphRows {
  from: number;
  to: number;
  text(k: number): string;
  id(k: number): string;
  markers(k: number): ReadonlyArray<{ offset: number; footnote: number | null }>;
}

export interface NoteRows {
  from: number;
  to: number;
  number(f: number): number;
  refersTo(f: number): number | null;
  text(f: number): string;
  urls(f: number): string[];
}

export function paragraphRows(section: Section): ParagraphRows {
  const spans = spansBySection.get(section);
  return spans && !madeAlready(section, 'paragraphs') ? spans : new MadeParagraphs(section.paragraphs);
}

export function noteRows(essay: Essay): NoteRows {
  const rows = notesByEssay.get(essay);
  return rows && !madeAlready(essay, 'footnotes') ? rows : new MadeNotes(essay.footnotes);
}

/** Whether an accessor below has made its value (it is a plain property then). */
function madeAlready(target: Section | Essay, key: 'paragraphs' | 'footnotes'): boolean {
  return Object.getOwnPropertyDescriptor(target, key)?.get === undefined;
}

const notesByEssay = new WeakMap<Essay, NoteRows>();

/** Rows `[0, n)` of objects already made: what replies then read. */
abstract class Made<T> {
  readonly from = 0;
  readonly to: number;
  constructor(private readonly items: readonly T[]) {
    this.to = items.length;
  }
  protected at(k: number): T {
    return this.items[k] as T;
  }
}

class MadeParagraphs extends Made<Paragraph> implements ParagraphRows {
  text(k: number): string {
    return this.at(k).text;
  }
  id(k: number): string {
    return this.at(k).id;
  }
  markers(k: number): ReadonlyArray<{ offset: number; footnote: number | null }> {
    return this.at(k).markers;
  }
}

class MadeNotes extends Made<Footnote> implements NoteRows {
  number(f: number): number {
    return this.at(f).number;
  }
  refersTo(f: number): number | null {
    return this.at(f).refersTo;
  }
  text(f: number): string {
    return this.at(f).text;
  }
  urls(f: number): string[] {
    return this.at(f).urls;
  }
}

// Long on purpose: the readers of one entry's columns (paragraphs, notes, their rows for the
// index and the commands) share its buffer, its checked columns and `str`.
/**
 * Reads an entry back. Throws unless the entry adds up: every row within its columns, every
 * string within the text, every range ascending. What is made later cannot fail.
 */
export function decodeParsed(bytes: Uint8Array): CorpusFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < HEAD || buf.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a parsed file of this format');
  if (buf.toString('latin1', 8, 10) !== endianness()) throw new Error('a parsed file of another byte order');
  const textUnits = buf.readUInt32LE(12);
  const count = buf.readUInt32LE(16);
  const headerAt = buf.readUInt32LE(20);
  const headerLength = buf.readUInt32LE(24);
  const numbersAt = HEAD + textUnits * 2 + pad(textUnits * 2);
  if (buf.byteLength !== numbersAt + count * 4 || headerAt + headerLength !== textUnits) throw new Error('a truncated parsed file');
  const text = (start: number, length: number) => buf.toString('utf16le', HEAD + start * 2, HEAD + (start + length) * 2);
  const header = JSON.parse(text(headerAt, headerLength)) as Header;
  // A view where the numbers are aligned (a file read whole is); else a copy.
  const at = buf.byteOffset + numbersAt;
  const numbers = at % 4 === 0 ? new Uint32Array(buf.buffer, at, count) : new Uint32Array(Uint8Array.from(buf.subarray(numbersAt)).buffer);
  const col = (name: Column): Uint32Array => {
    const [from, length] = header.columns?.[name] ?? [NONE, 0];
    if (!(from + length <= count)) throw new Error(`a parsed file without ${name}`);
    return numbers.subarray(from, from + length);
  };
  const c = Object.fromEntries(Object.values(COLUMNS).flatMap((names) => names.map((n) => [n, col(n)]))) as Record<Column, Uint32Array>;
  check(c, headerAt, header);
  const str = (start: Uint32Array, length: Uint32Array, row: number): string | null =>
    start[row] === NONE ? null : text(start[row] as number, length[row] as number);
  /** A raw text: `base` with edits `[from, to)` of a column (`pe`, `fe`) inserted. */
  const withEdits = (base: string, edit: 'pe' | 'fe', from: number, to: number): string => {
    let raw = '';
    let at = 0;
    for (let e = from; e < to; e++) {
      const next = c[`${edit}At`][e] as number;
      raw += base.slice(at, next) + (str(c[`${edit}Text`], c[`${edit}TextLength`], e) as string);
      at = next;
    }
    return raw + base.slice(at);
  };
  const markersOf = (k: number) => {
    const markers: Array<{ offset: number; footnote: number | null }> = [];
    for (let m = c.pMarkers[k] as number; m < (c.pMarkers[k + 1] as number); m++) {
      const note = c.mNote[m] as number;
      markers.push({ offset: c.mOffset[m] as number, footnote: note === NONE ? null : note });
    }
    return markers;
  };
  const spans = {
    textLength: c.pTextLength,
    sentences: c.pSentences,
    start: c.sStart,
    end: c.sEnd,
    text: (k: number) => str(c.pText, c.pTextLength, k) as string,
    id: (k: number) => str(c.pId, c.pIdLength, k) as string,
    markers: markersOf,
  };
  const urlsOf = (f: number): string[] => {
    const urls: string[] = [];
    for (let u = c.fUrls[f] as number; u < (c.fUrls[f + 1] as number); u++) urls.push(str(c.uText, c.uTextLength, u) as string);
    return urls;
  };
  const rows = {
    number: (f: number) => c.fNumber[f] as number,
    refersTo: (f: number) => (c.fRefersTo[f] === NONE ? null : (c.fRefersTo[f] as number)),
    text: (f: number) => str(c.fText, c.fTextLength, f) as string,
    urls: urlsOf,
  };
  const paragraph = (k: number): Paragraph => {
    const value = spans.text(k);
    const markers: Paragraph['markers'] = [];
    for (let m = c.pMarkers[k] as number; m < (c.pMarkers[k + 1] as number); m++) {
      const note = c.mNote[m] as number;
      markers.push({ offset: c.mOffset[m] as number, mark: str(c.mMark, c.mMarkLength, m) as string, footnote: note === NONE ? null : note });
    }
    const sentences: Paragraph['sentences'] = [];
    for (let s = c.pSentences[k] as number; s < (c.pSentences[k + 1] as number); s++)
      sentences.push({ start: c.sStart[s] as number, end: c.sEnd[s] as number });
    const pages: Paragraph['pages'] = [];
    for (let g = c.pPages[k] as number; g < (c.pPages[k + 1] as number); g++) pages.push({ page: c.gPage[g] as number, start: c.gStart[g] as number });
    return {
      id: spans.id(k),
      number: c.pNumber[k] as number,
      text: value,
      raw: str(c.pRaw, c.pRawLength, k) ?? withEdits(value, 'pe', c.pEdits[k] as number, c.pEdits[k + 1] as number),
      markers,
      sentences,
      lines: Array.from(c.line.subarray(c.pLines[k], c.pLines[k + 1])),
      pages,
    };
  };
  const footnote = (f: number): Footnote => {
    const page = c.fPage[f] as number;
    const value = rows.text(f);
    return {
      number: rows.number(f),
      mark: str(c.fMark, c.fMarkLength, f) as string,
      text: value,
      locator: str(c.fLocator, c.fLocatorLength, f),
      raw: str(c.fRaw, c.fRawLength, f) ?? withEdits(value, 'fe', c.fEdits[f] as number, c.fEdits[f + 1] as number),
      urls: rows.urls(f),
      refersTo: rows.refersTo(f),
      form: FORMS[c.fForm[f] as number] as Footnote['form'],
      line: c.fLine[f] as number,
      page: page === NONE ? null : page,
    };
  };
  const essays = header.essays.map((e) => {
    const essay = essayOf(
      e,
      (from, to) => rowsOf(from, to, footnote),
      (h) => sectionOf(h, paragraph, spans),
    );
    notesByEssay.set(essay, { from: e.footnotes[0], to: e.footnotes[1], ...rows });
    return essay;
  });
  const names: unknown = header.names;
  if (typeof names !== 'object' || names === null || !Object.values(names).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
    throw new Error('a parsed file without its names');
  }
  rememberSyllables(header.names);
  const { columns: _, names: __, ...file } = header;
  return { ...file, essays };
}

function rowsOf<T>(from: number, to: number, make: (row: number) => T): T[] {
  const out: T[] = [];
  for (let k = from; k < to; k++) out.push(make(k));
  return out;
}

/*
 * A section's paragraphs and an essay's notes are accessors of the object itself (own and
 * enumerable, so that a spread, structuredClone, JSON or a test's toEqual reads them as any
 * other property) until first read, then plain ones. They are object literals: made with a
 * spread and Object.defineProperty, the archive's 2,200 essays and 7,200 sections took 61–71 ms
 * to make, against 13–32 ms as literals.
 */

function sectionOf(h: SectionHead, paragraph: (row: number) => Paragraph, spans: Omit<SectionSpans, 'from' | 'to'>): Section {
  const [from, to] = h.paragraphs;
  const section: Section = {
    heading: h.heading,
    level: h.level,
    path: h.path,
    get paragraphs() {
      return settle(this, 'paragraphs', rowsOf(from, to, paragraph));
    },
    set paragraphs(value) {
      settle(this, 'paragraphs', value);
    },
    part: h.part,
  };
  spansBySection.set(section, { from, to, ...spans });
  return section;
}

function essayOf(h: EssayHead, notes: (from: number, to: number) => Footnote[], section: (h: SectionHead) => Section): Essay {
  const [from, to] = h.footnotes;
  return {
    id: h.id,
    kind: h.kind,
    file: h.file,
    symposium: h.symposium,
    title: h.title,
    authors: h.authors,
    sections: h.sections.map(section),
    get footnotes() {
      return settle(this, 'footnotes', notes(from, to));
    },
    set footnotes(value) {
      settle(this, 'footnotes', value);
    },
    line: h.line,
    pages: h.pages,
    abstract: h.abstract,
    keywords: h.keywords,
    classification: h.classification,
    funding: h.funding,
    acknowledgements: h.acknowledgements,
    received: h.received,
    revised: h.revised,
    english: h.english,
  };
}

/** Makes `target[key]` a plain property of `value`: what an accessor above does once it has made it. */
function settle<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): T[K] {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** Throws unless every row of `c` is within its columns and every string within `text[0, textEnd)`. */
function check(c: Record<Column, Uint32Array>, textEnd: number, header: Header): void {
  const paragraphs = c.pNumber.length;
  const notes = c.fNumber.length;
  const same = (names: readonly Column[], rows: number) => names.every((n) => c[n].length === rows);
  const ok =
    Array.isArray(header.essays) &&
    Array.isArray(header.warnings) &&
    typeof header.hash === 'string' &&
    same(COLUMNS.paragraph, paragraphs) &&
    same(COLUMNS.paragraphFrom, paragraphs + 1) &&
    same(COLUMNS.sentence, c.sStart.length) &&
    same(COLUMNS.marker, c.mOffset.length) &&
    same(COLUMNS.page, c.gPage.length) &&
    same(COLUMNS.note, notes) &&
    same(COLUMNS.noteFrom, notes + 1) &&
    same(COLUMNS.url, c.uText.length) &&
    same(COLUMNS.paragraphEdit, c.peAt.length) &&
    same(COLUMNS.noteEdit, c.feAt.length) &&
    ascending(c.pSentences, c.sStart.length) &&
    ascending(c.pMarkers, c.mOffset.length) &&
    ascending(c.pLines, c.line.length) &&
    ascending(c.pPages, c.gPage.length) &&
    ascending(c.fUrls, c.uText.length) &&
    ascending(c.pEdits, c.peAt.length) &&
    ascending(c.fEdits, c.feAt.length) &&
    editsWithin(c.pEdits, c.pTextLength, c.peAt) &&
    editsWithin(c.fEdits, c.fTextLength, c.feAt) &&
    strings(c.pId, c.pIdLength, textEnd, false) &&
    strings(c.pText, c.pTextLength, textEnd, false) &&
    strings(c.pRaw, c.pRawLength, textEnd, true) &&
    strings(c.mMark, c.mMarkLength, textEnd, false) &&
    strings(c.fMark, c.fMarkLength, textEnd, false) &&
    strings(c.fText, c.fTextLength, textEnd, false) &&
    strings(c.fLocator, c.fLocatorLength, textEnd, true) &&
    strings(c.fRaw, c.fRawLength, textEnd, true) &&
    strings(c.peText, c.peTextLength, textEnd, false) &&
    strings(c.feText, c.feTextLength, textEnd, false) &&
    apart(c.peText, c.peTextLength) &&
    apart(c.feText, c.feTextLength) &&
    strings(c.uText, c.uTextLength, textEnd, false) &&
    c.fForm.every((f) => f < FORMS.length) &&
    header.essays.every(
      (e) => Array.isArray(e.sections) && e.sections.every((s) => range(s.paragraphs, paragraphs)) && range(e.footnotes, notes) && Array.isArray(e.authors),
    );
  if (!ok) throw new Error('a damaged parsed file');
}

/** Whether `from` rises from 0 to `end`, the rows of the column it points into. */
function ascending(from: Uint32Array, end: number): boolean {
  if (from[0] !== 0 || from[from.length - 1] !== end) return false;
  for (let i = 1; i < from.length; i++) if ((from[i] as number) < (from[i - 1] as number)) return false;
  return true;
}

/** Whether each row's edits (`from`) insert at rising offsets within its display text (`length`). */
function editsWithin(from: Uint32Array, length: Uint32Array, at: Uint32Array): boolean {
  for (let k = 0; k < length.length; k++) {
    let last = 0;
    for (let e = from[k] as number; e < (from[k + 1] as number); e++) {
      const a = at[e] as number;
      if (a < last || a > (length[k] as number)) return false;
      last = a;
    }
  }
  return true;
}

/**
 * Whether the column's strings follow one another in the text, none over another, as
 * `encodeParsed` writes them: what edits insert then adds up to the text's length at most,
 * where edits pointing again and again at one long string would make a raw text of any length.
 */
function apart(start: Uint32Array, length: Uint32Array): boolean {
  let end = 0;
  for (let i = 0; i < start.length; i++) {
    if ((start[i] as number) < end) return false;
    end = (start[i] as number) + (length[i] as number);
  }
  return true;
}

/** Whether every string of the column ends within the text (a null one only where `nullable`). */
function strings(start: Uint32Array, length: Uint32Array, textEnd: number, nullable: boolean): boolean {
  for (let i = 0; i < start.length; i++) {
    const s = start[i] as number;
    if (s === NONE ? !nullable : s + (length[i] as number) > textEnd) return false;
  }
  return true;
}

function range(r: unknown, rows: number): boolean {
  return Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]) && 0 <= r[0] && r[0] <= r[1] && r[1] <= rows;
}
