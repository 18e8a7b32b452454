import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { headingKey } from '../../commands/who.js';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { botOver, requester } from '../support/bot.js';

const en = requester();
const zh = requester('zh-CN');
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'search');

interface WhoResult {
  author: string;
  affiliation: string | null;
  essay: string;
  section: string | null;
  quote: string;
  id: string;
  match: string;
}

async function botFor(dir: string): Promise<Bot> {
  const corpus = await loadCorpus(dir);
  return botOver(corpus);
}

const CHEN = '陈志敏';
const CHEN_AFFILIATION = '复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任';
const CHEN_ESSAY = '引领普惠向善的人工智能全球治理：中国的角色';

describe('headingKey', () => {
  test('drops the numbering, spaces and punctuation of a heading, and folds Traditional characters', () => {
    expect(headingKey('一、面向未来、引领人工智能全球治理议程设置')).toBe('面向未来引领人工智能全球治理议程设置');
    expect(headingKey('结 语')).toBe('结语');
    expect(headingKey('（二）制度建設')).toBe('制度建设');
    expect(headingKey('第三，聚焦')).toBe('聚焦');
  });
});

describe('/who on the bundled symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor(BUNDLED_CORPUS_DIR);
  });

  test('a heading given without its 一、 and with Traditional characters names its author and section', () => {
    for (const text of ['面向未来、引领人工智能全球治理议程设置', '面向未来引領人工智能全球治理', '一、面向未来']) {
      const reply = bot.run('who', { text }, en);
      expect(reply.error).toBeUndefined();
      expect(reply.results).toEqual([
        {
          author: CHEN,
          affiliation: CHEN_AFFILIATION,
          essay: CHEN_ESSAY,
          section: '一、面向未来、引领人工智能全球治理议程设置',
          sectionPath: ['一、面向未来、引领人工智能全球治理议程设置'],
          quote:
            '习近平主席指出，“人工智能作为引领新一轮科技革命和产业变革的战略性技术，深刻改变人类生产生活方式”，它既为人类发展带来了全新的重大机遇，也蕴含全方位的风险挑战。',
          id: 'chen-zhimin-ylph.2',
          match: 'heading',
        },
      ]);
    }
  });

  test('结 语 written with or without its space is the conclusion', () => {
    const results = bot.run('who', { text: '结 语' }, en).results as WhoResult[];
    expect(results.map((r) => [r.author, r.section, r.match])).toEqual([[CHEN, '结语', 'heading']]);
  });

  test("a phrase of the editor's note answers the editors", () => {
    const results = bot.run('who', { text: '百年变局加速演进' }, en).results as WhoResult[];
    expect(results.map((r) => [r.author, r.affiliation, r.essay, r.section, r.id])).toEqual([['the editors', null, '编者按', null, 'editors-qqzl.1']]);
    expect((bot.run('who', { text: '百年变局加速演进' }, zh).results as WhoResult[])[0]?.author).toBe('编者');
  });

  test('an ambiguous phrase lists every essay and section it occurs in', () => {
    const reply = bot.run('who', { text: '全球治理倡议' }, en);
    const results = reply.results as WhoResult[];
    expect(results.map((r) => [r.author, r.section, r.match])).toEqual([
      ['吴志成', null, 'title'],
      ['the editors', null, 'phrase'],
      [CHEN, '二、共商共建、引领人工智能全球治理机制建设', 'phrase'],
      [CHEN, null, 'phrase'],
    ]);
    expect(reply.message).toBe('4 places match; all are listed.');
    expect(results[0]).toMatchObject({ affiliation: '中共中央党校（国家行政学院）国际战略研究院院长、教授', essay: '深刻把握全球治理倡议的时代意义' });
  });

  test('a sentence names its author with the sentence itself', () => {
    const [result] = bot.run('who', { text: '图灵奖得主辛顿' }, en).results as WhoResult[];
    expect(result).toMatchObject({ author: CHEN, section: '一、面向未来、引领人工智能全球治理议程设置', id: 'chen-zhimin-ylph.5', match: 'phrase' });
    expect(result?.quote).toBe(
      '2025年，在中国上海举办的世界人工智能大会邀请了包括图灵奖得主辛顿在内的全球顶尖科学家和行业领袖，他们就前沿人工智能技术若得不到妥善治理将可能引发全人类的生存性风险发出了共同警告。',
    );
  });

  test('no match is no error, with a suggestion', () => {
    const reply = bot.run('who', { text: 'xyzzy' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe('No heading or passage matches that. Try a shorter part of the heading, or words from the sentence.');
  });

  test('refuses input without letters or digits', () => {
    expect(bot.run('who', { text: '——' }, en).error).toEqual({
      code: 'invalid_input',
      message: '/who text has no letters or digits: type words from the essays.',
    });
  });
});

describe('/who on the fixture symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor(FIXTURES);
  });

  test('an essay title names its author, Traditional characters folded', () => {
    const results = bot.run('who', { text: '水權與發展' }, en).results as WhoResult[];
    expect(results.map((r) => [r.author, r.affiliation, r.essay, r.match])).toEqual([['張偉', '某研究院研究员', '水权与发展', 'title']]);
  });

  test('a heading shared by no other section names one place; a phrase in two essays names both', () => {
    expect((bot.run('who', { text: '制度建设' }, en).results as WhoResult[]).map((r) => [r.author, r.section])).toEqual([['欧阳明', '二、制度建设']]);
    expect((bot.run('who', { text: '数据共享' }, en).results as WhoResult[]).map((r) => [r.author, r.section, r.match])).toEqual([
      ['欧阳明', '一、数据共享与预警', 'heading'],
      ['張偉', null, 'phrase'],
      ['欧阳明', null, 'phrase'],
    ]);
  });
});
