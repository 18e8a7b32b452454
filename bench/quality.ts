import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { CorpusIndex } from '../src/core/search/search.js';

/**
 * Retrieval quality on a labelled query set (test/fixtures/queries.json): recall@k is the
 * share of queries with an expected passage among the first k hits. A query may expect any
 * of several passages (a phrase printed in three paragraphs); any one of them counts.
 */

export const QUERY_KINDS = ['exact', 'partial', 'two-char', 'latin-case', 'traditional', 'keywords', 'author-filter'] as const;

export const LabelledQuerySchema = z.object({
  query: z.string().min(1),
  /** Passage (paragraph) ID, or several of which any is a right answer. */
  expect: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  kind: z.enum(QUERY_KINDS),
  author: z.string().optional(),
  essay: z.string().optional(),
  note: z.string().optional(),
});
export type LabelledQuery = z.infer<typeof LabelledQuerySchema>;

export const QuerySetSchema = z.array(LabelledQuerySchema).min(1);

export async function loadQuerySet(path: string): Promise<LabelledQuery[]> {
  const parsed = QuerySetSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`bench: ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function expectedIds(q: LabelledQuery): string[] {
  return typeof q.expect === 'string' ? [q.expect] : q.expect;
}

export interface QueryOutcome {
  query: LabelledQuery;
  /** 1-based rank of the first expected passage among the hits, or null when absent. */
  rank: number | null;
  /** Passage IDs of the first three hits, for the list of misses. */
  top: string[];
}

export interface RecallReport {
  total: number;
  at1: number;
  at3: number;
  outcomes: QueryOutcome[];
}

export function evaluate(index: CorpusIndex, queries: LabelledQuery[]): RecallReport {
  const outcomes = queries.map((q): QueryOutcome => {
    const filters = { ...(q.author !== undefined ? { author: q.author } : {}), ...(q.essay !== undefined ? { essay: q.essay } : {}) };
    const hits = index.search(q.query, filters);
    const wanted = new Set(expectedIds(q));
    const at = hits.findIndex((h) => wanted.has(h.paragraph.id));
    return { query: q, rank: at === -1 ? null : at + 1, top: hits.slice(0, 3).map((h) => h.paragraph.id) };
  });
  return {
    total: queries.length,
    at1: outcomes.filter((o) => o.rank === 1).length,
    at3: outcomes.filter((o) => o.rank !== null && o.rank <= 3).length,
    outcomes,
  };
}
