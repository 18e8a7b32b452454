import { z } from 'zod';
import { type Essay, essaysOf } from '../src/core/corpus/model.js';
import { distinctiveTerms, essayLength, essayUrls, thesisSentences } from '../src/core/corpus/summary.js';
import type { Command, CommandContext } from '../src/core/dispatch/command.js';
import { queryText } from '../src/core/dispatch/input.js';
import type { Locale, Reply, ReplyAction, ReplyBlock } from '../src/core/reply/model.js';
import { AuthorResult } from '../src/core/reply/results.js';
import type { AuthorEntry } from '../src/core/search/search.js';
import { wordsFor } from '../src/core/words/index.js';

/** More than this many matching authors means the name was too vague to profile each one. */
const MAX_PROFILES = 5;

/** One essay as `/author` describes it; the first two fields are the stable JSON interface. */
interface EssayProfile {
  id: string;
  title: string;
  sections: string[];
  characters: number;
  footnoteCount: number;
  sourceCount: number;
  summary: Array<{ quote: string; passageId: string }>;
  terms: string[];
  abstract: string | null;
  keywords: string[];
}

function profileEssay(essay: Essay, corpus: readonly Essay[]): EssayProfile {
  return {
    id: essay.id,
    title: essay.title,
    sections: essay.sections.flatMap((s) => (s.heading === null || s.part !== 'body' ? [] : [s.heading])),
    characters: essayLength(essay),
    footnoteCount: essay.footnotes.length,
    sourceCount: essayUrls(essay).length,
    // An essay whose journal prints an abstract is summed up by it, not by sentences picked from it.
    summary: essay.abstract !== null ? [] : thesisSentences(essay).map((t) => ({ quote: t.text, passageId: t.passageId })),
    terms: distinctiveTerms(essay, corpus),
    abstract: essay.abstract,
    keywords: essay.keywords,
  };
}

function profileBlocks(entry: AuthorEntry, essays: EssayProfile[], locale: Locale): ReplyBlock[] {
  const t = wordsFor(locale).commands.author;
  const blocks: ReplyBlock[] = [{ kind: 'fields', fields: [{ label: t.affiliation, value: entry.affiliation ?? t.none }] }];
  for (const e of essays) {
    blocks.push({
      kind: 'fields',
      fields: [
        { label: t.essay, value: `${e.title} (${e.id})` },
        { label: t.sections, value: e.sections.length > 0 ? e.sections.join('\n') : t.none },
        { label: t.length, value: t.characters(e.characters) },
        { label: t.footnotes, value: String(e.footnoteCount) },
        { label: t.sources, value: String(e.sourceCount) },
        ...(e.keywords.length > 0 ? [{ label: t.keywords, value: e.keywords.join('；') }] : []),
        { label: t.terms, value: e.terms.length > 0 ? e.terms.join('、') : t.none },
      ],
    });
    if (e.abstract !== null) blocks.push({ kind: 'text', text: `${t.abstract} (${e.id}.abstract):\n${e.abstract}` });
    if (e.summary.length > 0) {
      blocks.push({ kind: 'text', text: `${t.thesis}:\n${e.summary.map((s) => `• ${s.quote} (${s.passageId})`).join('\n')}` });
    }
  }
  return blocks;
}

function unknownAuthor(ctx: CommandContext): Reply<never> {
  const t = wordsFor(ctx.locale).commands.author;
  const all = ctx.index.findAuthors('');
  const list = all.map((a) => `${a.name}${a.affiliation ? `（${a.affiliation}）` : ''} — ${a.essays.map((e) => e.title).join('；')}`);
  return {
    command: 'author',
    title: t.unknownTitle,
    message: t.unknown(all.length > 0 ? all.map((a) => a.name) : [t.none]),
    blocks: list.length > 0 ? [{ kind: 'text', text: list.join('\n') }] : [],
    actions: [],
    results: [],
    corpusVersion: ctx.corpus.version,
  };
}

const options = z.object({
  name: queryText(100).meta({ autocomplete: 'author' }),
});

export default {
  name: 'author',
  words: (locale) => wordsFor(locale).commands.author,
  options,
  result: AuthorResult,
  positional: 'name',
  run(input, ctx) {
    const t = wordsFor(ctx.locale).commands.author;
    const found = ctx.index.findAuthors(input.name);
    if (found.length === 0) return unknownAuthor(ctx);
    const corpusEssays = essaysOf(ctx.corpus);
    const shown = found.slice(0, MAX_PROFILES);
    const blocks: ReplyBlock[] = [];
    const actions: ReplyAction[] = [];
    const results = shown.map((entry) => {
      const essays = entry.essays.map((e) => profileEssay(e, corpusEssays));
      if (shown.length > 1) blocks.push({ kind: 'text', text: entry.name });
      blocks.push(...profileBlocks(entry, essays, ctx.locale));
      for (const e of essays) actions.push({ kind: 'sources', command: 'sources', input: { essay: e.id } });
      return {
        name: entry.name,
        affiliation: entry.affiliation,
        pinyin: entry.pinyin,
        essays,
        footnoteCount: essays.reduce((n, e) => n + e.footnoteCount, 0),
        urls: [...new Set(entry.essays.flatMap(essayUrls))],
        summary: essays.flatMap((e) => e.summary.map((s) => s.quote)),
      };
    });
    return {
      command: 'author',
      title: t.title(shown.map((a) => a.name).join('、')),
      ...(found.length > MAX_PROFILES ? { message: t.many(found.length, MAX_PROFILES) } : {}),
      blocks,
      actions,
      results,
      corpusVersion: ctx.corpus.version,
    };
  },
} satisfies Command<typeof options, typeof AuthorResult>;
