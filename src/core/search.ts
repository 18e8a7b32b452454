import type { Essay, Paragraph, Section } from './model.js';

/** One passage found by a query: a sentence, or a short window of sentences, in its paragraph. */
export interface PassageHit {
  essay: Essay;
  section: Section;
  paragraph: Paragraph;
  /** The quoted span of `paragraph.text`, [start, end). */
  start: number;
  end: number;
  /** Spans of `paragraph.text` that matched the query. */
  matches: Array<[number, number]>;
  /** The query occurs in the passage as a phrase (after folding). */
  exact: boolean;
  score: number;
}

export interface SearchFilters {
  /** An author name in Chinese, pinyin or Traditional characters. */
  author?: string;
  /** An essay ID or (part of) its title. */
  essay?: string;
}

/** The search index over a corpus. Built once per corpus version. */
export interface CorpusIndex {
  readonly version: string;
  search(query: string, filters?: SearchFilters): PassageHit[];
}
