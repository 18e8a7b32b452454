import * as OpenCC from 'opencc-js/t2cn';

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

// 't' → 'cn' covers the Taiwan and Hong Kong variants of the characters as well.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

// Folding a character is pure; the corpus has a few thousand distinct ones, so a cache
// makes folding a 15 MB corpus a matter of map look-ups rather than converter calls.
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

/** True for the characters a phrase match looks at: letters and digits of any script. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Folds `text`. With `compact`, everything but letters and digits is dropped, so that a
 * phrase typed with other spaces or punctuation (`2025年` for `2025 年`, `,` for `，`) still
 * matches.
 */
export function fold(text: string, options: { compact?: boolean } = {}): Folded {
  let out = '';
  const origin: number[] = [];
  const originEnd: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const next = offset + ch.length;
    const folded = foldChar(ch);
    for (const unit of folded) {
      if (options.compact && !WORD_CHAR.test(unit)) continue;
      out += unit;
      for (let k = 0; k < unit.length; k++) {
        origin.push(offset);
        originEnd.push(next);
      }
    }
    offset = next;
  }
  origin.push(text.length);
  // Typed arrays: a cached fold of a paragraph holds two of these for as long as it is cached.
  return { text: out, origin: Int32Array.from(origin), originEnd: Int32Array.from(originEnd) };
}

/** The folded text alone, for tokenizing. */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
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
