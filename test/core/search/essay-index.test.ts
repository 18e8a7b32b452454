import { describe, expect, it } from 'vitest';
import { type Corpus, type Essay, EssaySchema } from '../../../src/core/corpus/model.js';
import { buildSegment, createIndex, openSegments } from '../../../src/core/search/corpus-index.js';
import { createEssayIndex, createEssayIndexInSlices, essayMiniSearch, essayTerms } from '../../../src/core/search/essay-index.js';
import type { AuthorEntry } from '../../../src/core/search/search.js';

/** An essay of front matter only: what the essay index reads. */
function essay(
  id: string,
  fields: Partial<Pick<Essay, 'title' | 'keywords' | 'abstract' | 'english' | 'kind'>> & { authors?: string[]; headings?: string[] },
): Essay {
  return EssaySchema.parse({
    id,
    kind: fields.kind ?? 'essay',
    file: 'test.txt',
    symposium: null,
    title: fields.title ?? id,
    authors: (fields.authors ?? []).map((name) => ({ name, affiliation: null })),
    sections: (fields.headings ?? []).map((heading) => ({ heading, level: 1, path: [heading], paragraphs: [] })),
    footnotes: [],
    line: 1,
    abstract: fields.abstract ?? null,
    keywords: fields.keywords ?? [],
    english: fields.english ?? null,
  });
}

const ESSAYS = [
  essay('zhou-qhrz', {
    title: '全球气候融资中的南北分歧',
    authors: ['周明轩', '陈雨桐'],
    keywords: ['气候融资', '南北关系'],
    abstract: '发达国家承诺每年动员一千亿美元。',
    english: {
      title: 'North-South Divergence in Climate Finance',
      authors: [],
      abstract: 'Climate finance divides North and South.',
      keywords: ['climate finance'],
    },
  }),
  essay('lin-hybh', {
    title: '海洋保护区的规则竞争',
    authors: ['林海舟'],
    keywords: ['海洋保护区', '全球海洋治理'],
    headings: ['一、气候变化与海洋'],
    english: { title: 'Marine Protected Areas', authors: [], abstract: null, keywords: ['ocean governance'] },
  }),
  essay('chen-jdzl', { title: '极地治理中的科学与政治', authors: ['陈志敏'] }),
];

function authorsOf(essays: Essay[]): AuthorEntry[] {
  const byName = new Map<string, AuthorEntry>();
  for (const e of essays) {
    for (const a of e.authors) {
      const entry = byName.get(a.name) ?? { name: a.name, affiliation: null, pinyin: '', essays: [] };
      entry.essays.push(e);
      byName.set(a.name, entry);
    }
  }
  return [...byName.values()];
}

const index = createEssayIndex(ESSAYS, authorsOf(ESSAYS));
const ids = (query: string) => index.essays(query).map((h) => h.essay.id);

describe('the essay index', () => {
  it('cuts Chinese as the passage index does, folds Traditional and drops tone marks off Latin words', () => {
    expect(essayTerms('極地治理')).toEqual(essayTerms('极地治理'));
    expect(essayTerms('Chén Zhìmǐn')).toEqual(['chen', 'zhimin']);
    expect(essayTerms('ＣＬＩＭＡＴＥ 气候')).toEqual(['climate', '气候']);
  });

  it('ranks a title match above a heading match, with scores best first', () => {
    const hits = index.essays('气候');
    expect(hits.map((h) => h.essay.id)).toEqual(['zhou-qhrz', 'lin-hybh']);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Number.POSITIVE_INFINITY);
    expect(hits[0]?.terms).toEqual(['气候']);
  });

  it('matches English by prefix and fuzzily, and Chinese only by its terms', () => {
    expect(ids('clim fin')).toEqual(['zhou-qhrz']);
    expect(ids('climat finanse')).toEqual(['zhou-qhrz']);
    expect(ids('marine protectd')).toEqual(['lin-hybh']);
    expect(ids('governance')).toEqual(['lin-hybh']);
    // A lone character is what one types first: it is matched as the start of a term.
    expect(ids('极')).toEqual(['chen-jdzl']);
    expect(ids('极海')).toEqual([]);
  });

  it('finds essays by their authors in Chinese, Traditional characters and pinyin in either order', () => {
    expect(ids('陳志敏')).toEqual(['chen-jdzl']);
    expect(ids('zhimin chen')).toEqual(['chen-jdzl', 'zhou-qhrz']);
    expect(ids('chenzhim')).toEqual(['chen-jdzl']);
    expect(index.authors('chen').map((h) => h.author.name)).toEqual(['陈雨桐', '陈志敏']);
    expect(index.authors('lin haizhou').map((h) => h.author.name)).toEqual(['林海舟']);
  });

  it('demands a third of a long query’s terms, and finds nothing for a query without words', () => {
    // 全球 is in two essays' keywords or titles; the rest of this query is in neither.
    expect(ids('全球气候融资的南北分歧')).toEqual(['zhou-qhrz']);
    expect(ids('！？')).toEqual([]);
    expect(index.essays('气候', 1).map((h) => h.essay.id)).toEqual(['zhou-qhrz']);
  });
});

describe('abstracts', () => {
  it('reads an abstract printed only as a section, and one printed both ways once', () => {
    const paragraph = (text: string) => ({
      id: 'x.abstract',
      number: 0,
      text,
      raw: text,
      markers: [],
      sentences: [{ start: 0, end: text.length }],
      lines: [1],
      pages: [],
    });
    const section = (text: string) => ({ heading: null, level: 0, path: [], paragraphs: [paragraph(text)], part: 'abstract' as const });
    const only = { ...essay('only-section', { title: '甲' }), sections: [section('冰川消融')] };
    const both = { ...essay('both-ways', { title: '乙', abstract: '冰川消融' }), sections: [section('冰川消融')] };
    const once = { ...essay('front-matter', { title: '丙', abstract: '冰川消融' }) };
    const hits = createEssayIndex([only, both, once], []).essays('冰川');
    expect(hits.map((h) => h.essay.id)).toEqual(['only-section', 'both-ways', 'front-matter']);
    // Counted once each, the three score alike.
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
  });
});

describe('the essay index’s build', () => {
  it('loads exactly the index MiniSearch’s add makes of the same essays and authors', () => {
    const authors = authorsOf(ESSAYS);
    const added = essayMiniSearch(ESSAYS, authors, 'add');
    const loaded = essayMiniSearch(ESSAYS, authors, 'load');
    expect(JSON.parse(JSON.stringify(loaded))).toEqual(JSON.parse(JSON.stringify(added)));
    expect(loaded.documentCount).toBe(ESSAYS.length + authors.length);
    for (const query of ['气候', 'clim fin', 'chen', '極']) expect(loaded.search(query)).toEqual(added.search(query));
  });

  it('built in slices, it lets the event loop turn and ranks exactly as the index built at once', async () => {
    const authors = authorsOf(ESSAYS);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const sliced = await createEssayIndexInSlices(ESSAYS, authors);
    ticking = false;
    expect(turns).toBeGreaterThan(0);
    const whole = createEssayIndex(ESSAYS, authors);
    for (const query of ['气候', 'clim fin', 'chen', '極', '治理', 'zhimn']) {
      expect(sliced.essays(query)).toEqual(whole.essays(query));
      expect(sliced.authors(query)).toEqual(whole.authors(query));
    }
  });
});

describe('autocomplete through the corpus index', () => {
  const corpus: Corpus = { dir: 'test', version: 'v', files: [{ file: 'test.txt', symposium: null, essays: ESSAYS, warnings: [], hash: 'h' }] };
  const corpusIndex = createIndex(corpus);

  it('ranks essays by the essay index, then adds what the substring filter finds, an exact ID first', () => {
    expect(corpusIndex.complete('essay', 'climate').map((c) => c.value)).toEqual(['zhou-qhrz']);
    // 治理 is in two titles or keywords; the title ranks first.
    expect(corpusIndex.complete('essay', '治理').map((c) => c.value)).toEqual(['chen-jdzl', 'lin-hybh']);
    // 与政 is a bigram of no title; the substring filter still finds it.
    expect(corpusIndex.complete('essay', '与政').map((c) => c.value)).toEqual(['chen-jdzl']);
    expect(corpusIndex.complete('essay', 'LIN-HYBH').map((c) => c.value)).toEqual(['lin-hybh']);
    expect(corpusIndex.complete('essay', '').map((c) => c.value)).toEqual(['zhou-qhrz', 'lin-hybh', 'chen-jdzl']);
  });

  it('ranks authors by name and pinyin, within the choice limits', () => {
    expect(corpusIndex.complete('author', 'chen')).toEqual([
      { name: '陈雨桐 (chen yutong)', value: '陈雨桐' },
      { name: '陈志敏 (chen zhimin)', value: '陈志敏' },
    ]);
    expect(corpusIndex.complete('author', 'zhimn').map((c) => c.value)).toEqual(['陈志敏']);
    expect(corpusIndex.complete('author', '', 2)).toHaveLength(2);
    expect(corpusIndex.complete('essay', '治理', 0)).toEqual([]);
  });

  it('warmed in the background, it answers as one a query built', async () => {
    const warmed = createIndex(corpus);
    await warmed.warmEssays();
    for (const query of ['climate', '治理', 'chen', '']) expect(warmed.searchEssays(query)).toEqual(corpusIndex.searchEssays(query));
    expect(warmed.complete('author', 'chen')).toEqual(corpusIndex.complete('author', 'chen'));
  });

  it('is of its own corpus: an index opened as a reload opens it ranks the new essays, the old index the old', () => {
    const renamed = ESSAYS.map((e) => (e.id === 'chen-jdzl' ? { ...e, title: '南极条约体系的未来' } : e));
    const next: Corpus = { ...corpus, version: 'w', files: [{ ...(corpus.files[0] as Corpus['files'][number]), essays: renamed }] };
    const reloaded = openSegments(
      next,
      next.files.map((f) => buildSegment(f)),
    );
    expect(reloaded.searchEssays('南极').map((h) => h.essay.title)).toEqual(['南极条约体系的未来']);
    expect(corpusIndex.searchEssays('南极')).toEqual([]);
    expect(corpusIndex.searchEssays('极地').map((h) => h.essay.id)).toEqual(['chen-jdzl']);
  });
});
