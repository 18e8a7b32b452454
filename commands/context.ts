import { z } from 'zod';
import { essaysOf } from '../src/core/corpus/model.js';
import type { Command } from '../src/core/dispatch/command.js';
import { attributionOf, findPassage, footnoteResult, resolve } from '../src/core/reply/excerpt.js';
import type { Reply } from '../src/core/reply/model.js';
import { PassageResult } from '../src/core/reply/results.js';
import { wordsFor } from '../src/core/words/index.js';

const options = z.object({
  id: z.string().min(1).max(120),
});

export default {
  name: 'context',
  words: (locale) => wordsFor(locale).commands.context,
  options,
  result: PassageResult,
  positional: 'id',
  // It answers the Context button under a quote; people search with /quote.
  hidden: true,
  run(input, ctx): Reply<z.output<typeof PassageResult>> {
    const base: Reply<never> = {
      command: 'context',
      title: wordsFor(ctx.locale).commands.context.title,
      blocks: [],
      actions: [],
      results: [],
      corpusVersion: ctx.corpus.version,
    };
    const found = findPassage(essaysOf(ctx.corpus), input.id.trim());
    if (!found) {
      return {
        ...base,
        message: wordsFor(ctx.locale).commands.context.gone,
      };
    }
    const { essay, section, paragraph } = found;
    const markers = paragraph.markers.flatMap((m) => (m.footnote === null ? [] : [{ offset: m.offset, number: m.footnote }]));
    const numbers = [...new Set(markers.map((m) => m.number))];
    const footnotes = numbers.map((n) => resolve(essay, n, 'quote'));
    const attribution = attributionOf(essay, section, paragraph, ctx.locale);
    return {
      ...base,
      blocks: [{ kind: 'quote', text: paragraph.text, highlights: [], markers, attribution, footnotes }],
      actions: [
        { kind: 'sources', command: 'sources', input: { essay: essay.id } },
        { kind: 'share', command: 'context', input: { id: paragraph.id } },
      ],
      results: [
        {
          id: paragraph.id,
          quote: paragraph.text,
          author: attribution.author,
          essay: essay.title,
          section: section.heading,
          sectionPath: section.path,
          pages: attribution.pages ?? [],
          footnotes: footnotes.map(footnoteResult),
          part: section.part,
        },
      ],
    };
  },
} satisfies Command<typeof options, typeof PassageResult>;
