import { z } from 'zod';
import type { Command } from '../src/core/dispatch/command.js';
import { queryText } from '../src/core/dispatch/input.js';
import { filterOptions, noMatchMessage, shownRange } from '../src/core/dispatch/passage-options.js';
import { excerpt, footnoteResult, quoteBlock, sectionPathOf } from '../src/core/reply/excerpt.js';
import type { Reply, ReplyAction } from '../src/core/reply/model.js';
import { QuoteResult } from '../src/core/reply/results.js';
import { wordsFor } from '../src/core/words/index.js';

const options = z.object({
  query: queryText(200),
  ...filterOptions,
  count: z.number().int().min(1).max(5).default(3),
  page: z.number().int().min(1).max(100).default(1),
});

export default {
  name: 'quote',
  words: (locale) => wordsFor(locale).commands.quote,
  options,
  result: QuoteResult,
  positional: 'query',
  run(input, ctx) {
    const filters = { author: input.author, essay: input.essay };
    // One more than the page shows, to know whether there is a next page.
    const hits = ctx.index.search(input.query, filters, { limit: input.page * input.count + 1 });
    const base: Reply<never> = {
      command: 'quote',
      title: wordsFor(ctx.locale).commands.quote.title,
      blocks: [],
      actions: [],
      results: [],
      corpusVersion: ctx.corpus.version,
    };
    const range = shownRange(hits.length, input.page, input.count);
    if (hits.length === 0) return { ...base, message: noMatchMessage(ctx, filters) };
    if (range === null) {
      return {
        ...base,
        message: wordsFor(ctx.locale).commands.quote.pastEnd(hits.length),
      };
    }

    const shown = hits.slice(range.from, range.to);
    const blocks = shown.map((hit) => {
      const cut = excerpt(hit.paragraph, hit.start, hit.end, hit.matches);
      return quoteBlock(hit.essay, hit.section, hit.paragraph, cut, ctx.locale);
    });
    const results = blocks.map((b, i) => ({
      id: b.attribution.passageId,
      quote: b.text,
      author: b.attribution.author,
      essay: b.attribution.essay,
      section: b.attribution.section,
      sectionPath: sectionPathOf(b.attribution),
      pages: b.attribution.pages ?? [],
      footnotes: b.footnotes.map(footnoteResult),
      part: b.attribution.part ?? ('body' as const),
      exact: shown[i]?.exact ?? false,
    }));

    const filterInput = { ...(input.author ? { author: input.author } : {}), ...(input.essay ? { essay: input.essay } : {}) };
    const actions: ReplyAction[] = [];
    if (range.to < hits.length) {
      actions.push({ kind: 'more', command: 'quote', input: { query: input.query, ...filterInput, count: input.count, page: input.page + 1 } });
    }
    for (const b of blocks) actions.push({ kind: 'context', command: 'context', input: { id: b.attribution.passageId } });
    actions.push({ kind: 'sources', command: 'sources', input: { query: input.query, ...filterInput } });
    actions.push({ kind: 'share', command: 'quote', input: { query: input.query, ...filterInput, count: input.count, page: input.page } });

    return {
      ...base,
      title: wordsFor(ctx.locale).commands.quote.range(range.from + 1, range.to),
      ...(!hits.some((h) => h.exact) ? { message: wordsFor(ctx.locale).commands.quote.closest } : {}),
      blocks,
      actions,
      results,
    };
  },
} satisfies Command<typeof options, typeof QuoteResult>;
