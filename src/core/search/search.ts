import type { Essay, Paragraph, Section } from '../corpus/model.js';
import { isEditorsName } from '../corpus/names.js';

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

export interface SearchOptions {
  /**
   * At most this many hits, the best ones; all by default. A command that shows a page of
   * results asks for one more than it shows, to know whether there is a next page: on a
   * large corpus a common word has tens of thousands of hits.
   */
  limit?: number;
  /**
   * Only hits holding the whole phrase (`exact`), in the order they have among all hits. A
   * command that wants the phrase where it occurs, and something else only when it occurs
   * nowhere, asks for these first: on a large corpus the index then scores a few sentences
   * instead of every one sharing a term with the query.
   */
  exactOnly?: boolean;
}

/** The search index over a corpus. Built once per corpus version. */
export interface CorpusIndex {
  readonly version: string;
  /** Passages ranked best first; exact phrase matches before all others. */
  search(query: string, filters?: SearchFilters, options?: SearchOptions): PassageHit[];
  /** Authors matching a name in Chinese, Traditional characters or pinyin (either order); all authors for ''. */
  findAuthors(name: string): AuthorEntry[];
  /** Essays matching an essay ID, a title or part of one (Traditional folded); all essays for ''. */
  findEssays(query: string): Essay[];
  /**
   * Essays ranked for words of their title, authors (pinyin too), keywords, abstract, headings
   * and English title, abstract and keywords, best first (see essay-index.ts); [] for none.
   */
  searchEssays(query: string, limit?: number): EssayHit[];
  /** Authors ranked by the same index for a name or part of one, Chinese, Traditional or pinyin (a typo forgiven). */
  searchAuthors(name: string, limit?: number): AuthorHit[];
  /**
   * Up to `limit` (at most 25) autocomplete choices for an author or essay option: ranked by
   * the essay index, then whatever else the plain filter finds; in corpus order for ''.
   */
  complete(kind: 'author' | 'essay', prefix: string, limit?: number): Choice[];
  /**
   * Builds the essay index in slices with the event loop free between them, so that a live
   * bot's first `/essays` or autocomplete does not wait for it; until it is done, a query
   * builds it at once, as it would without the warm-up.
   */
  warmEssays(): Promise<void>;
}

/** An author as the index knows them, with every essay they wrote in the corpus. */
export interface AuthorEntry {
  name: string;
  affiliation: string | null;
  /** Toneless pinyin, surname first, e.g. `chen zhimin`. */
  pinyin: string;
  essays: Essay[];
}

/** An essay a query found, with MiniSearch's score (BM25 over the weighted fields, prefix and fuzzy matches weighed down). */
export interface EssayHit {
  essay: Essay;
  score: number;
  /** The query's terms that matched, folded. */
  terms: string[];
}

/** An author the essay index found for a name, with its score. */
export interface AuthorHit {
  author: AuthorEntry;
  score: number;
}

/** A choice for autocomplete: `name` is shown, `value` is what the option receives. */
export interface Choice {
  name: string;
  value: string;
}

/**
 * The essays a filter keeps: those of the authors the name matches (the editor's note for
 * `the editors` or `编者`) and of the essays the essay filter matches. All essays when neither
 * is set.
 */
export function essaysMatching(index: CorpusIndex, filters: SearchFilters): Essay[] {
  let essays = index.findEssays(filters.essay?.trim() ? filters.essay : '');
  if (filters.author?.trim()) {
    const name = filters.author;
    const kept = new Set(
      isEditorsName(name) ? index.findEssays('').filter((e) => e.kind === 'editors-note') : index.findAuthors(name).flatMap((a) => a.essays),
    );
    essays = essays.filter((e) => kept.has(e));
  }
  return essays;
}
