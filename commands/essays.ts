import { z } from 'zod';
import type { Essay } from '../src/core/corpus/model.js';
import type { Command } from '../src/core/dispatch/command.js';
import { affiliationLabel } from '../src/core/reply/excerpt.js';
import { pageText } from '../src/core/reply/layout.js';
import type { ReplyAction, ReplyBlock } from '../src/core/reply/model.js';
import { EssaysResult } from '../src/core/reply/results.js';
import { label, localized } from '../src/core/reply/traditional.js';

const T = localized({
  en: {
    title: 'Table of contents',
    empty: 'The corpus has no essays yet. Put the essays as .txt files in the corpus folder (CORPUS_DIR or --corpus).',
    editors: 'the editors',
    editorsNote: 'Editor’s note',
    essay: 'Essay',
    author: 'Author',
    affiliation: 'Affiliation',
    sections: 'Sections',
    footnotes: 'Footnotes',
    passages: 'Passage IDs',
    pages: 'Pages',
    none: '—',
  },
  'zh-CN': {
    title: '目录',
    empty: '语料中还没有文章。请把 .txt 文章放进语料文件夹（CORPUS_DIR 或 --corpus）。',
    editors: '编者',
    editorsNote: '编者按',
    essay: '文章',
    author: '作者',
    affiliation: '单位',
    sections: '章节',
    footnotes: '脚注',
    passages: '段落编号',
    pages: '页码',
    none: '—',
  },
});

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

const options = z.object({
  page: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(1)
    .meta({ description: 'Which page of the table of contents to show (for More)', zh: '显示目录的第几页', zhName: '页' }),
});

export default {
  name: 'essays',
  description: 'The table of contents: every essay with its author, sections and footnote count',
  descriptionZh: '目录：每篇文章的作者、章节与脚注数',
  options,
  result: EssaysResult,
  run(input, ctx) {
    const t = T[ctx.locale];
    const blocks: ReplyBlock[] = [];
    const results = [];
    const symposia = ctx.corpus.files.filter((f) => f.essays.length > 0);
    const all = symposia.flatMap((file) => file.essays.map((essay) => ({ file, essay })));
    const from = (input.page - 1) * ESSAYS_PER_PAGE;
    const shown = all.slice(from, from + ESSAYS_PER_PAGE);
    if (all.length > 0 && shown.length === 0) {
      const pages = Math.ceil(all.length / ESSAYS_PER_PAGE);
      const message = label(ctx.locale, `The table of contents has ${pages} pages; this page is past the end.`, `目录共 ${pages} 页，这一页已超出范围。`);
      return { command: 'essays', title: t.title, message, blocks: [], actions: [], results: [], corpusVersion: ctx.corpus.version };
    }
    let lastFile: (typeof symposia)[number] | null = null;
    for (const { file, essay } of shown) {
      // A corpus of several files needs each symposium's name to tell the lists apart.
      if (symposia.length > 1 && file !== lastFile) blocks.push({ kind: 'text', text: file.symposium ?? file.file });
      lastFile = file;
      const editors = essay.kind === 'editors-note';
      const author = editors ? t.editors : essay.authors.map((a) => a.name).join('、');
      const affiliation = affiliationLabel(essay);
      const sections = essay.sections.flatMap((s) => (s.heading === null || s.part !== 'body' ? [] : [s.heading]));
      const issue = file.issue ?? null;
      results.push({
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
      });
      blocks.push({
        kind: 'fields',
        fields: [
          { label: editors ? t.editorsNote : t.essay, value: editors ? openingOf(essay) : essay.title },
          { label: t.author, value: author || t.none },
          ...(affiliation ? [{ label: t.affiliation, value: affiliation }] : []),
          ...(sections.length > 0 ? [{ label: t.sections, value: sections.join('\n') }] : []),
          { label: t.footnotes, value: String(essay.footnotes.length) },
          { label: t.passages, value: passageRange(essay) },
          ...(essay.pages ? [{ label: t.pages, value: pageText(essay.pages, ctx.locale) ?? '' }] : []),
        ],
      });
    }
    const only = symposia.length === 1 ? symposia[0]?.symposium : null;
    const paged = all.length > ESSAYS_PER_PAGE;
    const range = label(
      ctx.locale,
      ` (essays ${from + 1}–${from + shown.length} of ${all.length})`,
      `（第 ${from + 1}—${from + shown.length} 篇，共 ${all.length} 篇）`,
    );
    const actions: ReplyAction[] = from + shown.length < all.length ? [{ kind: 'more', command: 'essays', input: { page: input.page + 1 } }] : [];
    return {
      command: 'essays',
      title: `${only ?? t.title}${paged ? range : ''}`,
      ...(results.length === 0 ? { message: t.empty } : {}),
      blocks,
      actions,
      results,
      corpusVersion: ctx.corpus.version,
    };
  },
} satisfies Command<typeof options, typeof EssaysResult>;
