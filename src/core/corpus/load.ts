import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type ReadBuffer, readInto } from '../cache/store.js';
import { UserError } from '../dispatch/errors.js';
import type { Locale } from '../reply/model.js';
import { en } from '../words/en.js';
import { wordsFor } from '../words/index.js';
import { withMetadata } from './metadata.js';
import { type Corpus, type CorpusFile, essaysOf } from './model.js';
import { parseCorpusFile } from './parse.js';
import type { ParseCache } from './parse-cache.js';
import { readPdf } from './pdf-reader.js';

/** What a corpus file that looks wrong is told (see the catalogue: operator.warnings). */
const W = en.operator.warnings;

export { parseCorpusFile } from './parse.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a corpus file's bytes, or says why it is not text. A BOM is dropped and CRLF or CR
 * line ends become LF, so that line numbers in warnings match what an editor shows.
 */
export function decodeCorpusText(bytes: Uint8Array): { text: string } | { problem: string } {
  if (bytes.includes(0)) return { problem: W.binary };
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { problem: W.notUtf8 };
  }
  return { text: text.replace(/^\uFEFF/u, '').replace(/\r\n?/gu, '\n') };
}

function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses one file's bytes; a file that is not text yields a file with no essays and a warning. */
export function parseCorpusBytes(file: string, bytes: Uint8Array, hash = hashOf(bytes)): CorpusFile {
  const decoded = decodeCorpusText(bytes);
  if ('problem' in decoded) return { file, symposium: null, essays: [], warnings: [{ file, line: 0, message: decoded.problem }], hash };
  return parseCorpusFile(file, decoded.text, hash);
}

const CORPUS_FILE = /\.(?:txt|pdf)$/iu;
/** PDFs read at once: one worker thread each. */
const PDF_READERS = Math.max(1, Math.min(4, availableParallelism()));

/**
 * Reads a PDF (in a worker thread) into the same model as a text file. A PDF the reader must
 * refuse yields a file with no essays and one warning saying why and what to do; the parser's
 * warnings name the printed page instead of a line of the text made from it.
 */
export async function parsePdfBytes(file: string, bytes: Uint8Array, hash = hashOf(bytes)): Promise<CorpusFile> {
  const read = await readPdf(bytes);
  if (!read.ok) return { file, symposium: null, essays: [], warnings: [{ file, line: 0, page: read.page, message: W.skipped(read.message) }], hash };
  const parsed = parseCorpusFile(file, read.text, hash);
  // The lines are of the text made from the PDF, which nobody can open: the page says where.
  const warnings = [
    ...read.warnings.map((w) => ({ file, line: 0, page: w.page, message: w.message })),
    ...parsed.warnings.map((w) => ({ file, line: 0, page: w.page ?? null, message: w.message })),
  ];
  return { ...parsed, warnings: warnings.sort((a, b) => (a.page ?? 0) - (b.page ?? 0)) };
}

/** The corpus version: a short hash over every file's name and content. */
export function corpusVersion(files: CorpusFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    // Metadata changes what /cite answers, so an edit of x.meta.json is a new version too.
    const meta = f.metadata ? `\0${JSON.stringify(f.metadata)}` : '';
    h.update(`${f.file}\0${f.hash}${meta}\n`);
  }
  return h.digest('hex').slice(0, 12);
}

/**
 * Text files in flight at once. Warm, an archive's load is mostly reading parse cache entries:
 * one at a time, the disk waits for the parse of the last and the parse for the disk.
 */
const TEXT_READERS = 4;

/**
 * Loads every `.txt` and `.pdf` file in a folder, in name order. A file that cannot be read or parsed
 * yields warnings and the others still load; the caller decides what an empty corpus means.
 */
export async function loadCorpus(dir: string, options: { parseCache?: ParseCache; locale?: Locale } = {}): Promise<Corpus> {
  const files = (await readCorpusFolder(dir, options)) as CorpusFile[];
  disambiguateIds(files);
  return { dir, files, version: corpusVersion(files) };
}

/** A file the corpus being served has as it is now (see `FolderOptions.keep`): not read again. */
export interface KeptFile {
  kept: true;
  file: string;
  hash: string;
}

export interface FolderOptions {
  parseCache?: ParseCache;
  /** The language of the error when the folder cannot be read. */
  locale?: Locale;
  /**
   * Whether the corpus being served has this very file: the same name, content hash and
   * metadata (as `metadataKey` gives it; null when its metadata file has a problem, which is
   * never kept). Such a file is not parsed: a KeptFile stands for it.
   */
  keep?: (name: string, hash: string, metadata: string | null) => boolean;
}

/** A file's metadata as `keep` compares it: null when the metadata file has a problem (a warning). */
export function metadataKey(file: Pick<CorpusFile, 'file' | 'metadata' | 'warnings'>): string | null {
  return file.warnings.some((w) => w.file !== file.file) ? null : JSON.stringify(file.metadata ?? null);
}

/**
 * The folder's corpus files in name order, each parsed (its essay IDs not yet told apart from
 * other files', see `disambiguateIds`) or, where `keep` says so, kept. Throws a UserError when
 * the folder cannot be read.
 */
export async function readCorpusFolder(dir: string, options: FolderOptions = {}): Promise<Array<CorpusFile | KeptFile>> {
  let names: string[];
  let listed: Set<string>;
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    // All names, links too: a metadata file is read through a link (readFile follows it).
    listed = new Set(entries.map((e) => e.name));
    names = entries.filter((e) => e.isFile() && CORPUS_FILE.test(e.name)).map((e) => e.name);
  } catch (error) {
    const t = wordsFor(options.locale ?? 'en').operator.corpus;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError('corpus_dir', missing ? t.missingFolder(dir) : t.unreadableFolder(dir));
  }
  names.sort((a, b) => a.localeCompare(b));
  const { keep } = options;
  // A text file's bytes are hashed, and parsed only on a miss (into a string): read into its
  // reader's buffer, a warm start leaves no garbage buffer per file (an archive's 37 MB). A
  // PDF's bytes go to a worker, and are read on their own.
  const loadOne = async (name: string, into?: ReadBuffer): Promise<CorpusFile | KeptFile> => {
    try {
      const bytes = into ? await readInto(join(dir, name), into) : await readFile(join(dir, name));
      const hash = hashOf(bytes);
      if (keep?.(name, hash, metadataKey(await withMetadata(dir, { file: name, warnings: [] }, listed)))) return { kept: true, file: name, hash };
      return await withMetadata(dir, await parseCached(name, bytes, options.parseCache, hash), listed);
    } catch (error) {
      return {
        file: name,
        symposium: null,
        essays: [],
        warnings: [{ file: name, line: 0, message: W.unreadable((error as Error).message) }],
        hash: '',
      };
    }
  };
  // PDFs are read in worker threads, a few at a time (each may take a second and its own
  // memory); text files are parsed here, a few in flight so that reading one file (or its
  // parse cache entry) overlaps parsing another. The order is the names' order.
  const files: Array<CorpusFile | KeptFile> = new Array(names.length);
  const queue = names.map((name, i) => ({ name, i }));
  const pdfs = queue.filter((q) => /\.pdf$/iu.test(q.name));
  const workers = Array.from({ length: Math.min(PDF_READERS, pdfs.length) }, async () => {
    for (let next = pdfs.shift(); next; next = pdfs.shift()) files[next.i] = await loadOne(next.name);
  });
  const texts = queue.filter((q) => !/\.pdf$/iu.test(q.name));
  const readers = Array.from({ length: Math.min(TEXT_READERS, texts.length) }, async () => {
    const into: ReadBuffer = { bytes: Buffer.alloc(0) };
    for (let next = texts.shift(); next; next = texts.shift()) files[next.i] = await loadOne(next.name, into);
  });
  await Promise.all([...workers, ...readers]);
  return files;
}

/** A file's bytes parsed, or read from the parse cache when these very bytes were parsed before. */
export async function parseCached(name: string, bytes: Uint8Array, cache: ParseCache | undefined, hash = hashOf(bytes)): Promise<CorpusFile> {
  const cached = await cache?.get(name, hash);
  if (cached) return cached;
  const parsed = /\.pdf$/iu.test(name) ? await parsePdfBytes(name, bytes, hash) : parseCorpusBytes(name, bytes, hash);
  await cache?.put(parsed);
  return parsed;
}

/**
 * An essay ID is made from its author and title alone, so that adding a file changes no
 * other file's IDs. Two files can still yield the same ID (two symposia whose titles begin
 * alike, each with an editor's note): the essay in the file that sorts first keeps the ID,
 * the other gets a suffix from its file name, and a warning says so.
 */
export function disambiguateIds(files: CorpusFile[]): void {
  const ids = createIdRegistry();
  for (const f of files) ids.claim(f);
}

/** The IDs of files claimed one after another in name order (see `disambiguateIds`). */
export function createIdRegistry(): {
  /** Whether claiming `file` now would change one of its essays' IDs. */
  collides(file: CorpusFile): boolean;
  /** Claims the file's essay IDs, giving those already taken a suffix (and the file a warning). */
  claim(file: CorpusFile): void;
} {
  const owner = new Map<string, string>();
  return {
    collides: (f) => f.essays.some((e) => owner.has(e.id)),
    claim(f) {
      for (const essay of f.essays) {
        const taken = owner.get(essay.id);
        if (taken === undefined) {
          owner.set(essay.id, f.file);
          continue;
        }
        const suffix = suffixOf(f.file);
        let id = `${essay.id}-${suffix}`;
        for (let n = 2; owner.has(id); n++) id = `${essay.id}-${suffix}-${n}`;
        f.warnings.push({ file: f.file, line: essay.line, message: W.idTaken(essay.id, taken, id) });
        owner.set(id, f.file);
        essay.id = id;
        for (const section of essay.sections) for (const p of section.paragraphs) p.id = `${id}.${p.number}`;
      }
      f.warnings.sort((a, b) => a.line - b.line);
    },
  };
}

/** The suffix another file's claim gives this file's essay IDs (see `disambiguateIds`). */
function suffixOf(file: string): string {
  return createHash('sha256').update(file).digest('hex').slice(0, 4);
}

/**
 * Whether another file's claim changed one of this file's essay IDs (one bears the file's
 * suffix): then a reload reads it again. An ID of its own that happens to end alike only
 * costs that file a parse.
 */
export function idsChanged(file: CorpusFile): boolean {
  const suffix = `-${suffixOf(file.file)}`;
  return file.essays.some((e) => e.id.endsWith(suffix) || e.id.includes(`${suffix}-`));
}

/** Says why a corpus cannot be served, or null when it has at least one essay. */
export function whyUnservable(corpus: Corpus, locale: Locale = 'en'): string | null {
  if (essaysOf(corpus).length > 0) return null;
  const t = wordsFor(locale).operator.corpus;
  if (corpus.files.length === 0) return t.noFiles(corpus.dir);
  const reasons = corpus.files.flatMap((f) => f.warnings.map((w) => `${f.file}: ${w.message}`));
  return t.noEssays(corpus.dir, reasons.slice(0, 5));
}
