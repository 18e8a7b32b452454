import { z } from 'zod';
import { splitSentences } from '../src/core/corpus/text.js';
import type { Command } from '../src/core/dispatch/command.js';
import { hasWordCharacters, queryText } from '../src/core/dispatch/input.js';
import type { Locale, Reply, ReplyAction, ReplyBlock } from '../src/core/reply/model.js';
import { FindResult, type VerifyResult } from '../src/core/reply/results.js';
import { wordsFor } from '../src/core/words/index.js';

/**
 * What the "Find source" message menu runs on a chat message: each of its sentences checked
 * as /verify checks one, up to a bound. A message is quoted whole, paraphrased in parts and
 * commented on, so one verdict for all of it would say little; and a long message is no
 * reason to refuse.
 */

/** The longest chat message (Slack allows 40,000 characters; Discord 4,000). */
const MESSAGE_MAX = 40_000;
/** Sentences checked at most; the reply says how many more the message has. */
export const SENTENCES_CHECKED_MAX = 8;
/** A sentence shorter than this (in letters and digits) is a greeting or an aside, not a quotation. */
const SENTENCE_MIN_WORDS = 6;
/** What /verify accepts; a longer sentence is checked by its beginning. */
const SENTENCE_MAX = 500;

const options = z.object({
  text: queryText(MESSAGE_MAX),
});

/** The message's sentences worth checking, in order. */
function sentencesOf(text: string): string[] {
  return splitSentences(text)
    .map((s) => text.slice(s.start, s.end).trim())
    .filter((s) => hasWordCharacters(s) && s.replace(/[^\p{L}\p{N}]/gu, '').length >= SENTENCE_MIN_WORDS)
    .map((s) => (s.length > SENTENCE_MAX ? s.slice(0, SENTENCE_MAX) : s));
}

function verdictLabel(result: z.output<typeof VerifyResult> | undefined, locale: Locale): string {
  if (!result) return wordsFor(locale).commands.find.notFound;
  if (result.verdict === 'verbatim') return wordsFor(locale).commands.find.verbatim;
  if (result.verdict === 'equivalent') return wordsFor(locale).commands.find.equivalent;
  return wordsFor(locale).commands.find.near(Math.round(result.similarity * 100));
}

export default {
  name: 'find',
  words: (locale) => wordsFor(locale).commands.find,
  options,
  result: FindResult,
  positional: 'text',
  hidden: true,
  run(input, ctx): Reply<z.output<typeof FindResult>> {
    const verify = ctx.commands.get('verify');
    const all = sentencesOf(input.text);
    const checked = all.slice(0, SENTENCES_CHECKED_MAX);
    const base = { command: 'find', actions: [] as ReplyAction[], corpusVersion: ctx.corpus.version };
    if (!verify || checked.length === 0) {
      return {
        ...base,
        title: wordsFor(ctx.locale).commands.find.title,
        message: wordsFor(ctx.locale).commands.find.noSentence,
        blocks: [],
        results: [],
      };
    }
    const blocks: ReplyBlock[] = [];
    const results: Array<z.output<typeof FindResult>> = [];
    const actions: ReplyAction[] = [];
    checked.forEach((sentence, i) => {
      const reply = verify.run({ sentence }, ctx) as Reply<z.output<typeof VerifyResult>>;
      const [result] = reply.results;
      blocks.push({ kind: 'text', text: `${i + 1}. ${sentence} — ${verdictLabel(result, ctx.locale)}` });
      blocks.push(...reply.blocks);
      actions.push(...reply.actions);
      results.push({ sentence, verdict: result?.verdict ?? 'not-found', ...(result ? { match: result } : {}) });
    });
    const found = results.filter((r) => r.verdict !== 'not-found').length;
    const rest = all.length - checked.length;
    return {
      ...base,
      title: wordsFor(ctx.locale).commands.find.found(found, checked.length),
      ...(rest > 0
        ? {
            message: wordsFor(ctx.locale).commands.find.unchecked(checked.length, rest),
          }
        : {}),
      blocks,
      actions,
      results,
    };
  },
} satisfies Command<typeof options, typeof FindResult>;
