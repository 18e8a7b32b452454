import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadCorpus, parseCorpusFile } from '../../../src/core/corpus/load.js';
import { type Corpus, CorpusFileSchema, citationOf, type Essay, essaysOf, type Paragraph } from '../../../src/core/corpus/model.js';

const BUNDLED = 'data/essays';
let corpus: Corpus;
let chen: Essay;
let wu: Essay;

const paragraphsOf = (e: Essay): Paragraph[] => e.sections.flatMap((s) => s.paragraphs);
const paragraphWith = (e: Essay, words: string): Paragraph => {
  const found = paragraphsOf(e).filter((p) => p.text.includes(words));
  expect(found).toHaveLength(1);
  return found[0] as Paragraph;
};

beforeAll(async () => {
  corpus = await loadCorpus(BUNDLED);
  const essays = essaysOf(corpus).filter((e) => e.kind === 'essay');
  chen = essays.find((e) => e.authors[0]?.name === '陈志敏') as Essay;
  wu = essays.find((e) => e.authors[0]?.name === '吴志成') as Essay;
});

describe('the bundled symposium', () => {
  test("has its title, the editor's note and two essays by 陈志敏 and 吴志成", () => {
    expect(corpus.files).toHaveLength(1);
    const file = corpus.files[0];
    expect(file?.symposium).toBe('全球治理倡议与中国特色大国外交');
    expect(file?.essays.map((e) => [e.kind, e.title, e.authors.map((a) => a.name)])).toEqual([
      ['editors-note', '编者按', []],
      ['essay', '引领普惠向善的人工智能全球治理：中国的角色', ['陈志敏']],
      ['essay', '深刻把握全球治理倡议的时代意义', ['吴志成']],
    ]);
  });

  test("the editor's note is attributed to the editors, not to a person", () => {
    const note = corpus.files[0]?.essays[0] as Essay;
    expect(note.authors).toEqual([]);
    expect(paragraphsOf(note)).toHaveLength(1);
    expect(paragraphsOf(note)[0]?.text.startsWith('编者按：当今世界百年变局加速演进')).toBe(true);
    expect(paragraphsOf(note)[0]?.text).toContain('2025年9月1日，习近平主席在“上海合作组织+”会议上提出全球治理倡议');
  });

  test('affiliations come from the * notes, without the postal address', () => {
    expect(chen.authors[0]?.affiliation).toBe('复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任');
    expect(wu.authors[0]?.affiliation).toBe('中共中央党校（国家行政学院）国际战略研究院院长、教授');
  });

  test("陈志敏's essay has its section headings in order, the letter-spaced 结 语 closed up", () => {
    expect(chen.sections.map((s) => s.heading)).toEqual([
      null,
      '一、面向未来、引领人工智能全球治理议程设置',
      '二、共商共建、引领人工智能全球治理机制建设',
      '三、以人为本、促进人工智能普惠向善发展',
      '结语',
    ]);
    expect(chen.sections.map((s) => s.paragraphs.length)).toEqual([1, 5, 4, 5, 1]);
  });

  test("吴志成's essay has only its first sentence, with no sections and no notes", () => {
    expect(wu.sections.map((s) => s.heading)).toEqual([null]);
    expect(paragraphsOf(wu).map((p) => p.text)).toEqual([
      '2025年9月1日，习近平总书记在“上海合作组织+”会议上郑重提出全球治理倡议，强调奉行主权平等、遵守国际法治、践行多边主义、倡导以人为本、',
    ]);
    expect(wu.footnotes).toEqual([]);
  });

  test('the paragraph cut off at the end of the file is reported with its line', () => {
    expect(corpus.files[0]?.warnings).toEqual([
      { file: 'global-governance-symposium.txt', line: 91, message: 'paragraph ends mid-sentence at the end of the file: its continuation is not in the file' },
    ]);
  });
});

describe('paragraphs split by a page break come out whole', () => {
  test("split by the author's affiliation note", () => {
    const p = paragraphWith(chen, '人工智能治理攸关全人类的共同命运');
    expect(p.lines).toEqual([11, 15]);
    expect(p.text).toContain('这些倡议为破解人工智能领域的全球治理难题提供了“中国方案”');
    expect(p.text.endsWith('中国正在以创新性理念和扎实的行动引领人工智能全球治理。')).toBe(true);
  });

  test('split in the middle of a word (人工智能能 | 力建设), with a marker after the break', () => {
    const p = paragraphWith(chen, '第二，聚焦人工智能普惠包容发展');
    expect(p.lines).toEqual([23, 31]);
    expect(p.text).toContain('使“全球南方”群体的人工智能能力建设成为全球治理的核心议题。');
  });

  test('split in the middle of a word (反 | 对) inside a quotation', () => {
    const p = paragraphWith(chen, '第一，倡导主权平等，反对恃强凌弱');
    expect(p.lines).toEqual([41, 49]);
    expect(p.text).toContain('接受他国法律管辖。反对利用人工智能技术优势操纵舆论');
  });

  test('split after a comma', () => {
    const p = paragraphWith(chen, '第三，增强“全球南方”合作机制建设');
    expect(p.lines).toEqual([53, 63]);
    expect(p.text).toContain('强化各方在人工智能领域的合作，并邀请上合组织成员国共建人工智能应用合作中心');
  });

  test('split before its last word (发展 | 鸿沟。)', () => {
    const p = paragraphWith(chen, '第三，引领人工智能开源发展');
    expect(p.lines).toEqual([73, 79]);
    expect(p.text.endsWith('区域之间的人工智能发展鸿沟。')).toBe(true);
  });

  test('no paragraph is left ending mid-sentence except the one the file cuts off', () => {
    const open = essaysOf(corpus)
      .flatMap(paragraphsOf)
      .filter((p) => !/[。！？”]$/u.test(p.text));
    expect(open.map((p) => p.lines)).toEqual([[91]]);
  });
});

describe('footnotes', () => {
  // [marker as printed, words just before it, running number, start of the applicable citation, URLs]
  const expected: Array<[string, string, number, string, string[]]> = [
    [
      '①',
      '深刻改变人类生产生活方式”，它既为人类发展带来了全新的重大机遇，也蕴含全方位的风险挑战。',
      1,
      '《习近平在中共中央政治局第二十次集体学习时强调',
      ['https://www.news.cn/politics/leaders/20250426/63f5cde8f4b54e22ba35aa7ec7884b3a/c.html'],
    ],
    ['②', '“营造多元开放创新生态”。', 2, '《人工智能全球治理行动计划（全文）》', ['https://www.mfa.gov.cn/zyxw/202507/t20250726_11677803.shtml']],
    ['③', '“数字殖民”等新型治理不平等现象。', 3, '相关研究参见余南平、梁心蔚：《构建链权', []],
    [
      '①',
      '力建设成为全球治理的核心议题。',
      4,
      '《联大通过中国提出的加强人工智能能力建设国际合作决议》',
      ['http://www.xinhuanet.com/20240702/2c92d103b7954416bfb1bde107d66885/c.html'],
    ],
    [
      '②',
      '可控性、公平性。”',
      5,
      '《全球人工智能治理倡议》，中华人民共和国外交部官网',
      ['https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml'],
    ],
    ['③', '内政不容干涉。”', 6, '《全球治理倡议概念文件》', ['https://www.fmprc.gov.cn/wjbxw_new/202509/t20250901_11699909.shtml']],
    [
      '①',
      '危害他国主权。”',
      7,
      '《全球人工智能治理倡议》，中华人民共和国外交部官网',
      ['https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml'],
    ],
    ['②', '欧盟的3个。', 8, 'Nestor Maslej et al., "Artificial Intelligence Index Report 2025,"', ['https://doi.org/10.48550/arXiv.2504.07139']],
    [
      '③',
      '平等参与、平等受益。”',
      9,
      '《人工智能能力建设普惠计划》，中华人民共和国外交部官网',
      ['https://www.mfa.gov.cn/web/wjzbhd/202409/t20240927_11498463.shtml'],
    ],
    [
      '④',
      '《“人工智能+”国际合作倡议》，',
      10,
      '《“人工智能+”国际合作倡议》，中华人民共和国外交部官网',
      ['https://www.mfa.gov.cn/web/zyxw/202509/t20250924_11715834.shtml'],
    ],
    [
      '①',
      '快速有效响应”。',
      11,
      '《全球人工智能治理倡议》，中华人民共和国外交部官网',
      ['https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml'],
    ],
    [
      '②',
      '并提出了中国的十项具体行动。',
      12,
      '《人工智能能力建设普惠计划》，中华人民共和国外交部官网',
      ['https://www.mfa.gov.cn/web/wjzbhd/202409/t20240927_11498463.shtml'],
    ],
    [
      '①',
      '开启跨国气象防灾减灾使命”。',
      13,
      '《中国气象局发布全民早期预警中国方案“妈祖（MAZU）”》',
      ['https://www.xinhuanet.com/politics/20250726/5c66936e6b1844eda2ffd08f7432bc44/c.html'],
    ],
    [
      '②',
      '为老挝的 AI 发展提供全面支撑。”',
      14,
      '《广西打造面向东盟人工智能合作高地》',
      ['https://www.xinhuanet.com/liangzi/20251024/19e8e4a0fd534433b68c11079f77f0e/c.html'],
    ],
    [
      '③',
      '早日形成具有广泛共识的全球治理框架和标准规范。”',
      15,
      '《习近平在中共中央政治局第二十次集体学习时强调',
      ['https://www.news.cn/politics/leaders/20250426/63f5cde8f4b54e22ba35aa7ec7884b3a/c.html'],
    ],
  ];

  test("陈志敏's essay has 15 notes numbered 1..15 in reading order", () => {
    expect(chen.footnotes.map((n) => n.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(chen.footnotes.map((n) => n.mark).join('')).toBe('①②③①②③①②③④①②①②③');
    expect(chen.footnotes.map((n) => n.line)).toEqual([25, 27, 29, 43, 45, 47, 55, 57, 59, 61, 75, 77, 93, 95, 97]);
  });

  test.each(expected.map((row, i) => [i + 1, ...row] as const))('marker %i (%s) resolves to its own note', (index, mark, before, number, citation, urls) => {
    const markers = paragraphsOf(chen).flatMap((p) => p.markers.map((m) => ({ p, m })));
    expect(markers).toHaveLength(15);
    const { p, m } = markers[index - 1] as (typeof markers)[number];
    expect(m.mark).toBe(mark);
    expect(m.footnote).toBe(number);
    expect(p.text.slice(0, m.offset).endsWith(before)).toBe(true);
    const note = chen.footnotes.find((n) => n.number === number);
    if (!note) throw new Error(`no note ${number}`);
    const full = citationOf(chen, note);
    expect(full.text.startsWith(citation)).toBe(true);
    expect(full.urls).toEqual(urls);
  });

  test('short forms point at their full citation, and keep their own text as printed', () => {
    const shortForms = chen.footnotes.filter((n) => n.refersTo !== null).map((n) => [n.number, n.text, n.refersTo]);
    expect(shortForms).toEqual([
      [7, '《全球人工智能治理倡议》。', 5],
      [11, '《全球人工智能治理倡议》。', 5],
      [12, '《人工智能能力建设普惠计划》。', 9],
      [15, '《习近平在中共中央政治局第二十次集体学习时强调 坚持自立自强 突出应用导向 推动人工智能健康有序发展》。', 1],
    ]);
  });

  test('notes printed after the next essay has begun still belong to the essay that cites them', () => {
    expect(chen.footnotes.slice(12).map((n) => n.line)).toEqual([93, 95, 97]);
    expect(wu.footnotes).toHaveLength(0);
  });

  test('notes keep the verbatim line and a display text without extraction spaces', () => {
    const note = chen.footnotes[0];
    expect(note?.raw.startsWith('^① 《习近平在中共中央政治局')).toBe(true);
    expect(note?.raw).toContain('2025 年 4 月 26 日');
    expect(note?.text).toContain('新华网，2025年4月26日，<https://www.news.cn/');
  });

  test('the corpus cites 10 distinct URLs', () => {
    const urls = new Set(essaysOf(corpus).flatMap((e) => e.footnotes.flatMap((n) => n.urls)));
    expect(urls.size).toBe(10);
    for (const url of urls) expect(url).toMatch(/^https?:\/\/[\x21-\x7e]+[^.,;:>。，]$/u);
  });
});

describe('display text and sentences', () => {
  test('extraction spaces between digits and Chinese are removed; the verbatim text keeps them', () => {
    const p = paragraphWith(chen, '第四，应用分享和人才培养齐头并进');
    expect(p.raw).toContain('2025 年 7 月');
    expect(p.text).toContain('2025年7月，中国气象局“在上海举行的2025世界人工智能大会');
    expect(p.text).toContain('已建成约500平方米');
    expect(p.text).toContain('为老挝的 AI 发展提供全面支撑');
    expect(p.text).not.toContain('^');
  });

  test('a sentence quoting others ends with the quotation that ends it', () => {
    const p = paragraphWith(chen, '第三，聚焦人工智能安全可靠发展');
    const sentences = p.sentences.map((s) => p.text.slice(s.start, s.end));
    expect(sentences).toHaveLength(5);
    expect(sentences[3]?.endsWith('“不断提升人工智能技术的安全性、可靠性、可控性、公平性。”')).toBe(true);
    expect(sentences[4]?.startsWith('2025年，在中国上海举办的世界人工智能大会')).toBe(true);
  });

  test('sentences cover the paragraph text without gaps', () => {
    for (const p of essaysOf(corpus).flatMap(paragraphsOf)) {
      expect(p.sentences.map((s) => p.text.slice(s.start, s.end)).join('')).toBe(p.text);
    }
  });

  test('passage IDs are an essay slug and a paragraph number', () => {
    expect(paragraphsOf(chen).map((p) => p.id)).toEqual(Array.from({ length: 16 }, (_, i) => `${chen.id}.${i + 1}`));
    expect(chen.id).toBe('chen-zhimin-ylph');
    expect(wu.id).toBe('wu-zhicheng-skbw');
  });
});

describe('conventions the bundled file does not show (fixture)', () => {
  let fixture: Corpus;
  let zhang: Essay;
  let li: Essay;
  beforeAll(async () => {
    fixture = await loadCorpus('test/fixtures/corpus');
    zhang = essaysOf(fixture).find((e) => e.authors[0]?.name === '张三') as Essay;
    li = essaysOf(fixture).find((e) => e.authors[0]?.name === '李四') as Essay;
  });

  test('同上 refers to the note before it, whatever page that was on', () => {
    const ibid = zhang.footnotes.filter((n) => n.text.startsWith('同上'));
    expect(ibid.map((n) => [n.number, n.refersTo])).toEqual([
      [2, 1],
      [6, 5],
    ]);
    expect(citationOf(zhang, ibid[1] as (typeof ibid)[number]).urls).toEqual(['https://doi.org/10.1000/jdp.2023.1']);
  });

  test('two URLs in one note, bare and in angle brackets', () => {
    expect(zhang.footnotes[0]?.urls).toEqual(['https://example.org/a', 'https://example.org/b']);
    expect(zhang.footnotes[7]?.urls).toEqual(['https://example.org/platform', 'https://example.org/platform-en']);
  });

  test('a note in English ending with a full stop keeps its URL whole', () => {
    expect(zhang.footnotes[2]?.urls).toEqual(['https://doi.org/10.1000/jdp.2023.1']);
    expect(zhang.footnotes[2]?.text.endsWith('pp. 10-20, https://doi.org/10.1000/jdp.2023.1.')).toBe(true);
  });

  test('an English short form finds its full citation by title', () => {
    expect(zhang.footnotes[4]?.text).toBe('Smith, "Data Flows and Sovereignty," p. 12.');
    expect(zhang.footnotes[4]?.refersTo).toBe(3);
  });

  test('a page with notes ④ and ⑤, split over the page, bare ① note lines', () => {
    const p = zhang.sections[1]?.paragraphs[0] as Paragraph;
    expect(p.markers.map((m) => [m.mark, m.footnote])).toEqual([
      ['①', 4],
      ['②', 5],
      ['③', 6],
      ['④', 7],
      ['⑤', 8],
    ]);
    expect(p.text.endsWith('各国对此的回应也各不相同。')).toBe(true);
    expect(zhang.footnotes.map((n) => n.mark).join('')).toBe('①②③①②③④⑤①');
  });

  test('a short form on a later page of the same essay', () => {
    expect(zhang.footnotes[8]?.text).toBe('《数字贸易规则研究》，第8页。');
    expect(zhang.footnotes[8]?.refersTo).toBe(1);
  });

  test('an essay with no section headings keeps its paragraphs in one untitled section', () => {
    expect(li.sections).toHaveLength(1);
    expect(li.sections[0]?.heading).toBeNull();
    expect(paragraphsOf(li).map((p) => p.number)).toEqual([1, 2, 3]);
    expect(li.footnotes.map((n) => [n.number, n.text])).toEqual([[1, '钱七：《平台经济学》，商务印书馆2019年版，第12页。']]);
    expect(li.authors[0]?.affiliation).toBe('某研究院研究员');
  });

  test('the fixture resolves without warnings', () => {
    expect(fixture.files.flatMap((f) => f.warnings)).toEqual([]);
  });
});

describe('bad files give warnings, never a crash', () => {
  async function corpusOf(files: Record<string, string | Uint8Array>): Promise<Corpus> {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-corpus-'));
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return loadCorpus(dir);
  }

  test('empty, binary and non-UTF-8 files are reported and the good file still loads', async () => {
    const good = await import('node:fs/promises').then((fs) => fs.readFile('test/fixtures/corpus/conventions.txt'));
    const c = await corpusOf({
      'a-empty.txt': '',
      'b-binary.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'c-latin1.txt': new Uint8Array([0xd6, 0xd0, 0xce, 0xc4, 0x0a]),
      'd-good.txt': good,
      'e-notes.md': '# not a corpus file',
    });
    expect(c.files.map((f) => f.file)).toEqual(['a-empty.txt', 'b-binary.txt', 'c-latin1.txt', 'd-good.txt']);
    expect(c.files.map((f) => f.warnings.map((w) => w.message))).toEqual([
      ['file is empty'],
      ['binary file (it has NUL bytes), not text: skipped'],
      ['not UTF-8 text: skipped (save it as UTF-8)'],
      [],
    ]);
    expect(essaysOf(c)).toHaveLength(3);
  });

  test('a BOM and CRLF line ends change nothing but the hash', async () => {
    const text = await import('node:fs/promises').then((fs) => fs.readFile('data/essays/global-governance-symposium.txt', 'utf8'));
    const plain = parseCorpusFile('x.txt', text);
    const windows = await corpusOf({ 'x.txt': `\uFEFF${text.replace(/\n/gu, '\r\n')}` });
    expect(windows.files[0]?.essays).toEqual(plain.essays);
  });

  test('a marker with no note and a note with no marker are named with their lines', () => {
    const file = parseCorpusFile(
      'broken.txt',
      [
        '题目甲乙丙',
        '',
        '王二',
        '',
        '这是第一段。^①又一句。^②',
        '',
        '* 王二，某大学教授。',
        '',
        '^① 《甲》，2020 年，https://example.org/x。',
        '',
        '^③ 《乙》，2021 年。',
        '',
      ].join('\n'),
    );
    expect(file.warnings).toEqual([
      { file: 'broken.txt', line: 5, message: 'marker ② has no note: no ② in the notes printed after it' },
      { file: 'broken.txt', line: 11, message: 'footnote ③ has no marker in the text before it' },
    ]);
    const essay = file.essays[0] as Essay;
    expect(essay.footnotes.map((n) => [n.number, n.mark])).toEqual([
      [1, '①'],
      [2, '③'],
    ]);
    expect(essay.sections[0]?.paragraphs[0]?.markers.map((m) => m.footnote)).toEqual([1, null]);
  });

  test('a short form with no full citation is named', () => {
    const file = parseCorpusFile('short.txt', ['题目甲乙丙', '', '王二', '', '这是第一段。^①', '', '^① 《未知文献》。', ''].join('\n'));
    expect(file.warnings.map((w) => [w.line, w.message])).toEqual([
      [3, 'no affiliation note (*, 【作者简介】 or About the Authors) for 王二'],
      [7, 'footnote ① is a short form (《未知文献》。) with no full citation in the essay'],
    ]);
  });

  test('text with no title and author is kept, attributed to no one, with a warning', () => {
    const file = parseCorpusFile('loose.txt', '只有一段没有标题的文字。\n');
    expect(file.warnings.map((w) => w.message)).toEqual(['text before any essay title and author line: kept as a document with no author']);
    expect(file.essays[0]?.authors).toEqual([]);
    expect(file.essays[0]?.sections[0]?.paragraphs[0]?.text).toBe('只有一段没有标题的文字。');
  });

  test('passage IDs do not change when another file joins the corpus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-ids-'));
    await copyFile('data/essays/global-governance-symposium.txt', join(dir, 'b.txt'));
    const before = essaysOf(await loadCorpus(dir)).flatMap((e) => paragraphsOf(e).map((p) => p.id));
    await copyFile('test/fixtures/corpus/conventions.txt', join(dir, 'a.txt'));
    await mkdir(join(dir, 'sub.txt'));
    const after = essaysOf(await loadCorpus(dir)).flatMap((e) => paragraphsOf(e).map((p) => p.id));
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.length).toBeGreaterThan(before.length);
  });

  test('a missing corpus folder is a clear error', async () => {
    await expect(loadCorpus('/nonexistent/yinzheng')).rejects.toThrow(
      'corpus: the folder /nonexistent/yinzheng does not exist. Set CORPUS_DIR or --corpus to a folder of .txt or .pdf essays.',
    );
  });
});

describe('IDs across files', () => {
  test('two files whose essays would share an ID: the first keeps it, the second gets a suffix and a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-dup-'));
    await copyFile('data/essays/global-governance-symposium.txt', join(dir, 'a.txt'));
    await copyFile('data/essays/global-governance-symposium.txt', join(dir, 'b.txt'));
    const c = await loadCorpus(dir);
    const ids = essaysOf(c).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(c.files[0]?.essays.map((e) => e.id)).toEqual(['editors-qqzl', 'chen-zhimin-ylph', 'wu-zhicheng-skbw']);
    const second = c.files[1]?.essays ?? [];
    for (const e of second) expect(e.id).toMatch(/^(editors-qqzl|chen-zhimin-ylph|wu-zhicheng-skbw)-[0-9a-f]{4}$/u);
    expect(paragraphsOf(second[1] as Essay)[0]?.id).toBe(`${second[1]?.id}.1`);
    expect(c.files[1]?.warnings.filter((w) => w.message.startsWith('essay ID '))).toHaveLength(3);
    expect(c.files[1]?.warnings[0]?.message).toBe(`essay ID editors-qqzl is taken by a.txt: this essay's ID is ${second[0]?.id}`);
  });
});

describe('the model the parser gives', () => {
  test('is what its zod schema says, exactly: nothing left out, nothing added, no default missing', async () => {
    const files = [
      ...(await loadCorpus('data/essays')).files,
      ...(await loadCorpus('test/fixtures/corpus')).files,
      parseCorpusFile('empty.txt', ''),
      parseCorpusFile('odd.txt', '标题\n\n作者*\n\n正文没有结尾'),
    ];
    for (const file of files) expect(CorpusFileSchema.parse(file)).toEqual(file);
  });
});
