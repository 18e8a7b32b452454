import { describe, expect, test } from 'vitest';
import { benchEssaySearch, essayQueryMix, essaySearchSection } from '../../bench/essays.js';
import { BUNDLED_CORPUS_DIR } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { essaysOf } from '../../src/core/corpus/model.js';

describe('the finding-essays benchmark', () => {
  test('types a fixed mix of title pieces, names and pinyin for a seed', async () => {
    const essays = essaysOf(await loadCorpus(BUNDLED_CORPUS_DIR));
    const mix = essayQueryMix(essays, 7, 10);
    expect(mix).toHaveLength(10);
    expect(essayQueryMix(essays, 7, 10)).toEqual(mix);
    expect(mix.every((q) => q.trim().length > 0)).toBe(true);
  });

  test('times both ways on one corpus and reports their ratios', async () => {
    const figures = await benchEssaySearch(await loadCorpus(BUNDLED_CORPUS_DIR), 'bundled', 7);
    expect([figures.essays, figures.authors, figures.queries]).toEqual([3, 2, 300]);
    expect(figures.uses.map((u) => u.use)).toEqual(['`essay` autocomplete (25 choices)', '`author` autocomplete (25 choices)', '`/essays <words>`, every hit']);
    // Ranked choices are a superset of the filter's.
    for (const u of figures.uses.slice(0, 2)) expect(u.indexHits).toBeGreaterThanOrEqual(u.substringHits);
    const section = essaySearchSection(figures);
    expect(section).toContain('| build |');
    expect(section).toContain('| longest event-loop delay |');
    expect(figures.background.sliced).toBeGreaterThan(0);
    expect(section.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(9);
    expect(essaySearchSection(null)).toBe('Not measured: no archive in this run.');
  });
});
