import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config.js';
import { formatWarning } from '../../../src/core/corpus/model.js';
import { parseCorpusFile } from '../../../src/core/corpus/parse.js';
import { fileReport } from '../../../src/core/corpus/report.js';

/* corpus:check as a proof-reader (issue 21): what it recognised in a file, and what looks wrong. */

describe('corpus:check', () => {
  test('reports what it recognised in a research article', async () => {
    const file = parseCorpusFile('article.txt', await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'articles', 'xelatex-article.txt'), 'utf8'));
    expect(fileReport(file)).toEqual([
      'article.txt: 1 essays, 2 authors, 10 sections, 16 paragraphs, 19 footnotes, 6 URLs, pages 57–63',
      '  issue: 国际展望, 2026, no. 1 (as the pages print it)',
      `  《国家管辖范围以外区域的规则竞争与海洋治理——以《BBNJ协定》的谈判与实施为例》 pp. 57–63 (${file.essays[0]?.id})`,
      '    authors: 林海舟 — 某大学国际关系学院副教授; 苏映雪 — 某大学国际关系学院博士研究生',
      '    abstract: 206 characters · keywords: 规则竞争；海洋治理；BBNJ协定；划区管理工具；全球公域 · 中图分类号 D993.5 · 文献标识码 A · 文章编号 1006-1568-（2026）01-0057-18',
      '    funding note · received 2025-10-12 · revised 2025-12-01',
      '    English block: title, 2 authors, abstract (662 characters), 5 keywords',
    ]);
    expect(file.warnings).toEqual([]);
  });

  test('says the same in Chinese, from the catalogue', async () => {
    const file = parseCorpusFile('article.txt', await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'articles', 'xelatex-article.txt'), 'utf8'));
    const lines = fileReport(file, 'zh-CN');
    expect(lines[0]).toBe('article.txt: 文章 1 篇，作者 2 位，章节 10 个，段落 16 段，脚注 19 条，网址 6 个，第 57–63 页');
    expect(lines[1]).toBe('  期次：国际展望，2026，第 1 期（据页面所印）');
    expect(lines.slice(3)).toEqual([
      '    作者：林海舟 — 某大学国际关系学院副教授；苏映雪 — 某大学国际关系学院博士研究生',
      '    摘要：206 字 · 关键词：规则竞争；海洋治理；BBNJ协定；划区管理工具；全球公域 · 中图分类号 D993.5 · 文献标识码 A · 文章编号 1006-1568-（2026）01-0057-18',
      '    基金项目 · 收稿 2025-10-12 · 修回 2025-12-01',
      '    英文部分：标题，作者 2 位，摘要（662 个字符），关键词 5 个',
    ]);
  });

  test('warns, with file and page, about an author line it cannot split, a URL it cannot rejoin and text after the English block', () => {
    const text = [
      '\f12',
      '数字时代的规则竞争',
      '王海燕李明远赵静怡',
      '【内容提要】本文讨论规则竞争的新形态。',
      '数字规则的竞争日益激烈。^①',
      '① 参见https:// 联合国网站，2024年。',
      'Rule Competition in the Digital Age',
      'Abstract: This article discusses rule competition.',
      '这一段落印在英文摘要之后。',
    ].join('\n\n');
    const file = parseCorpusFile('broken.txt', text);
    expect(file.essays.map((e) => [e.title, e.authors.map((a) => a.name)])).toEqual([['数字时代的规则竞争', ['王海燕李明远赵静怡']]]);
    expect(file.warnings.map((w) => formatWarning(w))).toEqual([
      'corpus: broken.txt:5: author line: cannot tell where the names in 王海燕李明远赵静怡 divide (no note names them): separate them with spaces or 、 in the text, or add an author note',
      'corpus: broken.txt:5: no affiliation note (*, 【作者简介】 or About the Authors) for 王海燕李明远赵静怡',
      'corpus: broken.txt:11: footnote ① has a URL broken by spaces that could not be rejoined: check it (参见https:// 联合国网站，2024年。)',
      'corpus: broken.txt:17: text after the English block (Abstract, Key Words, About the Authors) is read as the essay’s body: check it',
    ]);
    expect(file.warnings.map((w) => w.page)).toEqual([12, 12, 12, 12]);
  });

  test('cuts a run of names whose spaces were lost where the English author line says', () => {
    const text = [
      '\f12',
      '数字时代的规则竞争',
      '王海燕李明远赵静怡',
      '【内容提要】本文讨论规则竞争的新形态。',
      '数字规则的竞争日益激烈。',
      'Rule Competition in the Digital Age',
      'Wang Haiyan, Li Mingyuan and Zhao Jingyi',
      'Abstract: This article discusses rule competition.',
      'International Outlook, No. 3, 2025',
    ].join('\n\n');
    const file = parseCorpusFile('names.txt', text);
    // A line that says only the issue is the issue, wherever it stands: here the English block's.
    expect(file.issue).toEqual({ journal: 'International Outlook', year: 2025, issue: '3' });
    expect(file.essays[0]?.english?.abstract).toBe('This article discusses rule competition.');
    expect(file.essays[0]?.authors.map((a) => a.name)).toEqual(['王海燕', '李明远', '赵静怡']);
    expect(file.essays[0]?.english?.authors).toEqual(['Wang Haiyan', 'Li Mingyuan', 'Zhao Jingyi']);
    expect(file.warnings.map((w) => w.message)).toEqual([
      'no affiliation note (*, 【作者简介】 or About the Authors) for 王海燕',
      'no affiliation note (*, 【作者简介】 or About the Authors) for 李明远',
      'no affiliation note (*, 【作者简介】 or About the Authors) for 赵静怡',
    ]);
  });
});
