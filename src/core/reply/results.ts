import { z } from 'zod';

/**
 * The `--json` results of every command: the CLI's stable interface, typed once here. Each
 * command declares its schema (`result`) and its `run` must return results of that type;
 * the CLI tests parse real output with the same schemas. Names documented in the README are
 * never removed; new fields may be added.
 */

/** A footnote as a quote's result lists it. */
export const FootnoteResult = z.strictObject({
  number: z.number().int().positive(),
  /** The full citation (for a short form or 同上, the one it stands for). */
  text: z.string(),
  /** The note as printed on its page (`同上，第36页。`), display-normalised. */
  printed: z.string(),
  /** The page(s) the note points to (`第36页`, `pp. 7–9`): its own, or for a bare 同上 the repeated note's. */
  locator: z.string().optional(),
  /** The locator is not printed in this note: a bare 同上 repeats the page of the note before. */
  locatorInherited: z.boolean().optional(),
  /** URLs of the full citation. */
  urls: z.array(z.string()),
  /** The printed page the note itself is on; null when the corpus file does not say (a text file). */
  page: z.number().int().nonnegative().nullable(),
  /** `quote`: its marker falls inside the quoted words; `passage`: a later marker in the paragraph covers them. */
  covers: z.enum(['quote', 'passage']).optional(),
});

/** A passage quoted word for word, with where it stands. */
export const PassageResult = z.strictObject({
  id: z.string(),
  quote: z.string(),
  author: z.string(),
  essay: z.string(),
  /** The innermost heading over the passage. */
  section: z.string().nullable(),
  /** Every heading over it, outermost first (`['二、…', '（一）…']`); `[]` before any heading. */
  sectionPath: z.array(z.string()),
  /** Printed pages of the quoted words, ascending; `[]` when the corpus file does not say (a text file). */
  pages: z.array(z.number().int().nonnegative()),
  footnotes: z.array(FootnoteResult),
  /** Where the words stand: the author's text, the journal's abstract, or its English abstract. */
  part: z.enum(['body', 'abstract', 'english']),
});

export const QuoteResult = PassageResult.extend({
  /** The passage holds the query's exact words (else it is one of the closest). */
  exact: z.boolean(),
});

export const WhoResult = z.strictObject({
  author: z.string(),
  affiliation: z.string().nullable(),
  essay: z.string(),
  section: z.string().nullable(),
  sectionPath: z.array(z.string()),
  quote: z.string(),
  id: z.string(),
  /** How the candidate was found: its heading, the essay's title, the phrase, or as the closest passage. */
  match: z.enum(['heading', 'title', 'phrase', 'closest']),
});

export const AuthorResult = z.strictObject({
  name: z.string(),
  affiliation: z.string().nullable(),
  pinyin: z.string(),
  essays: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      sections: z.array(z.string()),
      characters: z.number().int().nonnegative(),
      footnoteCount: z.number().int().nonnegative(),
      sourceCount: z.number().int().nonnegative(),
      /** Thesis sentences picked from the body; empty when the journal prints an abstract, which stands in for them. */
      summary: z.array(z.strictObject({ quote: z.string(), passageId: z.string() })),
      terms: z.array(z.string()),
      /** The journal's abstract and keywords, when the article prints them. */
      abstract: z.string().nullable(),
      keywords: z.array(z.string()),
    }),
  ),
  footnoteCount: z.number().int().nonnegative(),
  urls: z.array(z.string()),
  summary: z.array(z.string()),
});

export const SourcesResult = z.strictObject({
  number: z.number().int().positive(),
  text: z.string(),
  urls: z.array(z.string()),
  /** The first sentence that cites the note; null when no marker could be tied to it. */
  quote: z.string().nullable(),
  author: z.string(),
  essay: z.string(),
  citedBy: z.array(z.strictObject({ quote: z.string(), id: z.string(), author: z.string(), essay: z.string(), section: z.string().nullable() })),
  citedByCount: z.number().int().nonnegative(),
});

export const EssaysResult = z.strictObject({
  id: z.string(),
  kind: z.enum(['essay', 'editors-note']),
  symposium: z.string().nullable(),
  title: z.string(),
  author: z.string(),
  authors: z.array(z.strictObject({ name: z.string(), affiliation: z.string().nullable() })),
  affiliation: z.string().nullable(),
  sections: z.array(z.string()),
  footnoteCount: z.number().int().nonnegative(),
  passagePrefix: z.string(),
  passages: z.string(),
  /** The essay's first and last printed page; null when the corpus file does not say. */
  pages: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).nullable(),
  /** The journal's abstract (内容提要 / 摘要), keywords and English block, when the article prints them. */
  abstract: z.string().nullable(),
  keywords: z.array(z.string()),
  english: z
    .strictObject({ title: z.string().nullable(), authors: z.array(z.string()), abstract: z.string().nullable(), keywords: z.array(z.string()) })
    .nullable(),
  /** The issue, from `NAME.meta.json` or else as the pages print it (running header, 文章编号); null when neither says. */
  journal: z.string().nullable(),
  year: z.number().int().nullable(),
  issue: z.string().nullable(),
  /**
   * For `essays <words>`: how well the essay matches, MiniSearch's BM25 over its weighted
   * fields (title, authors, keywords, abstract, headings, English matter), rounded to three
   * decimals; results come best first. Null in the table of contents, which is in corpus order.
   */
  score: z.number().nonnegative().nullable(),
  /** Whether the essay is in a file the asker's team added (false for the corpus folder's). */
  addedByTeam: z.boolean(),
});

export const CiteResult = z.strictObject({
  id: z.string(),
  passageId: z.string().nullable(),
  title: z.string(),
  authors: z.array(z.string()),
  journal: z.string().optional(),
  year: z.number().int().optional(),
  volume: z.string().optional(),
  issue: z.string().optional(),
  pages: z.string().optional(),
  doi: z.string().optional(),
  url: z.string().optional(),
  /** Publication facts the corpus does not state, left out of the citation rather than invented. */
  missing: z.array(z.string()),
  gbt7714: z.string(),
  bibtex: z.string(),
});

export const VerifyResult = PassageResult.extend({
  verdict: z.enum(['verbatim', 'equivalent', 'different']),
  /** Share of letters and digits the sentence and the passage have in common, 0 to 1. */
  similarity: z.number().min(0).max(1),
  /** For `different`: the character diff from the sentence to the passage. */
  diff: z.array(z.strictObject({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })).optional(),
});

export const HelpResult = z.strictObject({
  name: z.string(),
  description: z.string(),
  usage: z.string(),
  options: z
    .array(
      z.strictObject({
        name: z.string(),
        type: z.enum(['string', 'integer', 'number', 'boolean']),
        required: z.boolean(),
        description: z.string(),
        min: z.number().optional(),
        max: z.number().optional(),
        maxLength: z.number().optional(),
        choices: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** One sentence of a message looked up by "Find source", with what /verify found for it. */
export const FindResult = z.strictObject({
  sentence: z.string(),
  verdict: z.enum(['verbatim', 'equivalent', 'different', 'not-found']),
  match: VerifyResult.optional(),
});
