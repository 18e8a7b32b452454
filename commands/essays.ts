import { z } from 'zod';
import type { CorpusFile, Essay } from '../src/core/corpus/model.js';
import type { Command, CommandContext } from '../src/core/dispatch/command.js';
import { hasWordCharacters } from '../src/core/dispatch/input.js';
import { affiliationLabel } from '../src/core/reply/excerpt.js';
import { pageText } from '../src/core/reply/layout.js';
import type { Reply, ReplyAction, ReplyBlock } from '../src/core/reply/model.js';
import { EssaysResult } from '../src/core/reply/results.js';
import { en } from '../src/core/words/en.js';
import { type Words, wordsFor } from '../src/core/words/index.js';

function passageRange(essay: Essay): string {
  const numbers = essay.sections.flatMap((s) => s.paragraphs.map((p) => p.number));
  if (numbers.length === 0) return `${essay.id}.*`;
  const last = Math.max(...numbers);
  return last === 1 ? `${essay.id}.1` : `${essay.id}.1–${essay.id}.${last}`;
}

/** An editor's note is titled 编者按 by convention; its first sentence says more. */
function openingOf(essay: Essay): string {
  const p = essay.sections[0]?.paragraphs[0];
  const s = p?.sentences[0];
  return p && s ? p.text.slice(s.start, s.end) : essay.title;
}

/**
 * Essays a page of the table of contents lists. An archive has thousands: in one reply they
 * would be cut off by any chat platform's limits (and built in full at every call); a page
 * and a More button go through them in order.
 */
export const ESSAYS_PER_PAGE = 10;

/** The longest `words` taken: a title and an author's name fit with room to spare. */
const WORDS_MAX = 100;

const options = z.object({
  words: z.string().max(WORDS_MAX).refine(hasWordCharacters, { message: en.errors.details.noEssayWords }).optional(),
  page: z.number().int().min(1).max(1000).default(1),
});

type Input = z.output<typeof options>;
type Listed = { file: CorpusFile; essay: Essay; score: number | null };
type T = Words['commands']['essays'];

/** One essay as its result and its fields block. */
function listed({ file, essay, score }: Listed, t: T, ctx: CommandContext) {
  const editors = essay.kind === 'editors-note';
  const author = editors ? t.editors : essay.authors.map((a) => a.name).join('、');
  const affiliation = affiliationLabel(essay);
  const sections = essay.sections.flatMap((s) => (s.heading === null || s.part !== 'body' ? [] : [s.heading]));
  const issue = file.issue ?? null;
  const result = {
    id: essay.id,
    kind: essay.kind,
    symposium: essay.symposium,
    title: essay.title,
    author,
    authors: essay.authors.map(({ name, affiliation }) => ({ name, affiliation })),
    affiliation,
    sections,
    footnoteCount: essay.footnotes.length,
    passagePrefix: `${essay.id}.`,
    passages: passageRange(essay),
    pages: essay.pages,
    abstract: essay.abstract,
    keywords: essay.keywords,
    english: essay.english,
    journal: file.metadata?.journal ?? issue?.journal ?? null,
    year: file.metadata?.year ?? issue?.year ?? null,
    issue: file.metadata?.issue ?? issue?.issue ?? null,
    score: score === null ? null : Math.round(score * 1000) / 1000,
    addedByTeam: ctx.teamFiles?.has(file) === true,
  };
  const block: ReplyBlock = {
    kind: 'fields',
    fields: [
      { label: editors ? t.editorsNote : t.essay, value: editors ? openingOf(essay) : essay.title },
      { label: t.author, value: author || t.none },
      ...(affiliation ? [{ label: t.affiliation, value: affiliation }] : []),
      ...(sections.length > 0 ? [{ label: t.sections, value: sections.join('\n') }] : []),
      { label: t.footnotes, value: String(essay.footnotes.length) },
      { label: t.passages, value: passageRange(essay) },
      ...(essay.pages ? [{ label: t.pages, value: pageText(essay.pages, ctx.locale) ?? '' }] : []),
      ...(result.addedByTeam ? [{ label: t.library, value: t.addedByTeam }] : []),
    ],
  };
  return { result, block };
}

/** ` (essays 11–20 of 35)`, for a list longer than a page. */
function rangeText(ctx: CommandContext, from: number, shown: number, total: number): string {
  return wordsFor(ctx.locale).commands.essays.range(from + 1, from + shown, total);
}

function pastTheEnd(ctx: CommandContext, title: string, total: number): Reply<never> {
  const pages = Math.ceil(total / ESSAYS_PER_PAGE);
  const message = wordsFor(ctx.locale).commands.essays.listPastEnd(pages);
  return { command: 'essays', title, message, blocks: [], actions: [], results: [], corpusVersion: ctx.corpus.version };
}

/** The paged table of contents, in corpus order, each symposium's name over its essays. */
function tableOfContents(input: Input, ctx: CommandContext, t: T) {
  const blocks: ReplyBlock[] = [];
  const results = [];
  const symposia = ctx.corpus.files.filter((f) => f.essays.length > 0);
  const all = symposia.flatMap((file) => file.essays.map((essay) => ({ file, essay, score: null })));
  const from = (input.page - 1) * ESSAYS_PER_PAGE;
  const shown = all.slice(from, from + ESSAYS_PER_PAGE);
  if (all.length > 0 && shown.length === 0) {
    const pages = Math.ceil(all.length / ESSAYS_PER_PAGE);
    const message = wordsFor(ctx.locale).commands.essays.contentsPastEnd(pages);
    return { command: 'essays', title: t.title, message, blocks: [], actions: [], results: [], corpusVersion: ctx.corpus.version };
  }
  let lastFile: (typeof symposia)[number] | null = null;
  for (const item of shown) {
    // A corpus of several files needs each symposium's name to tell the lists apart.
    if (symposia.length > 1 && item.file !== lastFile) blocks.push({ kind: 'text', text: item.file.symposium ?? item.file.file });
    lastFile = item.file;
    const { result, block } = listed(item, t, ctx);
    results.push(result);
    blocks.push(block);
  }
  const only = symposia.length === 1 ? symposia[0]?.symposium : null;
  const paged = all.length > ESSAYS_PER_PAGE;
  const actions: ReplyAction[] = from + shown.length < all.length ? [{ kind: 'more', command: 'essays', input: { page: input.page + 1 } }] : [];
  return {
    command: 'essays',
    title: `${only ?? t.title}${paged ? rangeText(ctx, from, shown.length, all.length) : ''}`,
    ...(results.length === 0 ? { message: t.empty } : {}),
    blocks,
    actions,
    results,
    corpusVersion: ctx.corpus.version,
  };
}

/** The file an essay is in: looked up for the page shown, not mapped for every essay of an archive at each call. */
function fileOf(ctx: CommandContext, essay: Essay): CorpusFile {
  return ctx.corpus.files.find((f) => f.essays.includes(essay)) as CorpusFile;
}

/** The essays `words` find, best first (see src/core/search/essay-index.ts), a page at a time. */
function found(words: string, input: Input, ctx: CommandContext, t: T) {
  // Every hit, not a page: an archive has thousands of essays at most, and the title counts them.
  const hits = ctx.index.searchEssays(words);
  const title = t.found(words);
  if (hits.length === 0) return { command: 'essays', title, message: t.nothing, blocks: [], actions: [], results: [], corpusVersion: ctx.corpus.version };
  const from = (input.page - 1) * ESSAYS_PER_PAGE;
  const shown = hits.slice(from, from + ESSAYS_PER_PAGE);
  if (shown.length === 0) return pastTheEnd(ctx, title, hits.length);
  const items = shown.map((h) => listed({ file: fileOf(ctx, h.essay), essay: h.essay, score: h.score }, t, ctx));
  const more = from + shown.length < hits.length;
  return {
    command: 'essays',
    title: `${title}${hits.length > ESSAYS_PER_PAGE ? rangeText(ctx, from, shown.length, hits.length) : ''}`,
    blocks: items.map((i) => i.block),
    actions: more ? [{ kind: 'more' as const, command: 'essays', input: { words, page: input.page + 1 } }] : [],
    results: items.map((i) => i.result),
    corpusVersion: ctx.corpus.version,
  };
}

export default {
  name: 'essays',
  words: (locale) => wordsFor(locale).commands.essays,
  options,
  result: EssaysResult,
  positional: 'words',
  run(input, ctx) {
    const t = wordsFor(ctx.locale).commands.essays;
    return input.words === undefined ? tableOfContents(input, ctx, t) : found(input.words, input, ctx, t);
  },
} satisfies Command<typeof options, typeof EssaysResult>;
