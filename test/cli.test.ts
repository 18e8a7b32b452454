import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { registry } from '../commands/index.js';
import { AuthorResult, CiteResult, EssaysResult, QuoteResult, SourcesResult, WhoResult } from '../src/core/reply/results.js';
import { type CliRun, runCli, runCliProcess } from './support/cli.js';

type Run = CliRun;

const cli = (...args: string[]): Promise<Run> => runCli(args);

/** stdout must be exactly one JSON object (one line), nothing before or after it. */
function json(run: Run): Record<string, unknown> {
  expect(run.stdout.endsWith('\n')).toBe(true);
  expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
  const value = JSON.parse(run.stdout) as unknown;
  expect(typeof value).toBe('object');
  return value as Record<string, unknown>;
}

const VERSION = /^[0-9a-f]{12}$/u;

/** The results of a --json answer, read with the command's own schema (strict: no field outside it). */
function resultsOf<S extends z.ZodType>(body: Record<string, unknown>, schema: S): Array<z.output<S>> {
  return (body.results as unknown[]).map((r) => schema.parse(r));
}

describe('cli --json: one JSON object in the documented shape', () => {
  test('quote: {id, quote, author, essay, section, footnotes: [{number, text, urls}]}; corpus warnings on stderr only', async () => {
    const run = await cli('quote', '智能鸿沟', '--json');
    expect(run.code).toBe(0);
    const body = json(run);
    expect(Object.keys(body)).toEqual(['command', 'results', 'corpusVersion']);
    expect(body.command).toBe('quote');
    expect(body.corpusVersion).toMatch(VERSION);
    const [first] = resultsOf(body, QuoteResult);
    expect(first).toMatchObject({
      id: 'chen-zhimin-ylph.4',
      author: '陈志敏',
      essay: '引领普惠向善的人工智能全球治理：中国的角色',
      section: '一、面向未来、引领人工智能全球治理议程设置',
    });
    expect(first?.quote).toContain('智能鸿沟');
    expect(first?.footnotes).toEqual([expect.objectContaining({ number: 3, urls: [] })]);
    expect(run.stderr).toContain('corpus: ');
    expect(run.stderr).toContain('global-governance-symposium.txt:91: paragraph ends mid-sentence');
  });

  test('who: {author, affiliation, essay, section, quote}', async () => {
    const body = json(await cli('who', '结语', '--json'));
    const [first] = resultsOf(body, WhoResult);
    expect(first).toMatchObject({ author: '陈志敏', affiliation: '复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任', section: '结语' });
  });

  test('author: {name, affiliation, essays: [{title, sections}], footnoteCount, urls, summary}', async () => {
    const body = json(await cli('author', 'Zhimin', 'Chen', '--json'));
    const [first] = resultsOf(body, AuthorResult);
    expect(first).toMatchObject({ name: '陈志敏', footnoteCount: 15 });
    expect(first?.urls).toHaveLength(10);
    expect(first?.essays.map((e) => [e.title, e.sections.length])).toEqual([['引领普惠向善的人工智能全球治理：中国的角色', 4]]);
    expect(first?.summary[0]).toBe('人工智能治理攸关全人类的共同命运。');
  });

  test('sources: {number, text, urls, quote, author, essay}, filtered by --essay', async () => {
    const body = json(await cli('sources', '--essay', 'chen-zhimin-ylph', '--json'));
    const results = resultsOf(body, SourcesResult);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.author).toBe('陈志敏');
  });

  test('essays: {title, author, affiliation, sections, footnoteCount}, from another corpus with --corpus', async () => {
    const body = json(await cli('essays', '--corpus', 'test/fixtures/cite', '--json'));
    expect(resultsOf(body, EssaysResult).map((r) => [r.title, r.author, r.footnoteCount])).toEqual([
      ['编者按', 'the editors', 0],
      ['深海资源开发的规则建构', '王小明', 3],
      ['极地治理的新趋势', '赵大海', 0],
    ]);
  });

  test('--author and --essay map to the options of that name, --limit to the count', async () => {
    const body = json(await cli('quote', '治理', '--author', '陈志敏', '--limit', '2', '--json'));
    const results = resultsOf(body, QuoteResult);
    expect(results).toHaveLength(2);
    for (const r of results) expect(r.author).toBe('陈志敏');
  });

  test('--name=value, and -- before text that starts with a dash', async () => {
    const body = json(await cli('quote', '--author=陈志敏', '--limit=1', '--json', '--', '治理'));
    expect(resultsOf(body, QuoteResult).map((r) => r.author)).toEqual(['陈志敏']);
  });

  test('cite uses the metadata file beside the corpus file', async () => {
    const body = json(await cli('cite', 'wang-xiaoming-shzy', '--corpus', 'test/fixtures/cite', '--json'));
    expect(resultsOf(body, CiteResult)[0]?.gbt7714).toBe('王小明. 深海资源开发的规则建构[J]. 海洋问题研究, 2024, 12(3): 1-8. DOI:10.1234/hy.2024.03.001.');
  });

  test('no result is not an error: exit 0, empty results and a message', async () => {
    const run = await cli('quote', '量子计算机', '--json');
    expect(run.code).toBe(0);
    const body = json(run);
    expect(body.results).toEqual([]);
    expect(typeof body.message).toBe('string');
    expect(body.message).not.toBe('');
  });
});

describe('cli --json: every command', () => {
  test.each([
    ['quote', ['智能鸿沟']],
    ['quote', ['量子计算机']],
    ['who', ['结语']],
    ['author', ['chen']],
    ['sources', []],
    ['essays', []],
    ['cite', ['chen-zhimin-ylph.4']],
    ['verify', ['人工智能治理攸关全人类的共同命运。']],
    ['verify', ['人工智能治理攸关全人类的共同未来。']],
    ['help', []],
    ['help', ['quote']],
    ['context', ['chen-zhimin-ylph.4']],
  ])('%s %j: results in exactly the schema the command declares', async (name, words) => {
    const body = json(await cli(name, ...words, '--json'));
    const command = registry.get(name);
    expect(command).toBeDefined();
    const results = resultsOf(body, command?.result as z.ZodType);
    expect(results.length).toBe((body.results as unknown[]).length);
  });
});

describe('cli: invalid input exits 2 with {"error": {code, message}}', () => {
  test.each([
    [['quote', '！？。', '--json'], 'invalid_input', '/quote query has no letters or digits: type words from the essays.'],
    [['quote', '智能', '--limit', '9', '--json'], 'invalid_input', '/quote count must be a whole number from 1 to 5.'],
    [['quote', '智能', '--colour', 'red', '--json'], 'unknown_option', '/quote has no option named that. Its options: query, author, essay, count, page.'],
    [['frobnicate', '--json'], 'unknown_command', 'There is no command named frobnicate. Run with --help for the list.'],
    [['frobnicate', '--colour', 'red', '--json'], 'unknown_command', 'There is no command named frobnicate. Run with --help for the list.'],
    [['quote', '智能', '--author', '--json'], 'invalid_input', 'An option is missing its value: write --name value.'],
    [['quote', '智能', '--locale', 'fr', '--json'], 'invalid_input', '--locale must be one of: en, zh-CN, zh-TW, zh-HK.'],
    [['essays', '！！', '--json'], 'invalid_input', '/essays words has no letters or digits: type words of a title, author, keyword or abstract.'],
    [['essays', '--limit', '3', '--json'], 'invalid_input', 'essays has no count option, so --limit does not apply to it.'],
    [
      ['essays', '--corpus', 'no/such/folder', '--json'],
      'corpus_dir',
      'corpus: the folder no/such/folder does not exist. Set CORPUS_DIR or --corpus to a folder of .txt or .pdf essays.',
    ],
  ])('%j → %s', async (args, code, message) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(json(run)).toEqual({ error: { code, message } });
  });

  test.each([
    [
      ['quote', '智能', '--colour', 'red', '--locale', 'zh-CN', '--json'],
      'unknown_option',
      '/quote 没有这个选项。它的选项：query, author, essay, count, page。',
    ],
    [['frobnicate', '--locale', 'zh-CN', '--json'], 'unknown_command', '没有名为 frobnicate 的命令。加 --help 运行可查看命令列表。'],
    [['quote', '智能', '--locale=zh-TW', '--author', '--json'], 'invalid_input', '有個選項缺少值：請寫作 --名稱 值。'],
    [['essays', '--limit', '3', '--locale', 'zh-CN', '--json'], 'invalid_input', 'essays 没有条数选项，--limit 对它无效。'],
    [
      ['essays', '--corpus', 'no/such/folder', '--locale', 'zh-CN', '--json'],
      'corpus_dir',
      'corpus：文件夹 no/such/folder 不存在。请将 CORPUS_DIR 或 --corpus 设为存放 .txt 或 .pdf 文章的文件夹。',
    ],
  ])('with --locale, in that language: %j → %s', async (args, code, message) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(json(run)).toEqual({ error: { code, message } });
  });

  test('without --json the message goes to stderr and stdout stays empty', async () => {
    const run = await cli('quote', '！？。');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('/quote query has no letters or digits: type words from the essays.\n');
  });

  test('no command prints the usage to stderr and exits 2; --help prints it to stdout and exits 0', async () => {
    const bare = await cli();
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^usage: npm run --silent cli -- <command>/u);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run --silent cli -- <command>/u);
    const zh = await cli('--help', '--locale', 'zh-CN');
    expect(zh.stdout).toMatch(/^用法：npm run --silent cli -- <命令>/u);
    expect(zh.stdout).toContain('命令：quote, who, author, sources, essays, cite, verify, help。');
  });
});

describe('cli without --json', () => {
  test('prints the console rendering, without colour when stdout is not a terminal (the built CLI, as a process)', async () => {
    const run = await runCliProcess(['quote', '智能鸿沟', '--limit', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('│ “智能鸿沟”的存在与扩大');
    expect(run.stdout).toContain('— 陈志敏（复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任）');
    expect(run.stdout).toContain('《引领普惠向善的人工智能全球治理：中国的角色》');
    expect(run.stdout).toContain('[3] 相关研究参见余南平');
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout).not.toContain('corpus: ');
  });

  test('--locale zh-CN labels in Chinese', async () => {
    const run = await cli('essays', '--locale', 'zh-CN');
    expect(run.stdout).toContain('作者: 陈志敏');
    expect(run.stdout).toContain('段落编号: chen-zhimin-ylph.1–chen-zhimin-ylph.16');
  });
});
