import { describe, expect, test } from 'vitest';
import { readIssue } from '../../../src/core/corpus/front-matter.js';
import { parseCorpusFile } from '../../../src/core/corpus/parse.js';
import { rejoinUrls } from '../../../src/core/corpus/text.js';

/*
 * What a reader of real articles would bring and the article reading (issue 21) must not
 * misread: prose that looks like a label, enumerations that look like note marks, URLs with
 * prose after them, CNKI author notes, names whose separators are ambiguous. Each case was a
 * misreading found in review.
 */

const file = (...blocks: string[]) => blocks.join('\n\n');
const bodyOf = (text: string) =>
  parseCorpusFile('x.txt', text).essays[0]?.sections.flatMap((s) => (s.part === 'body' ? s.paragraphs.map((p) => p.text) : [])) ?? [];

describe('labels only where they are labels', () => {
  test('a label word inside a sentence cuts nothing, and a DOI cited in the text is not the essay’s', () => {
    const text = file('题目一', '张三', '* 张三，某大学教授。', '正文第一段，本文的关键词：规则、秩序。以下讨论。', '另一段，引用 DOI: 10.1080/12345 的文章。');
    const [essay] = parseCorpusFile('x.txt', text).essays;
    expect(bodyOf(text)).toEqual(['正文第一段，本文的关键词：规则、秩序。以下讨论。', '另一段，引用 DOI: 10.1080/12345的文章。']);
    expect([essay?.keywords, essay?.classification]).toEqual([[], null]);
  });

  test('a note’s wrapped line that starts `DOI:` stays the note’s', () => {
    const text = [
      '\f3',
      '题目二',
      '',
      '李四',
      '',
      '* 李四，某大学教授。',
      '',
      '正文。^①',
      '',
      '① Some Author, "A Paper," Journal, 2020,',
      'DOI: 10.1017/S0020818300001',
      '',
    ].join('\n');
    const [essay] = parseCorpusFile('x.txt', text).essays;
    expect(essay?.classification).toBeNull();
    expect(essay?.footnotes[0]?.text).toBe('Some Author, "A Paper," Journal, 2020, DOI: 10.1017/S0020818300001');
  });

  test('square and tortoise-shell brackets, and a wide space for a colon, are labels too', () => {
    const text = file('题目三', '王五', '［摘　要］这是摘要。', '关键词　规则　秩序', '〔中图分类号〕D993.5', '* 王五，某大学教授。', '正文第一段。');
    const [essay] = parseCorpusFile('x.txt', text).essays;
    expect([essay?.abstract, essay?.keywords, essay?.classification?.clc]).toEqual(['这是摘要。', ['规则', '秩序'], 'D993.5']);
    expect(bodyOf(text)).toEqual(['正文第一段。']);
  });

  test('English prose that says "Abstract" is prose; mid-block only `Abstract:` is a label', () => {
    const text = file(
      '题目四',
      '赵六',
      '* 赵六，某大学。',
      '中文段落一。',
      'Rules matter. As Keohane argued, the Abstract Principles of regimes shape behaviour.',
      '中文段落二。',
    );
    expect(bodyOf(text)).toEqual(['中文段落一。', 'Rules matter. As Keohane argued, the Abstract Principles of regimes shape behaviour.', '中文段落二。']);
    expect(parseCorpusFile('x.txt', text).essays[0]?.english).toBeNull();
  });
});

describe('marks', () => {
  test('an enumeration in ⑴, ❶ or ² at a line’s start is text in a file whose markers are ①', () => {
    const text = file('题目五', '钱七', '* 钱七，某大学教授。', '有三点：^①', '⑴ 第一点。', '❶ 第二点。', '² 第三点。', '① 参见某书。');
    expect(bodyOf(text)).toEqual(['有三点：', '⑴ 第一点。', '❶ 第二点。', '² 第三点。']);
  });

  test('a caret after a digit is a power, not a marker', () => {
    expect(bodyOf(file('题目六', '孙八', '* 孙八，某大学。', '增长了10^6倍。'))).toEqual(['增长了10^6倍。']);
  });
});

describe('URLs', () => {
  test('rejoined across justification spaces, but never with the prose after them', () => {
    expect(rejoinUrls('参见 https:// www. un. org/ zh/ documents/ A- RES- 70- 1。')).toBe('参见 https://www.un.org/zh/documents/A-RES-70-1。');
    expect(rejoinUrls('https://x.org/report.pdf. Also cited')).toBe('https://x.org/report.pdf. Also cited');
    expect(rejoinUrls('https://x.org/ The report')).toBe('https://x.org/ The report');
    expect(rejoinUrls('https://www.un.org/zh/ 2025 年')).toBe('https://www.un.org/zh/ 2025 年');
    expect(rejoinUrls('https://treaties.un.org/ Pages/ ViewDetails.aspx')).toBe('https://treaties.un.org/Pages/ViewDetails.aspx');
    expect(rejoinUrls('参见https:// www. un. org/ zh/ A- RES- 70- 1访问时间')).toBe('参见https://www.un.org/zh/A-RES-70-1访问时间');
    // A path piece that starts like a word of prose (`at…`, `in…`) is still the path.
    expect(rejoinUrls('http://www.un.org.cn/ at9t8fbrb53xaieb/ m/x.pdf')).toBe('http://www.un.org.cn/at9t8fbrb53xaieb/m/x.pdf');
    expect(rejoinUrls('https://x.org/report, accessed 2024')).toBe('https://x.org/report, accessed 2024');
  });
});

describe('authors', () => {
  test('a CNKI note: birth years and sex, nationality and native place are not name or affiliation', () => {
    const text = file(
      '题目七',
      '林海舟　苏映雪',
      '作者简介：林海舟（1985—），男，福建福州人，某大学国际关系学院副教授；苏映雪（1990—），女，汉族，某大学博士研究生。',
      '正文。',
    );
    expect(parseCorpusFile('x.txt', text).essays[0]?.authors.map((a) => [a.name, a.affiliation])).toEqual([
      ['林海舟', '某大学国际关系学院副教授'],
      ['苏映雪', '某大学博士研究生'],
    ]);
  });

  test('a run of four characters the notes cut in two is two authors; 和 inside a name is no separator; a name with · is one', () => {
    const two = parseCorpusFile('x.txt', file('题目八', '王一李二', '* 王一，甲大学；李二，乙大学。', '正文。'));
    expect(two.essays[0]?.authors.map((a) => a.name)).toEqual(['王一', '李二']);
    const one = parseCorpusFile('x.txt', file('题目九', '王和平', '* 王和平，某大学。', '正文。'));
    expect(one.essays[0]?.authors.map((a) => a.name)).toEqual(['王和平']);
    const dot = parseCorpusFile('x.txt', file('题目十', '阿依古丽·买买提', '* 阿依古丽·买买提，某大学。', '正文。'));
    expect(dot.essays[0]?.authors.map((a) => [a.name, a.affiliation])).toEqual([['阿依古丽·买买提', '某大学']]);
  });
});

test('a running header that starts with the page number still names the issue', () => {
  expect(readIssue('· 58 ·　国际展望　2026 年第 1 期')).toEqual({ journal: '国际展望', year: 2026, issue: '1' });
  expect(readIssue('2026年第1期')).toEqual({ journal: null, year: 2026, issue: '1' });
});

test('in a file without indents, the text before a page’s notes is never taken for a note carried over', () => {
  const text = [
    '\f17',
    '题目',
    '',
    '周九',
    '',
    '* 周九，某大学。',
    '',
    '第一段正文。^①',
    '',
    '① 联合国：《决议》，https://www.un.org/zh/documents/treaty/A-RES-70-1',
    '',
    '\f18',
    '二十国集团也在推动规则制定。^①',
    '',
    '① 参见某书。',
  ].join('\n');
  expect(bodyOf(text)).toEqual(['第一段正文。', '二十国集团也在推动规则制定。']);
});
