import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { en } from '../words/en.js';
import { startsWithLabel } from './front-matter.js';
import { endsSentence, isCircled, joinPieces, NOTE_GLYPHS, rejoinUrls } from './text.js';

/** What a corpus file that looks wrong is told (see the catalogue: operator.warnings). */
const W = en.operator.warnings;

/*
 * A born-digital journal PDF as the text the parser reads: each printed page opens with a
 * form feed and its printed number (`\f17`), then its body blocks, then its notes, one block
 * each, exactly as our text dumps are laid out. The PDF and a text dump of the same essays
 * therefore make the same model, and the pages come with it.
 *
 * Everything is read from pdf.js's positioned text items (x, y, size, font), never from a
 * plain-text dump:
 * - the body size is the size with the most characters; the body font likewise;
 * - the top and bottom bands of a page hold the running header and the footer, and the
 *   footer's number (`· 17 ·`, `— 17 —`, `17`) is the printed page;
 * - lines of text smaller than the body at the foot of the page, from the first that starts
 *   with a circled number or `*`, are the notes; a line there without a label continues the
 *   note above it, and at the top of a page's notes, the last note of the page before;
 * - a smaller glyph raised above its line is a note marker (`^①`);
 * - a body line indented from the page's left edge starts a paragraph; a line in another
 *   size or font (a title, the author line, a heading) is a block of its own;
 * - lines join without a space between Chinese characters, the spaces pdf.js infers from a
 *   justified line's letter spacing are dropped, and a URL broken across lines is rejoined.
 */

export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
}

export const PDF_LIMITS: PdfLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 300 };

export type PdfResult =
  | { ok: true; text: string; pages: number; warnings: Array<{ page: number | null; message: string }> }
  | { ok: false; page: number | null; message: string };

interface Item {
  str: string;
  x: number;
  y: number;
  size: number;
  width: number;
  font: string;
  /** pdf.js put a space item just after this one: the PDF itself spaces it from the next. */
  spaceAfter?: boolean;
}

interface Line {
  items: Item[];
  /** Baseline of the line's largest glyphs. */
  y: number;
  size: number;
  x: number;
  end: number;
  font: string;
  text: string;
  /** The widest horizontal gap between two of its glyphs: a column gutter when it is wide. */
  gap: number;
}

const require = createRequire(import.meta.url);
const PDFJS_DIR = dirname(require.resolve('pdfjs-dist/package.json'));

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import(pathToFileURL(join(PDFJS_DIR, 'legacy', 'build', 'pdf.mjs')).href) as Promise<PdfJs>;
  return pdfjs;
}

const HAN_OR_CJK_PUNCT = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’《》〈〉【】…—·]/u;
/**
 * A note's label at the start of a line: a glyph of a note alphabet (①, ➀, ❶, ⑴), a marker
 * the reader wrote (`^¹`, `^[1]`), `*`, superscript digits, or `[1]` / `1)` / `1.` in small
 * type; or a first-page note labelled `【作者简介】`, `基金项目：` and the like.
 */
const LABEL = new RegExp(`^\\s*(?:[${NOTE_GLYPHS}]|\\^|[*＊]|[⁰¹²³⁴⁵⁶⁷⁸⁹]|\\[\\d{1,3}\\]|\\d{1,3}(?:[).．]|\\s)(?=\\s|\\p{Script=Han}|[A-Z]))`, 'u');
/** A label of plain digits (`1.`, `2)`): a wrapped note's next line may start so too. */
const DIGIT_LABEL = /^\s*\d/u;
const CIRCLED_MARK = new RegExp(`[${NOTE_GLYPHS}]`, 'u');
const LONE_MARK = new RegExp(`^\\s*[${NOTE_GLYPHS}]\\s*$`, 'u');
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** A label the bot does not know, at the start of a small line at a page's foot: a symbol, then text. */
const UNKNOWN_LABEL = /^\s*([^\p{L}\p{N}\s\p{P}])\s*\S/u;
const FOOTER_NUMBER = /^[\s·•—–\-―]*(\d{1,5})[\s·•—–\-―]*$/u;
/** Glyphs that stand for no character: control codes (glyph numbers), private use, the replacement character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control codes are exactly what a font without ToUnicode yields.
const PRIVATE_OR_REPLACEMENT = /[\u0000-\u0008\u000B-\u001F\uE000-\uF8FF\uFFFD]/gu;
/** ASCII symbols: glyph numbers read as character codes (a font with no ToUnicode map) come out as runs of them. */
const ASCII_SYMBOL = /[!-/:-@[-`{-~]/gu;

const round = (n: number) => Math.round(n * 2) / 2;

/** The value with the most characters behind it. */
function mostCommon<T>(items: Item[], key: (i: Item) => T): T | undefined {
  const counts = new Map<T, number>();
  for (const i of items) counts.set(key(i), (counts.get(key(i)) ?? 0) + i.str.length);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * The body's size: that of the lines that call notes (a raised marker is in the author's
 * text, never in a note, an abstract or a heading); in a PDF without markers, of the sizes
 * that set a good share of the text, the largest. Notes and abstracts are set smaller than
 * the body, and in a short article they may outweigh it; titles and headings are larger
 * but short.
 */
function bodySize(items: Item[], lines: Line[]): number {
  const marked = lines.filter((l) => l.text.includes('^') && !LABEL.test(l.text));
  const counts = new Map<number, number>();
  for (const i of marked.length >= 2 ? marked.flatMap((l) => l.items) : items) counts.set(i.size, (counts.get(i.size) ?? 0) + i.str.length);
  const most = Math.max(0, ...counts.values());
  const sizes = [...counts].filter(([, n]) => n >= most * 0.3).map(([s]) => s);
  return sizes.length > 0 ? Math.max(...sizes) : 10;
}

/**
 * The sizes the PDF's labelled notes are set in (a tenth of their text or more: a note of
 * Latin text may come out half a point larger than one of Chinese); empty for none.
 */
function noteSizesOf(lines: Line[]): number[] {
  const counts = new Map<number, number>();
  for (const l of lines) counts.set(l.size, (counts.get(l.size) ?? 0) + l.text.length);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return [...counts].filter(([, n]) => n >= total * 0.1).map(([s]) => s);
}

/** Items of one page grouped into lines, top to bottom, each left to right. */
function linesOf(items: Item[]): Line[] {
  // Largest first, so that a line exists before the small raised markers that belong to it.
  const sorted = [...items].sort((a, b) => b.size - a.size || b.y - a.y || a.x - b.x);
  const groups: Item[][] = [];
  // An item stands from its baseline up to about 0.8 of its size; two items whose spans
  // overlap by a third of the smaller are on one line (a raised marker on its line).
  const overlaps = (a: Item, b: Item) => {
    const low = Math.max(a.y, b.y);
    const high = Math.min(a.y + a.size * 0.8, b.y + b.size * 0.8);
    return high - low > Math.min(a.size, b.size) * 0.8 * 0.3;
  };
  for (const item of sorted) {
    const group = groups.find((g) => g.some((other) => other.size >= item.size * 0.99 && overlaps(item, other)));
    if (group) group.push(item);
    else groups.push([item]);
  }
  return groups
    .map((g) => {
      const size = Math.max(...g.map((i) => i.size));
      const main = g.filter((i) => i.size >= size * 0.85);
      const y = main.reduce((s, i) => s + i.y, 0) / main.length;
      const ordered = [...g].sort((a, b) => a.x - b.x);
      const font = mostCommon(main, (i) => i.font) ?? '';
      let gap = 0;
      for (let k = 1; k < ordered.length; k++) {
        const a = ordered[k - 1] as Item;
        gap = Math.max(gap, (ordered[k] as Item).x - (a.x + a.width));
      }
      return { items: ordered, y, size, x: ordered[0]?.x ?? 0, end: Math.max(...ordered.map((i) => i.x + i.width)), font, text: '', gap };
    })
    .sort((a, b) => b.y - a.y);
}

/** A line's text: markers as `^①`, no inferred spaces between Chinese characters. */
function lineText(line: Line): string {
  let out = '';
  let lastEnd: number | null = null;
  let spaceAfter = false;
  // The line's usual gap between single characters set one by one: the median, what
  // justification put between every two (none told by runs of several characters, such as
  // an author line or keywords, whose gaps are the spaces printed between them).
  const single = (item: Item) => Array.from(item.str.trim()).length === 1;
  const gaps = line.items
    .slice(1)
    .flatMap((item, k) => {
      const before = line.items[k] as Item;
      return single(item) && single(before) ? [item.x - (before.x + before.width)] : [];
    })
    .sort((a, b) => a - b);
  const spread = Math.max(0, gaps[Math.floor(gaps.length / 2)] ?? 0);
  for (const item of line.items) {
    const raised = item.size < line.size * 0.8 && item.y > line.y + line.size * 0.15;
    let str = item.str;
    if (raised && LONE_MARK.test(str)) str = `^${str.trim()}`;
    else if (raised && /^\s*[*＊]\s*$/u.test(str)) str = '*';
    // A raised number is a marker: written as superscript digits, which no text confuses with a number.
    else if (raised && /^\s*\d{1,3}\s*$/u.test(str)) str = `^${Array.from(str.trim(), (d) => SUPERSCRIPT[Number(d)]).join('')}`;
    else if (raised && /^\s*\[\d{1,3}\]\s*$/u.test(str)) str = `^${str.trim()}`;
    // A gap of a full character between two Chinese characters is a printed full-width space
    // (`张一鸣　李二乐`), which pdf.js leaves out: a character's width more than the spread
    // justification put between every two characters of the line.
    const wide = lastEnd === null ? 0 : item.x - lastEnd;
    if (wide > spread + line.size * 0.9 && /\p{Script=Han}$/u.test(out) && /^\p{Script=Han}/u.test(str)) out += '\u3000';
    // A gap wider than a third of the size between two Latin words is a space pdf.js left out.
    // A space between Latin words: pdf.js's own space item, or a gap it left without one.
    const gap = lastEnd !== null && (spaceAfter || item.x - lastEnd > line.size * 0.2);
    if (gap && /[A-Za-z0-9,.;:"'”’)]$/u.test(out) && /^[A-Za-z0-9(“"]/u.test(str)) out += ' ';
    out += str;
    lastEnd = item.x + item.width;
    spaceAfter = item.spaceAfter === true || /\s$/u.test(item.str);
  }
  return tidy(out);
}

/**
 * Drops the spaces a justified line puts between Chinese characters (and between them and
 * digits). A full-width space is printed, not inferred, and is kept.
 */
function tidy(text: string): string {
  let out = text.replace(/[^\S\u3000]+/gu, ' ');
  // A space stays only between Latin words: beside a Chinese character or a marker, or
  // between two digits (`2 0 2 4`, a justified line's letter spacing), it is not printed.
  const printed = (a: string, b: string) => {
    const cjk = (c: string) => HAN_OR_CJK_PUNCT.test(c) || c === '^' || CIRCLED_MARK.test(c);
    return !(cjk(a) || cjk(b) || (/\d/u.test(a) && /\d/u.test(b)));
  };
  for (let i = 0; i < 2; i++) out = out.replace(/(\S) (?=(\S))/gu, (whole, a: string, b: string) => (printed(a, b) ? whole : a));
  return out.trim();
}

/** Joins a block's lines: no space in Chinese, a space between Latin words, none inside a URL. */
function joinLines(lines: string[]): string {
  return lines.reduce((text, line) => {
    if (text === '') return line;
    // A URL runs on in ASCII only (Chinese punctuation ends it), spaces of justification aside.
    // (a note carried overleaf may begin mid-URL, `org. cn/ …`: a domain's end and a path is one too)
    const url = /(?:https?:\/\/|www\.)[\x21-\x7e]*$|[A-Za-z0-9-]\.\s?[a-z]{2,6}\/[\x20-\x7e]*$/u.exec(rejoinUrls(text));
    // A URL broken at the line's end goes on with the next line's first word.
    if (url && /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+;=%]/u.test(line) && !/[。，；）]$/u.test(text)) return text + line;
    // A hyphen at the line's end between two lower-case letters: a word hyphenated there
    // (`Gov-` `ernance`) or a compound broken at its own hyphen (`area-` `based`). Marked
    // here, and told apart once the whole text is known (see `resolveHyphens`).
    if (/[a-z]-$/u.test(text) && /^[a-z]/u.test(line)) return `${text.slice(0, -1)}${SOFT_BREAK}${line}`;
    return joinPieces(text, line);
  }, '');
}

/** Where a line ended in `-` between lower-case letters; resolved by `resolveHyphens`. */
const SOFT_BREAK = '\u00ad';

/**
 * A hyphen at a line's end stays where the document prints the same compound with a hyphen
 * elsewhere (`area-based`), and goes where it does not: a word the typesetter hyphenated.
 */
function resolveHyphens(text: string): string {
  if (!text.includes(SOFT_BREAK)) return text;
  return text.replace(/([A-Za-z]+)\u00ad([a-z]+)/gu, (_, a: string, b: string) => (text.includes(`${a}-${b}`) ? `${a}-${b}` : `${a}${b}`));
}

interface PageText {
  number: number | null;
  /** The running header's text, as printed. */
  header: string | null;
  blocks: string[];
  notes: string[];
  /** Small lines under the notes that continue none of them: back matter (an English block). */
  after: string[];
  /** A first note line with no label: the end of the page before's last note, or back matter. */
  carried: string | null;
  twoColumns: boolean;
  /** A label at the foot of the page that is no note alphabet the bot knows. */
  unknownLabel: string | null;
}

const YEAR = /^(?:19|20)\d\d$/u;

/** The printed page number: the footer's, or else a number at either end of the running header. */
function pageNumber(headerLines: Line[], footerLines: Line[]): number | null {
  let number: number | null = null;
  for (const l of footerLines) {
    const m = FOOTER_NUMBER.exec(l.text);
    if (m) number = Number(m[1]);
  }
  if (number !== null) return number;
  for (const l of headerLines) {
    const m = /^(\d{1,4})(?=\s|\p{Script=Han})|(?<=\s|\p{Script=Han}|[·—])(\d{1,4})$/u.exec(l.text.trim()) ?? FOOTER_NUMBER.exec(l.text);
    const found = m?.[1] ?? m?.[2];
    if (found !== undefined && !YEAR.test(found)) return Number(found);
  }
  return null;
}

/**
 * A marker the typesetter pushed onto a line of its own (the paragraph's last line was
 * full): a lone small mark just under a body line is that line's marker, not a note.
 */
function attachLoneMarkers(lines: Line[], bodySize: number): Line[] {
  const out: Line[] = [];
  for (const l of lines) {
    const before = out.at(-1);
    if (before && LONE_MARK.test(l.text) && l.size < bodySize * 0.92 && before.size >= bodySize * 0.92 && before.y - l.y < bodySize * 2.2) {
      before.text = `${before.text}^${l.text.trim()}`;
      continue;
    }
    out.push(l);
  }
  return out;
}

/** A numbered heading (`一、`, `（二）`, `第三章`) or a label starts a block of its own, whatever its face. */
function startsBlock(text: string): boolean {
  return /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[章节部分])/u.test(text) || startsWithLabel(text);
}

/** Whether a line's digit label is the number after the note's own (`1)` … then `2)`): a new note, not a wrapped line. */
function nextNumber(note: string[], line: string): boolean {
  const own = /^\s*\^?\[?(\d{1,3})/u.exec(note[0] ?? '');
  const next = /^\s*\[?(\d{1,3})[).．\]\s]/u.exec(line);
  return own !== null && next !== null && Number(next[1]) === Number(own[1]) + 1;
}

/**
 * A note labelled with digits in plain type (`1)`, `1.`, `1 `, `[1]`) written with its label as
 * a marker (`^1)`, `^1`, `^[1]`), the form the parser takes for a note's label: at the line's
 * start in a text file, `1)` could as well begin a list.
 */
function withMarkedLabel(note: string): string {
  const bracket = /^\s*\[(\d{1,3})\]\s*/u.exec(note);
  if (bracket) return `^[${bracket[1]}] ${note.slice(bracket[0].length)}`;
  const digits = /^\s*(\d{1,3})(?:[).．]\s*|\s+)(?=\S)/u.exec(note);
  if (digits) return `^${digits[1]} ${note.slice(digits[0].length)}`;
  return note;
}

/** Whether a note's text so far stops mid-sentence, so that the next unlabelled line goes on with it. */
function noteReadsOn(note: string[], next: string): boolean {
  const text = rejoinUrls(note.join(''));
  if (/(?:https?:\/\/|www\.)[\x21-\x7e]*$/u.test(text)) return !/^(?:[A-Z][a-z]+\s|[\p{Script=Han}])/u.test(next) || /[，、：]$/u.test(text);
  // `Vol.`, `No.`, `pp.`, `eds.`: an English citation's abbreviations end no sentence.
  if (/\b(?:[Vv]ol|[Nn]o|pp?|[Ee]ds?|et al|[Cc]h|[Aa]rt|[Ii]bid|trans|[Jj]an|[Ff]eb|[Mm]ar|[Aa]pr|[Aa]ug|[Ss]ept?|[Oo]ct|[Nn]ov|[Dd]ec)\.$/u.test(text))
    return true;
  return !endsSentence(text);
}

// Long on purpose: one page's bands (header, body, notes, footer) are decided from the same
// measures (lowest line, body size, note sizes) that each band's test reads.
function readPage(
  lines: Line[],
  height: number,
  width: number,
  body: { size: number; fonts: ReadonlySet<string>; left: number; noteSizes: readonly number[] },
): PageText {
  // The bands: the top and bottom tenth, and a page number standing alone as the page's
  // lowest line a little higher (typesetters leave deep bottom margins).
  const lowest = lines.at(-1);
  // A title set near the top of a first page is larger than the body; a running header is not.
  const header = (l: Line) => l.y > height * 0.9 && l.size <= body.size * 1.05;
  const footer = (l: Line) => l.y < height * 0.08 || (l === lowest && l.y < height * 0.2 && FOOTER_NUMBER.test(l.text));
  const headerLines = lines.filter(header);
  const number = pageNumber(headerLines, lines.filter(footer));
  const headerText = headerLines
    .map((l) => l.text)
    .join(' ')
    .trim();
  // The notes' size where the PDF's labelled notes tell it: an English block or an abstract
  // set small (but not as small) at the top of a page is no note.
  const small = (l: Line) =>
    l.size < body.size * 0.92 &&
    (body.noteSizes.length === 0 || (l.size >= Math.min(...body.noteSizes) - 0.25 && l.size <= Math.max(...body.noteSizes) + 0.25));
  const content = attachLoneMarkers(
    lines.filter((l) => !header(l) && !footer(l)),
    body.size,
  );
  // The notes: the run of small lines at the foot, from the first labelled one.
  let notesFrom = content.length;
  for (let i = content.length - 1; i >= 0; i--) {
    if (!small(content[i] as Line)) break;
    notesFrom = i;
  }
  const labelled = (l: Line) => LABEL.test(l.text) || startsWithLabel(l.text);
  while (notesFrom < content.length && !labelled(content[notesFrom] as Line) && notesFrom > 0 && small(content[notesFrom - 1] as Line)) notesFrom++;
  const bodyLines = content.slice(0, notesFrom);
  const noteLines = content.slice(notesFrom);

  // An unlabelled line goes on with the note above it only while that note is cut
  // mid-sentence and no wider gap than a line's parts it from it; otherwise it starts the
  // back matter printed under the notes (an English title, Abstract, About the Authors).
  const notes: string[][] = [];
  const after: string[][] = [];
  const carried: string[] = [];
  let previous: Line | null = null;
  for (const l of noteLines) {
    const close = previous !== null && previous.y - l.y < l.size * 1.9;
    const lastNote = notes.at(-1);
    if (after.length > 0) {
      if (labelled(l) || !close) after.push([l.text]);
      else (after.at(-1) as string[]).push(l.text);
    } else if (lastNote && close && noteReadsOn(lastNote, l.text) && (!labelled(l) || (DIGIT_LABEL.test(l.text) && !nextNumber(lastNote, l.text))))
      lastNote.push(l.text);
    else if (labelled(l)) notes.push([l.text]);
    else if (lastNote) after.push([l.text]);
    else carried.push(l.text);
    previous = l;
  }
  const unknown = notes.length === 0 ? noteLines.map((l) => UNKNOWN_LABEL.exec(l.text)?.[1]).find((m) => m !== undefined && !isCircled(m)) : undefined;

  const blocks: Array<{ lines: string[]; indented: boolean; inset: boolean; labelled: boolean }> = [];
  let before: Line | null = null;
  const isIndented = (l: Line) => l.x > body.left + body.size * 0.8;
  const right = Math.max(0, ...bodyLines.filter((l) => l.size === body.size).map((l) => l.end));
  for (const l of bodyLines) {
    const ownBlock = Math.abs(l.size - body.size) > body.size * 0.08 || !body.fonts.has(l.font);
    const indented = isIndented(l);
    const previousOwn = before !== null && (Math.abs(before.size - body.size) > body.size * 0.08 || !body.fonts.has(before.font));
    const current = blocks.at(-1);
    // An indented line starts a paragraph, unless it goes on at the very indent of the line
    // above in a labelled block set in from the margin (`【内容提要】…`, indented all through);
    // back at the margin after such a block is a new block. (Two one-line paragraphs look
    // alike, hence the label.)
    const insetGoesOn =
      before !== null &&
      indented &&
      current?.labelled === true &&
      isIndented(before) &&
      Math.abs(l.x - before.x) < body.size * 0.3 &&
      before.end > right - body.size * 1.5;
    const leavesInset = !indented && current?.inset === true && current.lines.length >= 2;
    const sameBlock = before !== null && !ownBlock && !previousOwn && (!indented || insetGoesOn) && !leavesInset && before.y - l.y < body.size * 2.5;
    // Lines in a font of their own (an editor's note in 楷体) are one block, unless one at the
    // body's size is indented: a new paragraph of it. A title's centred lines are larger.
    const ownParagraph =
      (ownBlock && Math.abs(l.size - body.size) <= body.size * 0.08 && indented && before !== null && l.x > before.x + l.size * 0.8) || startsBlock(l.text);
    if (
      !startsBlock(l.text) &&
      (sameBlock ||
        (ownBlock && !ownParagraph && before !== null && previousOwn && before.size === l.size && before.font === l.font && before.y - l.y < l.size * 2.1))
    ) {
      const block = blocks.at(-1) as (typeof blocks)[number];
      block.lines.push(l.text);
      if (!indented) block.inset = false;
    } else blocks.push({ lines: [l.text], indented: indented && !ownBlock, inset: indented, labelled: startsWithLabel(l.text) });
    before = l;
  }
  // Two columns side by side read as lines with a gutter in the middle, or as lines starting
  // at the middle of the page.
  const sized = bodyLines.filter((l) => l.size === body.size);
  const gutters = sized.filter((l) => l.gap > body.size * 1.5).length;
  const middle = sized.filter((l) => l.x > width * 0.45).length;
  const twoColumns = sized.length >= 4 && (gutters >= sized.length * 0.5 || middle >= sized.length * 0.4);
  return {
    number,
    header: headerText === '' ? null : headerText,
    // A paragraph's first line is indented in print, and so in the text: the parser tells
    // by it a paragraph that goes on at the top of a page after a sentence's end.
    blocks: blocks.map((b) => `${b.indented ? '\u3000\u3000' : ''}${joinLines(b.lines)}`),
    notes: notes.map((lines) => withMarkedLabel(joinLines(lines))),
    after: after.map(joinLines),
    carried: carried.length > 0 ? joinLines(carried) : null,
    twoColumns,
    unknownLabel: unknown ?? null,
  };
}

/** The refusal of a PDF larger than the limit allows, or null when it is within it. */
export function tooLarge(data: Uint8Array, limits: PdfLimits): PdfResult | null {
  if (data.byteLength <= limits.maxBytes) return null;
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return {
    ok: false,
    page: null,
    message: W.pdfTooLarge(mb(data.byteLength).toFixed(0), mb(limits.maxBytes)),
  };
}

// Long on purpose: every page is read inside one try/finally, so that any refusal or failure
// still reaches pdf.js's doc.destroy(); its steps are named helpers (linesOf, bodySize, readPage, …).
/** Reads a PDF's bytes into the parser's text, or says why it cannot. */
export async function extractPdf(data: Uint8Array, limits: PdfLimits = PDF_LIMITS): Promise<PdfResult> {
  const large = tooLarge(data, limits);
  if (large) return large;
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapUrl: `${join(PDFJS_DIR, 'cmaps')}/`,
    cMapPacked: true,
    standardFontDataUrl: `${join(PDFJS_DIR, 'standard_fonts')}/`,
    verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') return { ok: false, page: null, message: W.pdfEncrypted };
    return { ok: false, page: null, message: W.pdfDamaged((error as Error).message) };
  }
  try {
    if (doc.numPages > limits.maxPages) {
      return { ok: false, page: null, message: W.pdfTooManyPages(doc.numPages, limits.maxPages) };
    }
    const pages: Array<{ items: Item[]; width: number; height: number }> = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const { width, height } = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const raw of content.items) {
        if (!('str' in raw)) continue;
        if (raw.str.trim() === '') {
          const last = items.at(-1);
          if (last && raw.str !== '') last.spaceAfter = true;
          continue;
        }
        const [, b, c, d, x, y] = raw.transform as number[];
        items.push({
          str: raw.str,
          x: x as number,
          y: y as number,
          size: round(Math.hypot(c as number, d as number) || Math.abs(b as number)),
          width: raw.width,
          font: raw.fontName,
        });
      }
      pages.push({ items, width, height });
      page.cleanup();
    }
    const all = pages.flatMap((p) => p.items);
    const characters = all.reduce((n, i) => n + i.str.replace(/\s/gu, '').length, 0);
    if (characters === 0) {
      return { ok: false, page: null, message: W.pdfNoText };
    }
    const unmapped = all.reduce((n, i) => n + (i.str.match(PRIVATE_OR_REPLACEMENT)?.length ?? 0), 0);
    const symbols = all.reduce((n, i) => n + (i.str.match(ASCII_SYMBOL)?.length ?? 0), 0);
    // Text in any language is mostly letters; a third of symbols is glyph numbers, not text.
    if (unmapped > characters * 0.02 || symbols > characters * 0.3) {
      const bad = (s: string) => (s.match(PRIVATE_OR_REPLACEMENT)?.length ?? 0) > 0 || (s.match(ASCII_SYMBOL)?.length ?? 0) > s.length * 0.3;
      const page = pages.findIndex((p) => p.items.some((i) => bad(i.str))) + 1;
      return {
        ok: false,
        page,
        message: W.pdfUnmapped(unmapped + symbols, characters),
      };
    }
    const pageLines = pages.map((p) => {
      const lines = linesOf(p.items);
      for (const l of lines) l.text = lineText(l);
      return lines;
    });
    const size = bodySize(all, pageLines.flat());
    const bodyItems = all.filter((i) => i.size === size);
    // The body's fonts: every font that sets a good share of the body-size text. A typesetter
    // may split one face into subsets (LibreOffice does), so that a line's commonest font is
    // either; a heading's or an editor's note's face sets far less.
    const shares = new Map<string, number>();
    for (const i of bodyItems) shares.set(i.font, (shares.get(i.font) ?? 0) + i.str.length);
    const bodyChars = bodyItems.reduce((n, i) => n + i.str.length, 0);
    const fonts = new Set([...shares].filter(([, n]) => n >= bodyChars * 0.2).map(([f]) => f));
    const noteSizes = noteSizesOf(pageLines.flat().filter((l) => l.size < size * 0.92 && LABEL.test(l.text)));
    const warnings: Array<{ page: number | null; message: string }> = [];
    // Each page's left margin: where its body lines start. A page of one or two body lines
    // (an article's last) may hold only a paragraph's indented first line: it takes the margin
    // the other pages of its side (odd or even, which may differ) have.
    const starts = pages.map((p, index) =>
      (pageLines[index] as Line[]).filter((l) => l.size === size && l.y < p.height * 0.9 && l.y > p.height * 0.08).map((l) => l.x),
    );
    const lefts = starts.map((s) => (s.length > 0 ? Math.min(...s) : null));
    const sideLeft = (index: number) => {
      const full = (i: number) => lefts[i] !== null && (starts[i] as number[]).length >= 3;
      const side = lefts.filter((_, i) => full(i) && i % 2 === index % 2) as number[];
      // With no full page on its side (a short article), any full page's margin.
      const any = lefts.filter((_, i) => full(i)) as number[];
      return side.length > 0 ? Math.min(...side) : any.length > 0 ? Math.min(...any) : null;
    };
    const read = pages.map((p, index) => {
      const lines = pageLines[index] as Line[];
      const left = ((starts[index] as number[]).length >= 3 ? lefts[index] : (sideLeft(index) ?? lefts[index])) ?? 0;
      const page = readPage(lines, p.height, p.width, { size, fonts, left, noteSizes });
      if (page.unknownLabel !== null)
        warnings.push({
          page: page.number ?? index + 1,
          message: W.pdfUnknownLabel(page.unknownLabel),
        });
      if (page.twoColumns)
        warnings.push({
          page: page.number ?? index + 1,
          message: W.pdfTwoColumns,
        });
      return page;
    });
    // A note's end carried onto the next page belongs to the last note of the page before,
    // when that note was cut mid-sentence.
    read.forEach((page, i) => {
      const before = read[i - 1];
      if (!page.carried) return;
      const last = before?.notes.at(-1);
      if (before && last !== undefined && before.after.length === 0 && noteReadsOn([last], page.carried))
        before.notes[before.notes.length - 1] = joinLines([last, page.carried]);
      else page.blocks.push(page.carried);
    });
    const text = read
      .map((page) =>
        [`\f${page.number ?? ''}${page.header ? `\t${page.header.replace(/\s+/gu, ' ')}` : ''}`, ...page.blocks, ...page.notes, ...page.after].join('\n\n'),
      )
      .join('\n\n')
      .concat('\n');
    const resolved = resolveHyphens(text);
    return { ok: true, text: resolved, pages: doc.numPages, warnings };
  } finally {
    await doc.destroy();
  }
}
