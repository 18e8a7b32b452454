import { z } from 'zod';
import type { Paragraph } from '../src/core/corpus/model.js';
import type { Command } from '../src/core/dispatch/command.js';
import { queryText } from '../src/core/dispatch/input.js';
import { excerpt, footnoteResult, quoteBlock, sectionPathOf, wholeSpan } from '../src/core/reply/excerpt.js';
import type { Locale, Reply, ReplyBlock } from '../src/core/reply/model.js';
import { VerifyResult } from '../src/core/reply/results.js';
import { type Alignment, align, dropCjkSpaces } from '../src/core/search/diff.js';
import type { PassageHit } from '../src/core/search/search.js';
import { wordsFor } from '../src/core/words/index.js';

const options = z.object({
  sentence: queryText(500),
});

/** Paragraphs the closest-passage alignment looks at, taken from the best search hits. */
const CANDIDATES_MAX = 8;

/** Hits read for the candidates: the best ones, with repeats of one sentence among them. */
const HITS_MAX = 200;

/** Below this share of the sentence's letters and digits matching, nothing is "close". */
const MIN_SIMILARITY = 0.5;

/** Quotation marks a reader puts around a sentence they quote; they are not part of it. */
const WRAPPING_QUOTES = /^[“"'‘「『《]+|[”"'’」』》]+$/gu;

const WORD = /[\p{L}\p{N}]/gu;

function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/**
 * Share of the letters and digits of the sentence and of the passage that the two have in
 * common (punctuation ignored): 1 for the same words, 0 for nothing shared.
 */
function similarity(sentence: string, source: string, a: Alignment): number {
  const changed = a.ops.filter((o) => o.op !== 'equal').reduce((n, o) => n + wordCount(o.text), 0);
  return Math.max(0, 1 - changed / Math.max(1, wordCount(sentence) + wordCount(source)));
}

export default {
  name: 'verify',
  words: (locale) => wordsFor(locale).commands.verify,
  options,
  result: VerifyResult,
  positional: 'sentence',
  run(input, ctx) {
    const typed = dropCjkSpaces(input.sentence);
    const sentence = typed.replace(WRAPPING_QUOTES, '').trim() || typed;
    const base: Reply<never> = {
      command: 'verify',
      title: wordsFor(ctx.locale).commands.verify.title,
      blocks: [],
      actions: [],
      results: [],
      corpusVersion: ctx.corpus.version,
    };
    // The words as they stand first: on a large corpus that scores a few sentences, where the
    // closest passages need every sentence sharing a term with them scored.
    const [exact] = ctx.index.search(sentence, {}, { limit: 1, exactOnly: true });
    if (exact) return verbatimReply(base, [typed, sentence], exact, ctx.locale);
    const hits = ctx.index.search(sentence, {}, { limit: HITS_MAX });

    let best: { hit: PassageHit; alignment: Alignment; similarity: number } | null = null;
    const seen = new Set<string>();
    for (const hit of hits) {
      if (seen.size >= CANDIDATES_MAX) break;
      if (seen.has(hit.paragraph.id)) continue;
      seen.add(hit.paragraph.id);
      const alignment = alignToWords(sentence, hit.paragraph);
      if (!alignment) continue;
      const score = similarity(sentence, hit.paragraph.text.slice(alignment.start, alignment.end), alignment);
      if (!best || score > best.similarity) best = { hit, alignment, similarity: score };
    }
    if (!best || best.similarity < MIN_SIMILARITY) {
      return {
        ...base,
        title: wordsFor(ctx.locale).commands.verify.notFoundTitle,
        message: wordsFor(ctx.locale).commands.verify.notFound,
      };
    }

    const { hit, alignment } = best;
    const cut = excerpt(hit.paragraph, alignment.start, alignment.end, [], Number.MAX_SAFE_INTEGER);
    const block = quoteBlock(hit.essay, hit.section, hit.paragraph, cut, ctx.locale);
    const percent = Math.round(best.similarity * 100);
    const blocks: ReplyBlock[] = [block, { kind: 'diff', ops: alignment.ops }];
    return {
      ...base,
      title: wordsFor(ctx.locale).commands.verify.closestTitle,
      message: wordsFor(ctx.locale).commands.verify.closest(percent),
      blocks,
      actions: [{ kind: 'context', command: 'context', input: { id: hit.paragraph.id } }],
      results: [
        {
          verdict: 'different',
          quote: block.text,
          id: hit.paragraph.id,
          author: block.attribution.author,
          essay: block.attribution.essay,
          section: block.attribution.section,
          sectionPath: sectionPathOf(block.attribution),
          pages: block.attribution.pages ?? [],
          part: block.attribution.part ?? ('body' as const),
          similarity: Math.round(best.similarity * 1000) / 1000,
          diff: alignment.ops,
          footnotes: block.footnotes.map(footnoteResult),
        },
      ],
    };
  },
} satisfies Command<typeof options, typeof VerifyResult>;

const WORDS = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The word boundaries at or before `start` and at or after `end` in a paragraph's text
 * (Intl.Segmenter's, which know Chinese words). `containing` works out only the words around
 * each offset; listing every word of the paragraph was a megabyte of garbage per call.
 */
function wordSpan(text: string, start: number, end: number): [number, number] {
  const words = WORDS.segment(text);
  const before = words.containing(start);
  const after = words.containing(end);
  return [before ? before.index : text.length, after && after.index !== end ? after.index + after.segment.length : Math.min(end, text.length)];
}

/**
 * The closest passage to a sentence: the best-fitting span of the paragraph, widened to the
 * word boundaries around it and to the punctuation that closes it, and the sentence aligned
 * with all of that. Cut inside a word, the span would make the diff claim the essay lacks
 * its own characters (a one-character change near a sentence end dropped the essay's last
 * character and its 。).
 */
function alignToWords(sentence: string, p: Paragraph): Alignment | null {
  const local = align(sentence, p.text);
  if (!local) return null;
  const [start, wordEnd] = wordSpan(p.text, local.start, local.end);
  const [, end] = wholeSpan(p.text, start, wordEnd);
  const whole = align(sentence, p.text.slice(start, end), 'whole');
  return whole ? { ...whole, start: start + whole.start, end: start + whole.end } : null;
}

/**
 * The words were found. They are verbatim when the essay has them character for character;
 * otherwise they differ only in punctuation, spacing, width or Traditional characters.
 */
function verbatimReply(base: Reply<never>, forms: string[], hit: PassageHit, locale: Locale): Reply<z.output<typeof VerifyResult>> {
  const span = wholeSpan(hit.paragraph.text, ...(hit.matches[0] ?? [hit.start, hit.end]));
  const source = hit.paragraph.text.slice(span[0], span[1]);
  const verbatim = forms.some((f) => hit.paragraph.text.includes(f));
  const cut = excerpt(hit.paragraph, span[0], span[1], [], Number.MAX_SAFE_INTEGER);
  const block = quoteBlock(hit.essay, hit.section, hit.paragraph, cut, locale);
  return {
    ...base,
    title: verbatim ? wordsFor(locale).commands.verify.verbatim : wordsFor(locale).commands.verify.equivalent,
    ...(verbatim
      ? {}
      : {
          message: wordsFor(locale).commands.verify.equivalentNote,
        }),
    blocks: [block],
    actions: [{ kind: 'context', command: 'context', input: { id: hit.paragraph.id } }],
    results: [
      {
        verdict: verbatim ? 'verbatim' : 'equivalent',
        quote: source,
        id: hit.paragraph.id,
        author: block.attribution.author,
        essay: block.attribution.essay,
        section: block.attribution.section,
        sectionPath: sectionPathOf(block.attribution),
        pages: block.attribution.pages ?? [],
        part: block.attribution.part ?? ('body' as const),
        similarity: 1,
        footnotes: block.footnotes.map(footnoteResult),
      },
    ],
  };
}
