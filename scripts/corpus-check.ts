/**
 * `npm run corpus:check [-- --corpus DIR | DIR]`: what each corpus file yields (a PDF's pages
 * too), and every place the parser could not resolve, as `corpus: FILE:LINE: message` (for a
 * PDF, `corpus: FILE, page N: message`), with what to do. Exits 1 only when no essay loads.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvFile, parseConfig } from '../src/config.js';
import { loadCorpus, whyUnservable } from '../src/core/corpus/load.js';
import { type CorpusFile, formatWarning } from '../src/core/corpus/model.js';
import { isUserError } from '../src/core/dispatch/errors.js';

function counts(f: CorpusFile) {
  const essays = f.essays.filter((e) => e.kind === 'essay');
  const authors = new Set(essays.flatMap((e) => e.authors.map((a) => a.name)));
  const sections = f.essays.reduce((n, e) => n + e.sections.filter((s) => s.heading !== null).length, 0);
  const paragraphs = f.essays.reduce((n, e) => n + e.sections.reduce((m, s) => m + s.paragraphs.length, 0), 0);
  const footnotes = f.essays.reduce((n, e) => n + e.footnotes.length, 0);
  const urls = new Set(f.essays.flatMap((e) => e.footnotes.flatMap((n) => n.urls)));
  return { essays: essays.length, authors: authors.size, sections, paragraphs, footnotes, urls: urls.size };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ options: { corpus: { type: 'string' } }; allowPositionals: true }>>;
  try {
    args = parseArgs({ options: { corpus: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    console.error(`corpus:check: ${(error as Error).message}\nusage: npm run corpus:check [-- --corpus DIR | DIR]`);
    return 2;
  }
  if (args.positionals.length > 1) {
    console.error('corpus:check: one folder at most\nusage: npm run corpus:check [-- --corpus DIR | DIR]');
    return 2;
  }
  loadEnvFile();
  const config = parseConfig(process.env, { corpusDir: args.values.corpus ?? args.positionals[0] });
  const corpus = await loadCorpus(config.corpusDir);
  console.log(`corpus: ${corpus.dir} (version ${corpus.version})`);
  for (const f of corpus.files) {
    const c = counts(f);
    const pages = f.essays.flatMap((e) => e.pages ?? []);
    const printed = pages.length > 0 ? `, pages ${Math.min(...pages)}–${Math.max(...pages)}` : '';
    console.log(
      `${f.file}: ${c.essays} essays, ${c.authors} authors, ${c.sections} sections, ${c.paragraphs} paragraphs, ${c.footnotes} footnotes, ${c.urls} URLs${f.essays.some((e) => e.kind === 'editors-note') ? ", editor's note" : ''}${printed}`,
    );
  }
  const warnings = corpus.files.flatMap((f) => f.warnings);
  for (const w of warnings) console.warn(formatWarning(w, relative(process.cwd(), corpus.dir) || '.'));
  console.log(`${corpus.files.length} files, ${warnings.length} warnings`);
  const why = whyUnservable(corpus);
  if (why) {
    console.error(why);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(isUserError(error) ? error.message : error);
    process.exit(1);
  },
);
