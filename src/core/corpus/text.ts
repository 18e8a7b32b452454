/**
 * Text rules of the corpus format: footnote marks, display normalisation, sentences and URLs.
 * The corpus is text extracted from a printed PDF, so each rule here undoes one artefact of
 * that extraction and nothing more: a quote must stay the text exactly as printed.
 */

/** Circled numbers as printed in footnotes: ①–⑳, ㉑–㉟, ㊱–㊿. */
export const CIRCLED = '\u2460-\u2473\u3251-\u325F\u32B1-\u32BF';

/*
 * The note alphabets journals print, each a run of code points numbered from 1 (or 21, 36):
 * circled ①, the dingbat circled ➀ (what XeLaTeX with Noto CJK writes for \ding), the
 * negative circled ❶ and ➊, and the parenthesised ⑴. A mark's number is its offset in its run.
 */
const GLYPH_RUNS: Array<[first: number, last: number, number: number]> = [
  [0x2460, 0x2473, 1],
  [0x3251, 0x325f, 21],
  [0x32b1, 0x32bf, 36],
  [0x2780, 0x2789, 1],
  [0x2776, 0x277f, 1],
  [0x278a, 0x2793, 1],
  [0x24eb, 0x24f4, 11],
  [0x2474, 0x2487, 1],
];

/** Every single-glyph note mark, as a character class body. */
export const NOTE_GLYPHS = GLYPH_RUNS.map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`).join('');

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * A note mark as the text format writes it after `^`: one glyph of an alphabet above, a run
 * of superscript digits (`¹²`), `[12]`, `12)` or plain digits (`12`).
 */
export const MARK = `[${NOTE_GLYPHS}]|[${SUPERSCRIPT_DIGITS}]{1,3}|\\[\\d{1,3}\\]|\\d{1,3}\\)?`;

const GLYPH_CHAR = new RegExp(`^[${NOTE_GLYPHS}]$`, 'u');

/** An in-text footnote marker: `^①`. Bare circled numbers in prose are enumerations, not markers. */
export const MARKER = new RegExp(`(?<![0-9A-Za-z])\\^(${MARK})`, 'gu');
/** A marker written after a letter or digit is no marker: `10^6` is a power. */
const MARKER_AT = new RegExp(`(?<![0-9A-Za-z])\\^(${MARK})`, 'uy');

/** Whether `ch` is one glyph of a note alphabet (①, ➀, ❶, ⑴ …). */
export function isCircled(ch: string): boolean {
  return GLYPH_CHAR.test(ch);
}

/**
 * The number a mark stands for, whatever its alphabet: `①`, `➀`, `❶`, `⑴`, `¹`, `[1]` and
 * `1)` are all 1. Marks bind to notes by number, so a page may print its markers and its
 * note labels in different forms (a raised `¹` over a note labelled `1`).
 */
export function markNumber(mark: string): number {
  const code = mark.codePointAt(0) ?? 0;
  for (const [first, last, number] of GLYPH_RUNS) if (code >= first && code <= last) return number + code - first;
  const superscript = Array.from(mark)
    .map((c) => SUPERSCRIPT_DIGITS.indexOf(c))
    .filter((d) => d >= 0);
  if (superscript.length > 0) return Number(superscript.join(''));
  return Number(/\d+/u.exec(mark)?.[0] ?? Number.NaN);
}

/**
 * A mark as the model keeps it: raised digits (`¹²`, how the PDF reader writes a superscript
 * number) as plain digits, so that a PDF and its text dump (`^12`) give the same mark.
 */
export function plainMark(mark: string): string {
  return mark.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/gu, (c) => String(SUPERSCRIPT_DIGITS.indexOf(c)));
}

/** The length in UTF-16 units of a marker (`^①`, `^[12]`) at `text[index]`, or 0 when none starts there. */
export function markerLengthAt(text: string, index: number): number {
  MARKER_AT.lastIndex = index;
  const m = MARKER_AT.exec(text);
  return m ? m[0].length : 0;
}

const HAN = /\p{Script=Han}/u;
/** Full-width punctuation: print never sets a space beside it. */
const CJK_PUNCT = /[\u3000-\u303F\uFF01-\uFF65]/u;
/** Curly quotes serve Chinese and English alike: a space beside one is kept in English text. */
const CURLY = /[“”‘’]/u;
const DIGIT = /[0-9]/u;

export function isHan(ch: string | undefined): boolean {
  return ch !== undefined && HAN.test(ch);
}

/**
 * Whether a run of spaces between `before` and `after` is an extraction artefact. PDF
 * extraction puts spaces between digits and Chinese (`2025 年 9 月`) and after a marker
 * (`”^② 2025年`); a space between Latin words, or between Latin and Chinese (`老挝的 AI 发展`),
 * is kept as printed.
 */
function isExtractionSpace(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return true;
  if (CJK_PUNCT.test(before) || CJK_PUNCT.test(after)) return true;
  if (CURLY.test(before) && (isHan(after) || DIGIT.test(after))) return true;
  if (CURLY.test(after) && (isHan(before) || DIGIT.test(before))) return true;
  return (isHan(before) && DIGIT.test(after)) || (DIGIT.test(before) && isHan(after));
}

export interface DisplayText {
  text: string;
  /** Markers lifted out of the text: `mark` stood just after `text[offset - 1]`. */
  markers: Array<{ offset: number; mark: string; rawIndex: number }>;
}

/**
 * Display text of a raw block: markers lifted out (with their offsets), extraction spaces
 * removed, other white space folded to one space. `collapseHanSpaces` also closes spaces
 * between Chinese characters, for headings printed letter-spaced (`结 语`).
 */
export function toDisplay(raw: string, options: { collapseHanSpaces?: boolean } = {}): DisplayText {
  const out: string[] = [];
  let length = 0;
  let last: string | undefined;
  const markers: DisplayText['markers'] = [];
  let i = 0;
  while (i < raw.length) {
    const marker = raw.charCodeAt(i) === 0x5e ? markerLengthAt(raw, i) : 0;
    if (marker > 0) {
      markers.push({ offset: length, mark: plainMark(raw.slice(i + 1, i + marker)), rawIndex: i });
      i += marker;
      continue;
    }
    const ch = String.fromCodePoint(raw.codePointAt(i) as number);
    if (/\s/u.test(ch)) {
      let j = i + 1;
      while (j < raw.length && /\s/u.test(raw[j] as string)) j++;
      let k = j;
      for (let m = markerLengthAt(raw, k); m > 0; m = markerLengthAt(raw, k)) k += m;
      const after = k < raw.length ? String.fromCodePoint(raw.codePointAt(k) as number) : undefined;
      const collapse = options.collapseHanSpaces === true && isHan(last) && isHan(after);
      // A full-width space between Chinese is printed (`福祉　携手`), not left by extraction.
      if (!collapse && isHan(last) && isHan(after) && /^\u3000+$/u.test(raw.slice(i, j))) {
        out.push('\u3000');
        length += 1;
        last = '\u3000';
        i = j;
        continue;
      }
      const drop = isExtractionSpace(last, after) || collapse;
      if (!drop) {
        out.push(' ');
        length += 1;
        last = ' ';
      }
      i = j;
      continue;
    }
    out.push(ch);
    length += ch.length;
    last = ch;
    i += ch.length;
  }
  return { text: out.join(''), markers };
}

/** Joins two pieces of one paragraph cut apart by a page or line break. */
export function joinPieces(left: string, right: string): string {
  const a = left.trimEnd();
  const b = right.trimStart();
  if (a === '') return b;
  if (b === '') return a;
  // Only the end of what is joined so far is looked at: a paragraph is joined a line at a
  // time, and a test over all of it each time would grow with the square of its length.
  const tail = a.slice(-48);
  const last = String.fromCodePoint(tail.codePointAt(tail.length - 1) ?? 0);
  const lastCode = tail.charCodeAt(tail.length - 1);
  const lastChar = lastCode >= 0xdc00 && lastCode <= 0xdfff ? tail.slice(-2) : last;
  const first = String.fromCodePoint(b.codePointAt(0) ?? 0);
  // Chinese print has no spaces at line ends; a Latin sentence or clause does continue after one.
  if (/[,.;:!?]/u.test(lastChar) && /[A-Za-z"“‘(]/u.test(first)) return `${a} ${b}`;
  // After a clause's closing quote (`Agreement,”` `September`) English goes on after a space.
  if (/[A-Za-z0-9.,;:!?]["”’')]$/u.test(tail) && /[A-Za-z0-9"“(]/u.test(first)) return `${a} ${b}`;
  // `Vol.` `14`, `pp.` `101`: an English citation goes on after its abbreviation's stop.
  if (/[A-Za-z0-9][,.;:]$/u.test(tail) && /[A-Za-z]/u.test(tail) && /[0-9]/u.test(first) && !/\p{Script=Han}[^\p{Script=Han}]{0,3}$/u.test(tail))
    return `${a} ${b}`;
  if (/[A-Za-z]/u.test(lastChar) && /[A-Za-z]/u.test(first) && !tail.endsWith('-')) return `${a} ${b}`;
  // English prose goes on with a number after a space (`between 2015 and` `2025`); a Latin
  // word in Chinese text (`COP` `28`) does not.
  if (/[A-Za-z]{2}$/u.test(tail) && /[0-9]/u.test(first) && / [A-Za-z]+$/u.test(tail.slice(-40)) && !/\p{Script=Han}/u.test(tail.slice(-40)))
    return `${a} ${b}`;
  return a + b;
}

const TERMINAL = /(?:[。！？!?…]+|(?<![A-Z])\.)[”’」』）)"'】\]]*$/u;

/** Whether a block of display text ends a sentence (its trailing markers ignored). */
export function endsSentence(text: string): boolean {
  return TERMINAL.test(text.replace(MARKER, '').replace(/\s+$/u, ''));
}

const OPENERS: Record<string, string> = { '“': '”', '「': '」', '『': '』', '‘': '’' };
const CLOSERS = new Set(Object.values(OPENERS));
const SENTENCE_STOP = /[。！？!?]/u;
const TRAILING = /[”’」』）)"'】\]…]/u;

/**
 * Splits display text into sentences as [start, end) spans. A sentence ends at 。！？ (and
 * any closing quotes after them); one inside a quotation (“…。…”) does not end the sentence
 * that quotes it, unless it closes the quotation too (`…公平性。”`) or the quotation marks
 * are unbalanced. Latin text ends at `.` before
 * a space and a capital.
 */
export function splitSentences(text: string): Array<{ start: number; end: number }> {
  const balanced = isBalanced(text);
  const spans: Array<{ start: number; end: number }> = [];
  let start = 0;
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (balanced && OPENERS[ch] !== undefined) depth++;
    else if (balanced && CLOSERS.has(ch) && depth > 0) {
      depth--;
      // `。”` closes the quotation and the sentence that quotes it together.
      if (depth === 0 && SENTENCE_STOP.test(text[i - 1] ?? '')) {
        let end = i + 1;
        while (end < text.length && TRAILING.test(text[end] as string)) end++;
        spans.push({ start, end });
        while (end < text.length && /\s/u.test(text[end] as string)) end++;
        start = end;
        i = end;
        continue;
      }
    }
    const latinStop =
      ch === '.' &&
      /\s/u.test(text[i + 1] ?? '') &&
      /[A-Z“"《(]/u.test(text[i + 2] ?? '') &&
      !/\b(?:al|vol|pp?|no|ed|eds|Dr|Mr|Ms|St)$/iu.test(text.slice(Math.max(0, i - 4), i));
    if (depth === 0 && (SENTENCE_STOP.test(ch) || latinStop)) {
      let end = i + 1;
      while (end < text.length && (SENTENCE_STOP.test(text[end] as string) || TRAILING.test(text[end] as string))) end++;
      spans.push({ start, end });
      while (end < text.length && /\s/u.test(text[end] as string)) end++;
      start = end;
      i = end;
      continue;
    }
    i++;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans;
}

function isBalanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (OPENERS[ch] !== undefined) depth++;
    else if (CLOSERS.has(ch)) {
      depth--;
      if (depth < 0) return false;
    }
  }
  return depth === 0;
}

/**
 * URLs in a note. A URL ends at white space, at `>` of `<…>`, or at any non-ASCII character
 * (Chinese punctuation such as `。` follows URLs directly); trailing Latin punctuation that
 * closes the sentence is not part of it, but a `)` that closes a `(` inside the URL is.
 */
export function extractUrls(text: string): string[] {
  const urls: string[] = [];
  for (const m of text.matchAll(/https?:\/\/[\x21-\x3b\x3d\x3f-\x7e]+/gu)) {
    let url = m[0];
    for (;;) {
      const last = url.at(-1) ?? '';
      if (/[.,;:!?'"\]}]/u.test(last)) url = url.slice(0, -1);
      else if (last === ')' && (url.match(/\(/gu)?.length ?? 0) < (url.match(/\)/gu)?.length ?? 0)) url = url.slice(0, -1);
      else break;
    }
    if (/^https?:\/\/[^/]+\.[^/]+/u.test(url) && !urls.includes(url)) urls.push(url);
  }
  return urls;
}

/*
 * A page locator as Chinese and English notes print it: `第 36 页`, `第36—38页`, `第 8、12 页`,
 * `p. 7`, `pp. 7-9`, `P. 12`. Display text has its extraction spaces closed already
 * (`第36页`), but a note may still space out an English range.
 */
const PAGE_LOCATOR = /第\s*\d+(?:\s*(?:[—–\-~～至、]|\s)\s*\d+)*\s*页|\bpp?\.\s*\d+(?:\s*[—–-]\s*\d+)?/giu;

/**
 * The last page locator a note prints, display-normalised (`第36—38页`, `pp. 7–9`): the
 * place in the source the note points to. Null when the note gives no page.
 */
export function pageLocator(text: string): string | null {
  const found = [...text.matchAll(PAGE_LOCATOR)].pop()?.[0];
  if (found === undefined) return null;
  if (found.startsWith('第'))
    return found
      .replace(/\s+/gu, '')
      .replace(/[-~～]/gu, '—')
      .replace(/–/gu, '—');
  const [, prefix, range] = /^(pp?)\.\s*(.*)$/iu.exec(found) ?? [];
  return `${(prefix ?? 'p').toLowerCase()}. ${(range ?? '').replace(/\s*[—–-]\s*/u, '–')}`;
}

/** URL characters that a line break or a justified line may be set after, inside a URL. */
const URL_BREAK_AFTER = /[/.\-_~=&?#:%+]$/u;
const URL_BREAK_BEFORE = /^[/.\-_~=&?#%+]/u;
const URL_RUN = /(?:https?:\/\/|www\.)[\x21-\x7e]*(?:[ \t]+[\x21-\x7e]+)*/gu;
/** Words that follow a URL in a note's own prose, never part of it. */
const AFTER_URL = /^(?:(?:accessed|available|retrieved|visited|last|and|or|at|on|see|from|in)[,.;:]?$|[([])/iu;

/**
 * A URL whole again. Justified note lines and line breaks put spaces inside URLs where a
 * typesetter may break them, after `/`, `.`, `-` (`https:// www. un. org/ zh/ A- RES- 70- 1`);
 * a space stays where the URL ended before it, and a URL never takes in the Chinese text
 * that follows it (only ASCII is read as URL).
 */
export function rejoinUrls(text: string): string {
  if (!text.includes('http') && !text.includes('www.')) return text;
  return text.replace(URL_RUN, (run: string, at: number) => {
    const chineseAfter = /^\s*\p{Script=Han}/u.test(text.slice(at + run.length, at + run.length + 3));
    const tokens = run.split(/[ \t]+/u);
    let out = tokens[0] as string;
    for (let k = 1; k < tokens.length; k++) {
      const token = tokens[k] as string;
      // A capitalised word after a stop (`…report.pdf. Also`), a lone dash, and the run's last
      // piece when Chinese follows it directly (`…/zh/ 2025 年`) are prose, not more URL.
      const prose =
        (/\.$/u.test(out) && /^[A-Z][a-z]+$/u.test(token)) ||
        /^[A-Z][a-z]+$/u.test(token) ||
        /^[-–—]$/u.test(token) ||
        // (a number after a URL that ends in `/`, then Chinese, is a date: `…/zh/ 2025年`)
        (k === tokens.length - 1 && chineseAfter && out.endsWith('/') && /^\d+$/u.test(token));
      const joins = !prose && (URL_BREAK_AFTER.test(out) || URL_BREAK_BEFORE.test(token)) && !AFTER_URL.test(token) && !/[,;>]$/u.test(out);
      // Once a URL has ended, the rest of the run is prose.
      if (!joins) return [out, ...tokens.slice(k)].join(' ');
      out += token;
    }
    return out;
  });
}
