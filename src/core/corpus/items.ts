import { type FrontField, isIssueLine, splitLabels } from './front-matter.js';
import { endsSentence, isCircled, joinPieces, MARK, MARKER, markNumber, toDisplay } from './text.js';

/*
 * The parser's first pass: a file's lines as items. A text block, a numbered note, an
 * affiliation note (`*`), or a labelled part of the front or back matter (`【关键词】…`,
 * `Abstract: …`), each with its first line and printed page. Page breaks are a form feed and
 * the page's printed number (`\f17`), with the page's running header after a tab when the
 * PDF reader saw one (`\f18\t某学刊　2026年第1期`).
 */

/** Every item knows the printed page it is on: null until the file's first page break says. */
export type Item =
  | {
      kind: 'text';
      raw: string;
      line: number;
      page: number | null;
      /** The block's first line is indented (`　　`, two spaces or a tab): it starts a paragraph. */
      indented: boolean;
      /** The first text block after a page break. */
      pageTop: boolean;
    }
  | { kind: 'note'; mark: string; raw: string; body: string; line: number; page: number | null }
  | { kind: 'star'; raw: string; body: string; line: number; page: number | null }
  | {
      kind: 'front';
      field: FrontField;
      raw: string;
      body: string;
      line: number;
      page: number | null;
      /** The page its last line is on, when lines on later pages went on with it. */
      lastPage?: number | null;
    };

export type NoteItem = Extract<Item, { kind: 'note' }>;
export type FrontItem = Extract<Item, { kind: 'front' }>;

/** What the first pass reads: the items, and each page's running header. */
export interface ReadItems {
  items: Item[];
  headers: Array<{ page: number | null; text: string; line: number }>;
}

const PAGE_BREAK = /^\f[ \t]*(\d{1,5})?[ \t]*(?:\t(.*))?$/u;
const STAR_LINE = /^\s*[*＊]\s*(.*)$/u;
const INDENT = /^(?:\u3000|\s{2,}|\t)/u;
const HAN = /\p{Script=Han}/u;

/*
 * A note line starts with its label. Glyph alphabets (①, ➀, ❶, ⑴) and superscript digits
 * are labels bare or after `^`; digits (`1`, `[1]`, `1)`) only after `^`, or bare in a file
 * whose markers are written that way, since a line of text may well start with `1)` or `[1]`.
 */
const NOTE_LINE = new RegExp(`^\\s*\\^(${MARK})\\s*(.*)$`, 'u');
const BARE_GLYPH_LINE = /^\s*([\p{No}])\s*(.*)$/u;
const SUPERSCRIPT_LINE = /^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*(.*)$/u;
const BRACKET_LINE = /^\s*(\[\d{1,3}\])\s*(.*)$/u;
const PAREN_LINE = /^\s*(\d{1,3}\))\s*(.*)$/u;

/**
 * A copy of `text` that shares no memory with the string it was cut from. A line of `split`
 * is a slice of the file's text, and so is whatever the model keeps of it (a note's raw
 * line, a title): one such string keeps the whole file in memory (docs/decisions.md,
 * 2026-12-02). Items keep copies, which let the file go.
 */
export function detached(text: string): string {
  // A concatenation is flattened into a string of its own when it is next read; V8 has no
  // other way to ask for a copy.
  return ` ${text}`.slice(1);
}

/** Which bare labels a file's notes may have: those of the alphabets its `^` markers use. */
interface BareLabels {
  /** Note numbers whose glyph alphabet (by its first code point) the file's markers use; ① always. */
  alphabets: Set<number>;
  superscripts: boolean;
  brackets: boolean;
  parens: boolean;
}

/** The alphabet a glyph is of: the mark standing for 1 in its run. */
function alphabetOf(glyph: string): number {
  const code = glyph.codePointAt(0) ?? 0;
  return code - markNumber(glyph) + 1;
}

function bareLabels(text: string): BareLabels {
  const alphabets = new Set([alphabetOf('①')]);
  for (const m of text.matchAll(MARKER)) if (isCircled(m[1] as string)) alphabets.add(alphabetOf(m[1] as string));
  return { alphabets, superscripts: /\^[⁰¹²³⁴⁵⁶⁷⁸⁹]/u.test(text), brackets: /\^\[\d/u.test(text), parens: /\^\d{1,3}\)/u.test(text) };
}

/*
 * A line of text may start with `⑴`, `❶` or `²` as an enumeration: a bare label is taken for
 * a note's only in an alphabet the file's markers use (`①` always, as the format has it).
 */
function noteLabel(content: string, bare: BareLabels): [mark: string, body: string] | null {
  const m =
    NOTE_LINE.exec(content) ??
    (() => {
      const glyph = BARE_GLYPH_LINE.exec(content);
      if (glyph && isCircled(glyph[1] as string) && bare.alphabets.has(alphabetOf(glyph[1] as string))) return glyph;
      return (
        (bare.superscripts ? SUPERSCRIPT_LINE.exec(content) : null) ??
        (bare.brackets ? BRACKET_LINE.exec(content) : null) ??
        (bare.parens ? PAREN_LINE.exec(content) : null)
      );
    })();
  return m ? [m[1] as string, m[2] as string] : null;
}

/** The lines that open two pages or more, right after the page break: running headers. */
function repeatedPageOpenings(lines: string[]): Set<string> {
  const seen = new Map<string, number>();
  lines.forEach((line, i) => {
    if (!PAGE_BREAK.test(line)) return;
    const next = lines.slice(i + 1, i + 4).find((l) => l.trim() !== '');
    if (next !== undefined && !PAGE_BREAK.test(next)) seen.set(next.trim(), (seen.get(next.trim()) ?? 0) + 1);
  });
  return new Set([...seen].filter(([, n]) => n >= 2).map(([line]) => line));
}

/** Reads a file's text (BOM and CRLF already handled by the loader) into items. */
export function readItems(text: string): ReadItems {
  const items: Item[] = [];
  const headers: ReadItems['headers'] = [];
  const bare = bareLabels(text);
  const lines = text.split('\n');
  const repeated = repeatedPageOpenings(lines);
  let current: Item | null = null;
  let page: number | null = null;
  /** After a page break, until its first block: a line there may be the running header. */
  let pageStart = false;
  let pageTop = false;
  lines.forEach((rawLine, index) => {
    const line = index + 1;
    const pageBreak = PAGE_BREAK.exec(rawLine);
    if (pageBreak) {
      page = pageBreak[1] !== undefined ? Number(pageBreak[1]) : (page ?? 0) + 1;
      if (pageBreak[2]?.trim()) headers.push({ page, text: detached(pageBreak[2].trim()), line });
      current = null;
      pageStart = true;
      pageTop = true;
      return;
    }
    const content = rawLine.trimEnd().replace(/\f/gu, '');
    if (content.trim() === '') {
      current = null;
      return;
    }
    // A text dump keeps the running header as the page's first line: one that names an
    // issue, or that several pages open with (a short title on every odd page).
    // A line that says nothing but the issue is one wherever it stands (a masthead, the English block's).
    if (current === null && ((pageStart && content.trim().length <= 60 && repeated.has(content.trim())) || isIssueLine(content))) {
      headers.push({ page, text: detached(content.trim()), line });
      pageStart = false;
      return;
    }
    pageStart = false;
    const note = noteLabel(content, bare);
    const star = note ? null : STAR_LINE.exec(content);
    // A note's wrapped line may well start `DOI:`: only a bracketed label (`【作者简介】`) ends a note.
    const inNote = current !== null && (current.kind === 'note' || current.kind === 'star');
    const labelled = note || star || (inNote && !/^\s*[【［〔[]/u.test(content)) ? null : splitLabels(content.trim());
    if (note) {
      current = { kind: 'note', mark: note[0], raw: detached(content.trim()), body: detached(note[1].trim()), line, page };
      items.push(current);
    } else if (star && (star[1] as string).trim() !== '') {
      current = { kind: 'star', raw: detached(content.trim()), body: detached((star[1] as string).trim()), line, page };
      items.push(current);
    } else if (labelled && labelled.lead === '' && labelled.parts.length > 0) {
      current = { kind: 'front', field: (labelled.parts[0] as { field: FrontField }).field, raw: detached(content.trim()), body: '', line, page };
      items.push(current);
    } else if (current !== null) {
      // A hard-wrapped line continues the block (text or note) it stands in.
      const c: Item = current;
      c.raw = joinPieces(c.raw, content);
      if (c.kind === 'note' || c.kind === 'star') c.body = joinPieces(c.body, content);
    } else {
      current = { kind: 'text', raw: detached(content.trim()), line, page, indented: INDENT.test(content), pageTop };
      items.push(current);
      pageTop = false;
    }
  });
  return { items: joinCarriedNotes(markEnglishMatter(splitLabelled(items))), headers };
}

/**
 * Whether the file marks paragraphs by indenting their first line (a PDF's text does, and
 * `pdftotext -layout`): most of its blocks of a sentence or more (twenty characters; a title,
 * author line or heading is shorter) start indented. A short article has few paragraphs, so
 * two such blocks are enough to tell.
 */
export function indentsParagraphs(items: Item[]): boolean {
  const blocks = items.filter((i): i is Extract<Item, { kind: 'text' }> => i.kind === 'text' && i.raw.length >= 20);
  return blocks.length >= 2 && blocks.filter((i) => i.indented).length >= blocks.length * 0.6;
}

/**
 * A note too long for its page goes on at the top of the next page's notes, unlabelled: in
 * the text, a block just before that page's first note. It is taken for the end of the page
 * before's last note only when that note stops mid-sentence; otherwise it is text.
 */
function joinCarriedNotes(items: Item[]): Item[] {
  const indentAware = indentsParagraphs(items);
  // Only a file that indents its paragraphs tells a note's end from text: there a block that
  // neither opens its page (the end of a paragraph cut by the break) nor is indented (a
  // paragraph of its own) is no body text. A file without indents keeps every block as text.
  if (!indentAware) return items;
  let lastNote: NoteItem | null = null;
  const out: Item[] = [];
  items.forEach((item, i) => {
    const next = items[i + 1];
    if (
      item.kind === 'text' &&
      next?.kind === 'note' &&
      lastNote !== null &&
      item.page !== null &&
      lastNote.page !== null &&
      lastNote.page < item.page &&
      next.page === item.page &&
      !item.indented &&
      !item.pageTop &&
      !endsSentence(toDisplay(lastNote.body).text)
    ) {
      lastNote.raw = joinPieces(lastNote.raw, item.raw);
      lastNote.body = joinPieces(lastNote.body, item.raw);
      return;
    }
    if (item.kind === 'note') lastNote = item;
    out.push(item);
  });
  return out;
}

/**
 * Labelled blocks taken apart: a front item holding several labels becomes one item per
 * label, and a text block with a label inside it (`【关键词】` glued after a line, an English
 * block run together by the PDF reader) is cut before it.
 */
function splitLabelled(items: Item[]): Item[] {
  return items.flatMap((item): Item[] => {
    if (item.kind !== 'front' && item.kind !== 'text') return [item];
    // Chinese prose may name an abstract; only a block with no Chinese in it is cut at an English label.
    const { lead, parts } = splitLabels(item.raw);
    const usable = parts.filter((p) => item.kind === 'front' || !p.field.startsWith('en') || !HAN.test(item.raw));
    if (usable.length === 0 || (item.kind === 'text' && usable.length !== parts.length)) return [item];
    const front = usable.map((p): Item => ({ kind: 'front', field: p.field, raw: item.raw, body: detached(p.body), line: item.line, page: item.page }));
    return lead === '' || item.kind === 'front' ? front : [{ ...item, raw: detached(lead) }, ...front];
  });
}

/** Whether a text block has no Chinese in it: a line of the English block. */
function isLatin(item: Item): boolean {
  return item.kind === 'text' && !HAN.test(item.raw) && /[A-Za-z]/u.test(item.raw);
}

/**
 * The English block's unlabelled lines: the title and the author line stand just before
 * `Abstract:` (the author line last), and lines in English after a labelled English part
 * continue it (an abstract of two paragraphs, one line per author under About the Authors).
 */
function markEnglishMatter(items: Item[]): Item[] {
  items.forEach((item, i) => {
    if (item.kind !== 'front' || item.field !== 'enAbstract') return;
    const before: number[] = [];
    for (let j = i - 1; j >= 0 && before.length < 4; j--) {
      const other = items[j] as Item;
      if (other.kind === 'note' || other.kind === 'star') continue;
      if (!isLatin(other)) break;
      before.unshift(j);
    }
    before.forEach((j, k) => {
      const other = items[j] as Extract<Item, { kind: 'text' }>;
      const field = k === before.length - 1 && before.length > 1 ? 'enAuthors' : 'enTitle';
      items[j] = { kind: 'front', field, raw: other.raw, body: other.raw, line: other.line, page: other.page };
    });
  });
  let open: FrontItem | null = null;
  items.forEach((item, i) => {
    // Notes and the first page's author notes printed between (at a page's foot) interrupt nothing.
    if (item.kind === 'front' && item.field.startsWith('en')) open = item.field !== 'enTitle' && item.field !== 'enAuthors' ? item : null;
    else if (item.kind === 'text') {
      if (open && isLatin(item)) {
        const o: FrontItem = open;
        // About the Authors lists one author a line: keep them apart for the matching.
        o.lastPage = item.page;
        if (o.body === '') o.body = item.raw;
        else o.body = o.field === 'enAbout' ? `${o.body}；${item.raw}` : joinPieces(o.body, item.raw);
        items[i] = { kind: 'front', field: o.field, raw: item.raw, body: '', line: item.line, page: item.page };
      } else open = null;
    }
  });
  return items.filter((item) => item.kind !== 'front' || item.body !== '');
}
