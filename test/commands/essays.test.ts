import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { generateSyntheticCorpus, writeSyntheticCorpus } from '../../bench/synthetic.js';
import { ESSAYS_PER_PAGE } from '../../commands/essays.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { type Corpus, essaysOf } from '../../src/core/corpus/model.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { EssaysResult } from '../../src/core/reply/results.js';
import { botOver, requester } from '../support/bot.js';

const en = requester();
const zh = requester('zh-CN');
const ARTICLES = 'test/fixtures/articles';

async function botFor(dir: string): Promise<Bot> {
  const corpus = await loadCorpus(dir);
  return botOver(corpus);
}

describe('/essays on the bundled symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor('data/essays');
  });

  test('lists the editor’s note and every essay in print order, in the documented JSON shape', () => {
    const reply = bot.run('essays', {}, en);
    expect(reply.error).toBeUndefined();
    expect(reply.title).toBe('全球治理倡议与中国特色大国外交');
    expect(reply.message).toBeUndefined();
    const results = reply.results as Array<Record<string, unknown>>;
    expect(results.map((r) => [r.title, r.author, r.footnoteCount])).toEqual([
      ['编者按', 'the editors', 0],
      ['引领普惠向善的人工智能全球治理：中国的角色', '陈志敏', 15],
      ['深刻把握全球治理倡议的时代意义', '吴志成', 0],
    ]);
    expect(results[1]).toMatchObject({
      affiliation: '复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任',
      sections: ['一、面向未来、引领人工智能全球治理议程设置', '二、共商共建、引领人工智能全球治理机制建设', '三、以人为本、促进人工智能普惠向善发展', '结语'],
      passagePrefix: 'chen-zhimin-ylph.',
      passages: 'chen-zhimin-ylph.1–chen-zhimin-ylph.16',
    });
    expect(results[2]).toMatchObject({ affiliation: '中共中央党校（国家行政学院）国际战略研究院院长、教授', sections: [] });
    for (const r of results) expect(Object.keys(r)).toEqual(expect.arrayContaining(['title', 'author', 'affiliation', 'sections', 'footnoteCount']));
  });

  test('shows the editor’s note by its opening sentence and labels in Chinese for zh-CN', () => {
    const reply = bot.run('essays', {}, zh);
    expect((reply.results[0] as { author: string }).author).toBe('编者');
    const first = reply.blocks[0];
    expect(first?.kind).toBe('fields');
    if (first?.kind !== 'fields') return;
    expect(first.fields[0]).toEqual({
      label: '编者按',
      value: '编者按：当今世界百年变局加速演进，国际力量对比结构出现显著变化，和平赤字、发展赤字、安全赤字、治理赤字、信任赤字不断加重，全球治理面临严峻挑战。',
    });
    expect(first.fields.map((f) => f.label)).toEqual(['编者按', '作者', '脚注', '段落编号']);
  });

  test('takes the words typed after it: an author’s name finds the essay', () => {
    const reply = bot.runLine('/essays 陈志敏', en);
    expect(reply.error).toBeUndefined();
    expect(reply.title).toBe('Essays on “陈志敏”');
    expect((reply.results as Array<{ id: string }>).map((r) => r.id)).toEqual(['chen-zhimin-ylph']);
  });

  test('with no words keeps the table of contents exactly, every score null', () => {
    for (const line of ['/essays', '/essays page:1']) {
      const reply = bot.runLine(line, en);
      expect(reply).toEqual(bot.run('essays', {}, en));
      expect((reply.results as Array<{ score: unknown }>).map((r) => r.score)).toEqual([null, null, null]);
    }
  });

  test('refuses words without letters or digits, or too many, with a clear message', () => {
    expect(bot.runLine('/essays ！？', en).error).toEqual({
      code: 'invalid_input',
      message: '/essays words has no letters or digits: type words of a title, author, keyword or abstract.',
    });
    expect(bot.run('essays', { words: '治'.repeat(101) }, en).error).toEqual({
      code: 'invalid_input',
      message: '/essays words is longer than 100 characters. Shorten it.',
    });
  });
});

describe('/essays <words> on the bundled essays and the article fixtures', () => {
  let bot: Bot;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-essays-found-'));
    await cp('data/essays', dir, { recursive: true });
    for (const name of (await readdir(ARTICLES)).filter((f) => f.endsWith('.pdf'))) await cp(join(ARTICLES, name), join(dir, name));
    bot = await botFor(dir);
  });
  const ids = (words: string, locale = en) => (bot.run('essays', { words }, locale).results as Array<{ id: string }>).map((r) => r.id);

  test('ranks essays best first, each with its score, in the table of contents’ result shape', () => {
    const reply = bot.run('essays', { words: '气候融资' }, en);
    expect(reply.title).toBe('Essays on “气候融资”');
    const [first, ...rest] = EssaysResult.array().parse(reply.results);
    expect(first).toMatchObject({ id: 'zhou-mingxuan-qqqh', title: '全球气候融资中的南北分歧与协调', author: '周明轩、陈雨桐、刘子墨' });
    expect(first?.score).toBeGreaterThan(0);
    const scores = EssaysResult.array()
      .parse(bot.run('essays', { words: '全球治理' }, en).results)
      .map((r) => r.score as number);
    expect(scores.length).toBeGreaterThan(3);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(rest).toEqual([]);
    const block = reply.blocks[0];
    expect(block?.kind === 'fields' ? block.fields.slice(0, 2) : block).toEqual([
      { label: 'Essay', value: '全球气候融资中的南北分歧与协调' },
      { label: 'Author', value: '周明轩、陈雨桐、刘子墨' },
    ]);
  });

  test('matches English by prefix and fuzzily, and authors by pinyin with tone marks', () => {
    expect(ids('climate finance')).toEqual(['zhou-mingxuan-qqqh']);
    expect(ids('clim fin')[0]).toBe('zhou-mingxuan-qqqh');
    expect(ids('climat finanse')).toEqual(['zhou-mingxuan-qqqh']);
    expect(ids('area-based management tools')).toEqual(['lin-haizhou-gjgx-daf9']);
    expect(ids('Chén Zhìmǐn')[0]).toBe('chen-zhimin-ylph');
  });

  test('folds Traditional input to Simplified, scores and all', () => {
    expect(bot.run('essays', { words: '極地治理' }, en).results).toEqual(bot.run('essays', { words: '极地治理' }, en).results);
    expect(ids('極地治理')).toEqual(['zhou-wenbo-jdzl']);
    expect(ids('國際法')[0]).toBe('wang-haiyan-hymy');
  });

  test('says what to try when nothing matches, in the user’s language', () => {
    const reply = bot.run('essays', { words: 'xylophone' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe(
      'No essay’s title, authors, keywords, abstract or headings match that. Try fewer or other words, English, pinyin or a Simplified form, or /essays without words for the table of contents.',
    );
    const zhReply = bot.run('essays', { words: 'xylophone' }, zh);
    expect(zhReply.title).toBe('与“xylophone”相关的文章');
    expect(zhReply.message).toBe(
      '没有文章的标题、作者、关键词、摘要或章节与之相符。可减少或换用其他词语，改用英文、拼音或简体字，或不带词语用 /essays 查看目录。',
    );
  });
});

describe('/essays on fixtures', () => {
  test('a small symposium file lists its own essays', async () => {
    const bot = await botFor('test/fixtures/cite');
    const reply = bot.run('essays', {}, en);
    expect(reply.title).toBe('海洋治理笔谈');
    expect((reply.results as Array<{ id: string; sections: string[] }>).map((r) => [r.id, r.sections.length])).toEqual([
      ['editors-hyzl', 0],
      ['wang-xiaoming-shzy', 3],
      ['zhao-dahai-jdzl', 0],
    ]);
  });

  test('a corpus of two symposium files names each symposium above its essays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-essays-'));
    await cp('test/fixtures/cite/small-symposium.txt', join(dir, 'a.txt'));
    await cp('data/essays/global-governance-symposium.txt', join(dir, 'b.txt'));
    const bot = await botFor(dir);
    const reply = bot.run('essays', {}, en);
    expect(reply.title).toBe('Table of contents');
    expect(reply.results).toHaveLength(6);
    const headings = reply.blocks.filter((b) => b.kind === 'text').map((b) => (b.kind === 'text' ? b.text : ''));
    expect(headings).toEqual(['海洋治理笔谈', '全球治理倡议与中国特色大国外交']);
  });

  test('an empty corpus answers with a message, not an error', async () => {
    const corpus: Corpus = { dir: 'nowhere', files: [], version: 'empty' };
    const bot = botOver(corpus);
    const reply = bot.run('essays', {}, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe('The corpus has no essays yet. Put the essays as .txt files in the corpus folder (CORPUS_DIR or --corpus).');
  });
});

describe('/essays on an archive', () => {
  test('pages through the table of contents in order, with More until the last page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-essays-archive-'));
    const bundled = await loadCorpus('data/essays');
    const sourceBytes = (await readFile('data/essays/global-governance-symposium.txt')).length;
    await writeSyntheticCorpus(dir, generateSyntheticCorpus(bundled, { scale: 20, seed: 3, sourceBytes }));
    const corpus = await loadCorpus(dir);
    const expected = essaysOf(corpus).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(2 * ESSAYS_PER_PAGE);
    const bot = botOver(corpus);
    const index = bot.library().index;
    const seen: string[] = [];
    let input: Record<string, unknown> = {};
    for (let pages = 1; ; pages++) {
      const reply = bot.run('essays', input, en);
      const ids = (reply.results as Array<{ id: string }>).map((r) => r.id);
      expect(ids.length).toBeLessThanOrEqual(ESSAYS_PER_PAGE);
      expect(reply.title).toBe(`Table of contents (essays ${seen.length + 1}–${seen.length + ids.length} of ${expected.length})`);
      seen.push(...ids);
      const more = reply.actions.find((a) => a.kind === 'more');
      if (!more) break;
      expect(more).toMatchObject({ command: 'essays', input: { page: pages + 1 } });
      input = more.input;
    }
    expect(seen).toEqual(expected);
    const past = bot.run('essays', { page: 999 }, en);
    expect(past.error).toBeUndefined();
    expect(past.message).toBe(`The table of contents has ${Math.ceil(expected.length / ESSAYS_PER_PAGE)} pages; this page is past the end.`);

    // Found essays page the same way, More carrying the words.
    const first = bot.run('essays', { words: '治理' }, en);
    const total = index.searchEssays('治理').length;
    expect(total).toBeGreaterThan(ESSAYS_PER_PAGE);
    expect(first.title).toBe(`Essays on “治理” (essays 1–${ESSAYS_PER_PAGE} of ${total})`);
    expect(first.actions.find((a) => a.kind === 'more')).toMatchObject({ command: 'essays', input: { words: '治理', page: 2 } });
    const second = bot.run('essays', { words: '治理', page: 2 }, en);
    expect((second.results as Array<{ id: string }>).map((r) => r.id)).toEqual(
      index
        .searchEssays('治理')
        .slice(ESSAYS_PER_PAGE, 2 * ESSAYS_PER_PAGE)
        .map((h) => h.essay.id),
    );
    const pages = Math.ceil(total / ESSAYS_PER_PAGE);
    expect(bot.run('essays', { words: '治理', page: pages + 1 }, en).message).toBe(`The list has ${pages} pages; this page is past the end.`);
  });
});
