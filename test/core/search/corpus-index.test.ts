import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { miniSearchDefault } from '../../../bench/minisearch-engine.js';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import type { Corpus } from '../../../src/core/corpus/model.js';
import { isEditorsName, nameKeys, pinyinLabel } from '../../../src/core/corpus/names.js';
import { buildSegment, createIndex, mergeSpans, openSegments } from '../../../src/core/search/corpus-index.js';
import { fold, foldText, sourceSpan } from '../../../src/core/search/fold.js';
import type { CorpusIndex, PassageHit } from '../../../src/core/search/search.js';
import { tokenize } from '../../../src/core/search/tokenize.js';
import { PROPERTY_SEED } from '../../support/property.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'search');

/** What a hit quotes and highlights, as text, so a failure reads as words. */
function view(hit: PassageHit) {
  return {
    id: hit.paragraph.id,
    quote: hit.paragraph.text.slice(hit.start, hit.end),
    matches: hit.matches.map(([a, b]) => hit.paragraph.text.slice(a, b)),
    exact: hit.exact,
  };
}

describe('tokenize', () => {
  it('gives the bigrams of each Han run, its words of three or more characters, and whole Latin words in lower case', () => {
    // The words are ICU's: its dictionary decides whether 产业链 is one word.
    const terms = tokenize('锁定在产业链的底端');
    expect(terms.slice(0, 8)).toEqual(['锁定', '定在', '在产', '产业', '业链', '链的', '的底', '底端']);
    expect(terms.slice(8).every((w) => w.length >= 3 && '锁定在产业链的底端'.includes(w))).toBe(true);
    expect(tokenize('DeepSeek-R1模型，化。')).toEqual(['deepseek', 'r1', '模型', '化']);
  });

  it('folds Traditional characters and full-width Latin before cutting', () => {
    expect(tokenize('數據')).toEqual(tokenize('数据'));
    expect(tokenize('ＭＡＺＵ')).toEqual(['mazu']);
  });

  it('gives no term for punctuation and regex metacharacters alone', () => {
    expect(tokenize('.*+?()[]{}|\\^$。，')).toEqual([]);
  });
});

describe('fold', () => {
  it('maps every folded character back to its source offset', () => {
    const f = fold('水文 數據，ＡＢ', { compact: true });
    expect(f.text).toBe('水文数据ab');
    expect(sourceSpan(f, 2, 4)).toEqual([3, 5]);
    expect(sourceSpan(f, 4, 6)).toEqual([6, 8]);
    expect(foldText('陳志敏')).toBe('陈志敏');
  });

  it('joins overlapping and touching spans', () => {
    expect(
      mergeSpans([
        [5, 7],
        [0, 2],
        [1, 3],
        [3, 4],
      ]),
    ).toEqual([
      [0, 4],
      [5, 7],
    ]);
  });
});

describe('names', () => {
  it('reads pinyin surname first, keeping a two-character surname whole', () => {
    expect(pinyinLabel('陈志敏')).toBe('chen zhimin');
    expect(pinyinLabel('欧阳明')).toBe('ouyang ming');
    expect(pinyinLabel('張偉')).toBe('zhang wei');
    expect(nameKeys('陈志敏')).toEqual(['chenzhimin', 'zhiminchen']);
  });

  it('knows the names of the editors', () => {
    expect(['the editors', 'Editors', '编者', '編者按'].map(isEditorsName)).toEqual([true, true, true, true]);
    expect(isEditorsName('陈志敏')).toBe(false);
  });
});

describe('createIndex on the fixture symposium', () => {
  let corpus: Corpus;
  let index: CorpusIndex;
  beforeAll(async () => {
    corpus = await loadCorpus(FIXTURES);
    index = createIndex(corpus);
  });

  it('finds a Chinese phrase inside clauses, in Simplified and Traditional text alike', () => {
    expect(index.search('数据共享').map(view)).toEqual([
      { id: 'ou-yangming-kjhl.2', quote: '水文數據共享是預警機制的基礎。', matches: ['數據共享'], exact: true },
      { id: 'zhang-wei-sqyf.1', quote: '数据共享同样是水权谈判的前提。', matches: ['数据共享'], exact: true },
      { id: 'ou-yangming-kjhl.1', quote: '湄公河合作机制近年来取得了显著进展，各方在数据共享方面达成共识。', matches: ['数据共享'], exact: true },
    ]);
  });

  it('folds a Traditional query to the Simplified index', () => {
    expect(index.search('預警機制').map((h) => view(h).matches)).toEqual([['預警機制']]);
    expect(index.search('预警机制').map((h) => h.paragraph.id)).toEqual(['ou-yangming-kjhl.2']);
  });

  it('matches Latin terms whatever their case, and highlights them as printed', () => {
    for (const [query, printed] of [
      ['mazu', 'MAZU'],
      ['deepseek-r1', 'DeepSeek-R1'],
      ['OPENAI', 'OpenAI'],
      ['Mazu-flood', 'MAZU-Flood'],
    ] as const) {
      const hits = index.search(query);
      expect(hits.map((h) => [h.paragraph.id, view(h).matches])).toEqual([['ou-yangming-kjhl.2', [printed]]]);
    }
  });

  it('ranks exact phrases before passages that only share words with the query', () => {
    const hits = index.search('水权谈');
    expect(hits.map((h) => [h.paragraph.id, h.start, h.exact])).toEqual([
      ['zhang-wei-sqyf.1', 18, true],
      ['zhang-wei-sqyf.1', 0, false],
    ]);
    // A long query must share a third of its terms with a passage: one common bigram is not enough.
    expect(index.search('水权谈判').map((h) => [h.paragraph.id, h.start, h.exact])).toEqual([['zhang-wei-sqyf.1', 18, true]]);
  });

  it('quotes a window of sentences when the phrase runs across a sentence end', () => {
    const [first] = index.search('达成共识。上游国家');
    expect(first && view(first)).toEqual({
      id: 'ou-yangming-kjhl.1',
      quote: '湄公河合作机制近年来取得了显著进展，各方在数据共享方面达成共识。上游国家与下游国家的利益协调仍是难题。',
      matches: ['达成共识。上游国家'],
      exact: true,
    });
  });

  it('ignores spaces and punctuation typed differently in a phrase', () => {
    expect(index.search('达成共识 上游国家')[0]?.exact).toBe(true);
    expect(index.search('公平（a＋b）且透明').map(view)[0]).toEqual({
      id: 'ou-yangming-kjhl.4',
      quote: '规则必须公平(a+b)*且透明，才能赢得信任。',
      matches: ['公平(a+b)*且透明'],
      exact: true,
    });
  });

  it('treats regex metacharacters as plain text', () => {
    expect(index.search('(a+b)*').map((h) => h.paragraph.id)).toEqual(['ou-yangming-kjhl.4']);
    expect(index.search('.*')).toEqual([]);
    expect(index.search('[')).toEqual([]);
  });

  it('finds a single character as the start or end of a word', () => {
    expect(index.search('盐').map(view)).toEqual([expect.objectContaining({ id: 'ou-yangming-kjhl.3', matches: ['盐'], exact: true })]);
  });

  it('filters by author in Chinese, Traditional characters or pinyin in either order', () => {
    const ids = (author: string) => [...new Set(index.search('数据共享', { author }).map((h) => h.essay.id))];
    for (const name of ['欧阳明', '歐陽明', 'ouyang ming', 'Ming Ouyang', 'ouyangming']) expect(ids(name)).toEqual(['ou-yangming-kjhl']);
    for (const name of ['张伟', '張偉', 'Zhang Wei', 'wei zhang']) expect(ids(name)).toEqual(['zhang-wei-sqyf']);
    expect(ids('nobody')).toEqual([]);
  });

  it('gives the editor\'s note to "the editors"', () => {
    expect(index.search('合作机制', { author: 'the editors' }).map((h) => h.paragraph.id)).toEqual(['editors-szyz.1']);
    expect(index.search('合作机制', { author: '编者' }).map((h) => h.paragraph.id)).toEqual(['editors-szyz.1']);
  });

  it('filters by essay ID or part of the title, Traditional folded', () => {
    expect(index.search('数据共享', { essay: 'zhang-wei-sqyf' }).map((h) => h.paragraph.id)).toEqual(['zhang-wei-sqyf.1']);
    expect(index.search('数据共享', { essay: '水權' }).map((h) => h.paragraph.id)).toEqual(['zhang-wei-sqyf.1']);
    expect(index.search('数据共享', { essay: '水权', author: '欧阳明' })).toEqual([]);
  });

  it('stops at the limit, keeping the best hits', () => {
    expect(index.search('数据共享', {}, { limit: 2 }).map((h) => h.paragraph.id)).toEqual(['ou-yangming-kjhl.2', 'zhang-wei-sqyf.1']);
    expect(index.search('数据共享', {}, { limit: 0 })).toEqual([]);
  });

  it('finds authors by name and lists them all for an empty name', () => {
    expect(index.findAuthors('').map((a) => [a.name, a.pinyin, a.affiliation, a.essays.map((e) => e.id)])).toEqual([
      ['欧阳明', 'ouyang ming', '某大学环境学院教授', ['ou-yangming-kjhl']],
      ['張偉', 'zhang wei', '某研究院研究员', ['zhang-wei-sqyf']],
    ]);
    expect(index.findAuthors('zhang').map((a) => a.name)).toEqual(['張偉']);
    expect(index.findAuthors('x')).toEqual([]);
  });

  it('finds essays by ID or title part, and all for an empty query', () => {
    expect(index.findEssays('').map((e) => e.id)).toEqual(['editors-szyz', 'ou-yangming-kjhl', 'zhang-wei-sqyf']);
    expect(index.findEssays('跨境河流').map((e) => e.id)).toEqual(['ou-yangming-kjhl']);
    expect(index.findEssays('ZHANG-WEI-SQYF').map((e) => e.id)).toEqual(['zhang-wei-sqyf']);
  });

  it("offers autocomplete choices within the platforms' limits", () => {
    expect(index.complete('author', 'ou')).toEqual([{ name: '欧阳明 (ouyang ming) 某大学环境学院教授', value: '欧阳明' }]);
    expect(index.complete('essay', '水权')).toEqual([{ name: '水权与发展', value: 'zhang-wei-sqyf' }]);
    expect(index.complete('essay', '', 2).map((c) => c.value)).toEqual(['editors-szyz', 'ou-yangming-kjhl']);
    expect(index.complete('author', '', 100)).toHaveLength(2);
  });

  it('opens from its files’ segments an index that answers as the one built', () => {
    const loaded = openSegments(
      corpus,
      corpus.files.map((f) => buildSegment(f)),
    );
    expect(loaded.search('数据共享').map(view)).toEqual(index.search('数据共享').map(view));
    expect(loaded.search('数据共享').length).toBeGreaterThan(0);
  });

  it("shows what MiniSearch's default tokenizer misses: Chinese inside a clause", () => {
    const baseline = createIndex(corpus, { engine: miniSearchDefault });
    expect(baseline.search('数据共享')).toEqual([]);
    expect(baseline.search('mazu').map((h) => h.paragraph.id)).toEqual(['ou-yangming-kjhl.2']);
  });
});

describe('createIndex on the bundled corpus', () => {
  let index: CorpusIndex;
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
    index = createIndex(corpus);
  });

  it('finds any stretch of a sentence as an exact phrase, highlighting those very words', () => {
    const sentences = corpus.files.flatMap((f) =>
      f.essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.sentences.map((x) => ({ p, text: p.text.slice(x.start, x.end) }))))),
    );
    const stretch = fc
      .record({ n: fc.nat(sentences.length - 1), from: fc.nat(200), length: fc.integer({ min: 2, max: 30 }) })
      .map(({ n, from, length }) => {
        const { p, text } = sentences[n] as (typeof sentences)[number];
        const start = Math.min(from, Math.max(0, text.length - length));
        return { id: p.id, query: text.slice(start, start + length) };
      })
      .filter(({ query }) => /[\p{L}\p{N}]/u.test(query));
    fc.assert(
      fc.property(stretch, ({ id, query }) => {
        const hits = index.search(query);
        const own = hits.find((h) => h.paragraph.id === id && h.exact);
        expect(own, query).toBeDefined();
        expect(hits[0]?.exact).toBe(true);
        const compact = (t: string) => foldText(t).replace(/[^\p{L}\p{N}]/gu, '');
        for (const [a, b] of own?.matches ?? []) expect(compact(own?.paragraph.text.slice(a, b) ?? '')).toBe(compact(query));
      }),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  it('finds 智能鸿沟 as a phrase in its three paragraphs, exact hits first', () => {
    const hits = index.search('智能鸿沟');
    const exact = hits.filter((h) => h.exact);
    expect(exact.map((h) => h.paragraph.id).sort()).toEqual(['chen-zhimin-ylph.13', 'chen-zhimin-ylph.16', 'chen-zhimin-ylph.4']);
    expect(hits.slice(0, 3).every((h) => h.exact)).toBe(true);
    expect(exact.map((h) => view(h).matches)).toEqual([['智能鸿沟'], ['智能鸿沟'], ['智能鸿沟']]);
  });

  it('finds the authors in pinyin either order and in Traditional characters', () => {
    for (const name of ['chen zhimin', 'Zhimin Chen', 'chenzhimin', '陳志敏', 'Chén Zhìmǐn', '志敏'])
      expect(index.findAuthors(name).map((a) => a.name)).toEqual(['陈志敏']);
    expect(index.findAuthors('Wu Zhicheng').map((a) => [a.name, a.affiliation])).toEqual([['吴志成', '中共中央党校（国家行政学院）国际战略研究院院长、教授']]);
  });

  it('finds every labelled query of the benchmark set in its top three hits', () => {
    const queries = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'queries.json'), 'utf8')) as Array<{
      query: string;
      expect: string | string[];
      author?: string;
      essay?: string;
    }>;
    const missed = queries.filter((q) => {
      const expected = Array.isArray(q.expect) ? q.expect : [q.expect];
      const top = index.search(q.query, { author: q.author, essay: q.essay }, { limit: 3 }).map((h) => h.paragraph.id);
      return !top.some((id) => expected.includes(id));
    });
    expect(queries.length).toBeGreaterThan(50);
    expect(missed.map((q) => q.query)).toEqual([]);
  });
});
