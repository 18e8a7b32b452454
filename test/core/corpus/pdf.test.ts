import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config.js';
import { loadCorpus, parseCorpusFile, parsePdfBytes } from '../../../src/core/corpus/load.js';
import { type CorpusFile, type Essay, formatWarning, pagesOf } from '../../../src/core/corpus/model.js';
import { extractPdf } from '../../../src/core/corpus/pdf.js';
import { readPdf } from '../../../src/core/corpus/pdf-reader.js';
import { CiteResult, EssaysResult, QuoteResult } from '../../../src/core/reply/results.js';
import { botOver, requester } from '../../support/bot.js';

/*
 * The PDF reader on committed PDFs made two independent ways from their source text (see
 * scripts/fixtures/): pdfkit laying out each page itself, and LibreOffice Writer typesetting
 * a document with real footnotes. The tests need neither tool: they read the PDFs.
 */

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'pdf');
const PDFKIT = join(FIXTURES, 'pdfkit-symposium.pdf');
const SOURCE = join(FIXTURES, 'source', 'symposium.txt');
const en = requester();

/** What a reader sees of a file: essays, headings, paragraphs with their pages and notes, notes with theirs. */
function shape(f: CorpusFile) {
  return f.essays.map((e) => ({
    id: e.id,
    title: e.title,
    authors: e.authors,
    pages: e.pages,
    paragraphs: e.sections.flatMap((s) =>
      s.paragraphs.map((p) => ({ path: s.path, id: p.id, text: p.text, pages: p.pages, notes: p.markers.map((m) => m.footnote) })),
    ),
    notes: e.footnotes.map((n) => ({ number: n.number, text: n.text, urls: n.urls, page: n.page, form: n.form, refersTo: n.refersTo })),
  }));
}

const paragraphs = (e: Essay | undefined) => e?.sections.flatMap((s) => s.paragraphs) ?? [];

describe('a PDF laid out by pdfkit', () => {
  let pdf: CorpusFile;
  let txt: CorpusFile;
  beforeAll(async () => {
    pdf = await parsePdfBytes('pdfkit-symposium.pdf', await readFile(PDFKIT));
    txt = parseCorpusFile('symposium.txt', await readFile(SOURCE, 'utf8'));
  });

  test('gives the same essays, paragraphs, notes, URLs and pages as the text it was made from', () => {
    expect(pdf.warnings).toEqual([]);
    expect(shape(pdf)).toEqual(shape(txt));
    expect(shape(pdf)[0]?.paragraphs.length).toBeGreaterThan(4);
  });

  test('reads the printed page numbers from the footer, not the PDF page index', () => {
    const [essay] = pdf.essays;
    expect(essay?.pages).toEqual([17, 19]);
    expect(essay?.footnotes.map((n) => n.page)).toEqual([17, 17, 18, 18, 18, 19]);
  });

  test('joins the paragraph a page break cut mid-sentence, and knows where its second page begins', () => {
    const cut = paragraphs(pdf.essays[0]).find((p) => p.text.includes('也缺乏将本国经验'));
    expect(cut?.text).toBe(
      '技术标准曾被视为工程师的专门领域，但在数字时代，标准的制定往往决定着市场的准入与价值的分配。一些国家把标准竞争看作新的地缘政治工具，这使得原本技术性的讨论带上了明显的政治色彩，也使发展中国家在其中的话语权问题变得更加突出，因为它们既缺乏参与标准制定的专业人才，也缺乏将本国经验转化为国际规则的制度渠道。',
    );
    expect(cut?.pages).toEqual([
      { page: 17, start: 0 },
      { page: 18, start: cut?.text.indexOf('将本国经验') },
    ]);
    if (!cut) return;
    expect(pagesOf(cut, 0, 10)).toEqual([17]);
    expect(pagesOf(cut, cut.text.indexOf('将本国经验'), cut.text.length)).toEqual([18]);
    expect(pagesOf(cut)).toEqual([17, 18]);
  });

  test('binds superscript markers to the notes of their own page, numbering restarting per page, and rejoins wrapped URLs', () => {
    const essay = pdf.essays[0];
    const multilateral = paragraphs(essay).find((p) => p.text.startsWith('联合国及其专门机构'));
    expect(multilateral?.markers.map((m) => m.footnote)).toEqual([3, 4]);
    expect(essay?.footnotes.map((n) => n.mark)).toEqual(['①', '②', '①', '②', '③', '①']);
    const compact = essay?.footnotes.find((n) => n.number === 3);
    expect(compact?.urls).toEqual(['https://www.un.org/global-digital-compact/sites/default/files/2024-09/global-digital-compact-final-text-english.pdf']);
    expect(essay?.footnotes.find((n) => n.number === 4)).toMatchObject({ text: '同上，第36页。', form: 'ibid', refersTo: 3, locator: '第36页', page: 18 });
    expect(essay?.footnotes.find((n) => n.number === 6)).toMatchObject({ form: 'short', refersTo: 5, page: 19 });
    expect(essay?.authors).toEqual([
      { name: '王海宁', affiliation: '某大学国际关系学院教授', bio: '王海宁，某大学国际关系学院教授（北京100000）', address: '北京100000' },
    ]);
  });

  test('lets no running header, footer or note text into a paragraph, and no stray spaces between Chinese characters', () => {
    for (const p of paragraphs(pdf.essays[0])) {
      expect(p.text).not.toMatch(/示例国际关系评论|· \d+ ·|参见李明|世界知识出版社|https?:/u);
      expect(p.text).not.toMatch(/\p{Script=Han} +\p{Script=Han}/u);
      expect(p.raw).not.toMatch(/\f/u);
    }
    // The `内容提要：` block is the journal's abstract, a section apart, not the author's opening text.
    expect(pdf.essays[0]?.sections.map((s) => [s.heading, s.part])).toEqual([
      ['摘要', 'abstract'],
      ['一、规则竞争的新阶段', 'body'],
      ['（一）从技术标准到治理规范', 'body'],
      ['（二）多边机制的作用', 'body'],
      ['二、中国方案的提出', 'body'],
      ['结语', 'body'],
    ]);
    expect(pdf.essays[0]?.sections.map((s) => s.heading)).toEqual([
      '摘要',
      '一、规则竞争的新阶段',
      '（一）从技术标准到治理规范',
      '（二）多边机制的作用',
      '二、中国方案的提出',
      '结语',
    ]);
  });

  test('every command answers from it with pages: quote, essays and cite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-pdf-'));
    await copyFile(PDFKIT, join(dir, 'symposium.pdf'));
    const corpus = await loadCorpus(dir);
    const bot = botOver(corpus);
    const [quote] = QuoteResult.array().parse(bot.run('quote', { query: '二十国集团与亚太经合组织', count: 1 }, en).results);
    expect(quote?.pages).toEqual([18]);
    const [spanning] = QuoteResult.array().parse(bot.run('quote', { query: '也缺乏将本国经验', count: 1 }, en).results);
    expect(spanning?.pages).toEqual([17, 18]);
    const [essays] = EssaysResult.array().parse(bot.run('essays', {}, en).results);
    expect(essays?.pages).toEqual([17, 19]);
    const [cite] = CiteResult.array().parse(bot.run('cite', { target: 'wang-haining-szsd' }, en).results);
    expect(cite?.bibtex).toContain('pages = {17--19}');
    expect(cite?.gbt7714).toContain(': 17-19.');
    const passage = quote ? CiteResult.array().parse(bot.run('cite', { target: quote.id }, en).results)[0] : undefined;
    expect(passage?.pages).toBe('18');
    const reply = bot.run('quote', { query: '也缺乏将本国经验', count: 1 }, requester('zh-CN'));
    const block = reply.blocks[0];
    expect(block?.kind === 'quote' ? block.attribution.pages : undefined).toEqual([17, 18]);
  });
});

describe('a PDF typeset by LibreOffice Writer, with real footnotes', () => {
  test('gives the same paragraphs, notes and URLs as the source text, on the pages Writer chose', async () => {
    const pdf = await parsePdfBytes('libreoffice-symposium.pdf', await readFile(join(FIXTURES, 'libreoffice-symposium.pdf')));
    const txt = parseCorpusFile('symposium.txt', await readFile(SOURCE, 'utf8'));
    expect(pdf.warnings).toEqual([]);
    const withoutPages = (f: CorpusFile) =>
      shape(f).map((e) => ({
        ...e,
        pages: null,
        paragraphs: e.paragraphs.map((p) => ({ ...p, pages: [] })),
        notes: e.notes.map((n) => ({ ...n, page: null })),
      }));
    expect(withoutPages(pdf)).toEqual(withoutPages(txt));
    // Writer set it on two pages from 17, numbering the notes ①… again on the second.
    const [essay] = pdf.essays;
    expect(essay?.pages).toEqual([17, 18]);
    expect(essay?.footnotes.map((n) => [n.mark, n.page])).toEqual([
      ['①', 17],
      ['②', 17],
      ['③', 17],
      ['④', 17],
      ['①', 18],
      ['②', 18],
    ]);
    expect(paragraphs(essay).map((p) => pagesOf(p))).toEqual([[17], [17], [17], [17], [18], [18]]);
  });
});

describe('PDFs the reader refuses, each named with what to do, the other files still loading', () => {
  let corpus: Awaited<ReturnType<typeof loadCorpus>>;
  const expected: Record<string, RegExp> = {
    'encrypted.pdf': /is encrypted \(it asks for a password\): save a copy without a password/u,
    'scanned.pdf': /has no text layer \(a scan\?\): .*run OCR/u,
    'no-unicode.pdf': /cannot read as characters .*ToUnicode.*: export it again with fonts embedded as Unicode/u,
    'truncated.pdf': /is not a readable PDF .*damaged or cut short; download it again/u,
    'not-a-pdf.pdf': /is not a readable PDF/u,
  };
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-pdf-refusals-'));
    for (const name of [...Object.keys(expected), 'two-columns.pdf']) await copyFile(join(FIXTURES, 'refusals', name), join(dir, name));
    await copyFile(PDFKIT, join(dir, 'symposium.pdf'));
    await writeFile(join(dir, 'notes.txt'), await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'citation', 'conventions-symposium.txt'), 'utf8'));
    corpus = await loadCorpus(dir);
    // Eight files, six of them PDFs read in worker threads: more than a hook's default on a busy machine.
  }, 120_000);

  test.each(Object.keys(expected))('%s: no essays, one warning saying why and what to do', (name) => {
    const file = corpus.files.find((f) => f.file === name);
    expect(file?.essays).toEqual([]);
    expect(file?.warnings).toHaveLength(1);
    const line = formatWarning(file?.warnings[0] as CorpusFile['warnings'][number], 'corpus');
    expect(line.startsWith(`corpus: corpus/${name}`)).toBe(true);
    expect(line).toMatch(expected[name] as RegExp);
    expect(line).toMatch(/: skipped$/u);
  });

  test('two columns load with a warning naming the page', () => {
    const file = corpus.files.find((f) => f.file === 'two-columns.pdf');
    expect(formatWarning(file?.warnings[0] as CorpusFile['warnings'][number], 'corpus')).toBe(
      'corpus: corpus/two-columns.pdf, page 1: looks like two columns, which the bot cannot put in reading order: check its paragraphs, or use a one-column PDF',
    );
  });

  test('the readable PDF and the text file load beside them', () => {
    expect(corpus.files.find((f) => f.file === 'symposium.pdf')?.essays.map((e) => e.id)).toEqual(['wang-haining-szsd']);
    expect(corpus.files.find((f) => f.file === 'notes.txt')?.essays.length).toBeGreaterThan(0);
  });

  test('a PDF over the page or size limit is refused before it is read', async () => {
    const bytes = await readFile(PDFKIT);
    expect(await extractPdf(bytes, { maxBytes: 50 * 1024 * 1024, maxPages: 2 })).toEqual({
      ok: false,
      page: null,
      message: 'has 3 pages, over the 2 a PDF may have: split it into issues or essays',
    });
    expect(await readPdf(bytes, { maxBytes: 1024 * 1024 * 0.05, maxPages: 300 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/MB, over the 0\.05 MB/u),
    });
  });
});
