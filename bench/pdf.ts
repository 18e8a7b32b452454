import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../src/config.js';
import { createCacheStore } from '../src/core/cache/store.js';
import { loadCorpus, parseCorpusBytes, parsePdfBytes } from '../src/core/corpus/load.js';
import { createParseCache } from '../src/core/corpus/parse-cache.js';
import { extractPdf } from '../src/core/corpus/pdf.js';
import { median } from './stats.js';

/*
 * PDF ingestion on a 30-page PDF (bench/fixtures, made by scripts/fixtures/pdfkit-fixture.mjs
 * from the text beside it): reading it cold (a worker thread, pdf.js, the parser), loading it
 * again from the parse cache, and as a baseline the text it was made from. And what the bot's
 * event loop sees while a PDF is read: in the worker, against pdf.js on the main thread.
 */

const PDF = join(PROJECT_ROOT, 'bench', 'fixtures', 'essays-30-pages.pdf');
const TEXT = join(PROJECT_ROOT, 'bench', 'fixtures', 'essays-30-pages.txt');

export interface PdfFigures {
  pages: number;
  essays: number;
  coldMs: number;
  cachedMs: number;
  textMs: number;
  pagesPerSecond: number;
  /** Longest event-loop stall while the PDF is read, in the worker and on the main thread. */
  stallWorkerMs: number;
  stallMainMs: number;
}

async function time(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The longest the event loop waited while `work` ran. */
async function stall(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await work();
  histogram.disable();
  return histogram.max / 1e6;
}

export async function benchPdf(workDir: string): Promise<PdfFigures> {
  const bytes = await readFile(PDF);
  const text = await readFile(TEXT);
  const dir = join(workDir, 'pdf-corpus');
  await mkdir(dir, { recursive: true });
  await copyFile(PDF, join(dir, 'essays-30-pages.pdf'));
  const parsed = await parsePdfBytes('essays-30-pages.pdf', bytes);
  const coldMs = await time(3, () => parsePdfBytes('essays-30-pages.pdf', bytes));
  const parseCache = createParseCache(createCacheStore(join(workDir, 'pdf-cache')), 'bench');
  await loadCorpus(dir, { parseCache });
  const cachedMs = await time(5, () => loadCorpus(dir, { parseCache }));
  const textMs = await time(10, async () => parseCorpusBytes('essays-30-pages.txt', text));
  const pages = new Set(parsed.essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.pages.map((x) => x.page))))).size;
  return {
    pages,
    essays: parsed.essays.length,
    coldMs,
    cachedMs,
    textMs,
    pagesPerSecond: pages / (coldMs / 1000),
    stallWorkerMs: await stall(() => parsePdfBytes('essays-30-pages.pdf', bytes)),
    stallMainMs: await stall(() => extractPdf(bytes)),
  };
}
