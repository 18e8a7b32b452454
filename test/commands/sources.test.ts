import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { essaysOf } from '../../src/core/corpus/model.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import type { ReplyBlock } from '../../src/core/reply/model.js';
import { botOver, requester } from '../support/bot.js';
import { type WarmCorpus, warmCorpus } from '../support/warm.js';

const en = requester();
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'search');

interface SourceResult {
  number: number;
  text: string;
  urls: string[];
  quote: string | null;
  author: string;
  essay: string;
  citedBy: Array<{ quote: string; id: string; author: string; essay: string; section: string | null }>;
  citedByCount: number;
}

async function botFor(dir: string): Promise<Bot> {
  const corpus = await loadCorpus(dir);
  return botOver(corpus);
}

/** `files` (name and text) written to a folder and read as a warm start reads them (warmCorpus), for `check`; removed after. */
async function withWarmFiles(files: Record<string, string>, check: (warm: WarmCorpus) => void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'yz-sources-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const warm = await warmCorpus(Object.keys(files).map((name) => join(dir, name)));
    try {
      check(warm);
    } finally {
      await warm.remove();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('/sources on the bundled symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor(BUNDLED_CORPUS_DIR);
  });

  test('with no argument lists every source of the corpus once, short forms merged into their full citation', () => {
    const reply = bot.run('sources', {}, en);
    expect(reply.error).toBeUndefined();
    expect(reply.title).toBe('Sources (11; 10 distinct URLs)');
    const results = reply.results as SourceResult[];
    expect(results.map((r) => [r.number, r.urls.length, r.citedByCount])).toEqual([
      [1, 1, 2],
      [2, 1, 1],
      [3, 0, 1],
      [4, 1, 1],
      [5, 1, 3],
      [6, 1, 1],
      [8, 1, 1],
      [9, 1, 2],
      [10, 1, 1],
      [13, 1, 1],
      [14, 1, 1],
    ]);
    // Ten distinct URLs, and note 3 (research literature, no URL) by itself.
    expect(new Set(results.flatMap((r) => r.urls)).size).toBe(10);
    expect(Object.keys(results[0] ?? {}).slice(0, 6)).toEqual(['number', 'text', 'urls', 'quote', 'author', 'essay']);
  });

  test('lists every sentence that cites a source, the full citation once', () => {
    const results = bot.run('sources', {}, en).results as SourceResult[];
    const initiative = results.find((r) => r.number === 5);
    expect(initiative).toMatchObject({
      text: '《全球人工智能治理倡议》，中华人民共和国外交部官网，2023年10月20日，https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml。',
      urls: ['https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml'],
      author: '陈志敏',
      essay: '引领普惠向善的人工智能全球治理：中国的角色',
    });
    expect(initiative?.citedBy.map((c) => c.id)).toEqual(['chen-zhimin-ylph.5', 'chen-zhimin-ylph.8', 'chen-zhimin-ylph.12']);
    expect(initiative?.quote).toBe(initiative?.citedBy[0]?.quote);
    expect(initiative?.citedBy[1]?.quote.endsWith('危害他国主权。”')).toBe(true);
  });

  test('renders as note blocks with their citing places attributed', () => {
    const reply = bot.run('sources', { query: '斯坦福' }, en);
    const notes = reply.blocks.filter((b): b is Extract<ReplyBlock, { kind: 'note' }> => b.kind === 'note');
    expect(notes.map((n) => [n.number, n.urls, n.citedBy.map((c) => [c.attribution.author, c.attribution.passageId])])).toEqual([
      [8, ['https://doi.org/10.48550/arXiv.2504.07139'], [['陈志敏', 'chen-zhimin-ylph.8']]],
    ]);
    expect(notes[0]?.citedBy[0]?.quote).toBe('此外，中国当年开发出15个人工智能大模型，仅落后于美国的40个，而远远多于处于第三位的欧盟的3个。');
  });

  test('by query, lists the notes of the passages that hold the phrase', () => {
    const results = bot.run('sources', { query: '智能鸿沟' }, en).results as SourceResult[];
    expect(results.map((r) => [r.number, r.citedBy.map((c) => c.id)])).toEqual([
      [3, ['chen-zhimin-ylph.4']],
      [9, ['chen-zhimin-ylph.13']],
      [1, ['chen-zhimin-ylph.16']],
    ]);
  });

  test('an essay without notes, and a filter that names nothing, are no error', () => {
    const wu = bot.run('sources', { author: 'wu zhicheng' }, en);
    expect(wu.error).toBeUndefined();
    expect(wu.results).toEqual([]);
    expect(wu.message).toBe('These essays cite no sources.');
    expect(bot.run('sources', { essay: 'nothing-like-it' }, en).message).toBe('No essay matches that ID or title. Try /essays for the list.');
  });

  test('refuses a query of punctuation only', () => {
    expect(bot.run('sources', { query: '……' }, en).error).toEqual({
      code: 'invalid_input',
      message: '/sources query has no letters or digits: type words from the essays.',
    });
  });
});

describe('/sources on the fixture symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor(FIXTURES);
  });

  test('de-duplicates by URL across essays, listing each citing place', () => {
    const results = bot.run('sources', {}, en).results as SourceResult[];
    expect(results.map((r) => [r.number, r.essay, r.urls, r.citedBy.map((c) => [c.id, c.quote])])).toEqual([
      [
        1,
        '跨境河流的合作治理',
        ['https://example.org/lmc'],
        [
          ['ou-yangming-kjhl.1', '跨境河流的治理需要流域国家的共同参与。'],
          ['ou-yangming-kjhl.1', '湄公河合作机制近年来取得了显著进展，各方在数据共享方面达成共识。'],
          ['zhang-wei-sqyf.1', '水权制度关系到发展中国家的粮食安全。'],
        ],
      ],
      [
        3,
        '跨境河流的合作治理',
        ['https://example.org/hydro'],
        [
          ['ou-yangming-kjhl.2', '信息公开能够增进互信。'],
          ['ou-yangming-kjhl.4', '规则必须公平(a+b)*且透明，才能赢得信任。'],
        ],
      ],
    ]);
  });

  test('filters by author in Traditional characters', () => {
    const results = bot.run('sources', { author: '張偉' }, en).results as SourceResult[];
    expect(results.map((r) => [r.number, r.text, r.author])).toEqual([[1, '《湄公河水权报告》，https://example.org/lmc。', '張偉']]);
  });
});

describe('/sources on a corpus read back from the parse cache', () => {
  test('a note search makes the notes and paragraphs of the essays whose notes match, not the others', async () => {
    // Two symposia whose essays all have notes; only one note cites fmprc.gov.cn.
    const warm = await warmCorpus([join(BUNDLED_CORPUS_DIR, 'global-governance-symposium.txt'), join(FIXTURES, 'water-symposium.txt')]);
    try {
      expect(warm.made()).toEqual([]);
      const reply = warm.bot.run('sources', { query: 'fmprc' }, en);
      expect(reply.results).toEqual(botOver(warm.fresh).run('sources', { query: 'fmprc' }, en).results);
      expect(reply.results.length).toBeGreaterThan(0);
      // Which essays cite it, read off the fresh parse: reading the cached ones would make their notes.
      const citing = new Set(
        essaysOf(warm.fresh)
          .filter((e) => e.footnotes.some((n) => n.urls.some((u) => u.includes('fmprc'))))
          .map((e) => e.id),
      );
      const notesMade = essaysOf(warm.cached).filter((e) => Object.getOwnPropertyDescriptor(e, 'footnotes')?.get === undefined);
      expect(warm.made().length).toBeGreaterThan(0);
      expect(warm.made().every((e) => citing.has(e.id))).toBe(true);
      expect(notesMade.every((e) => citing.has(e.id))).toBe(true);
      expect(essaysOf(warm.fresh).filter((e) => e.footnotes.length > 0 && !citing.has(e.id)).length).toBeGreaterThan(0);
    } finally {
      await warm.remove();
    }
  });

  test('a source cited all over the corpus makes the paragraphs of the places it quotes, and counts the rest', async () => {
    // Thirty essays, each with one paragraph citing the same report: one source, thirty places, twenty quoted.
    const essays = Array.from({ length: 30 }, (_, i) =>
      [
        `第${i + 1}篇 水资源研究`,
        `作者${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯'[Math.floor(i / 10)]}`,
        `流域合作需要共同的数据基础，第${i + 1}个案例说明了这一点。^①`,
        `* 作者，某大学教授（北京 100000）。`,
        '^① 《流域数据报告》，https://example.org/basin-report。',
      ].join('\n\n'),
    );
    await withWarmFiles({ 'many.txt': ['水资源专题', '编者按：本期讨论流域数据。', ...essays].join('\n\n') }, (warm) => {
      const reply = warm.bot.run('sources', { query: 'basin-report' }, en);
      expect(reply.results).toEqual(botOver(warm.fresh).run('sources', { query: 'basin-report' }, en).results);
      const [source] = reply.results as SourceResult[];
      expect(source?.citedByCount).toBe(30);
      expect(source?.citedBy).toHaveLength(20);
      expect(warm.made()).toHaveLength(20);
    });
  });

  test('a place is counted once per source: markers side by side, and a passage hit whose note matches too', async () => {
    // Notes ① and ② cite the same report and are marked side by side; ③ cites it again elsewhere.
    const essay = [
      '流域合作的数据基础',
      '作者甲',
      '流域合作需要共同的数据基础。^①^② 各国对数据的理解仍有分歧。^③',
      '* 作者甲，某大学教授（北京 100000）。',
      '^① 《流域合作数据报告》，https://example.org/basin-report。',
      '^② 《流域合作数据报告（摘要）》，https://example.org/basin-report。',
      '^③ 《流域数据年鉴》，https://example.org/basin-report。',
    ].join('\n\n');
    await withWarmFiles({ 'side.txt': ['水资源专题', '编者按：本期讨论流域数据。', essay].join('\n\n') }, (warm) => {
      for (const input of [{}, { query: '流域合作' }]) {
        const reply = warm.bot.run('sources', input, en);
        expect(reply.results).toEqual(botOver(warm.fresh).run('sources', input, en).results);
        const results = reply.results as SourceResult[];
        expect(results.map((r) => [r.urls, r.citedByCount, r.citedBy.length])).toEqual([
          [['https://example.org/basin-report'], input.query ? 1 : 2, input.query ? 1 : 2],
        ]);
      }
    });
  });

  test('an essay renamed for an ID another file took is cited under its new passage IDs', async () => {
    // Two files whose one essay has the same author and title, so the same ID: the second is renamed.
    const text = [
      '水资源专题',
      '编者按：本期讨论流域数据。',
      '流域数据',
      '作者甲',
      '流域合作需要共同的数据基础。^①',
      '* 作者甲，某大学教授（北京 100000）。',
      '^① 《流域数据报告》，https://example.org/twin-report。',
    ].join('\n\n');
    await withWarmFiles({ 'a.txt': text, 'b.txt': `${text}\n` }, (warm) => {
      const reply = warm.bot.run('sources', { query: 'twin-report' }, en);
      expect(reply.results).toEqual(botOver(warm.fresh).run('sources', { query: 'twin-report' }, en).results);
      const [source] = reply.results as SourceResult[];
      const ids = essaysOf(warm.cached).map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(source?.citedByCount).toBe(2);
      expect(new Set(source?.citedBy.map((c) => c.id)).size).toBe(2);
    });
  });
});
