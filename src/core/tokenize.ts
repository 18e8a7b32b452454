import { foldText } from './fold.js';

/**
 * Chinese has no spaces, so MiniSearch's default tokenizer turns a whole clause into one
 * term and nothing inside it can be found. Here a text is folded (see fold.ts), cut into
 * words with Intl.Segmenter, and every run of Han characters also yields its character
 * bigrams: the words rank a query that segments the same way, the bigrams find a query that
 * the segmenter cuts differently (智能鸿沟 → 智能|鸿沟, but 能鸿 and 鸿沟 as well). Latin
 * words and numbers are kept whole, folded to lower case.
 *
 * Callers give this one sentence or one paragraph at a time, never a whole file:
 * Intl.Segmenter's cost grows far faster than the length of the string it is given.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const HAN_RUN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
const HAN = /^\p{Script=Han}/u;

/** Terms of an already folded text: words, then the bigrams of each run of Han characters. */
function termsOfFolded(folded: string): string[] {
  const terms: string[] = [];
  const bigrams: string[] = [];
  let run = '';
  const flush = () => {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) bigrams.push((chars[i] as string) + (chars[i + 1] as string));
    run = '';
  };
  for (const seg of segmenter.segment(folded)) {
    if (!seg.isWordLike) {
      flush();
      continue;
    }
    // A word-like segment may mix scripts (`15个`); its Han part joins the run of bigrams.
    for (const m of seg.segment.matchAll(HAN_RUN)) {
      const part = m[0];
      terms.push(part);
      if (HAN.test(part)) run += part;
      else flush();
    }
  }
  flush();
  return terms.concat(bigrams);
}

/** Index and query terms of a text, folded. */
export function tokenize(text: string): string[] {
  return termsOfFolded(foldText(text));
}

/** True for a term of one Han character, which is searched as a prefix of the bigrams. */
export function isSingleHan(term: string): boolean {
  return term.length === 1 && HAN.test(term);
}
