import { createHash } from 'node:crypto';
import { en } from '../words/en.js';
import { aboutAuthors, articleMatter, authorsOf, englishNames, isFront, matchRomanised, type NoteEntry, readAffiliations } from './article.js';
import { commonIssue, issueOfArticleNumber } from './front-matter.js';
import { type FrontItem, type Item, indentsParagraphs, type NoteItem, readItems } from './items.js';
import type { CorpusFile, CorpusWarning, Essay, Footnote, Marker, Paragraph, Section } from './model.js';
import { pinyin } from './pinyin.js';
import {
  endsSentence,
  extractUrls,
  isHan,
  joinPieces,
  MARK,
  MARKER,
  markNumber,
  pageLocator,
  plainMark,
  rejoinUrls,
  splitSentences,
  toDisplay,
} from './text.js';

/** What a corpus file that looks wrong is told (see the catalogue: operator.warnings). */
const W = en.operator.warnings;

/*
 * The parser reads one corpus file in three passes:
 *   1. lines → items: a text block, a numbered note (`^①` or `①` at line start) or an
 *      affiliation note (`*`), each with its first line number;
 *   2. items → documents: the symposium title, the editor's note and the essays, with their
 *      sections and paragraphs; a paragraph cut by a page break is joined again here;
 *   3. markers → notes: each in-text marker takes the note of its mark in the first block of
 *      numbered notes printed after it (numbering restarts on every page), and notes are then
 *      numbered 1..n in each essay's reading order, whatever page or essay they were printed in.
 */

interface Piece {
  raw: string;
  line: number;
  item: number;
  page: number | null;
}

interface DraftParagraph {
  pieces: Piece[];
}

interface DraftSection {
  heading: string | null;
  level: number;
  path: string[];
  paragraphs: DraftParagraph[];
}

interface DraftDoc {
  kind: Essay['kind'];
  title: string;
  authors: string[];
  line: number;
  authorLine: number;
  /** Item index where the document starts; notes printed after it and before the next one are its own. */
  item: number;
  sections: DraftSection[];
}

const EDITORS_NOTE = /^\s*编者按\s*[：:]/u;
/*
 * Headings of the levels Chinese academic writing numbers: `一、` (or `第一章 `) over `（一）`
 * over `1.` over `(1)`. A named heading (`结语`) is of the first level.
 */
const HEADING_LEVELS: Array<[RegExp, number]> = [
  [/^\s*(?:[一二三四五六七八九十百]+\s*、|第[一二三四五六七八九十]+[部章节]分?\s)/u, 1],
  [/^\s*[（(][一二三四五六七八九十]+[）)]/u, 2],
  [/^\s*\d{1,2}\s*[.．、](?!\d)/u, 3],
  [/^\s*[（(]\d{1,2}[）)]/u, 4],
];
const NAMED_HEADING = /^\s*(?:结\s*语|结\s*论|引\s*言|导\s*言|前\s*言|余\s*论|小\s*结|结\s*束\s*语)\s*$/u;
/** A Chinese name: two to six characters, or a transcribed name with `·` (`阿依古丽·买买提`) of up to twelve. */
const HAN_NAME = /^(?:\p{Script=Han}{2,6}|(?=[\p{Script=Han}·]{3,12}$)\p{Script=Han}+(?:·\p{Script=Han}+)+)$/u;
const TRAILING_MARKER = new RegExp(`\\^(?:${MARK})$`, 'u');
const LATIN_NAME = /^[A-Z][\p{L}.'-]+(?: [A-Z][\p{L}.'-]*){1,3}$/u;
const HEADING_MAX = 40;
const TITLE_MAX = 80;

/** Display text of a raw block, as one parse works it out. */
type DisplayOf = (raw: string) => string;

/**
 * Display text of raw blocks, memoized for one parse. Working out what a block is asks for it
 * several times (title? heading? does the paragraph read on?); each parse makes its own, so
 * nothing outlives the file.
 */
function createDisplayOf(): DisplayOf {
  const memo = new Map<string, string>();
  return (raw) => {
    let display = memo.get(raw);
    if (display === undefined) {
      display = toDisplay(raw).text;
      memo.set(raw, display);
    }
    return display;
  };
}

/** The level of a heading (see HEADING_LEVELS); named headings are of the first. */
function headingLevel(raw: string): number {
  return HEADING_LEVELS.find(([re]) => re.test(raw))?.[1] ?? 1;
}

function isHeading(displayOf: DisplayOf, raw: string): boolean {
  if (NAMED_HEADING.test(raw)) return true;
  const display = displayOf(raw);
  return HEADING_LEVELS.some(([re]) => re.test(raw)) && display.length <= HEADING_MAX && !endsSentence(display);
}

/**
 * A run of names printed with no separator left between them (`张一鸣李二乐赵三木`: the
 * full-width spaces of the author line lost in extraction), cut into the names the file's
 * notes give; null when the notes do not cover it exactly.
 */
function splitRun(run: string, known: readonly string[]): string[] | null {
  const names: string[] = [];
  let rest = run;
  while (rest !== '') {
    const name = known.filter((n) => rest.startsWith(n)).sort((a, b) => b.length - a.length)[0];
    if (name === undefined) return null;
    names.push(name);
    rest = rest.slice(name.length);
  }
  return names;
}

/**
 * A run of names cut where the English author line says (`Zhang Yiming, Li Erle and Zhao
 * Sanmu` cuts 张一鸣李二乐赵三木): each piece of two to four characters whose pinyin is the
 * next English name. Null when no cut matches every English name in order.
 */
function splitByRomanised(run: string, english: readonly string[]): string[] | null {
  if (english.length === 0) return run === '' ? [] : null;
  const [name, ...rest] = english;
  for (let n = 2; n <= 4 && n <= run.length; n++) {
    const piece = run.slice(0, n);
    if (matchRomanised(name as string, [piece]) === null) continue;
    const tail = splitByRomanised(run.slice(n), rest);
    if (tail) return [piece, ...tail];
  }
  return null;
}

/** An author line read: its names, and whether one part could not be cut into names. */
interface AuthorLine {
  names: string[];
  unresolved: string | null;
}

/**
 * The names on an author line: Chinese names separated by spaces, full-width spaces, `、` or
 * `，`; Latin names by `,`, `and` or `&`. `known` are the names the file's notes give, which
 * cut a run whose separators were lost. A run of Chinese too long for one name that they do
 * not cut is `unresolved`: kept as printed, and said so.
 */
function authorNames(raw: string, known: readonly string[] = [], romanised: ReadonlyArray<readonly string[]> = []): AuthorLine | null {
  const line = raw.replace(/[*＊]+\s*$/u, '').trim();
  // `和` joins two names only where the notes name both (`王和平` is one name).
  const parts = line
    .split(/[\s、，,　]+/u)
    .flatMap((part) => {
      const at = part.indexOf('和');
      return at > 0 && known.includes(part.slice(0, at)) && known.includes(part.slice(at + 1)) ? [part.slice(0, at), part.slice(at + 1)] : [part];
    })
    .filter((n) => n !== '');
  if (parts.length === 0 || parts.length > 6) return null;
  if (parts.every((n) => /^[\p{Script=Han}·]+$/u.test(n))) {
    const names: string[] = [];
    let unresolved: string | null = null;
    for (const part of parts) {
      // A run the notes cut into two names or more (`王一李二`) is those names.
      if (HAN_NAME.test(part) && !(part.length >= 4 && (splitRun(part, known)?.length ?? 0) > 1)) names.push(part);
      else if (part.length >= 4 && part.length <= 16 && splitRun(part, known)) names.push(...(splitRun(part, known) as string[]));
      else if (part.length >= 4 && romanised.some((english) => splitByRomanised(part, english)))
        names.push(...(romanised.map((english) => splitByRomanised(part, english)).find((s) => s !== null) as string[]));
      else if (part.length <= 16) {
        names.push(part);
        unresolved = part;
      } else return null;
    }
    return { names, unresolved };
  }
  if (LATIN_NAME.test(line)) return { names: [line], unresolved: null };
  const latin = line.split(/\s*(?:,|、|，| and |&)\s*/u).filter((n) => n !== '');
  if (latin.length > 1 && latin.every((n) => LATIN_NAME.test(n))) return { names: latin, unresolved: null };
  return null;
}

function isTitleCandidate(displayOf: DisplayOf, raw: string): boolean {
  const display = displayOf(raw);
  // A title does not stop on a mark that opens or continues a clause.
  if (/[，、；“《（,;(]$/u.test(display)) return false;
  return display.length >= 2 && display.length <= TITLE_MAX && !endsSentence(display) && !EDITORS_NOTE.test(raw) && !isHeading(displayOf, raw);
}

/** Whether the previous paragraph reads on into the next text block (a page break cut it). */
function readsOn(displayOf: DisplayOf, paragraph: DraftParagraph, notesBetween: boolean): boolean {
  const last = paragraph.pieces[paragraph.pieces.length - 1];
  if (!last) return false;
  const text = displayOf(last.raw);
  if (endsSentence(text)) return false;
  if (notesBetween) return true;
  // With no footnotes printed between them, only a block that stops mid-clause reads on:
  // one ending with a colon usually introduces a list printed as separate paragraphs.
  const end = text.replace(TRAILING_MARKER, '').at(-1) ?? '';
  return isHan(end) || /[\p{L}\p{N}，、；（“《,;(]/u.test(end);
}

/** The author names the file's notes give (`*`, `【作者简介】`), longest first. */
function namesInNotes(items: Item[]): string[] {
  const names = items.flatMap((item) => {
    if (item.kind === 'star' || (item.kind === 'front' && item.field === 'bio')) return readAffiliations(item.body).map((a) => a.name);
    return [];
  });
  return [...new Set(names)].filter((n) => HAN_NAME.test(n)).sort((a, b) => b.length - a.length);
}

interface Structure {
  symposium: string | null;
  docs: DraftDoc[];
}

// Long on purpose: one pass over the file's blocks, whose branches all read and update the same
// state (the open document and paragraph, the symposium title, notes seen since the last text);
// split into steps, each would take and hand back all of it.
function buildStructure(items: Item[], file: string, warn: (line: number, message: string) => void, displayOf: DisplayOf): Structure {
  const docs: DraftDoc[] = [];
  const known = namesInNotes(items);
  const romanised = items.flatMap((item) => (item.kind === 'front' && item.field === 'enAuthors' ? [englishNames(item.body)] : []));
  const indents = indentsParagraphs(items);
  let symposium: string | null = null;
  let doc: DraftDoc | null = null;
  let open: DraftParagraph | null = null;
  let notesSinceText = false;

  const nextText = (from: number): number => {
    for (let j = from + 1; j < items.length; j++) if (items[j]?.kind === 'text') return j;
    return -1;
  };
  const section = (d: DraftDoc): DraftSection => {
    let s = d.sections[d.sections.length - 1];
    if (!s) {
      s = { heading: null, level: 0, path: [], paragraphs: [] };
      d.sections.push(s);
    }
    return s;
  };

  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item;
    if (item.kind !== 'text') {
      notesSinceText = true;
      continue;
    }
    const raw = item.raw;

    // An essay starts with its title, then an author line (`张三`), perhaps a subtitle between.
    if (isTitleCandidate(displayOf, raw)) {
      let j = nextText(i);
      let title = displayOf(raw);
      const maybeSubtitle = j >= 0 ? (items[j] as Item).raw : '';
      if (/^\s*[—－-]{1,2}/u.test(maybeSubtitle) && isTitleCandidate(displayOf, maybeSubtitle)) {
        title = `${title}${displayOf(maybeSubtitle)}`;
        j = nextText(j);
      }
      const line = j >= 0 ? authorNames((items[j] as Item).raw, known, romanised) : null;
      // A run of Chinese the notes cannot cut is an author line only where the front matter
      // or an author's note follows it; elsewhere it is more likely a short paragraph.
      const after = items[j + 1];
      const names = line && (line.unresolved === null || (after !== undefined && after.kind !== 'text')) ? line.names : null;
      // After a paragraph cut mid-sentence, a short block is far more likely its continuation
      // than the next essay: only an author named by an affiliation note outweighs that.
      const confirmed = names?.every((n) => known.includes(n));
      if (names && (confirmed || !(open && readsOn(displayOf, open, notesSinceText)))) {
        if (line?.unresolved) warn((items[j] as Item).line, W.authorLine(line.unresolved));
        if (open && readsOn(displayOf, open, false)) {
          const last = open.pieces[open.pieces.length - 1] as Piece;
          warn(last.line, W.cutParagraph);
        }
        doc = { kind: 'essay', title, authors: names, line: item.line, authorLine: (items[j] as Item).line, item: i, sections: [] };
        docs.push(doc);
        open = null;
        notesSinceText = false;
        i = j;
        continue;
      }
      if (doc === null && symposium === null && docs.length === 0) {
        symposium = title;
        notesSinceText = false;
        continue;
      }
    }

    if (EDITORS_NOTE.test(raw)) {
      doc = { kind: 'editors-note', title: '编者按', authors: [], line: item.line, authorLine: item.line, item: i, sections: [] };
      docs.push(doc);
      open = { pieces: [{ raw, line: item.line, item: i, page: item.page }] };
      section(doc).paragraphs.push(open);
      notesSinceText = false;
      continue;
    }

    // A page that opens with an unindented line goes on with the paragraph the page before
    // ended, even at a sentence's end, in a file whose paragraphs start indented.
    const pageContinues = indents && item.pageTop && !item.indented;
    if (open && (readsOn(displayOf, open, notesSinceText) || pageContinues) && !isHeading(displayOf, raw)) {
      open.pieces.push({ raw, line: item.line, item: i, page: item.page });
      notesSinceText = false;
      continue;
    }

    if (doc === null) {
      warn(item.line, W.textBeforeEssay);
      doc = { kind: 'essay', title: file.replace(/\.(?:txt|pdf)$/iu, ''), authors: [], line: item.line, authorLine: item.line, item: i, sections: [] };
      docs.push(doc);
    }

    if (isHeading(displayOf, raw)) {
      const heading = toDisplay(raw, { collapseHanSpaces: true }).text;
      const level = headingLevel(raw);
      // The enclosing headings: the latest of each level above this one.
      const above = [...doc.sections].reverse().find((s) => s.heading !== null && s.level < level);
      doc.sections.push({ heading, level, path: [...(above?.path ?? []), heading], paragraphs: [] });
      open = null;
    } else {
      open = { pieces: [{ raw, line: item.line, item: i, page: item.page }] };
      section(doc).paragraphs.push(open);
    }
    notesSinceText = false;
  }

  if (open && readsOn(displayOf, open, false)) {
    const last = open.pieces[open.pieces.length - 1] as Piece;
    warn(last.line, W.cutAtEnd);
  }
  return { symposium, docs };
}

/** A slug for IDs: toneless pinyin of the author, then the initials of the title's first characters. */
function slugOf(doc: DraftDoc, symposium: string | null, file: string): string {
  const initials = (text: string) =>
    pinyin(
      Array.from(text.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, ''))
        .slice(0, 4)
        .join(''),
      { pattern: 'first', toneType: 'none', type: 'array' },
    )
      .join('')
      .toLowerCase()
      .replace(/[^a-z0-9]/gu, '');
  const syllables = (name: string) =>
    pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).map((s) => s.toLowerCase().replace(/[^a-z0-9]/gu, ''));
  let slug: string;
  if (doc.kind === 'editors-note') {
    slug = `editors-${initials(symposium ?? file.replace(/\.(?:txt|pdf)$/iu, ''))}`;
  } else if (doc.authors.length > 0) {
    const first = syllables(doc.authors[0] as string).filter((s) => s !== '');
    const name = first.length > 1 ? `${first[0]}-${first.slice(1).join('')}` : (first[0] ?? 'anon');
    slug = `${name}-${initials(doc.title)}`;
  } else {
    slug = `${file
      .replace(/\.(?:txt|pdf)$/iu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/gu, '-')}-${initials(doc.title)}`;
  }
  return slug.replace(/-+$/u, '') || 'essay';
}

const IBID = /^(?:同上|同前注|同前|Ibid\.?|ibid\.?)(?=$|[，,。.：:\s；;第p])/u;
const SEE = /^(?:参见|参阅|见|转引自|See|see|Cf\.|cf\.)\s*/u;

/** The title a citation is known by: its first 《…》, or its first quoted English title. */
function citationKey(text: string): string | null {
  const body = text.replace(SEE, '');
  const chinese = /《([^《》]+)》/u.exec(body);
  if (chinese) return (chinese[1] as string).replace(/\s+/gu, '');
  const english = /[“"]([^”"]{4,}?)[,，.]?[”"]/u.exec(body);
  if (english) return (english[1] as string).replace(/[,.]$/u, '').replace(/\s+/gu, ' ').toLowerCase();
  return null;
}

/**
 * A short form names a source already cited in full: it has no URL, and no year outside the
 * title (a full citation gives its date of publication or access).
 */
function isShortForm(note: Footnote): boolean {
  if (note.urls.length > 0) return false;
  const outside = note.text.replace(/《[^《》]*》/gu, '').replace(/[“"][^”"]*[”"]/gu, '');
  return !/(?:1[5-9]|20)\d{2}/u.test(outside);
}

function resolveShortForms(essay: Essay, warn: (line: number, message: string) => void): void {
  const notes = [...essay.footnotes].sort((a, b) => a.number - b.number);
  notes.forEach((note, index) => {
    if (IBID.test(note.text)) {
      const previous = notes[index - 1];
      note.form = 'ibid';
      if (previous) note.refersTo = previous.number;
      else warn(note.line, W.ibidFirst(note.mark, note.text));
      return;
    }
    const key = citationKey(note.text);
    if (key === null || !isShortForm(note)) return;
    const candidates = notes.filter((other) => other !== note && other.refersTo === null && citationKey(other.text) === key && !isShortForm(other));
    const full = candidates.filter((c) => c.number < note.number).pop() ?? candidates[0];
    if (full) {
      note.refersTo = full.number;
      note.form = 'short';
    } else if (note.text.replace(/《[^《》]*》|[“"][^”"]*[”"]|[\s。.，,]/gu, '').length < 8) {
      warn(note.line, W.shortForm(note.mark, note.text));
    }
  });
}

/** The first and last of the pages known, or null when none is. */
function pageRange(pages: Array<number | null>): [number, number] | null {
  const known = pages.filter((p): p is number => p !== null);
  return known.length === 0 ? null : [Math.min(...known), Math.max(...known)];
}

type Warn = (line: number, message: string) => void;

/** A page's notes: the run of note items between two text items, by the number of their mark. */
interface NoteGroup {
  first: number;
  notes: Map<number, NoteItem>;
}

/*
 * Pass 3: bind markers to notes. A group is the run of note items between two text items;
 * a page's notes are one group, whether or not the next essay has begun above them. A
 * marker binds by number (`^¹` to the note labelled `1`, `^➀` to `➀`), so a page may print
 * its markers and labels in different forms.
 */
function noteGroups(items: Item[], warn: Warn): NoteGroup[] {
  const groups: NoteGroup[] = [];
  items.forEach((item, index) => {
    if (item.kind === 'text') return;
    const previous = index > 0 ? items[index - 1] : undefined;
    if (!previous || previous.kind === 'text') groups.push({ first: index, notes: new Map() });
    const group = groups[groups.length - 1] as NoteGroup;
    if (item.kind === 'note') {
      const n = markNumber(item.mark);
      if (group.notes.has(n)) warn(item.line, W.printedTwice(item.mark));
      else group.notes.set(n, item);
    }
  });
  return groups;
}

type DraftMarker = { mark: string; note: NoteItem | undefined; line: number };

interface Binding {
  owner: Map<NoteItem, { doc: number; number: number }>;
  /** Per document, per paragraph (in reading order), the markers found in it. */
  markers: DraftMarker[][][];
}

function bindMarkers(docs: DraftDoc[], groups: NoteGroup[], warn: Warn): Binding {
  const groupAfter = (itemIndex: number) => groups.find((g) => g.first > itemIndex && g.notes.size > 0);
  const owner = new Map<NoteItem, { doc: number; number: number }>();
  const markers = docs.map((doc, d) => {
    let next = 1;
    return doc.sections.flatMap((s) =>
      s.paragraphs.map((p) => {
        const found: DraftMarker[] = [];
        for (const piece of p.pieces) {
          for (const m of piece.raw.matchAll(MARKER)) {
            const mark = m[1] as string;
            const note = groupAfter(piece.item)?.notes.get(markNumber(mark));
            if (!note) warn(piece.line, W.markerWithoutNote(mark));
            else if (!owner.has(note)) owner.set(note, { doc: d, number: next++ });
            else warn(piece.line, W.noteTaken(mark, note.line));
            found.push({ mark, note, line: piece.line });
          }
        }
        return found;
      }),
    );
  });
  // A note no marker points at is kept, in the essay it is printed in, so no source is lost.
  for (const group of groups) {
    for (const note of group.notes.values()) {
      if (owner.has(note)) continue;
      const d = docAt(docs, group.first);
      warn(note.line, W.noteWithoutMarker(note.mark));
      if (d < 0) continue;
      const count = [...owner.values()].filter((o) => o.doc === d).length;
      owner.set(note, { doc: d, number: count + 1 });
    }
  }
  return { owner, markers };
}

/** The document an item stands in: the last that starts at or before it. */
function docAt(docs: DraftDoc[], itemIndex: number): number {
  let found = -1;
  docs.forEach((doc, d) => {
    if (doc.item <= itemIndex) found = d;
  });
  return found;
}

/** What the author notes (`*`, `【作者简介】`) of the file say, by author name. */
function authorNotes(items: Item[], docs: DraftDoc[], warn: Warn): Map<string, NoteEntry> {
  const notes = new Map<string, NoteEntry>();
  const authorNamesInFile = new Set(docs.flatMap((doc) => doc.authors));
  for (const item of items) {
    if (item.kind !== 'star' && !(item.kind === 'front' && item.field === 'bio')) continue;
    for (const entry of readAffiliations(item.body, authorNamesInFile)) {
      if (docs.some((doc) => doc.authors.includes(entry.name))) notes.set(entry.name, entry);
      else warn(item.line, W.strangerAffiliation(entry.name));
    }
  }
  return notes;
}

/** A note's running number and its text for the model. */
function footnoteOf(note: NoteItem, number: number): Footnote {
  const display = rejoinUrls(toDisplay(note.body).text);
  return {
    number,
    mark: plainMark(note.mark),
    text: display,
    locator: pageLocator(display),
    raw: note.raw,
    urls: extractUrls(display),
    refersTo: null,
    form: 'full' as const,
    line: note.line,
    page: note.page,
  };
}

/** A paragraph of the model from its pieces, with its markers bound to the essay's notes. */
function paragraphOf(p: DraftParagraph, id: string, number: number, bound: DraftMarker[], noteNumber: (note: NoteItem) => number | null): Paragraph {
  const raw = p.pieces.map((piece) => piece.raw).reduce(joinPieces);
  const display = toDisplay(raw);
  // Where each printed page's part of the paragraph begins in its display text.
  const pages: Paragraph['pages'] = [];
  p.pieces.forEach((piece, k) => {
    if (piece.page === null || pages.at(-1)?.page === piece.page) return;
    const start =
      k === 0
        ? 0
        : toDisplay(
            p.pieces
              .slice(0, k)
              .map((q) => q.raw)
              .reduce(joinPieces),
          ).text.length;
    pages.push({ page: piece.page, start: Math.min(start, display.text.length) });
  });
  const markers: Marker[] = display.markers.map((m, k) => {
    const note = bound[k]?.note;
    return { offset: m.offset, mark: m.mark, footnote: note ? noteNumber(note) : null };
  });
  return {
    id,
    number,
    text: display.text,
    // One string when the two are alike (no markers, no layout spaces): most paragraphs.
    raw: raw === display.text ? display.text : raw,
    markers,
    sentences: splitSentences(display.text),
    lines: p.pieces.map((piece) => piece.line),
    pages,
  };
}

/** The abstract (`摘要`) or English abstract (`Abstract`) as a section of its own, searched and labelled. */
function abstractSection(item: FrontItem | null, part: 'abstract' | 'english', slug: string, itemIndex: number): Section | null {
  if (item === null) return null;
  const heading = part === 'abstract' ? '摘要' : 'Abstract';
  const id = `${slug}.${part === 'abstract' ? 'abstract' : 'abstract-en'}`;
  const paragraph = paragraphOf({ pieces: [{ raw: item.body, line: item.line, item: itemIndex, page: item.page }] }, id, 0, [], () => null);
  return { heading, level: 0, path: [heading], paragraphs: [paragraph], part };
}

/** Warnings of a proof-reader about an article: what looks wrong on the page. */
function proofRead(essay: Essay, doc: DraftDoc, front: FrontItem[], items: Item[], end: number, warn: Warn): void {
  for (const note of essay.footnotes) {
    if (/https?:\/\/\s|https?:\/\/[^\s]*\s+[/.\-_]/u.test(note.text) || (/https?:/u.test(note.text) && note.urls.length === 0))
      warn(note.line, W.brokenUrl(note.mark, note.text.slice(0, 80)));
  }
  const english = front.filter((f) => f.field.startsWith('en'));
  const lastEnglish = english.at(-1);
  if (lastEnglish) {
    const from = items.indexOf(lastEnglish);
    const after = items.slice(from + 1, end).find((i) => i.kind === 'text');
    if (after) warn(after.line, W.afterEnglish);
  }
  if (essay.english && essay.english.abstract === null) warn(doc.line, W.englishWithoutAbstract);
}

/** What every essay of one file is assembled from: the file's items, its documents and the notes bound to them. */
interface FileParts extends Binding {
  file: string;
  symposium: string | null;
  items: Item[];
  docs: DraftDoc[];
  notes: Map<string, NoteEntry>;
  warn: Warn;
}

/** Parses one corpus file. Never throws: what it cannot resolve becomes a warning. */
export function parseCorpusFile(file: string, text: string, hash?: string): CorpusFile {
  const warnings: CorpusWarning[] = [];
  const warn: Warn = (line, message) => warnings.push({ file, line, message });
  const { items, headers } = readItems(text);
  const { symposium, docs } = buildStructure(items, file, warn, createDisplayOf());
  const binding = bindMarkers(docs, noteGroups(items, warn), warn);
  const parts: FileParts = { file, symposium, items, docs, notes: authorNotes(items, docs, warn), warn, ...binding };
  const usedSlugs = new Set<string>();
  const essays = docs.map((doc, d): Essay => {
    let slug = slugOf(doc, symposium, file);
    for (let n = 2; usedSlugs.has(slug); n++) slug = `${slugOf(doc, symposium, file)}-${n}`;
    usedSlugs.add(slug);
    return essayOf(parts, d, slug);
  });
  if (essays.length === 0) warn(0, text.trim() === '' ? W.emptyFile : W.noEssay);

  // Built to the model's types; the tests hold it to the zod schema as well. Not parsed with
  // the schema here: zod's parse copies every object of the file, a large corpus's worth of
  // garbage at every load (what the bot reads from outside, a cache file or metadata, is
  // checked where it is read).
  return {
    file,
    symposium,
    essays,
    warnings: withPages(warnings, items).sort((a, b) => a.line - b.line),
    hash: hash ?? createHash('sha256').update(text).digest('hex'),
    issue: issueOf(headers, essays),
  };
}

/** Document `d` of the file as an Essay: its sections and paragraphs numbered, its notes bound, its front matter read. */
function essayOf(parts: FileParts, d: number, slug: string): Essay {
  const { file, symposium, items, docs, owner, markers, notes, warn } = parts;
  const doc = docs[d] as DraftDoc;
  const end = docs[d + 1]?.item ?? items.length;
  const front = items.slice(doc.item, end).filter(isFront);
  const matter = articleMatter(front);

  const footnotes = [...owner.entries()]
    .filter(([, o]) => o.doc === d)
    .sort((a, b) => a[1].number - b[1].number)
    .map(([note, o]) => footnoteOf(note, o.number));
  const noteNumber = (note: NoteItem) => {
    const o = owner.get(note);
    return o && o.doc === d ? o.number : null;
  };
  let flat = 0;
  const body: Section[] = doc.sections.map((s) => ({
    heading: s.heading,
    level: s.level,
    path: s.path,
    part: 'body' as const,
    paragraphs: s.paragraphs.map((p) => {
      const index = flat++;
      return paragraphOf(p, `${slug}.${index + 1}`, index + 1, markers[d]?.[index] ?? [], noteNumber);
    }),
  }));
  const abstracts = [
    abstractSection(matter.abstractItem, 'abstract', slug, items.indexOf(matter.abstractItem as Item)),
    abstractSection(matter.englishAbstractItem, 'english', slug, items.indexOf(matter.englishAbstractItem as Item)),
  ];
  const authors = authorsOf(doc.authors, notes, aboutAuthors(front));
  // A remark after an author's affiliation (`本文为…成果`, `感谢…`) is the article's, not the author's.
  const remarks = doc.authors.map((name) => notes.get(name)?.parts).filter((p) => p !== undefined);
  const { abstractItem: _a, englishAbstractItem: _e, ...fields } = matter;
  const essay: Essay = {
    id: slug,
    kind: doc.kind,
    file,
    symposium,
    title: doc.title,
    authors,
    sections: [...(abstracts[0] ? [abstracts[0]] : []), ...body, ...(abstracts[1] ? [abstracts[1]] : [])],
    footnotes,
    line: doc.line,
    pages: pageRange([
      (items[doc.item] as Item).page,
      ...doc.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.pieces.map((piece) => piece.page))),
      ...footnotes.map((f) => f.page),
      ...front.flatMap((f) => [f.page, f.lastPage ?? null]),
    ]),
    ...fields,
    funding: fields.funding ?? remarks.find((r) => r.funding !== null)?.funding ?? null,
    acknowledgements: remarks.find((r) => r.acknowledgements !== null)?.acknowledgements ?? null,
  };
  for (const a of essay.authors) {
    if (a.affiliation === null) warn(doc.authorLine, W.noAffiliation(a.name));
  }
  resolveShortForms(essay, warn);
  proofRead(essay, doc, front, items, end, warn);
  return essay;
}

/** The printed issue the file's running headers name, or else the one an article number gives. */
function issueOf(headers: Array<{ text: string }>, essays: Essay[]): CorpusFile['issue'] {
  const printedIssue = commonIssue(headers.map((h) => h.text));
  const numbered = essays.map((e) => e.classification?.articleNumber).find((n) => n != null);
  const fromNumber = numbered ? issueOfArticleNumber(numbered) : null;
  return printedIssue ?? (fromNumber ? { journal: null, ...fromNumber } : null);
}

/** A file with page breaks (a PDF's text, a pdftotext dump) says on which page each warning is. */
function withPages(warnings: CorpusWarning[], items: Item[]): CorpusWarning[] {
  const pageOfLine = new Map(items.map((item) => [item.line, item.page]));
  return warnings.map((w) => {
    const page = pageOfLine.get(w.line);
    return page == null ? w : { ...w, page };
  });
}
