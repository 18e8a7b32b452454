import { z } from 'zod';
import { CorpusMetadataSchema } from './metadata.js';

/**
 * The corpus model. Everything the bot shows is cut from these objects, so they keep two
 * texts apart: `raw` is the source exactly as extracted (markers, layout spaces and all),
 * `text` is the display text a quote is taken from (markers lifted out, extraction spaces
 * such as `2025 年` closed up). Offsets in this file always index `text`.
 */

/** A footnote, numbered 1..n in its essay's own running order. */
export const FootnoteSchema = z.object({
  /** Running number within the essay (1..n), in the order the markers are read. */
  number: z.number().int().positive(),
  /** The mark as printed on its page (`①`); numbering restarts on every page. */
  mark: z.string(),
  /** Display text of the note as printed, without its mark (for 同上 that is `同上，第36页。`). */
  text: z.string(),
  /**
   * The place in the source the note points to, as printed and display-normalised: `第36页`,
   * `第36—38页`, `p. 7`, `pp. 7–9`; the last one the note gives. Null when it gives none.
   */
  locator: z.string().nullable(),
  /** The note's line exactly as extracted, mark included. */
  raw: z.string(),
  /** URLs printed in this note, without angle brackets or trailing punctuation. */
  urls: z.array(z.string()),
  /**
   * For a short form (`《全球人工智能治理倡议》。`) or 同上/ibid.: the running number of the
   * full citation it stands for, whose text and URLs apply. Null for a full citation.
   */
  refersTo: z.number().int().positive().nullable(),
  /**
   * `ibid`: 同上 / Ibid., the note before it again (at the same page unless it gives its own);
   * `short`: a short form of a citation given in full elsewhere; `full`: a citation in full.
   */
  form: z.enum(['full', 'short', 'ibid']),
  /** 1-based line of the note in its file. */
  line: z.number().int().positive(),
  /** The printed page the note is on; null when the file does not say (a text file without page breaks). */
  page: z.number().int().nonnegative().nullable().default(null),
});
export type Footnote = z.infer<typeof FootnoteSchema>;

/** Where a footnote marker stood: just after `text[offset - 1]`. */
export const MarkerSchema = z.object({
  offset: z.number().int().nonnegative(),
  /** The footnote's running number in the essay, or null when no note could be found for it. */
  footnote: z.number().int().positive().nullable(),
  mark: z.string(),
});
export type Marker = z.infer<typeof MarkerSchema>;

/** A sentence as a span of its paragraph's display text. */
export const SentenceSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type Sentence = z.infer<typeof SentenceSchema>;

export const ParagraphSchema = z.object({
  /** Stable passage ID: essay slug plus paragraph number, e.g. `chen-zhimin-ylph.4`. */
  id: z.string(),
  /** 1-based paragraph number within the essay's body; 0 for a paragraph of an abstract (`slug.abstract`). */
  number: z.number().int().nonnegative(),
  text: z.string(),
  raw: z.string(),
  markers: z.array(MarkerSchema),
  sentences: z.array(SentenceSchema),
  /** Source lines the paragraph was joined from (more than one when a page break split it). */
  lines: z.array(z.number().int().positive()).min(1),
  /**
   * The printed pages the paragraph is on, ascending, each with the offset in `text` where its
   * part begins (0 for the first); empty when the file does not say.
   */
  pages: z.array(z.object({ page: z.number().int().nonnegative(), start: z.number().int().nonnegative() })).default([]),
});
export type Paragraph = z.infer<typeof ParagraphSchema>;

/**
 * Which part of an article a section is: the author's text, or the abstract the journal prints
 * before it (`摘要`) or after it in English (`Abstract`). An abstract is searched and quoted,
 * always labelled as such, and never taken for the author's argument.
 */
export const PartSchema = z.enum(['body', 'abstract', 'english']);
export type Part = z.infer<typeof PartSchema>;

export const SectionSchema = z.object({
  /** Display heading (`一、面向未来…`, `结语`), or null for text before any heading. */
  heading: z.string().nullable(),
  /** 1 for `一、…` and `结语`, 2 for `（一）…`, 3 for `1.`, 4 for `(1)`; 0 for text before any heading. */
  level: z.number().int().min(0).max(4),
  /** The headings from the outermost down to this one (`['二、…', '（一）…']`); empty before any heading. */
  path: z.array(z.string()),
  paragraphs: z.array(ParagraphSchema),
  part: PartSchema.default('body'),
});
export type Section = z.infer<typeof SectionSchema>;

export const AuthorSchema = z.object({
  name: z.string().min(1),
  /**
   * From the author's `*` note, `【作者简介】` or `About the Authors`, without the name, the
   * postal address and any remark after it; null when not printed.
   */
  affiliation: z.string().nullable(),
  /** The author's note as printed (`张一鸣，某大学…副教授（北京100000）`), without its label; null when none. */
  bio: z.string().nullable().default(null),
  /** The postal address the note gives in brackets (`北京100000`); null when none. */
  address: z.string().nullable().default(null),
});
export type Author = z.infer<typeof AuthorSchema>;

/** The English block journals print after a Chinese article. */
export const EnglishMatterSchema = z.object({
  title: z.string().nullable(),
  authors: z.array(z.string()),
  abstract: z.string().nullable(),
  keywords: z.array(z.string()),
});
export type EnglishMatter = z.infer<typeof EnglishMatterSchema>;

/** The classification line of a Chinese article: 中图分类号, 文献标识码, 文章编号 and DOI. */
export const ClassificationSchema = z.object({
  clc: z.string().nullable(),
  documentCode: z.string().nullable(),
  articleNumber: z.string().nullable(),
  doi: z.string().nullable(),
});
export type Classification = z.infer<typeof ClassificationSchema>;

/** The issue a file's pages print (running header, masthead, 文章编号); each field null when not printed. */
export const IssueSchema = z.object({
  journal: z.string().nullable(),
  year: z.number().int().nullable(),
  issue: z.string().nullable(),
});

export const EssaySchema = z.object({
  /** Essay slug, stable whatever else is in the corpus. */
  id: z.string(),
  /** An editor's note is attributed to the editors and has no authors. */
  kind: z.enum(['essay', 'editors-note']),
  /** Corpus file name relative to the corpus folder. */
  file: z.string(),
  /** Title of the symposium the essay appeared in, when the file has one. */
  symposium: z.string().nullable(),
  title: z.string(),
  authors: z.array(AuthorSchema),
  sections: z.array(SectionSchema),
  footnotes: z.array(FootnoteSchema),
  /** 1-based line of the title (or of the editor's note). */
  line: z.number().int().positive(),
  /** The first and last printed page of the essay, notes included; null when the file does not say. */
  pages: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).nullable().default(null),
  /*
   * Front and back matter, kept apart from the sections' text: what the journal prints
   * about the article, never the author's argument.
   */
  /** `内容提要` / `摘要`, display text; null when not printed. Its text is also the `abstract` section. */
  abstract: z.string().nullable().default(null),
  keywords: z.array(z.string()).default([]),
  classification: ClassificationSchema.nullable().default(null),
  /** `基金项目`, or a funding remark in an author note (`本文为…的阶段性成果`). */
  funding: z.string().nullable().default(null),
  /** Thanks an author note adds after the affiliation (`感谢…`). */
  acknowledgements: z.string().nullable().default(null),
  /** `收稿日期` and `修回日期` as printed (`2025-10-12`). */
  received: z.string().nullable().default(null),
  revised: z.string().nullable().default(null),
  english: EnglishMatterSchema.nullable().default(null),
});
export type Essay = z.infer<typeof EssaySchema>;

/** Something the parser could not resolve; never fatal. */
export const CorpusWarningSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  message: z.string(),
  /** For a PDF: the printed page (or, without a printed number, the PDF's page) the warning is about. */
  page: z.number().int().nonnegative().nullable().optional(),
});
export type CorpusWarning = z.infer<typeof CorpusWarningSchema>;

export const CorpusFileSchema = z.object({
  file: z.string(),
  symposium: z.string().nullable(),
  essays: z.array(EssaySchema),
  warnings: z.array(CorpusWarningSchema),
  /** sha256 of the file's bytes. */
  hash: z.string(),
  /** The issue the pages print (running header, first page); null when they print none. */
  issue: IssueSchema.nullable().optional(),
  /** Publication facts from `<name>.meta.json` beside the file (see metadata.ts); absent when there is none. */
  metadata: CorpusMetadataSchema.nullable().optional(),
});
export type CorpusFile = z.infer<typeof CorpusFileSchema>;

export const CorpusSchema = z.object({
  dir: z.string(),
  files: z.array(CorpusFileSchema),
  /** Short content hash over all files; a reply records the version it came from. */
  version: z.string(),
});
export type Corpus = z.infer<typeof CorpusSchema>;

/** Formats a warning as `corpus: DIR/FILE:LINE: message`, the form editors and terminals link. */
export function formatWarning(w: CorpusWarning, dir?: string): string {
  const path = dir ? `${dir.replace(/\/+$/u, '')}/${w.file}` : w.file;
  // A PDF has no lines a user could open: its warnings name the page.
  if (/\.pdf$/iu.test(w.file)) return `corpus: ${path}${w.page != null ? `, page ${w.page}` : ''}: ${w.message}`;
  return `corpus: ${path}:${w.line}: ${w.message}`;
}

export function essaysOf(corpus: Corpus): Essay[] {
  return corpus.files.flatMap((f) => f.essays);
}

/** The citation that applies to a note: itself, or the full note a short form or 同上 stands for. */
export function citationOf(essay: Essay, note: Footnote): Footnote {
  // Most notes are citations in full: no chain to follow (this runs for every marker a query looks at).
  if (note.refersTo === null) return note;
  return followCitation(note, {
    number: (f) => f.number,
    refersTo: (f) => f.refersTo,
    byNumber: (n) => essay.footnotes.find((f) => f.number === n),
  });
}

/**
 * `citationOf` over any form of an essay's notes (the notes, or a parse cache entry's rows of
 * them): from `start`, the note each refers to (the first of its number), until one refers to
 * none, to a number the essay lacks, or back to one already passed.
 */
export function followCitation<N>(start: N, notes: { number(n: N): number; refersTo(n: N): number | null; byNumber(number: number): N | undefined }): N {
  let current = start;
  const seen = new Set<number>();
  for (let to = notes.refersTo(current); to !== null && !seen.has(notes.number(current)); to = notes.refersTo(current)) {
    seen.add(notes.number(current));
    const next = notes.byNumber(to);
    if (next === undefined) break;
    current = next;
  }
  return current;
}

/** The printed pages of `text[start, end)` of a paragraph, ascending; empty when unknown. */
export function pagesOf(p: Paragraph, start = 0, end = p.text.length): number[] {
  const pages: number[] = [];
  p.pages.forEach((part, i) => {
    const partEnd = p.pages[i + 1]?.start ?? Number.POSITIVE_INFINITY;
    if (part.start < Math.max(end, start + 1) && partEnd > start && !pages.includes(part.page)) pages.push(part.page);
  });
  return pages.sort((a, b) => a - b);
}

/** The text of a paragraph's sentence. */
export function sentenceText(p: Paragraph, s: Sentence): string {
  return p.text.slice(s.start, s.end);
}
