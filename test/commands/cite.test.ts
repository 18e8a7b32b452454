import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { factsFor, loadMetadata, metadataPathFor, parseMetadata } from '../../src/core/corpus/metadata.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { isUserError } from '../../src/core/dispatch/errors.js';
import { formatBibtex, formatGbt7714 } from '../../src/core/reply/citation.js';
import { botOver, requester } from '../support/bot.js';

const en = requester();
const zh = requester('zh-CN');

interface CiteResult {
  id: string;
  passageId: string | null;
  gbt7714: string;
  bibtex: string;
  missing: string[];
}

async function botFor(dir: string): Promise<Bot> {
  const corpus = await loadCorpus(dir);
  return botOver(corpus);
}

describe('/cite on the bundled symposium, which has no metadata file', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor('data/essays');
  });

  test('cites an essay by ID with only what the corpus states', () => {
    const reply = bot.run('cite', { target: 'chen-zhimin-ylph' }, en);
    expect(reply.error).toBeUndefined();
    const [result] = reply.results as CiteResult[];
    expect(result?.gbt7714).toBe('陈志敏. 引领普惠向善的人工智能全球治理：中国的角色[Z].');
    expect(result?.bibtex).toBe('@misc{chen-zhimin-ylph,\n  author = {陈志敏},\n  title = {引领普惠向善的人工智能全球治理：中国的角色},\n}');
    expect(result?.missing).toEqual(['journal', 'year', 'volume', 'issue', 'pages']);
    expect(reply.message).toBe(
      'The corpus does not state the journal, year, volume, issue, pages, so they are left out. Add them in global-governance-symposium.meta.json beside the essay file.',
    );
    // Nothing is invented: no year, journal or page appears anywhere in the answer.
    expect(JSON.stringify(reply.results)).not.toMatch(/20\d\d|journal = |pages = /u);
  });

  test('cites a passage ID as its essay, naming the passage', () => {
    const reply = bot.run('cite', { target: 'chen-zhimin-ylph.4' }, en);
    const [result] = reply.results as CiteResult[];
    expect(result?.id).toBe('chen-zhimin-ylph');
    expect(result?.passageId).toBe('chen-zhimin-ylph.4');
    expect(reply.title).toBe('Cite: chen-zhimin-ylph.4');
  });

  test('finds an essay by part of its title, in Traditional characters too', () => {
    expect((bot.run('cite', { target: '時代意義' }, en).results as CiteResult[]).map((r) => r.id)).toEqual(['wu-zhicheng-skbw']);
  });

  test('a title fragment matching several essays cites each, with the missing facts said once', () => {
    const reply = bot.run('cite', { target: '全球治理' }, en);
    expect((reply.results as CiteResult[]).map((r) => r.id)).toEqual(['chen-zhimin-ylph', 'wu-zhicheng-skbw']);
    expect(reply.message?.match(/does not state/gu)).toHaveLength(1);
    expect(reply.blocks.filter((b) => b.kind === 'text' && b.text.startsWith('@misc{'))).toHaveLength(2);
  });

  test('cites the editor’s note without inventing an author', () => {
    const [result] = bot.run('cite', { target: 'editors-qqzl' }, en).results as CiteResult[];
    expect(result?.gbt7714).toBe('编者按[Z].');
    expect(result?.bibtex).not.toContain('author');
  });

  test('an unknown target is an empty answer with a hint, in the user’s language', () => {
    const reply = bot.run('cite', { target: 'no-such-essay.99' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe('No essay or passage has that ID or title. Try /essays for the titles and passage IDs.');
    expect(bot.run('cite', { target: 'no-such-essay.99' }, zh).message).toBe('没有这个编号或标题的文章或段落。用 /essays 查看标题与段落编号。');
  });

  test('requires a target', () => {
    expect(bot.runLine('/cite', en).error).toEqual({
      code: 'invalid_input',
      message: '/cite target is required: An essay ID, title (or part of one) or passage ID such as essay-id.4',
    });
  });
});

describe('/cite with a metadata file beside the symposium', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await botFor('test/fixtures/cite');
  });

  test('states journal, year, volume, issue, pages and DOI from the metadata (by essay ID)', () => {
    const reply = bot.run('cite', { target: 'wang-xiaoming-shzy' }, en);
    const [result] = reply.results as CiteResult[];
    expect(result?.gbt7714).toBe('王小明. 深海资源开发的规则建构[J]. 海洋问题研究, 2024, 12(3): 1-8. DOI:10.1234/hy.2024.03.001.');
    expect(result?.bibtex).toBe(
      [
        '@article{wang-xiaoming-shzy,',
        '  author = {王小明},',
        '  title = {深海资源开发的规则建构},',
        '  journal = {海洋问题研究},',
        '  year = {2024},',
        '  volume = {12},',
        '  number = {3},',
        '  pages = {1--8},',
        '  doi = {10.1234/hy.2024.03.001},',
        '}',
      ].join('\n'),
    );
    expect(result?.missing).toEqual([]);
    expect(reply.message).toBeUndefined();
  });

  test('an entry keyed by title applies too; a URL makes it an online resource', () => {
    const [result] = bot.run('cite', { target: '极地治理' }, en).results as CiteResult[];
    expect(result?.gbt7714).toBe('赵大海. 极地治理的新趋势[J/OL]. 海洋问题研究, 2024, 12(3): 9-15. https://example.org/journal/2024/3/9.');
  });

  test('an essay without its own entry takes only the file-wide facts', () => {
    const [result] = bot.run('cite', { target: 'editors-hyzl' }, en).results as CiteResult[];
    expect(result?.gbt7714).toBe('编者按[J]. 海洋问题研究, 2024, 12(3).');
    expect(result?.missing).toEqual(['pages']);
  });
});

describe('metadata files', () => {
  test('x.txt has its metadata in x.meta.json', () => {
    expect(metadataPathFor('data/essays/a.b.txt')).toBe(join('data/essays', 'a.b.meta.json'));
  });

  test('a missing metadata file is no metadata', async () => {
    expect(await loadMetadata('data/essays/global-governance-symposium.txt')).toBeNull();
  });

  test('the fixture validates, volume numbers read as text', async () => {
    expect(await loadMetadata('test/fixtures/cite/small-symposium.txt')).toMatchObject({ journal: '海洋问题研究', year: 2024, volume: '12', issue: '3' });
  });

  test('a malformed file is refused with the field and the file named', () => {
    const attempt = (text: string) => {
      try {
        parseMetadata('x.meta.json', text);
        return null;
      } catch (error) {
        return isUserError(error) ? error.message : String(error);
      }
    };
    expect(attempt('{"year": "soon"}')).toBe('corpus: x.meta.json: year Invalid input: expected number, received string.');
    expect(attempt('{"jounral": "typo"}')).toMatch(/^corpus: x\.meta\.json: \(top level\) Unrecognized key: "jounral"/u);
    expect(attempt('{"essays": {"a": {"pages": "twelve"}}}')).toBe('corpus: x.meta.json: essays.a.pages must be a page or a range such as 12-30.');
    expect(attempt('not json')).toMatch(/^corpus: x\.meta\.json: is not valid JSON/u);
  });

  test('a malformed metadata file beside a corpus file is a corpus warning; the essays still load and cite without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-meta-'));
    await cp('test/fixtures/cite/small-symposium.txt', join(dir, 'small-symposium.txt'));
    await writeFile(join(dir, 'small-symposium.meta.json'), '{"year": 20}');
    const corpus = await loadCorpus(dir);
    const [file] = corpus.files;
    expect(file?.metadata).toBeNull();
    expect(file?.warnings).toEqual([
      { file: 'small-symposium.meta.json', line: 0, message: 'year Too small: expected number to be >=1000. Its facts are not used.' },
    ]);
    const bot = botOver(corpus);
    expect((bot.run('cite', { target: 'wang-xiaoming-shzy' }, en).results as CiteResult[])[0]?.gbt7714).toBe('王小明. 深海资源开发的规则建构[Z].');
  });

  test('adding or editing a metadata file makes a new corpus version, so a reload picks it up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-meta-version-'));
    await cp('test/fixtures/cite/small-symposium.txt', join(dir, 'small-symposium.txt'));
    const without = (await loadCorpus(dir)).version;
    await writeFile(join(dir, 'small-symposium.meta.json'), '{"year": 2024}');
    const withYear = (await loadCorpus(dir)).version;
    await writeFile(join(dir, 'small-symposium.meta.json'), '{"year": 2025}');
    const edited = (await loadCorpus(dir)).version;
    expect(new Set([without, withYear, edited]).size).toBe(3);
  });

  test('an essay’s own facts override the file’s', () => {
    const meta = parseMetadata('m.json', '{"journal":"J","pages":"1-99","doi":"10.1/all","essays":{"e1":{"pages":"5-9"}}}');
    expect(factsFor(meta, { id: 'e1', title: 'T' })).toEqual({ journal: 'J', pages: '5-9', doi: '10.1/all' });
    expect(factsFor(meta, { id: 'e2', title: 'T' })).toEqual({ journal: 'J', pages: '1-99', doi: '10.1/all' });
    expect(factsFor(null, { id: 'e2', title: 'T' })).toEqual({});
  });
});

describe('reference formats', () => {
  const facts = { journal: 'Journal of Tests', year: 2023, volume: '5', issue: '2', pages: '10–20' };

  test('GB/T 7714 lists three authors, then 等 or et al.', () => {
    expect(formatGbt7714({ id: 'x', title: '题', authors: ['甲', '乙', '丙', '丁'], facts: {} })).toBe('甲, 乙, 丙, 等. 题[Z].');
    expect(formatGbt7714({ id: 'x', title: 'Title', authors: ['A B', 'C D', 'E F', 'G H'], facts })).toBe(
      'A B, C D, E F, et al. Title[J]. Journal of Tests, 2023, 5(2): 10-20.',
    );
  });

  test('GB/T 7714 with a year and issue but no volume', () => {
    expect(formatGbt7714({ id: 'x', title: '题', authors: ['甲'], facts: { journal: '刊', year: 2020, issue: '4' } })).toBe('甲. 题[J]. 刊, 2020(4).');
  });

  test('BibTeX escapes its special characters and joins authors with and', () => {
    expect(formatBibtex({ id: 'a b,c', title: '50% & {more}_x', authors: ['甲', '乙'], facts: { doi: '10.1/x_y' } })).toBe(
      '@misc{a-b-c,\n  author = {甲 and 乙},\n  title = {50\\% \\& \\{more\\}\\_x},\n  doi = {10.1/x_y},\n}',
    );
  });
});
