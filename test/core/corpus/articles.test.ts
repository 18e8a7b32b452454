import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config.js';
import { type CorpusFile, citationOf, type Essay, pagesOf } from '../../../src/core/corpus/model.js';
import { parseCorpusFile } from '../../../src/core/corpus/parse.js';
import { extractPdf } from '../../../src/core/corpus/pdf.js';
import type { Model, ModelEssay } from '../../support/article-pdf.js';

/*
 * Research articles and a symposium from three more typesetters (XeLaTeX + ctex, LibreOffice
 * with real footnotes, HTML printed by Chromium), each read from its committed PDF (and the XeLaTeX article also from
 * its text form) and compared with the source model its generator wrote beside it
 * (test/fixtures/articles/README.md; scripts/fixtures/xelatex-fixture.mjs and
 * libreoffice-article-fixture.mjs). The tests need none of the typesetters.
 */

const DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'articles');

/** The front matter a model records beside the body. */
const FRONT_MATTER = ['abstract', 'keywords', 'classification', 'funding', 'received', 'revised', 'english'] as const;

async function readModel(name: string): Promise<Model> {
  return JSON.parse(await readFile(join(DIR, `${name}.model.json`), 'utf8')) as Model;
}

async function readFixture(file: string): Promise<CorpusFile> {
  if (file.endsWith('.txt')) return parseCorpusFile(file, await readFile(join(DIR, file), 'utf8'));
  const read = await extractPdf(await readFile(join(DIR, file)));
  if (!read.ok) throw new Error(`${file}: ${read.message}`);
  return parseCorpusFile(file, read.text);
}

/** The first and last page an essay's paragraphs and notes are on; the file's last page for its last essay (the English block). */
function essayPages(model: Model, essay: ModelEssay, index: number): [number, number] {
  const pages = [...essay.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.pages)), ...essay.footnotes.map((n) => n.page)];
  const first = index === 0 ? model.pages[0] : Math.min(...pages);
  const last = index === model.essays.length - 1 ? model.pages[1] : Math.max(...pages);
  return [first, last];
}

const shapeOf = (e: Essay) =>
  e.sections
    .filter((s) => s.part === 'body' && (s.heading !== null || s.paragraphs.length > 0))
    .map((s) => ({
      heading: s.heading,
      paragraphs: s.paragraphs.map((p) => ({ text: p.text, pages: pagesOf(p), notes: p.markers.map((m) => m.footnote) })),
    }));

/** Short forms and ibids of each fixture, by essay: [the note's number, the full citation it stands for]. */
const SHORT_FORMS: Record<string, Array<Array<[number, number]>>> = {
  'xelatex-article': [
    [
      [9, 2], // 《公海治理的制度变迁》，第12页。
      [10, 2], // 同上，第36页。
      [11, 3], // Marlow, "Rule Competition beyond National Jurisdiction," p. 108.
      [12, 3], // Ibid., p. 9.
    ],
  ],
  'xelatex-symposium': [
    [],
    [],
    [[3, 2]],
    [
      [3, 1],
      [4, 1],
    ],
  ],
  'chromium-article': [
    [
      [11, 4], // Robin Marlow, "Rule Competition beyond National Jurisdiction," p. 109.
      [12, 4], // 同上。
    ],
  ],
  'chromium-article-brackets': [
    [
      [11, 4],
      [12, 4],
    ],
  ],
  'libreoffice-article': [
    [
      [5, 4], // 同上，第12页。
      [7, 6], // 张海滨：《新的集体量化目标谈判评析》，第25页。
      [10, 8], // Colenbrander, "Fixing the Climate Finance Numbers," p. 102.
      [11, 8], // Ibid., p. 103.
    ],
  ],
};

const FIXTURES = [
  { model: 'xelatex-article', file: 'xelatex-article.pdf' },
  { model: 'xelatex-article', file: 'xelatex-article.txt' },
  { model: 'xelatex-symposium', file: 'xelatex-symposium.pdf' },
  { model: 'libreoffice-article', file: 'libreoffice-article.pdf' },
  { model: 'chromium-article', file: 'chromium-article.pdf' },
  { model: 'chromium-article-brackets', file: 'chromium-article-brackets.pdf' },
];

describe.each(FIXTURES)('$file read against its source model ($model)', ({ model: name, file }) => {
  let model: Model;
  let parsed: CorpusFile;
  beforeAll(async () => {
    model = await readModel(name);
    parsed = await readFixture(file);
  });

  test('reads the journal, year, issue, article number and DOI printed on the pages', () => {
    const classification = parsed.essays.find((e) => e.classification !== null)?.classification ?? null;
    expect({ ...parsed.issue, articleNumber: classification?.articleNumber ?? null, doi: classification?.doi ?? null }).toEqual({
      journal: model.journal,
      year: model.year,
      issue: model.issue,
      articleNumber: model.articleNumber,
      doi: model.doi,
    });
    expect(parsed.symposium).toBe(model.symposium);
  });

  test('finds every essay with its title, authors, affiliations, bios and pages', () => {
    expect(parsed.essays.map((e) => ({ kind: e.kind, title: e.title }))).toEqual(model.essays.map((e) => ({ kind: e.kind, title: e.title })));
    expect(parsed.essays.map((e) => e.authors.map((a) => ({ name: a.name, affiliation: a.affiliation, bio: a.bio })))).toEqual(
      model.essays.map((e) => e.authors),
    );
    expect(parsed.essays.map((e) => e.pages)).toEqual(model.essays.map((e, i) => essayPages(model, e, i)));
  });

  test('keeps the front and back matter apart from the body', () => {
    const front = (e: Pick<Essay | ModelEssay, (typeof FRONT_MATTER)[number]>) => Object.fromEntries(FRONT_MATTER.map((k) => [k, e[k]]));
    expect(parsed.essays.map(front)).toEqual(model.essays.map(front));
  });

  test('gives the section headings, and each paragraph whole with its pages and notes', () => {
    model.essays.forEach((e, i) => {
      const essay = parsed.essays[i];
      expect(essay && shapeOf(essay)).toEqual(e.sections);
    });
  });

  test('gives each footnote its mark, page, text and URLs, whole', () => {
    model.essays.forEach((e, i) => {
      const essay = parsed.essays[i];
      expect(essay?.footnotes.map((n) => ({ number: n.number, mark: n.mark, page: n.page, text: n.text, urls: n.urls }))).toEqual(e.footnotes);
    });
  });

  test('ties short forms, 同上 and Ibid. (Chinese and English) to their full citation', () => {
    const expected = SHORT_FORMS[name] ?? [];
    model.essays.forEach((e, i) => {
      const essay = parsed.essays[i];
      for (const [number, full] of expected[i] ?? []) {
        const note = essay?.footnotes.find((n) => n.number === number);
        expect(note && essay && citationOf(essay, note).number, `${e.title}: note ${number}`).toBe(full);
      }
    });
  });

  test('reads the file without a warning', () => {
    expect(parsed.warnings).toEqual([]);
  });
});
