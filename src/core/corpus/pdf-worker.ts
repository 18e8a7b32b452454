import { parentPort, workerData } from 'node:worker_threads';
import { en } from '../words/en.js';
import { extractPdf, type PdfLimits } from './pdf.js';

/*
 * The worker thread that reads one PDF (see pdf-reader.ts): pdf.js parses fonts and content
 * streams for hundreds of milliseconds a page, which the bot's event loop must not wait for.
 */
const { data, limits } = workerData as { data: Uint8Array; limits: PdfLimits };
extractPdf(data, limits).then(
  (result) => parentPort?.postMessage(result),
  (error: unknown) => parentPort?.postMessage({ ok: false, page: null, message: en.operator.warnings.pdfFailed((error as Error).message) }),
);
