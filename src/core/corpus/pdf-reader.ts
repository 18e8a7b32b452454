import { Worker } from 'node:worker_threads';
import { en } from '../words/en.js';
import { workerSource } from '../worker-source.js';
import { PDF_LIMITS, type PdfLimits, type PdfResult, tooLarge } from './pdf.js';

/** What a corpus file that looks wrong is told (see the catalogue: operator.warnings). */
const W = en.operator.warnings;

/*
 * Reads a PDF in a worker thread of its own, so a running bot keeps answering while a PDF is
 * read (pdf.js takes a good part of a second for a page of Chinese text). One worker per file:
 * PDFs are added rarely, and a PDF that exhausts the worker's memory or time takes only its
 * own file down. From source (tsx, vitest) the worker runs through tsx; built, it is
 * dist/src/core/corpus/pdf-worker.js.
 */

/** A PDF that takes longer than this is refused rather than left to hold a reload up. */
const TIME_LIMIT_MS = 120_000;
const MEMORY_LIMIT_MB = 1024;

export function readPdf(data: Uint8Array, limits: PdfLimits = PDF_LIMITS): Promise<PdfResult> {
  // Refused before a worker is started and sent the bytes.
  const large = tooLarge(data, limits);
  if (large) return Promise.resolve(large);
  const { source, eval: isEval } = workerSource('pdf-worker', import.meta.url);
  return new Promise((resolve) => {
    const worker = new Worker(source, { eval: isEval, workerData: { data, limits }, resourceLimits: { maxOldGenerationSizeMb: MEMORY_LIMIT_MB } });
    let settled = false;
    const settle = (result: PdfResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, page: null, message: W.pdfSlow(TIME_LIMIT_MS / 1000) }), TIME_LIMIT_MS);
    timer.unref();
    worker.once('message', (result: PdfResult) => settle(result));
    worker.once('error', (error) => {
      const memory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle({
        ok: false,
        page: null,
        message: memory ? W.pdfMemory(MEMORY_LIMIT_MB) : W.pdfFailed(error.message),
      });
    });
    worker.once('exit', (code) => settle({ ok: false, page: null, message: W.pdfReaderStopped(code) }));
  });
}
