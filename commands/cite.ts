import { z } from 'zod';
import { publicationFacts } from '../src/core/corpus/metadata.js';
import { type Essay, type Paragraph, pagesOf } from '../src/core/corpus/model.js';
import type { Command } from '../src/core/dispatch/command.js';
import { queryText } from '../src/core/dispatch/input.js';
import { type CitableWork, formatBibtex, formatGbt7714, missingFields } from '../src/core/reply/citation.js';
import type { ReplyBlock } from '../src/core/reply/model.js';
import { CiteResult } from '../src/core/reply/results.js';
import { wordsFor } from '../src/core/words/index.js';

/** An essay ID or title fragment that matches more essays than this is too vague to cite. */
const MAX_CITATIONS = 5;

function findPassage(essays: readonly Essay[], id: string): { essay: Essay; paragraph: Paragraph } | null {
  const wanted = id.toLowerCase();
  for (const essay of essays) {
    if (!wanted.startsWith(`${essay.id.toLowerCase()}.`)) continue;
    for (const section of essay.sections) {
      const paragraph = section.paragraphs.find((p) => p.id.toLowerCase() === wanted);
      if (paragraph) return { essay, paragraph };
    }
  }
  return null;
}

function metadataFileOf(essay: Essay): string {
  return `${essay.file.replace(/\.[^.]*$/u, '')}.meta.json`;
}

const options = z.object({
  target: queryText(200).meta({ autocomplete: 'essay' }),
});

export default {
  name: 'cite',
  words: (locale) => wordsFor(locale).commands.cite,
  options,
  result: CiteResult,
  positional: 'target',
  run(input, ctx) {
    const t = wordsFor(ctx.locale).commands.cite;
    const all = ctx.corpus.files.flatMap((f) => f.essays.map((essay) => ({ essay, file: f })));
    const passage = findPassage(
      all.map((a) => a.essay),
      input.target,
    );
    const essays = passage ? [passage.essay] : ctx.index.findEssays(input.target);
    if (essays.length === 0) {
      return { command: 'cite', title: t.title(input.target), message: t.notFound, blocks: [], actions: [], results: [], corpusVersion: ctx.corpus.version };
    }
    const cited = essays.slice(0, MAX_CITATIONS);
    const blocks: ReplyBlock[] = [];
    const notes: string[] = [];
    const results = cited.map((essay) => {
      const file = all.find((a) => a.essay === essay || a.essay.id === essay.id)?.file;
      const facts = file ? publicationFacts(file, essay) : {};
      // A passage is cited at its own printed page (GB/T 7714's 引文页码), not the essay's range.
      const printed = passage && passage.essay === essay ? pagesOf(passage.paragraph) : [];
      if (printed.length > 0) {
        const first = Math.min(...printed);
        const last = Math.max(...printed);
        facts.pages = first === last ? String(first) : `${first}-${last}`;
      }
      const work: CitableWork = { id: essay.id, title: essay.title, authors: essay.authors.map((a) => a.name), facts };
      const gbt7714 = formatGbt7714(work);
      const bibtex = formatBibtex(work);
      const missing = missingFields(facts);
      if (missing.length > 0) {
        const note = t.missing(
          missing.map((m) => wordsFor(ctx.locale).commands.cite.fields[m]),
          metadataFileOf(essay),
        );
        if (!notes.includes(note)) notes.push(note);
      }
      const passageId = passage?.paragraph.id ?? null;
      if (cited.length > 1) blocks.push({ kind: 'text', text: essay.title });
      blocks.push({
        kind: 'fields',
        fields: [...(passageId ? [{ label: t.passage, value: passageId }] : []), { label: 'GB/T 7714-2015', value: gbt7714 }],
      });
      blocks.push({ kind: 'text', text: bibtex });
      return { id: essay.id, passageId, title: essay.title, authors: work.authors, ...facts, missing, gbt7714, bibtex };
    });
    const message = [...(essays.length > MAX_CITATIONS ? [t.many(essays.length, MAX_CITATIONS)] : []), ...notes].join(' ');
    return {
      command: 'cite',
      title: t.title(passage ? passage.paragraph.id : cited.map((e) => e.title).join('；')),
      ...(message ? { message } : {}),
      blocks,
      actions: [],
      results,
      corpusVersion: ctx.corpus.version,
    };
  },
} satisfies Command<typeof options, typeof CiteResult>;
