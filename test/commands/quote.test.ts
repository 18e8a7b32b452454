import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../commands/index.js';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Corpus, Paragraph } from '../../src/core/corpus/model.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { type Command, optionSpecs } from '../../src/core/dispatch/command.js';
import type { Reply, ReplyBlock } from '../../src/core/reply/model.js';
import { wordsFor } from '../../src/core/words/index.js';
import { botOver, requester } from '../support/bot.js';

const en = requester();
const zh = requester('zh-CN');
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'search');

interface QuoteResult {
  id: string;
  quote: string;
  author: string;
  essay: string;
  section: string | null;
  footnotes: Array<{ number: number; text: string; urls: string[]; covers: 'quote' | 'passage' }>;
}

async function botFor(dir: string): Promise<{ bot: Bot; corpus: Corpus }> {
  const corpus = await loadCorpus(dir);
  return { corpus, bot: botOver(corpus) };
}

function paragraphs(corpus: Corpus): Map<string, Paragraph> {
  return new Map(corpus.files.flatMap((f) => f.essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs.map((p) => [p.id, p] as const)))));
}

function quoteBlocks(reply: Reply): Array<Extract<ReplyBlock, { kind: 'quote' }>> {
  return reply.blocks.filter((b): b is Extract<ReplyBlock, { kind: 'quote' }> => b.kind === 'quote');
}

/** Every quote, ellipses removed, is a piece of its paragraph character for character. */
function expectVerbatim(corpus: Corpus, reply: Reply): void {
  const byId = paragraphs(corpus);
  for (const r of reply.results as QuoteResult[]) {
    const text = byId.get(r.id)?.text ?? '';
    expect(text, r.id).toContain(r.quote.replace(/^…|…$/gu, ''));
  }
}

describe('/quote on the bundled symposium', () => {
  let bot: Bot;
  let corpus: Corpus;
  beforeAll(async () => {
    ({ bot, corpus } = await botFor(BUNDLED_CORPUS_DIR));
  });

  test('quotes 智能鸿沟 verbatim from its three paragraphs, highlighted, with the notes of the quoted words', () => {
    const reply = bot.run('quote', { query: '智能鸿沟' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.title).toBe('Quotes 1–3');
    expect(reply.message).toBeUndefined();
    const results = reply.results as QuoteResult[];
    expect(results.map((r) => r.id)).toEqual(['chen-zhimin-ylph.4', 'chen-zhimin-ylph.13', 'chen-zhimin-ylph.16']);
    expect(Object.keys(results[0] ?? {})).toEqual(['id', 'quote', 'author', 'essay', 'section', 'sectionPath', 'pages', 'footnotes', 'part', 'exact']);
    expect(Object.keys(results[0]?.footnotes[0] ?? {})).toEqual(['number', 'text', 'printed', 'locator', 'urls', 'page', 'covers']);
    expect(results[0]).toMatchObject({
      quote:
        '“智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端，而且进一步削弱了其在人工智能议程制定与标准博弈中的话语权，更催生“算法依附”“数字殖民”等新型治理不平等现象。',
      author: '陈志敏',
      essay: '引领普惠向善的人工智能全球治理：中国的角色',
      section: '一、面向未来、引领人工智能全球治理议程设置',
    });
    expect(results[0]?.footnotes.map((f) => [f.number, f.urls, f.covers])).toEqual([[3, [], 'quote']]);
    expect(results[0]?.footnotes[0]?.text.startsWith('相关研究参见余南平、梁心蔚：《构建链权：人工智能价值链与大国战略竞争》')).toBe(true);
    // Note 15 is a short form of note 1: the quote shows its own number with the full citation.
    expect(results.find((r) => r.id === 'chen-zhimin-ylph.16')?.footnotes).toEqual([
      {
        number: 15,
        text: '《习近平在中共中央政治局第二十次集体学习时强调 坚持自立自强 突出应用导向 推动人工智能健康有序发展》，新华网，2025年4月26日，<https://www.news.cn/politics/leaders/20250426/63f5cde8f4b54e22ba35aa7ec7884b3a/c.html>。',
        printed: '《习近平在中共中央政治局第二十次集体学习时强调 坚持自立自强 突出应用导向 推动人工智能健康有序发展》。',
        urls: ['https://www.news.cn/politics/leaders/20250426/63f5cde8f4b54e22ba35aa7ec7884b3a/c.html'],
        page: null,
        covers: 'quote',
      },
    ]);
    for (const block of quoteBlocks(reply)) {
      expect(block.highlights.map(([a, b]) => block.text.slice(a, b))).toEqual(['智能鸿沟']);
    }
    expectVerbatim(corpus, reply);
  });

  test('places each footnote marker after the quoted character it follows', () => {
    const [block] = quoteBlocks(bot.run('quote', { query: '数字殖民', count: 1 }, en));
    expect(block?.markers).toEqual([{ offset: block?.text.length, number: 3 }]);
  });

  test('finds Latin terms whatever their case and Traditional queries', () => {
    expect((bot.run('quote', { query: 'deepseek-r1' }, en).results as QuoteResult[]).map((r) => r.id)).toEqual(['chen-zhimin-ylph.14']);
    expect((bot.run('quote', { query: '恃強凌弱' }, en).results as QuoteResult[]).map((r) => r.id)).toEqual(['chen-zhimin-ylph.8']);
  });

  test('filters by author in pinyin, and says who the authors are when the name is unknown', () => {
    const byWu = bot.run('quote', { query: '全球治理倡议', author: 'Wu Zhicheng' }, en);
    expect((byWu.results as QuoteResult[]).map((r) => [r.id, r.author])).toEqual([['wu-zhicheng-skbw.1', '吴志成']]);
    const unknown = bot.run('quote', { query: '全球治理倡议', author: 'Li Bai' }, en);
    expect(unknown.error).toBeUndefined();
    expect(unknown.results).toEqual([]);
    expect(unknown.message).toBe('No author of the corpus has that name. Authors: 陈志敏 (chen zhimin), 吴志成 (wu zhicheng).');
  });

  test("attributes the editor's note to the editors", () => {
    const reply = bot.run('quote', { query: '百年变局加速演进' }, en);
    expect((reply.results as QuoteResult[]).map((r) => [r.id, r.author, r.essay, r.section])).toEqual([['editors-qqzl.1', 'the editors', '编者按', null]]);
    expect((bot.run('quote', { query: '百年变局加速演进' }, zh).results as QuoteResult[])[0]?.author).toBe('编者');
  });

  test('pages with More, each page asking for the next', () => {
    const first = bot.run('quote', { query: '智能鸿沟', count: 2 }, en);
    expect((first.results as QuoteResult[]).map((r) => r.id)).toEqual(['chen-zhimin-ylph.4', 'chen-zhimin-ylph.13']);
    const more = first.actions.find((a) => a.kind === 'more');
    expect(more).toEqual({ kind: 'more', command: 'quote', input: { query: '智能鸿沟', count: 2, page: 2 } });
    const second = bot.run(more?.command ?? '', more?.input ?? {}, en);
    expect(second.title).toBe('Quotes 3–4');
    expect((second.results as QuoteResult[])[0]?.id).toBe('chen-zhimin-ylph.16');
    expect(first.actions.filter((a) => a.kind === 'context').map((a) => a.input)).toEqual([{ id: 'chen-zhimin-ylph.4' }, { id: 'chen-zhimin-ylph.13' }]);
    expect(first.actions.find((a) => a.kind === 'sources')).toEqual({ kind: 'sources', command: 'sources', input: { query: '智能鸿沟' } });
    const past = bot.run('quote', { query: '数字殖民', page: 5 }, en);
    expect(past.results).toEqual([]);
    expect(past.message).toBe('There are only 1 passages; this page is past the end.');
  });

  test('answers in Chinese for a zh-CN user', () => {
    const reply = bot.run('quote', { query: '智能鸿沟' }, zh);
    expect(reply.title).toBe('引文 第 1–3 条');
    expect(bot.run('quote', { query: 'xyzzy' }, zh).message).toBe('文章中没有找到相符的内容。可减少或换用其他词语，或改用简体字。');
  });

  test('finding nothing is no error: empty results and a suggestion', () => {
    const reply = bot.run('quote', { query: 'xyzzy' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe('Nothing in the essays matches that. Try fewer or other words, or a Simplified form.');
  });

  test('refuses bad input with a message naming the option, never echoing it', () => {
    expect(bot.run('quote', {}, en).error).toEqual({
      code: 'invalid_input',
      message: '/quote query is required: Words or a phrase from the essays, in Simplified or Traditional Chinese or English',
    });
    expect(bot.run('quote', { query: '。。。！' }, en).error).toEqual({
      code: 'invalid_input',
      message: '/quote query has no letters or digits: type words from the essays.',
    });
    expect(bot.run('quote', { query: '智能', count: 6 }, en).error).toEqual({
      code: 'invalid_input',
      message: '/quote count must be a whole number from 1 to 5.',
    });
    expect(bot.run('quote', { query: '智'.repeat(201) }, en).error?.message).toBe('/quote query is longer than 200 characters. Shorten it.');
    expect(bot.run('quote', { query: '\u200b\u200b' }, en).error?.code).toBe('invalid_input');
  });

  test('takes regex metacharacters as plain text', () => {
    expect(bot.runLine('/quote (.*)+', en).error?.code).toBe('invalid_input');
    expect((bot.run('quote', { query: 'DeepSeek-R1.*' }, en).results as QuoteResult[]).map((r) => r.id)).toEqual(['chen-zhimin-ylph.14']);
    const none = bot.runLine('/quote [x-q]+', en);
    expect(none.error).toBeUndefined();
    expect(none.results).toEqual([]);
  });
});

describe('/quote on the fixture symposium', () => {
  let bot: Bot;
  let corpus: Corpus;
  beforeAll(async () => {
    ({ bot, corpus } = await botFor(FIXTURES));
  });

  test('a sentence with no marker of its own gets the next note of its paragraph, as covering the passage', () => {
    const [result] = bot.run('quote', { query: '預警機制的基礎', count: 1 }, en).results as QuoteResult[];
    expect(result).toEqual({
      id: 'ou-yangming-kjhl.2',
      quote: '水文數據共享是預警機制的基礎。',
      author: '欧阳明',
      essay: '跨境河流的合作治理',
      section: '一、数据共享与预警',
      sectionPath: ['一、数据共享与预警'],
      footnotes: [
        {
          number: 3,
          text: '《水文数据共享协议》，流域委员会官网，2024年3月5日，<https://example.org/hydro>。',
          printed: '《水文数据共享协议》，流域委员会官网，2024年3月5日，<https://example.org/hydro>。',
          urls: ['https://example.org/hydro'],
          page: null,
          covers: 'passage',
        },
      ],
      pages: [],
      part: 'body',
      exact: true,
    });
  });

  test('a short form and 同上 resolve to the full citation they stand for', () => {
    const [shortForm] = bot.run('quote', { query: '规则必须公平' }, en).results as QuoteResult[];
    expect(shortForm?.footnotes).toEqual([
      {
        number: 4,
        text: '《水文数据共享协议》，流域委员会官网，2024年3月5日，<https://example.org/hydro>。',
        printed: '《水文数据共享协议》。',
        urls: ['https://example.org/hydro'],
        page: null,
        covers: 'quote',
      },
    ]);
    const [ibid] = bot.run('quote', { query: '湄公河合作机制' }, en).results as QuoteResult[];
    expect(ibid?.footnotes).toEqual([
      {
        number: 2,
        text: '《澜沧江—湄公河合作五年行动计划》，外交部官网，2023年1月1日，https://example.org/lmc。',
        printed: '同上。',
        urls: ['https://example.org/lmc'],
        page: null,
        covers: 'quote',
      },
    ]);
  });

  test('trims a long sentence to 300 characters around the match, with … where it was cut', () => {
    const reply = bot.run('quote', { query: '第三方评估' }, en);
    const [block] = quoteBlocks(reply);
    const text = block?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text.startsWith('…下游三角洲的盐碱化')).toBe(true);
    expect(text.endsWith('也取决于资金与技术能否到位。')).toBe(true);
    expect(block?.highlights.map(([a, b]) => text.slice(a, b))).toEqual(['第三方评估']);
    expectVerbatim(corpus, reply);
    const start = bot.run('quote', { query: '在流域治理的长期实践中' }, en);
    const head = quoteBlocks(start)[0]?.text ?? '';
    expect(head.length).toBe(299);
    expect(head.startsWith('在流域治理的长期实践中，')).toBe(true);
    expect(head.endsWith('…')).toBe(true);
  });

  test('filters by essay title in Traditional characters', () => {
    const reply = bot.run('quote', { query: '数据共享', essay: '水權' }, en);
    expect((reply.results as QuoteResult[]).map((r) => r.id)).toEqual(['zhang-wei-sqyf.1']);
    const none = bot.run('quote', { query: '数据共享', essay: 'no-such-essay' }, en);
    expect(none.message).toBe('No essay matches that ID or title. Try /essays for the list.');
  });

  test('every option has its words in the catalogue, a Chinese name and, for filters, autocomplete', () => {
    const command = registry.get('quote') as Command;
    expect(optionSpecs(command).map((s) => [s.name, s.zh.name, s.autocomplete])).toEqual([
      ['query', '查询', undefined],
      ['author', '作者', 'author'],
      ['essay', '文章', 'essay'],
      ['count', '条数', undefined],
      ['page', '页', undefined],
    ]);
    expect(optionSpecs(command).map((s) => s.description)).toEqual(Object.values(wordsFor('en').commands.quote.options).map((o) => o.description));
  });
});
