import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { align } from '../../src/core/search/diff.js';
import { botOver, requester } from '../support/bot.js';

const en = requester();
const zh = requester('zh-CN');
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'search');

interface VerifyResult {
  verdict: 'verbatim' | 'equivalent' | 'different';
  quote: string;
  id: string;
  author: string;
  essay: string;
  section: string | null;
  similarity: number;
  diff?: Array<{ op: string; text: string }>;
  footnotes: Array<{ number: number; text: string; urls: string[] }>;
}

async function botFor(dir: string): Promise<Bot> {
  const corpus = await loadCorpus(dir);
  return botOver(corpus);
}

const SENTENCE = '“智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端';

describe('align', () => {
  test('finds the span a sentence fits and shows one changed character', () => {
    expect(align('存在与缩小', '“智能鸿沟”的存在与扩大不仅')).toEqual({
      start: 7,
      end: 12,
      distance: 6,
      ops: [
        { op: 'equal', text: '存在与' },
        { op: 'delete', text: '缩小' },
        { op: 'insert', text: '扩大' },
      ],
    });
  });

  test('counts Traditional characters, full width and other punctuation as the same', () => {
    expect(align('數據共享，ＭＡＺＵ', '数据共享、MAZU')).toEqual({ start: 0, end: 9, distance: 0, ops: [{ op: 'equal', text: '数据共享、MAZU' }] });
  });

  test('explains a difference by left-out punctuation rather than shifted words', () => {
    expect(align('规则必须公平且透明，才能赢得信任', '规则必须公平(a+b)*且透明，才能赢得信任。')?.ops).toEqual([
      { op: 'equal', text: '规则必须公平' },
      { op: 'insert', text: '(a+b)*' },
      { op: 'equal', text: '且透明，才能赢得信任' },
    ]);
  });
});

describe('/verify on the bundled symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor(BUNDLED_CORPUS_DIR);
  });

  test('a verbatim sentence gets its source', () => {
    const reply = bot.run('verify', { sentence: SENTENCE }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.title).toBe('Verbatim');
    expect(reply.results).toEqual([
      {
        verdict: 'verbatim',
        // Whole: the opening mark of “智能鸿沟” is quoted with its closing one.
        quote: '“智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端',
        id: 'chen-zhimin-ylph.4',
        author: '陈志敏',
        essay: '引领普惠向善的人工智能全球治理：中国的角色',
        section: '一、面向未来、引领人工智能全球治理议程设置',
        sectionPath: ['一、面向未来、引领人工智能全球治理议程设置'],
        pages: [],
        part: 'body',
        similarity: 1,
        footnotes: [expect.objectContaining({ number: 3, urls: [] })],
      },
    ]);
  });

  test('the same words in Traditional characters without the quotation marks are the same words, not verbatim', () => {
    const reply = bot.run('verify', { sentence: '智能鴻溝的存在與擴大不僅將全球南方國家鎖定在產業鏈的底端' }, en);
    expect(reply.title).toBe('Same words, other punctuation');
    expect((reply.results as VerifyResult[]).map((r) => [r.verdict, r.id])).toEqual([['equivalent', 'chen-zhimin-ylph.4']]);
  });

  test('one changed character is caught as a misquote, with the diff', () => {
    const reply = bot.run('verify', { sentence: SENTENCE.replace('扩大', '缩小') }, en);
    expect(reply.title).toBe('Not verbatim: closest passage');
    const [result] = reply.results as VerifyResult[];
    expect(result?.verdict).toBe('different');
    expect(result?.id).toBe('chen-zhimin-ylph.4');
    expect(result?.diff?.filter((o) => o.op !== 'equal')).toEqual([
      { op: 'delete', text: '缩小' },
      { op: 'insert', text: '扩大' },
    ]);
    expect(reply.blocks.map((b) => b.kind)).toEqual(['quote', 'diff']);
    expect(reply.message?.startsWith('Not verbatim. The closest passage matches 93% of its words')).toBe(true);
    const single = bot.run('verify', { sentence: SENTENCE.replace('锁定', '锁住') }, en).results as VerifyResult[];
    expect(single[0]?.diff?.filter((o) => o.op !== 'equal')).toEqual([
      { op: 'delete', text: '住' },
      { op: 'insert', text: '定' },
    ]);
  });

  test('a change just before the sentence end: the passage is cut at word ends, and the diff keeps the essay’s last characters', () => {
    const [result] = bot.run('verify', { sentence: '人工智能治理攸关全人类的共同命远。' }, en).results as VerifyResult[];
    expect(result?.quote).toBe('人工智能治理攸关全人类的共同命运。');
    expect(result?.diff?.filter((o) => o.op !== 'equal')).toEqual([
      { op: 'delete', text: '远' },
      { op: 'insert', text: '运' },
    ]);
    expect(result?.diff?.map((o) => (o.op === 'delete' ? '' : o.text)).join('')).toBe(result?.quote);
  });

  test('a sentence from elsewhere is not found, and that is no error', () => {
    const reply = bot.run('verify', { sentence: '今天天气很好，我们去公园散步吧。' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.title).toBe('Not found in the essays');
    expect(bot.run('verify', { sentence: '今天天气很好，我们去公园散步吧。' }, zh).message).toBe(
      '文章中没有与这句话相近的内容。它可能出自别处，或是转述：可用 /quote 搜索其中几个词。',
    );
  });

  test('refuses empty input and input over 500 characters', () => {
    expect(bot.run('verify', { sentence: '   ' }, en).error?.code).toBe('invalid_input');
    expect(bot.run('verify', { sentence: '字'.repeat(501) }, en).error?.message).toBe('/verify sentence is longer than 500 characters. Shorten it.');
  });
});

describe('/verify on the fixture symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor(FIXTURES);
  });

  test('a sentence with its parenthesis left out is close, not verbatim, and the diff shows what is missing', () => {
    const [result] = bot.run('verify', { sentence: '规则必须公平且透明，才能赢得信任' }, en).results as VerifyResult[];
    expect(result).toMatchObject({
      verdict: 'different',
      quote: '规则必须公平(a+b)*且透明，才能赢得信任。',
      id: 'ou-yangming-kjhl.4',
      diff: [
        { op: 'equal', text: '规则必须公平' },
        { op: 'insert', text: '(a+b)*' },
        { op: 'equal', text: '且透明，才能赢得信任' },
        { op: 'insert', text: '。' },
      ],
    });
  });

  test('a sentence spanning two sentences of a paragraph is found verbatim', () => {
    const [result] = bot.run('verify', { sentence: '各方在数据共享方面达成共识。上游国家与下游国家的利益协调仍是难题。' }, en).results as VerifyResult[];
    expect(result).toMatchObject({
      verdict: 'verbatim',
      id: 'ou-yangming-kjhl.1',
      quote: '各方在数据共享方面达成共识。上游国家与下游国家的利益协调仍是难题。',
    });
  });
});
