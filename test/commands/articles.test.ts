import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { AuthorResult, CiteResult, EssaysResult, QuoteResult, VerifyResult, WhoResult } from '../../src/core/reply/results.js';
import { botOver, requester } from '../support/bot.js';

/*
 * The commands on research articles (issue 21): the XeLaTeX article's PDF, whose front and back
 * matter, co-authors and printed issue the parser reads, served as a user would have it.
 */

const ARTICLE = join(PROJECT_ROOT, 'test', 'fixtures', 'articles', 'xelatex-article.pdf');
const en = requester();
const zh = requester('zh-CN');

async function botOverFiles(files: Record<string, string>, meta?: object) {
  const dir = await mkdtemp(join(tmpdir(), 'yinzheng-articles-'));
  for (const [name, from] of Object.entries(files)) await copyFile(from, join(dir, name));
  if (meta) await writeFile(join(dir, 'article.meta.json'), JSON.stringify(meta));
  const corpus = await loadCorpus(dir);
  return botOver(corpus);
}

describe('a research article from XeLaTeX', () => {
  let bot: Awaited<ReturnType<typeof botOverFiles>>;
  beforeAll(async () => {
    bot = await botOverFiles({ 'article.pdf': ARTICLE });
  });

  test('/essays --json lists it with its two authors, abstract, keywords, English block and printed issue', () => {
    const [essay] = EssaysResult.array().parse(bot.run('essays', {}, en).results);
    expect(essay).toMatchObject({
      title: '国家管辖范围以外区域的规则竞争与海洋治理——以《BBNJ协定》的谈判与实施为例',
      author: '林海舟、苏映雪',
      authors: [
        { name: '林海舟', affiliation: '某大学国际关系学院副教授' },
        { name: '苏映雪', affiliation: '某大学国际关系学院博士研究生' },
      ],
      keywords: ['规则竞争', '海洋治理', 'BBNJ协定', '划区管理工具', '全球公域'],
      journal: '国际展望',
      year: 2026,
      issue: '1',
      pages: [57, 63],
    });
    expect(essay?.abstract).toMatch(/^国家管辖范围以外区域的海洋治理正在成为国际规则竞争的新场域。/u);
    expect(essay?.english?.authors).toEqual(['Lin Haizhou', 'Su Yingxue']);
    expect(essay?.sections).not.toContain('摘要');
  });

  test('/quote finds words of the abstract labelled as such, and the first paragraph without the keywords glued on', () => {
    const [inAbstract] = QuoteResult.array().parse(bot.run('quote', { query: '国际规则竞争的新场域', count: 1 }, en).results);
    expect(inAbstract).toMatchObject({ part: 'abstract', section: '摘要', id: expect.stringMatching(/\.abstract$/u), pages: [57] });
    const [english] = QuoteResult.array().parse(bot.run('quote', { query: 'credible commitments on capacity building', count: 1 }, en).results);
    expect(english).toMatchObject({ part: 'english', section: 'Abstract', exact: true });
    const [opening] = QuoteResult.array().parse(bot.run('quote', { query: '海洋覆盖了地球表面', count: 1 }, en).results);
    expect(opening).toMatchObject({ part: 'body', section: null, pages: [57] });
    expect(opening?.quote).not.toMatch(/关键词|中图分类号|文章编号|作者简介|收稿日期/u);
  });

  test('/verify checks a sentence of the abstract, saying where it stands', () => {
    const reply = bot.run('verify', { sentence: '国家管辖范围以外区域的海洋治理正在成为国际规则竞争的新场域。' }, en);
    const [result] = VerifyResult.array().parse(reply.results);
    expect(result).toMatchObject({ verdict: 'verbatim', part: 'abstract', section: '摘要' });
  });

  test('/author shows the journal’s abstract and keywords in place of thesis sentences, for each co-author', () => {
    for (const name of ['林海舟', 'Su Yingxue']) {
      const [author] = AuthorResult.array().parse(bot.run('author', { name }, en).results);
      expect(author?.essays[0]).toMatchObject({ summary: [], keywords: ['规则竞争', '海洋治理', 'BBNJ协定', '划区管理工具', '全球公域'] });
      expect(author?.essays[0]?.abstract).toMatch(/^国家管辖范围以外区域/u);
      expect(author?.essays[0]?.sections).not.toContain('摘要');
    }
    const reply = bot.run('author', { name: '苏映雪' }, zh);
    const texts = reply.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
    expect(texts.some((t) => t.startsWith('内容提要（期刊所载）'))).toBe(true);
    expect(texts.some((t) => t.startsWith('论点'))).toBe(false);
  });

  test('/who names both authors of a paragraph that crosses the first page break', () => {
    const [who] = WhoResult.array().parse(bot.run('who', { text: '标志着全球海洋治理进入新的阶段' }, en).results);
    expect(who).toMatchObject({ author: '林海舟、苏映雪', essay: '国家管辖范围以外区域的规则竞争与海洋治理——以《BBNJ协定》的谈判与实施为例' });
  });

  test('/cite states the journal, year and issue the pages print, and a passage at its own page', () => {
    const [essay] = CiteResult.array().parse(bot.run('cite', { target: '国家管辖范围以外区域的规则竞争' }, en).results);
    expect(essay?.gbt7714).toBe('林海舟, 苏映雪. 国家管辖范围以外区域的规则竞争与海洋治理——以《BBNJ协定》的谈判与实施为例[J]. 国际展望, 2026(1): 57-63.');
    expect(essay?.missing).toEqual(['volume']);
    const [quote] = QuoteResult.array().parse(bot.run('quote', { query: '规则竞争是指国际行为体', count: 1 }, en).results);
    const [passage] = CiteResult.array().parse(bot.run('cite', { target: quote?.id ?? '' }, en).results);
    expect(passage?.gbt7714).toMatch(/\[J\]\. 国际展望, 2026\(1\): 58\.$/u);
  });
});

test('NAME.meta.json wins over what the pages print', async () => {
  const bot = await botOverFiles({ 'article.pdf': ARTICLE }, { journal: 'International Outlook', year: 2027, issue: 3 });
  const [essay] = CiteResult.array().parse(bot.run('cite', { target: '国家管辖范围以外区域的规则竞争' }, en).results);
  expect(essay).toMatchObject({ journal: 'International Outlook', year: 2027, issue: '3', pages: '57-63' });
});
