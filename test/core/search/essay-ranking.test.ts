import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { createIndex } from '../../../src/core/search/corpus-index.js';
import type { CorpusIndex } from '../../../src/core/search/search.js';

/*
 * The essay index's ranking on a labelled set of topic queries (test/fixtures/search/
 * essay-queries.json), over the bundled corpus and the article PDFs: each query's top results
 * must be the essays labelled for it, in any order. The substring filter that autocomplete used
 * before is scored on the same set, as the baseline.
 */

const ARTICLES = join(PROJECT_ROOT, 'test', 'fixtures', 'articles');
const LABELLED = join(PROJECT_ROOT, 'test', 'fixtures', 'search', 'essay-queries.json');

interface Labelled {
  kind: string;
  query: string;
  expected: string[];
}

/** True when the first results are exactly the expected essays. */
function topIs(ranked: string[], expected: string[]): boolean {
  const top = ranked.slice(0, expected.length);
  return top.length === expected.length && expected.every((id) => top.includes(id));
}

describe('the essay index on the labelled queries', () => {
  let index: CorpusIndex;
  let queries: Labelled[];
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-essay-ranking-'));
    await cp(BUNDLED_CORPUS_DIR, dir, { recursive: true });
    for (const name of (await readdir(ARTICLES)).filter((f) => f.endsWith('.pdf'))) await cp(join(ARTICLES, name), join(dir, name));
    index = createIndex(await loadCorpus(dir));
    queries = (JSON.parse(await readFile(LABELLED, 'utf8')) as { queries: Labelled[] }).queries;
  });

  it('puts the labelled essays first for every query', () => {
    expect(queries).toHaveLength(38);
    const misses = queries.map((q) => ({ ...q, got: index.searchEssays(q.query, 3).map((h) => h.essay.id) })).filter((q) => !topIs(q.got, q.expected));
    expect(misses).toEqual([]);
  });

  it('finds what the substring filter could not: it puts the labelled essays first for 13 of the 38', () => {
    const found = queries.filter((q) =>
      topIs(
        index.findEssays(q.query).map((e) => e.id),
        q.expected,
      ),
    );
    // Words of a title or an essay ID, typed as printed: no keyword, abstract, English, pinyin or typo.
    expect(found.map((q) => q.query)).toEqual([
      '气候融资',
      '南北分歧',
      '海洋保护区',
      '人工智能',
      '中国的角色',
      '全球治理倡议',
      '时代意义',
      '深海开发',
      '海洋命运共同体',
      '極地治理',
      '命運共同體',
      '國際法',
      'chen zhimin',
    ]);
  });
});
