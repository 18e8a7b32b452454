/**
 * `npm run corpus:check [-- --corpus DIR | DIR]`: what each corpus file yields (a PDF's pages
 * too; for an article its authors and affiliations, abstract, keywords, classification, dates,
 * English block and the issue its pages print), and every place the parser could not resolve, as `corpus: FILE:LINE: message` (for a
 * PDF, `corpus: FILE, page N: message`), with what to do. Exits 1 only when no essay loads.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvFile, parseConfig } from '../src/config.js';
import { loadCorpus, whyUnservable } from '../src/core/corpus/load.js';
import { formatWarning } from '../src/core/corpus/model.js';
import { fileReport } from '../src/core/corpus/report.js';
import { wordsFor } from '../src/core/words/index.js';
import { runMain } from './run-main.js';

/** corpus:check speaks English: it has no language option. */
const t = wordsFor('en').operator.report;

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ options: { corpus: { type: 'string' } }; allowPositionals: true }>>;
  try {
    args = parseArgs({ options: { corpus: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    console.error(`corpus:check: ${(error as Error).message}\n${t.usage}`);
    return 2;
  }
  if (args.positionals.length > 1) {
    console.error(`${t.oneFolder}\n${t.usage}`);
    return 2;
  }
  loadEnvFile();
  const config = parseConfig(process.env, { corpusDir: args.values.corpus ?? args.positionals[0] });
  const corpus = await loadCorpus(config.corpusDir);
  console.log(t.folder(corpus.dir, corpus.version));
  for (const f of corpus.files) for (const line of fileReport(f)) console.log(line);
  const warnings = corpus.files.flatMap((f) => f.warnings);
  for (const w of warnings) console.warn(formatWarning(w, relative(process.cwd(), corpus.dir) || '.'));
  console.log(t.total(corpus.files.length, warnings.length));
  const why = whyUnservable(corpus);
  if (why) {
    console.error(why);
    return 1;
  }
  return 0;
}

runMain(main);
