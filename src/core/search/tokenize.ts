import { foldText } from './fold.js';

/**
 * Chinese has no spaces, so MiniSearch's default tokenizer turns a whole clause into one
 * term and nothing inside it can be found. Here a text is folded (see fold.ts) and every run
 * of Han characters yields its character bigrams, which find a query however it would be cut
 * into words (智能鸿沟 → 智能, 能鸿, 鸿沟); a run of one character is a term by itself. The
 * words Intl.Segmenter finds in a run are added when they are three characters or longer
 * (人工智能, 产业链): a two-character word is one of the bigrams already, and a word of one
 * character (的, 与) would only add the longest postings of the index. Latin words and
 * numbers are kept whole, folded to lower case. Exact phrases, single characters included,
 * are found by the index's scan of the text, not by these terms.
 *
 * Intl.Segmenter is given one run of Han characters at a time, never a whole file: its cost
 * grows far faster than the length of the string it is given.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export const HAN_RUN = /\p{Script=Han}+/gu;
export const LATIN_WORD = /(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
const HAN = /^\p{Script=Han}/u;

/** The smallest Han word added to the bigrams. */
const WORD_MIN = 3;

/** Characters, not UTF-16 code units: a rare character outside the BMP counts once. */
function charCount(text: string): number {
  return /[\uD800-\uDBFF]/u.test(text) ? Array.from(text).length : text.length;
}

/** The words of three characters or more that Intl.Segmenter finds in a run of Han characters. */
export function longWords(run: string): string[] {
  const words: string[] = [];
  if (charCount(run) < WORD_MIN) return words;
  for (const seg of segmenter.segment(run)) if (charCount(seg.segment) >= WORD_MIN) words.push(seg.segment);
  return words;
}

/** Bigrams and long words of one run of Han characters. */
function runTerms(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return [run];
  const terms: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) terms.push((chars[i] as string) + (chars[i + 1] as string));
  for (const word of longWords(run)) terms.push(word);
  return terms;
}

/** Runs remembered by one index build; past this many, the memory is not worth it. */
export const RUN_CACHE_MAX = 200_000;

/**
 * Terms of an already folded text: its Latin words, then the bigrams and long words of each
 * Han run. Intl.Segmenter is most of the cost, and clauses recur across a corpus (为此, a
 * slogan, a quoted title), so an index build passes a cache of the runs it has cut.
 */
export function termsOfFolded(folded: string, cache?: Map<string, string[]>): string[] {
  const terms: string[] = [];
  for (const m of folded.matchAll(LATIN_WORD)) terms.push(m[0]);
  for (const m of folded.matchAll(HAN_RUN)) {
    const run = m[0];
    let cut = cache?.get(run);
    if (!cut) {
      cut = runTerms(run);
      if (cache) {
        if (cache.size >= RUN_CACHE_MAX) cache.clear();
        cache.set(run, cut);
      }
    }
    for (const t of cut) terms.push(t);
  }
  return terms;
}

/** Index and query terms of a text, folded. */
export function tokenize(text: string): string[] {
  return termsOfFolded(foldText(text));
}

/** True for a term of one Han character. */
export function isSingleHan(term: string): boolean {
  return term.length === 1 && HAN.test(term);
}
