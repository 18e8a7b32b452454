import { createHash } from 'node:crypto';
import type { Author, CorpusFile, CorpusWarning, Essay, Footnote, Marker, Paragraph, Section } from './model.js';
import { pinyin } from './pinyin.js';
import { CIRCLED, endsSentence, extractUrls, isHan, joinPieces, MARKER, pageLocator, splitSentences, toDisplay } from './text.js';

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

/** Every item knows the printed page it is on: null until the file's first page break says. */
type Item =
  | { kind: 'text'; raw: string; line: number; page: number | null }
  | { kind: 'note'; mark: string; raw: string; body: string; line: number; page: number | null }
  | { kind: 'star'; raw: string; body: string; line: number; page: number | null };

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

/**
 * A page break: a form feed (U+000C) at the start of a line, as pdftotext and the PDF reader
 * write them, followed by the printed number of the page it starts (`\f17`). A bare form feed
 * starts the page after the last one.
 */
const PAGE_BREAK = /^\f\s*(\d{1,5})?\s*$/u;
const NOTE_LINE = new RegExp(`^\\s*\\^?([${CIRCLED}])\\s*(.*)$`, 'u');
const STAR_LINE = /^\s*[*＊]\s*(.*)$/u;
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
const HAN_NAME = /^[\p{Script=Han}·]{2,6}$/u;
const LATIN_NAME = /^[A-Z][\p{L}.'-]+(?: [A-Z][\p{L}.'-]*){1,3}$/u;
const HEADING_MAX = 40;
const TITLE_MAX = 80;

/**
 * A copy of `text` that shares no memory with the string it was cut from. A line of `split`
 * is a slice of the file's text, and so is whatever the model keeps of it (a note's raw
 * line, a title): one such string kept the whole file in memory (at 1000× the bundled
 * corpus, 4 MB of the 55 a parsed corpus held). Items keep copies, which let the file go.
 */
function detached(text: string): string {
  // A concatenation is flattened into a string of its own when it is next read; V8 has no
  // other way to ask for a copy.
  return ` ${text}`.slice(1);
}

/** Reads a file's text (BOM and CRLF already handled by the loader) into items. */
function readItems(text: string): Item[] {
  const items: Item[] = [];
  const lines = text.split('\n');
  let current: Item | null = null;
  let page: number | null = null;
  lines.forEach((rawLine, index) => {
    const line = index + 1;
    const pageBreak = PAGE_BREAK.exec(rawLine);
    if (pageBreak) {
      page = pageBreak[1] !== undefined ? Number(pageBreak[1]) : (page ?? 0) + 1;
      current = null;
      return;
    }
    const content = rawLine.replace(/\s+$/u, '').replace(/\f/gu, '');
    if (content.trim() === '') {
      current = null;
      return;
    }
    const note = NOTE_LINE.exec(content);
    const star = note ? null : STAR_LINE.exec(content);
    if (note) {
      current = { kind: 'note', mark: note[1] as string, raw: detached(content.trim()), body: detached((note[2] as string).trim()), line, page };
      items.push(current);
    } else if (star && (star[1] as string).trim() !== '') {
      current = { kind: 'star', raw: detached(content.trim()), body: detached((star[1] as string).trim()), line, page };
      items.push(current);
    } else if (current !== null) {
      // A hard-wrapped line continues the block (text or note) it stands in.
      const c: Item = current;
      c.raw = joinPieces(c.raw, content);
      if (c.kind !== 'text') c.body = joinPieces(c.body, content);
    } else {
      current = { kind: 'text', raw: detached(content.trim()), line, page };
      items.push(current);
    }
  });
  return items;
}

/**
 * Display text of a raw block. Working out what a block is asks for it several times (title?
 * heading? does the paragraph read on?), so one parse keeps each; parsing is synchronous, and
 * the memo is emptied when it ends.
 */
let displayMemo = new Map<string, string>();

function displayOf(raw: string): string {
  let display = displayMemo.get(raw);
  if (display === undefined) {
    display = toDisplay(raw).text;
    displayMemo.set(raw, display);
  }
  return display;
}

/** The level of a heading (see HEADING_LEVELS); named headings are of the first. */
function headingLevel(raw: string): number {
  return HEADING_LEVELS.find(([re]) => re.test(raw))?.[1] ?? 1;
}

function isHeading(raw: string): boolean {
  if (NAMED_HEADING.test(raw)) return true;
  const display = displayOf(raw);
  return HEADING_LEVELS.some(([re]) => re.test(raw)) && display.length <= HEADING_MAX && !endsSentence(display);
}

function authorNames(raw: string): string[] | null {
  const line = raw.replace(/[*＊]+\s*$/u, '').trim();
  const names = line.split(/[\s、，,　]+/u).filter((n) => n !== '');
  if (names.length === 0 || names.length > 6) return null;
  if (names.every((n) => HAN_NAME.test(n))) return names;
  if (LATIN_NAME.test(line)) return [line];
  const latin = line.split(/\s*(?:,|、|，| and |&)\s*/u).filter((n) => n !== '');
  if (latin.length > 1 && latin.every((n) => LATIN_NAME.test(n))) return latin;
  return null;
}

function isTitleCandidate(raw: string): boolean {
  const display = displayOf(raw);
  // A title does not stop on a mark that opens or continues a clause.
  if (/[，、；“《（,;(]$/u.test(display)) return false;
  return display.length >= 2 && display.length <= TITLE_MAX && !endsSentence(display) && !EDITORS_NOTE.test(raw) && !isHeading(raw);
}

/** Whether the previous paragraph reads on into the next text block (a page break cut it). */
function readsOn(paragraph: DraftParagraph, notesBetween: boolean): boolean {
  const last = paragraph.pieces[paragraph.pieces.length - 1];
  if (!last) return false;
  const text = displayOf(last.raw);
  if (endsSentence(text)) return false;
  if (notesBetween) return true;
  // With no footnotes printed between them, only a block that stops mid-clause reads on:
  // one ending with a colon usually introduces a list printed as separate paragraphs.
  const end = text.replace(new RegExp(`\\^[${CIRCLED}]$`, 'u'), '').at(-1) ?? '';
  return isHan(end) || /[\p{L}\p{N}，、；（“《,;(]/u.test(end);
}

interface Structure {
  symposium: string | null;
  docs: DraftDoc[];
}

function buildStructure(items: Item[], file: string, warn: (line: number, message: string) => void): Structure {
  const docs: DraftDoc[] = [];
  const starNames = new Set(items.flatMap((item) => (item.kind === 'star' ? readAffiliations(item.body).map((a) => a.name) : [])));
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
    if (isTitleCandidate(raw)) {
      let j = nextText(i);
      let title = displayOf(raw);
      const maybeSubtitle = j >= 0 ? (items[j] as Item).raw : '';
      if (/^\s*[—－-]{1,2}/u.test(maybeSubtitle) && isTitleCandidate(maybeSubtitle)) {
        title = `${title}${displayOf(maybeSubtitle)}`;
        j = nextText(j);
      }
      const names = j >= 0 ? authorNames((items[j] as Item).raw) : null;
      // After a paragraph cut mid-sentence, a short block is far more likely its continuation
      // than the next essay: only an author named by an affiliation note outweighs that.
      const confirmed = names?.every((n) => starNames.has(n));
      if (names && (confirmed || !(open && readsOn(open, notesSinceText)))) {
        if (open && readsOn(open, false)) {
          const last = open.pieces[open.pieces.length - 1] as Piece;
          warn(last.line, 'paragraph ends mid-sentence: its continuation is not in the file');
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

    if (open && readsOn(open, notesSinceText) && !isHeading(raw)) {
      open.pieces.push({ raw, line: item.line, item: i, page: item.page });
      notesSinceText = false;
      continue;
    }

    if (doc === null) {
      warn(item.line, 'text before any essay title and author line: kept as a document with no author');
      doc = { kind: 'essay', title: file.replace(/\.(?:txt|pdf)$/iu, ''), authors: [], line: item.line, authorLine: item.line, item: i, sections: [] };
      docs.push(doc);
    }

    if (isHeading(raw)) {
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

  if (open && readsOn(open, false)) {
    const last = open.pieces[open.pieces.length - 1] as Piece;
    warn(last.line, 'paragraph ends mid-sentence at the end of the file: its continuation is not in the file');
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

/** Names listed together before one affiliation: `王某、李某、赵某`, `王某 李某`, `王某和李某`, `John Smith and Jane Doe`. */
function splitNames(names: string): string[] {
  return names
    .split(/\s*(?:[、，,／/&]|\band\b)\s*|(?<=\p{Script=Han})\s+(?=\p{Script=Han})|(?<=^\p{Script=Han}{2,4})[和与及](?=\p{Script=Han}{2,4}$)/u)
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

function cleanAffiliation(text: string): string | null {
  const affiliation = text
    .replace(/[。.]\s*$/u, '')
    // The postal address in brackets is for the journal's correspondence, not the affiliation.
    .replace(/\s*[（(][^（）()]*\d{5,6}[^（）()]*[）)]\s*$/u, '')
    .replace(/[。.，,]\s*$/u, '')
    .trim();
  return affiliation === '' ? null : affiliation;
}

/**
 * Splits an affiliation note into names and affiliations. One entry per `；`, each a name (or
 * names) and the affiliation they share: `张三，某大学…教授（北京 100000）。`,
 * `王某、李某、赵某，北京大学…`, `王某，北京大学…；李某，清华大学…`. `known` holds the file's
 * author names, so that `王某，李某，北京大学…` reads as two authors and one affiliation.
 */
function readAffiliations(body: string, known: ReadonlySet<string> = new Set()): Author[] {
  const display = toDisplay(body).text;
  return display
    .split(/[；;]/u)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .flatMap((entry) => {
      const head = /^([^，,：:]+)[，,：:]\s*/u.exec(entry);
      if (!head) return [{ name: entry, affiliation: null }];
      const names = splitNames(head[1] as string);
      let rest = entry.slice(head[0].length);
      // `王某，李某，北京大学…`: a part that is only known author names is more authors, not the affiliation.
      for (let more = /^([^，,：:]+)[，,：:]\s*/u.exec(rest); more; more = /^([^，,：:]+)[，,：:]\s*/u.exec(rest)) {
        const listed = splitNames(more[1] as string);
        if (!listed.every((n) => known.has(n))) break;
        names.push(...listed);
        rest = rest.slice(more[0].length);
      }
      const affiliation = cleanAffiliation(rest);
      return names.map((name) => ({ name, affiliation }));
    });
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
      else warn(note.line, `footnote ${note.mark} (${note.text}) is 同上 but no note comes before it`);
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
      warn(note.line, `footnote ${note.mark} is a short form (${note.text}) with no full citation in the essay`);
    }
  });
}

/** The first and last of the pages known, or null when none is. */
function pageRange(pages: Array<number | null>): [number, number] | null {
  const known = pages.filter((p): p is number => p !== null);
  return known.length === 0 ? null : [Math.min(...known), Math.max(...known)];
}

/** Parses one corpus file. Never throws: what it cannot resolve becomes a warning. */
export function parseCorpusFile(file: string, text: string, hash?: string): CorpusFile {
  const warnings: CorpusWarning[] = [];
  const warn = (line: number, message: string) => warnings.push({ file, line, message });
  const items = readItems(text);
  let structure: Structure;
  try {
    structure = buildStructure(items, file, warn);
  } finally {
    displayMemo = new Map();
  }
  const { symposium, docs } = structure;

  // Pass 3: bind markers to notes. A group is the run of note items between two text items;
  // a page's notes are one group, whether or not the next essay has begun above them.
  const groupOf: number[] = items.map(() => -1);
  const groups: Array<{ first: number; notes: Map<string, Extract<Item, { kind: 'note' }>> }> = [];
  items.forEach((item, index) => {
    if (item.kind === 'text') return;
    const previous = index > 0 ? items[index - 1] : undefined;
    if (!previous || previous.kind === 'text') groups.push({ first: index, notes: new Map() });
    const group = groups[groups.length - 1] as (typeof groups)[number];
    groupOf[index] = groups.length - 1;
    if (item.kind === 'note') {
      if (group.notes.has(item.mark)) warn(item.line, `footnote ${item.mark} is printed twice in one block of notes`);
      else group.notes.set(item.mark, item);
    }
  });
  const groupAfter = (itemIndex: number) => groups.find((g) => g.first > itemIndex && g.notes.size > 0);

  const owner = new Map<Extract<Item, { kind: 'note' }>, { doc: number; number: number }>();
  const essays: Essay[] = [];
  const usedSlugs = new Set<string>();
  const draftMarkers: Array<Array<Array<{ mark: string; note: Extract<Item, { kind: 'note' }> | undefined; line: number }>>> = [];

  docs.forEach((doc, d) => {
    let next = 1;
    const perParagraph: Array<Array<{ mark: string; note: Extract<Item, { kind: 'note' }> | undefined; line: number }>> = [];
    for (const s of doc.sections) {
      for (const p of s.paragraphs) {
        const found: Array<{ mark: string; note: Extract<Item, { kind: 'note' }> | undefined; line: number }> = [];
        for (const piece of p.pieces) {
          for (const m of piece.raw.matchAll(MARKER)) {
            const mark = m[1] as string;
            const note = groupAfter(piece.item)?.notes.get(mark);
            if (!note) warn(piece.line, `marker ${mark} has no note: no ${mark} in the notes printed after it`);
            else if (!owner.has(note)) owner.set(note, { doc: d, number: next++ });
            else warn(piece.line, `marker ${mark} points at a note another marker already took (line ${note.line})`);
            found.push({ mark, note, line: piece.line });
          }
        }
        perParagraph.push(found);
      }
    }
    draftMarkers.push(perParagraph);
  });

  // A note no marker points at is kept, in the essay it is printed in, so no source is lost.
  const docAt = (itemIndex: number) => {
    let found = -1;
    docs.forEach((doc, d) => {
      if (doc.item <= itemIndex) found = d;
    });
    return found;
  };
  for (const group of groups) {
    for (const note of group.notes.values()) {
      if (owner.has(note)) continue;
      const d = docAt(group.first);
      warn(note.line, `footnote ${note.mark} has no marker in the text before it`);
      if (d < 0) continue;
      const count = [...owner.values()].filter((o) => o.doc === d).length;
      owner.set(note, { doc: d, number: count + 1 });
    }
  }

  const affiliations = items.filter((i): i is Extract<Item, { kind: 'star' }> => i.kind === 'star');
  const affiliationOf = new Map<string, string | null>();
  const authorNamesInFile = new Set(docs.flatMap((doc) => doc.authors));
  for (const star of affiliations) {
    for (const a of readAffiliations(star.body, authorNamesInFile)) {
      if (docs.some((doc) => doc.authors.includes(a.name))) affiliationOf.set(a.name, a.affiliation);
      else warn(star.line, `affiliation note names ${a.name}, who is not the author of any essay in the file`);
    }
  }

  docs.forEach((doc, d) => {
    let slug = slugOf(doc, symposium, file);
    for (let n = 2; usedSlugs.has(slug); n++) slug = `${slugOf(doc, symposium, file)}-${n}`;
    usedSlugs.add(slug);

    const footnotes: Footnote[] = [...owner.entries()]
      .filter(([, o]) => o.doc === d)
      .sort((a, b) => a[1].number - b[1].number)
      .map(([note, o]) => {
        const display = toDisplay(note.body).text;
        return {
          number: o.number,
          mark: note.mark,
          text: display,
          locator: pageLocator(display),
          raw: note.raw,
          urls: extractUrls(display),
          refersTo: null,
          form: 'full' as const,
          line: note.line,
          page: note.page,
        };
      });

    let paragraphNumber = 0;
    let flat = 0;
    const sections: Section[] = doc.sections.map((s) => ({
      heading: s.heading,
      level: s.level,
      path: s.path,
      paragraphs: s.paragraphs.map((p): Paragraph => {
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
        const bound = draftMarkers[d]?.[flat++] ?? [];
        const markers: Marker[] = display.markers.map((m, k) => {
          const note = bound[k]?.note;
          const o = note ? owner.get(note) : undefined;
          return { offset: m.offset, mark: m.mark, footnote: o && o.doc === d ? o.number : null };
        });
        paragraphNumber++;
        return {
          id: `${slug}.${paragraphNumber}`,
          number: paragraphNumber,
          text: display.text,
          // One string when the two are alike (no markers, no layout spaces): most paragraphs.
          raw: raw === display.text ? display.text : raw,
          markers,
          sentences: splitSentences(display.text),
          lines: p.pieces.map((piece) => piece.line),
          pages,
        };
      }),
    }));

    const essay: Essay = {
      id: slug,
      kind: doc.kind,
      file,
      symposium,
      title: doc.title,
      authors: doc.authors.map((name) => ({ name, affiliation: affiliationOf.get(name) ?? null })),
      sections,
      footnotes,
      line: doc.line,
      pages: pageRange([
        (items[doc.item] as Item).page,
        ...doc.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.pieces.map((piece) => piece.page))),
        ...footnotes.map((f) => f.page),
      ]),
    };
    for (const a of essay.authors) {
      if (a.affiliation === null) warn(doc.authorLine, `no affiliation note (*) for ${a.name}`);
    }
    resolveShortForms(essay, warn);
    essays.push(essay);
  });

  if (essays.length === 0) warn(0, text.trim() === '' ? 'file is empty' : 'no essay found (a title followed by an author line)');

  // A file with page breaks (a PDF's text, a pdftotext dump) says on which page each warning is.
  const pageOfLine = new Map(items.map((item) => [item.line, item.page]));
  const paged = warnings.map((w) => {
    const page = pageOfLine.get(w.line);
    return page == null ? w : { ...w, page };
  });

  // Built to the model's types; the tests hold it to the zod schema as well. Not parsed with
  // the schema here: zod's parse copies every object of the file, a large corpus's worth of
  // garbage at every load (what the bot reads from outside, a cache file or metadata, is
  // checked where it is read).
  return {
    file,
    symposium,
    essays,
    warnings: paged.sort((a, b) => a.line - b.line),
    hash: hash ?? createHash('sha256').update(text).digest('hex'),
  };
}
