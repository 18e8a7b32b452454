import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CorpusFile, Essay } from '../../../src/core/corpus/model.js';
import { parseCorpusFile } from '../../../src/core/corpus/parse.js';
import { extractPdf } from '../../../src/core/corpus/pdf.js';
import { type ArticleSpec, articleSpec, missingArticleFonts, type SourceModel, typesetArticle, typesetNotes, urlNoteArb } from '../../support/article-pdf.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * Issue 21: random research articles typeset by pdfkit (test/support/article-pdf.ts) read back
 * through the PDF reader and the parser must give back their source model: authors with their
 * affiliations and bios, front matter (abstract, keywords, classification, funding, dates),
 * the English block, section headings, every paragraph whole with its pages and notes, every
 * note whole with its page, mark and URLs, and the bibliographic data of the running header.
 *
 * Seeded (PROPERTY_SEED, `FC_SEED=<seed>` to replay); a failure prints the seed, the path and
 * the article's spec. Shrinking re-typesets an article for every step, so it is off unless
 * `FC_SHRINK=1`. `ARTICLE_RUNS` sets the number of articles (25).
 *
 * The fonts are Debian's fonts-arphic-uming and fonts-wqy-microhei, needed at test time: the
 * articles are typeset as the test runs.
 */

const RUNS = Number(process.env.ARTICLE_RUNS ?? 25);
const SHRINK = process.env.FC_SHRINK === '1';
const missing = missingArticleFonts();
if (missing.length > 0) throw new Error(`the article property tests typeset PDFs with Debian's fonts: install ${missing.join(' ')} (apt-get install)`);

/** What the parser read, in the form of the source model. */
function observedModel(file: CorpusFile, name: string, generator: string): SourceModel {
  const essays = file.essays;
  const classification = essays.find((e) => e.classification !== null)?.classification ?? null;
  const pages = essays.flatMap((e) => e.pages ?? []);
  return {
    file: name,
    generator,
    journal: file.issue?.journal ?? null,
    year: file.issue?.year ?? null,
    issue: file.issue?.issue ?? null,
    articleNumber: classification?.articleNumber ?? null,
    doi: classification?.doi ?? null,
    pages: [Math.min(...pages), Math.max(...pages)],
    symposium: essays[0]?.symposium ?? null,
    essays: essays.map((e: Essay) => ({
      kind: e.kind as 'essay',
      title: e.title,
      authors: e.authors.map((a) => ({ name: a.name, affiliation: a.affiliation as string, bio: a.bio as string })),
      abstract: e.abstract,
      keywords: e.keywords,
      classification: e.classification as SourceModel['essays'][number]['classification'],
      funding: e.funding,
      received: e.received,
      revised: e.revised,
      english: e.english as SourceModel['essays'][number]['english'],
      // The abstracts are sections of their own (searched, labelled); the model lists the body's.
      sections: e.sections
        .filter((s) => s.part === 'body')
        .map((s) => ({
          heading: s.heading,
          paragraphs: s.paragraphs.map((p) => ({
            text: p.text,
            pages: p.pages.map((x) => x.page),
            notes: p.markers.map((m) => m.footnote as number),
          })),
        })),
      footnotes: e.footnotes.map((n) => ({ number: n.number, mark: n.mark, page: n.page as number, text: n.text, urls: n.urls })),
    })),
  };
}

async function readBack(pdf: Buffer, name: string): Promise<CorpusFile> {
  const extracted = await extractPdf(pdf);
  if (!extracted.ok) throw new Error(`${name}: ${extracted.message}`);
  return parseCorpusFile(name, extracted.text);
}

describe('random journal articles typeset by pdfkit (issue 21)', () => {
  test(`PDF → model equals the source model, for ${RUNS} articles`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(articleSpec, async (spec: ArticleSpec) => {
        const { pdf, model } = await typesetArticle(spec, 'random-article.pdf');
        const observed = observedModel(await readBack(pdf, model.file), model.file, model.generator);
        expect(observed).toEqual(model);
      }),
      { numRuns: RUNS, seed: PROPERTY_SEED, endOnFailure: !SHRINK, verbose: 1 },
    );
  });

  test('the random layouts cover what they are meant to', { timeout: 600_000 }, async () => {
    // Not a check of the parser: of the same articles, some must have each case of issue 21.
    const specs = fc.sample(articleSpec, { numRuns: RUNS, seed: PROPERTY_SEED });
    const totals = { sentenceCuts: 0, midSentenceCuts: 0, continuedNotes: 0, spreadUrls: 0, coauthored: 0, english: 0 };
    for (const spec of specs) {
      const { stats } = await typesetArticle(spec);
      totals.sentenceCuts += stats.sentenceCuts;
      totals.midSentenceCuts += stats.midSentenceCuts;
      totals.continuedNotes += stats.continuedNotes;
      totals.spreadUrls += stats.spreadUrls;
      totals.coauthored += spec.authors.length > 1 ? 1 : 0;
      totals.english += spec.english ? 1 : 0;
    }
    for (const [name, count] of Object.entries(totals)) expect(count, name).toBeGreaterThan(0);
  });
});

describe('URLs in justified notes (issue 21)', () => {
  test('random URLs set in justified note lines of random widths come back whole', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(urlNoteArb, { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0.35, max: 1, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 1, max: 0x7fffffff }),
        async (notes, noteWidth, hangingNotes, layoutSeed) => {
          const { pdf, footnotes } = await typesetNotes(notes, { noteWidth, hangingNotes, layoutSeed });
          const file = await readBack(pdf, 'notes.pdf');
          const read = file.essays.flatMap((e) => e.footnotes).map((n) => ({ text: n.text, urls: n.urls }));
          expect(read).toEqual(footnotes.map((n) => ({ text: n.text, urls: n.urls })));
        },
      ),
      { numRuns: RUNS * 2, seed: PROPERTY_SEED, endOnFailure: !SHRINK, verbose: 1 },
    );
  });
});
