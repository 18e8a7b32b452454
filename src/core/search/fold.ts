import { SIMPLIFIED_PAIRS } from './simplified-table.js';

/**
 * Folding makes two spellings of the same words compare equal: NFKC (full-width Latin and
 * digits, compatibility forms), lower case, and Traditional characters to Simplified. The
 * index, the queries and the phrase matcher all fold the same way, so that `MAZU`, `ｍａｚｕ`
 * and `mazu`, or `張三` and `张三`, are one word.
 *
 * Folding is done one code point at a time, with a map back to the source offsets, because a
 * match must be highlighted in the display text it came from. OpenCC's phrase tables could
 * pick a better Simplified form for a few ambiguous characters (乾 in 乾隆 vs 乾燥), but both
 * sides are folded alike, so matching stays consistent, and the offsets stay exact.
 */

/**
 * OpenCC's Traditional → Simplified characters ('t' → 'cn', which covers the Taiwan and Hong
 * Kong variants as well), as a table written from it (scripts/simplified-table.ts): folding
 * converts one character at a time, and opencc's dictionaries cost every process 2 MB of heap
 * and 9 MB of RSS to load. fold.test.ts checks the table against opencc on every code point.
 */
let simplifiedOf: Map<string, string> | undefined;

function toSimplified(text: string): string {
  if (simplifiedOf === undefined) {
    simplifiedOf = new Map();
    const chars = [...SIMPLIFIED_PAIRS];
    for (let i = 0; i + 1 < chars.length; i += 2) simplifiedOf.set(chars[i] as string, chars[i + 1] as string);
  }
  let out = '';
  for (const ch of text) out += simplifiedOf.get(ch) ?? ch;
  return out;
}

// Folding a character is pure; the corpus has a few thousand distinct ones, so a cache
// makes folding a 15 MB corpus a matter of map look-ups rather than converter calls. It is
// bounded by the code points there are and depends on no corpus, so a reload keeps it.
const foldCache = new Map<string, string>();

/** The folded form of one code point (possibly several code units, or none). */
export function foldChar(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  const nfkc = ch.normalize('NFKC').toLowerCase();
  const folded: string = /\p{Script=Han}/u.test(nfkc) ? toSimplified(nfkc) : nfkc;
  foldCache.set(ch, folded);
  return folded;
}

/** True for the characters a phrase match looks at: letters and digits of any script. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * What each UTF-16 code unit outside the surrogates folds to, learnt on first sight: most
 * fold to themselves, and a text of those is returned as it is, without a new string or a
 * look-up by string per character (a large corpus is tens of millions of them).
 */
const UNKNOWN = 0;
const ITSELF = 1;
const CHANGED = 2;
const plainState = new Uint8Array(0x10000);
const compactState = new Uint8Array(0x10000);
const plainTo = new Map<number, string>();
const compactTo = new Map<number, string>();

/** The folded form of a code point, with everything but letters and digits dropped. */
function compactChar(ch: string): string {
  let out = '';
  for (const unit of foldChar(ch)) if (WORD_CHAR.test(unit)) out += unit;
  return out;
}

function learn(code: number, compact: boolean): number {
  const ch = String.fromCharCode(code);
  const folded = compact ? compactChar(ch) : foldChar(ch);
  const state = folded === ch ? ITSELF : CHANGED;
  (compact ? compactState : plainState)[code] = state;
  if (state === CHANGED) (compact ? compactTo : plainTo).set(code, folded);
  return state;
}

/** The code point at `i` is a surrogate pair (two code units). */
function isPair(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/** What the code point at `i` (of `width` units) folds to, or null when to itself. */
function foldedAt(text: string, i: number, width: number, compact: boolean): string | null {
  if (width === 2) {
    const ch = text.slice(i, i + 2);
    const folded = compact ? compactChar(ch) : foldChar(ch);
    return folded === ch ? null : folded;
  }
  const code = text.charCodeAt(i);
  const states = compact ? compactState : plainState;
  const state = states[code] === UNKNOWN ? learn(code, compact) : states[code];
  return state === ITSELF ? null : ((compact ? compactTo : plainTo).get(code) as string);
}

/** Folded text with, for each of its code units, the offset in the source it came from. */
export interface Folded {
  text: string;
  /**
   * `origin[i]` is the source offset of the code point folded into `text[i]`; `origin` has
   * one more entry, the source's length, so a folded span [a, b) is the source span
   * [origin[a], sourceEnd(b)).
   */
  origin: Int32Array;
  /** For each folded code unit, the source offset just after the code point it came from. */
  originEnd: Int32Array;
}

/** Scratch for fold's offsets, grown as needed and copied out at the end. */
let originScratch = new Int32Array(1024);
let originEndScratch = new Int32Array(1024);

/**
 * Folds `text`. With `compact`, everything but letters and digits is dropped, so that a
 * phrase typed with other spaces or punctuation (`2025年` for `2025 年`, `,` for `，`) still
 * matches.
 */
export function fold(text: string, options: { compact?: boolean } = {}): Folded {
  const compact = options.compact === true;
  // A code point folds into at most a few code units (NFKC of a ligature): room for them all.
  if (originScratch.length < text.length * 4 + 1) {
    originScratch = new Int32Array(text.length * 4 + 1);
    originEndScratch = new Int32Array(text.length * 4 + 1);
  }
  const origin = originScratch;
  const originEnd = originEndScratch;
  let out = '';
  // text[from, i) folds to itself and is not yet in `out`.
  let from = 0;
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const width = isPair(text, i) ? 2 : 1;
    const next = i + width;
    const folded = foldedAt(text, i, width, compact);
    if (folded === null) {
      for (let k = i; k < next; k++) {
        origin[n] = i;
        originEnd[n++] = next;
      }
    } else {
      out += text.slice(from, i) + folded;
      from = next;
      for (let k = 0; k < folded.length; k++) {
        origin[n] = i;
        originEnd[n++] = next;
      }
    }
    i = next;
  }
  origin[n] = text.length;
  const result = from === 0 ? text : out + text.slice(from);
  // Typed arrays of their own: a cached fold of a paragraph holds two for as long as it is cached.
  return { text: result, origin: origin.slice(0, n + 1), originEnd: originEnd.slice(0, n) };
}

/** The folded text alone, for tokenizing: the text itself when nothing in it changes. */
export function foldText(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; ) {
    const width = isPair(text, i) ? 2 : 1;
    const folded = foldedAt(text, i, width, false);
    if (folded !== null) {
      out += text.slice(from, i) + folded;
      from = i + width;
    }
    i += width;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Maps a span [a, b) of folded text back to its span in the source. */
export function sourceSpan(f: Folded, a: number, b: number): [number, number] {
  if (b <= a) return [f.origin[a] ?? 0, f.origin[a] ?? 0];
  return [f.origin[a] as number, f.originEnd[b - 1] as number];
}

/** All occurrences of `needle` in `haystack`, possibly overlapping. */
export function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle === '') return found;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}
