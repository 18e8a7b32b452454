import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../commands/index.js';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import type { ReplyBlock } from '../../src/core/reply/model.js';
import { botOver, requester } from '../support/bot.js';

const en = requester();
const zh = requester('zh-CN');

async function botFor(dir: string): Promise<Bot> {
  const corpus = await loadCorpus(dir);
  return botOver(corpus);
}

describe('/context', () => {
  let bot: Bot;
  let fixtureBot: Bot;
  beforeAll(async () => {
    bot = await botFor(BUNDLED_CORPUS_DIR);
    fixtureBot = await botFor(join(PROJECT_ROOT, 'test', 'fixtures', 'search'));
  });

  test('is hidden: it answers the Context button, not a typed command', () => {
    expect(registry.get('context')?.hidden).toBe(true);
  });

  test('shows the whole paragraph with every marker and every note resolved', () => {
    const reply = bot.run('context', { id: 'chen-zhimin-ylph.9' }, en);
    expect(reply.error).toBeUndefined();
    const [block] = reply.blocks as Array<Extract<ReplyBlock, { kind: 'quote' }>>;
    expect(block?.text.startsWith('第二，坚持联合国的中心地位，大力推进全球治理合作。')).toBe(true);
    expect(block?.text.endsWith('引发了全球范围内的广泛讨论，并得到各方高度评价。')).toBe(true);
    expect(block?.markers.map((m) => [m.number, block.text.slice(m.offset - 3, m.offset)])).toEqual([
      [9, '益。”'],
      [10, '议》，'],
    ]);
    expect(block?.footnotes.map((f) => [f.number, f.urls, f.covers])).toEqual([
      [9, ['https://www.mfa.gov.cn/web/wjzbhd/202409/t20240927_11498463.shtml'], 'quote'],
      [10, ['https://www.mfa.gov.cn/web/zyxw/202509/t20250924_11715834.shtml'], 'quote'],
    ]);
    expect(block?.attribution).toEqual({
      author: '陈志敏',
      affiliation: '复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任',
      essay: '引领普惠向善的人工智能全球治理：中国的角色',
      section: '二、共商共建、引领人工智能全球治理机制建设',
      passageId: 'chen-zhimin-ylph.9',
    });
    expect(reply.results).toEqual([
      {
        id: 'chen-zhimin-ylph.9',
        quote: block?.text,
        author: '陈志敏',
        essay: '引领普惠向善的人工智能全球治理：中国的角色',
        section: '二、共商共建、引领人工智能全球治理机制建设',
        sectionPath: ['二、共商共建、引领人工智能全球治理机制建设'],
        pages: [],
        footnotes: block?.footnotes?.map((f) => ({ ...f, page: null })),
        part: 'body',
      },
    ]);
    expect(reply.actions).toEqual([
      { kind: 'sources', command: 'sources', input: { essay: 'chen-zhimin-ylph' } },
      { kind: 'share', command: 'context', input: { id: 'chen-zhimin-ylph.9' } },
    ]);
  });

  test('answers the Context action of a /quote reply', () => {
    const quote = fixtureBot.run('quote', { query: '同样是水权谈判的前提' }, en);
    const action = quote.actions.find((a) => a.kind === 'context');
    expect(action).toEqual({ kind: 'context', command: 'context', input: { id: 'zhang-wei-sqyf.1' } });
    const reply = fixtureBot.run(action?.command ?? '', action?.input ?? {}, en);
    expect(reply.results).toMatchObject([
      { id: 'zhang-wei-sqyf.1', quote: '水权制度关系到发展中国家的粮食安全。数据共享同样是水权谈判的前提。', author: '張偉', section: null },
    ]);
  });

  test('an unknown passage, as after a corpus change, gets a message and no results', () => {
    const reply = bot.run('context', { id: 'no-such-essay.1' }, zh);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe('语料中没有这个段落（按钮生成后语料可能已更新）。请用 /quote 重新搜索。');
    expect(bot.run('context', {}, en).error?.code).toBe('invalid_input');
  });
});
