/**
 * The platform-neutral reply every command returns. All strings are plain text exactly as
 * they should read: escaping for Markdown, mrkdwn or a terminal is the renderer's job, so
 * no renderer ever has to undo another's escaping.
 */

/** The bot's languages: English, Simplified Chinese, and Traditional Chinese as written in Taiwan and in Hong Kong. */
export type Locale = 'en' | 'zh-CN' | 'zh-TW' | 'zh-HK';

/** Who wrote the quoted words and where they stand. */
export interface Attribution {
  /** Author name(s) joined with `、`, or the editors' label for an editor's note. */
  author: string;
  /** Every distinct affiliation of the authors, joined with `；`. */
  affiliation: string | null;
  /** Each author with their own affiliation, when the essay has several (so each is shown with theirs). */
  authors?: Array<{ name: string; affiliation: string | null }>;
  essay: string;
  /** The innermost heading over the passage. */
  section: string | null;
  /** Every heading over the passage, outermost first, when there is more than one (`二、… › （一）…`). */
  sectionPath?: string[];
  passageId: string;
  /** The journal's abstract (`摘要`) or English abstract (`Abstract`) rather than the author's text; absent for the body. */
  part?: 'abstract' | 'english';
  /** Printed pages of the quoted words, ascending; absent or empty when the source has none. */
  pages?: number[];
  /** The reader's link to the quoted words, when the bot serves a reader (PUBLIC_URL). */
  link?: string;
}

/** A footnote as shown under a quote or in a list of sources. */
export interface ReplyFootnote {
  /** The note's running number in its essay, shown as [n]. */
  number: number;
  /** Full citation text (for a short form or 同上, the full citation it stands for). */
  text: string;
  /** The note as printed on its page (for a short form or 同上 this is not `text`). */
  printed: string;
  /**
   * The page or pages the note points to (`第36页`): its own, or for a bare 同上 the page of
   * the note it repeats (then `locatorInherited` is set, since the page did not print it).
   */
  locator?: string;
  locatorInherited?: boolean;
  urls: string[];
  /** `quote`: its marker falls inside the quoted words; `passage`: a later marker in the same paragraph covers them. */
  covers: 'quote' | 'passage';
  /** The printed page the note is on, when known. */
  page?: number | null;
}

/** Where a footnote marker falls inside a block's text: render `[number]` after `text[offset - 1]`. */
export interface ReplyMarker {
  offset: number;
  number: number;
}

export type ReplyBlock =
  | {
      kind: 'quote';
      /** Verbatim display text, possibly trimmed with `…` at either end. */
      text: string;
      /** Half-open [start, end) spans of `text` to emphasise. */
      highlights: Array<[number, number]>;
      markers: ReplyMarker[];
      attribution: Attribution;
      footnotes: ReplyFootnote[];
      /** The quoted words as [start, end) of the paragraph's text (for a link to them). */
      span?: [number, number];
    }
  | {
      /** One source in a list: a numbered note and the places that cite it. */
      kind: 'note';
      number: number;
      text: string;
      /** The note as printed on its page, when it differs from `text`. */
      printed?: string;
      urls: string[];
      citedBy: Array<{ quote: string; attribution: Attribution }>;
      /** The essay the note is in, and the reader's link to the note there. */
      essayId?: string;
      link?: string;
    }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'text'; text: string }
  | { kind: 'fields'; fields: Array<{ label: string; value: string }> }
  | { kind: 'diff'; ops: Array<{ op: 'equal' | 'insert' | 'delete'; text: string }> };

export type ActionKind = 'more' | 'context' | 'sources' | 'share';

/**
 * A button. It carries everything needed to answer it (the command and its input), so an
 * adapter can encode it into a custom_id or action value and answer it after a restart.
 */
export interface ReplyAction {
  kind: ActionKind;
  command: string;
  input: Record<string, string | number | boolean>;
}

export interface Reply<Result = unknown> {
  command: string;
  title: string;
  /** A notice shown above the blocks: why nothing was found and what to try, or a hint. */
  message?: string;
  blocks: ReplyBlock[];
  actions: ReplyAction[];
  /** Machine-readable results: the stable `--json` interface of the CLI. */
  results: Result[];
  /** The corpus version the answer came from. */
  corpusVersion: string;
  /** Set when the input was refused or the command failed; adapters answer these privately. */
  error?: { code: string; message: string };
}
