import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectedIds, loadQuerySet, QUERY_KINDS } from '../../bench/quality.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { essaysOf } from '../../src/core/corpus/model.js';

// The labelled set the benchmark's recall is measured on: a label pointing at a passage the
// corpus does not have would make recall silently lower (or a miss silently unreported).
describe('test/fixtures/queries.json', () => {
  test('has at least 40 queries, of every kind, each expecting passages of the bundled corpus', async () => {
    const queries = await loadQuerySet(join('test', 'fixtures', 'queries.json'));
    expect(queries.length).toBeGreaterThanOrEqual(40);
    expect(new Set(queries.map((q) => q.kind))).toEqual(new Set(QUERY_KINDS));
    const corpus = await loadCorpus('data/essays');
    const ids = new Set(essaysOf(corpus).flatMap((e) => e.sections.flatMap((s) => s.paragraphs.map((p) => p.id))));
    const unknown = queries.flatMap((q) =>
      expectedIds(q)
        .filter((id) => !ids.has(id))
        .map((id) => `${q.query}: ${id}`),
    );
    expect(unknown).toEqual([]);
    const keys = queries.map((q) => `${q.query}\u0000${q.author ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
