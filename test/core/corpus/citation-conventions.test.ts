import { beforeAll, describe, expect, test } from 'vitest';
import { renderReply } from '../../../src/console/render.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { type Corpus, essaysOf } from '../../../src/core/corpus/model.js';
import type { Bot } from '../../../src/core/dispatch/bot.js';
import { AuthorResult, EssaysResult, QuoteResult, WhoResult } from '../../../src/core/reply/results.js';
import { botOver, requester } from '../../support/bot.js';

/*
 * The conventions of Chinese academic citation, on a fixture written for them
 * (test/fixtures/citation/conventions-symposium.txt): several authors sharing or splitting a
 * * note, four levels of headings, 同上 with and without its own page (also at the top of a
 * page), 参见, 转引自, a short form naming author and title, and Ibid. in an English note.
 */

const en = requester();
const FULL_1 = '张某：《多边主义的起源》，北京大学出版社2020年版，第12页，https://example.org/origin。';

let corpus: Corpus;
let bot: Bot;
beforeAll(async () => {
  corpus = await loadCorpus('test/fixtures/citation');
  bot = botOver(corpus);
});

const quote = (query: string) => QuoteResult.array().parse(bot.run('quote', { query, count: 1 }, en).results)[0];

describe('several authors', () => {
  test('each gets their own affiliation, from a shared * note, one split by ；, or names listed with ，', () => {
    expect(essaysOf(corpus).map((e) => [e.id, e.authors.map(({ name, affiliation }) => ({ name, affiliation }))])).toEqual([
      [
        'wang-mou-dbhz',
        [
          { name: '王某', affiliation: '北京大学国际关系学院' },
          { name: '李某', affiliation: '北京大学国际关系学院' },
          { name: '赵某', affiliation: '北京大学国际关系学院' },
        ],
      ],
      [
        'sun-mou-qyzl',
        [
          { name: '孙某', affiliation: '清华大学国际关系学系教授' },
          { name: '周某', affiliation: '复旦大学国际问题研究院研究员' },
        ],
      ],
      [
        'wu-mou-kfhz',
        [
          { name: '吴某', affiliation: '某研究院研究员' },
          { name: '郑某', affiliation: '某研究院研究员' },
        ],
      ],
    ]);
    expect(corpus.files[0]?.warnings).toEqual([]);
  });

  test('/author finds each by Chinese, pinyin in either order and Traditional characters', () => {
    for (const [name, found] of [
      ['李某', '李某'],
      ['li mou', '李某'],
      ['Mou Li', '李某'],
      ['趙某', '赵某'],
      ['zhou mou', '周某'],
      ['鄭某', '郑某'],
    ]) {
      const [result] = AuthorResult.array().parse(bot.run('author', { name }, en).results);
      expect(result?.name, name).toBe(found);
    }
    const [zhou] = AuthorResult.array().parse(bot.run('author', { name: '周某' }, en).results);
    expect(zhou?.affiliation).toBe('复旦大学国际问题研究院研究员');
  });

  test('/essays and /who show every name; the attribution line gives each their own affiliation', () => {
    const essays = EssaysResult.array().parse(bot.run('essays', {}, en).results);
    expect(essays.map((e) => [e.author, e.affiliation])).toEqual([
      ['王某、李某、赵某', '北京大学国际关系学院'],
      ['孙某、周某', '清华大学国际关系学系教授；复旦大学国际问题研究院研究员'],
      ['吴某、郑某', '某研究院研究员'],
    ]);
    const [who] = WhoResult.array().parse(bot.run('who', { text: '区域治理需要有效的制度设计' }, en).results);
    expect(who?.author).toBe('孙某、周某');
    const text = renderReply(bot.run('quote', { query: '区域治理需要有效的制度设计' }, en), { width: 1000, color: false });
    expect(text).toContain('— 孙某（清华大学国际关系学系教授）、周某（复旦大学国际问题研究院研究员） · 《区域治理的制度设计》');
    const shared = renderReply(bot.run('quote', { query: '多边合作的研究已有相当积累' }, en), { width: 1000, color: false });
    expect(shared).toContain('— 王某、李某、赵某（北京大学国际关系学院） · 《多边合作的理论与实践》');
  });
});

describe('nested headings', () => {
  test('every section knows its level and path; a passage gives its innermost heading and the whole path', () => {
    const [essay] = essaysOf(corpus);
    expect(essay?.sections.map((s) => [s.level, s.path])).toEqual([
      [0, []],
      [1, ['一、理论框架']],
      [2, ['一、理论框架', '（一）概念的演变']],
      [2, ['一、理论框架', '（二）研究方法']],
      [1, ['二、实证分析']],
      [3, ['二、实证分析', '1. 数据来源']],
      [4, ['二、实证分析', '1. 数据来源', '(1) 样本选择']],
      [1, ['结语']],
    ]);
    expect(quote('样本覆盖了一百个国家')).toMatchObject({ section: '(1) 样本选择', sectionPath: ['二、实证分析', '1. 数据来源', '(1) 样本选择'] });
    const text = renderReply(bot.run('quote', { query: '比较研究是理解多边合作的基本方法' }, en), { width: 1000, color: false });
    expect(text).toContain(' · 一、理论框架 › （二）研究方法 · wang-mou-dbhz.3');
  });

  test('/who finds a heading with no paragraph of its own, and answers with the first passage under it', () => {
    const results = WhoResult.array().parse(bot.run('who', { text: '理论框架' }, en).results);
    expect(results).toEqual([
      {
        author: '王某、李某、赵某',
        affiliation: '北京大学国际关系学院',
        essay: '多边合作的理论与实践',
        section: '（一）概念的演变',
        sectionPath: ['一、理论框架', '（一）概念的演变'],
        quote: '合作概念的演变体现了国际体系的变化。',
        id: 'wang-mou-dbhz.2',
        match: 'heading',
      },
    ]);
  });
});

describe('notes that point back: 同上, 参见, 转引自, short forms, Ibid.', () => {
  test('同上 with its own page keeps that page; the full citation and its URL come with it', () => {
    expect(quote('相关理论的发展经历了几个阶段')?.footnotes).toEqual([
      { number: 2, text: FULL_1, printed: '同上，第36页。', locator: '第36页', urls: ['https://example.org/origin'], page: null, covers: 'quote' },
    ]);
  });

  test('a bare 同上 at the top of a page repeats the note before it, on the previous page, at that note’s page', () => {
    expect(quote('合作概念的演变体现了国际体系的变化')?.footnotes).toEqual([
      {
        number: 3,
        text: FULL_1,
        printed: '同上。',
        locator: '第36页',
        locatorInherited: true,
        urls: ['https://example.org/origin'],
        page: null,
        covers: 'quote',
      },
    ]);
    const text = renderReply(bot.run('quote', { query: '合作概念的演变体现了国际体系的变化', count: 1 }, en), { width: 1000, color: false });
    expect(text).toContain(`[3] 同上。 → ${FULL_1} (cited at 第36页)`);
  });

  test('参见 and a short form naming author and title resolve to the full citation, each at its own page', () => {
    // One sentence, cut by a page break, with a note on each page.
    const [result] = QuoteResult.array().parse(bot.run('quote', { query: '这一演变并非线性的', count: 1 }, en).results);
    expect(result?.quote).toBe('这一演变并非线性的，而是充满反复，学者们对此的概括也各不相同。');
    expect(result?.footnotes.map((f) => [f.number, f.printed, f.locator, f.text])).toEqual([
      [4, '参见《多边主义的起源》，第8页。', '第8页', FULL_1],
      [5, '张某：《多边主义的起源》，第40—42页。', '第40—42页', FULL_1],
    ]);
  });

  test('转引自 is a citation in full of its own', () => {
    expect(quote('比较研究是理解多边合作的基本方法')?.footnotes).toEqual([
      {
        number: 6,
        text: '转引自 刘某：《比较政治学方法》，商务印书馆2018年版，第5页。',
        printed: '转引自 刘某：《比较政治学方法》，商务印书馆2018年版，第5页。',
        locator: '第5页',
        urls: [],
        page: null,
        covers: 'quote',
      },
    ]);
  });

  test('Ibid. with pages in an English note', () => {
    expect(quote('样本覆盖了一百个国家')?.footnotes).toEqual([
      {
        number: 8,
        text: 'Robert Keohane, "After Hegemony," Princeton University Press, 1984, p. 85, https://example.org/keohane.',
        printed: 'Ibid., pp. 7-9.',
        locator: 'pp. 7–9',
        urls: ['https://example.org/keohane'],
        page: null,
        covers: 'quote',
      },
    ]);
  });
});
