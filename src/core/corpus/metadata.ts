import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { isUserError, UserError } from '../dispatch/errors.js';
import { en } from '../words/en.js';

/** What a corpus file that looks wrong is told (see the catalogue: operator.warnings). */
const W = en.operator.warnings;

/**
 * Publication facts the text itself cannot tell: which journal printed the symposium, in
 * which year, volume, issue and pages. They come from `<name>.meta.json` beside
 * `<name>.txt`, written by whoever adds the file; a citation shows only what it states.
 */

/** Page range as printed, e.g. `1-30`, `78—103` or a single page. */
const Pages = z
  .string()
  .trim()
  .regex(/^\d+(\s*[-–—]\s*\d+)?$/u, 'must be a page or a range such as 12-30');

/** Volume, issue and year are numbers in most journals but `增刊`, `S1` exist. */
const Label = z.union([z.string().trim().min(1), z.number().int().positive().transform(String)]);

/** Facts about one essay; each overrides the file-wide value of the same name. */
export const EssayMetadataSchema = z.strictObject({
  pages: Pages.optional(),
  doi: z.string().trim().min(1).optional(),
  url: z.url({ protocol: /^https?$/u }).optional(),
});
export type EssayMetadata = z.infer<typeof EssayMetadataSchema>;

export const CorpusMetadataSchema = z.strictObject({
  /** Journal name as printed on its cover, e.g. `某学刊`. */
  journal: z.string().trim().min(1).optional(),
  year: z.number().int().min(1000).max(9999).optional(),
  volume: Label.optional(),
  issue: Label.optional(),
  /** Pages of the whole symposium, for one printed as a single article; an essay's own range is preferred. */
  pages: Pages.optional(),
  doi: z.string().trim().min(1).optional(),
  url: z.url({ protocol: /^https?$/u }).optional(),
  /** Per-essay facts, keyed by essay ID or by exact essay title. */
  essays: z.record(z.string(), EssayMetadataSchema).optional(),
});
export type CorpusMetadata = z.infer<typeof CorpusMetadataSchema>;

/** What a citation of one essay may state: file-wide facts with the essay's own laid over them. */
export interface PublicationFacts {
  journal?: string;
  year?: number;
  volume?: string;
  issue?: string;
  pages?: string;
  doi?: string;
  url?: string;
}

/** The metadata path that belongs to a corpus file: `x.txt` → `x.meta.json`. */
export function metadataPathFor(corpusFile: string): string {
  return join(dirname(corpusFile), `${basename(corpusFile).replace(/\.[^.]*$/u, '')}.meta.json`);
}

/**
 * Validates the text of a metadata file. `file` names it in messages. A malformed file is
 * an error, never skipped: a citation built from half-read metadata would look right and
 * be wrong.
 */
export function parseMetadata(file: string, text: string): CorpusMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError('corpus_metadata', W.metadataNotJson(file, (error as Error).message));
  }
  const result = CorpusMetadataSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'} ${i.message}`);
    throw new UserError('corpus_metadata', W.metadataInvalid(file, problems));
  }
  return result.data;
}

/** Reads the metadata beside a corpus file; null when there is none. */
export async function loadMetadata(corpusFile: string): Promise<CorpusMetadata | null> {
  const path = metadataPathFor(corpusFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseMetadata(path, text);
}

/** The facts that apply to one essay: its own entry (by ID, else by title) over the file's. */
export function factsFor(meta: CorpusMetadata | null | undefined, essay: { id: string; title: string }): PublicationFacts {
  if (!meta) return {};
  const own = meta.essays?.[essay.id] ?? meta.essays?.[essay.title] ?? {};
  const facts: PublicationFacts = {
    journal: meta.journal,
    year: meta.year,
    volume: meta.volume,
    issue: meta.issue,
    pages: own.pages ?? meta.pages,
    doi: own.doi ?? meta.doi,
    url: own.url ?? meta.url,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as PublicationFacts;
}

/** What a file's pages print of one essay's publication: its issue (running header, 文章编号), pages and DOI. */
export function printedFacts(
  file: { issue?: { journal: string | null; year: number | null; issue: string | null } | null | undefined },
  essay: { pages: [number, number] | null; classification: { doi: string | null } | null },
): PublicationFacts {
  const facts: PublicationFacts = {};
  if (file.issue?.journal) facts.journal = file.issue.journal;
  if (file.issue?.year) facts.year = file.issue.year;
  if (file.issue?.issue) facts.issue = file.issue.issue;
  if (essay.pages) facts.pages = essay.pages[0] === essay.pages[1] ? String(essay.pages[0]) : `${essay.pages[0]}-${essay.pages[1]}`;
  if (essay.classification?.doi) facts.doi = essay.classification.doi;
  return facts;
}

/**
 * The facts a citation of one essay states: what its pages print, with `NAME.meta.json` laid
 * over them field by field (the metadata always wins: it is what whoever added the file says).
 */
export function publicationFacts(
  file: Parameters<typeof printedFacts>[0] & { metadata?: CorpusMetadata | null },
  essay: Parameters<typeof printedFacts>[1] & { id: string; title: string },
): PublicationFacts {
  return { ...printedFacts(file, essay), ...factsFor(file.metadata, essay) };
}

/**
 * A parsed corpus file with its metadata attached. A malformed metadata file becomes a
 * warning on the corpus file (shown by corpus:check and at start) and no metadata: the
 * essays still load, and /cite states only what the text itself does. `listed`, when the
 * caller has just listed the folder, names what it holds: a metadata file not among them is
 * not looked for (an archive's 200 failed opens took a warm start 20 ms).
 */
export async function withMetadata<F extends { file: string; warnings: Array<{ file: string; line: number; message: string }> }>(
  dir: string,
  parsed: F,
  listed?: ReadonlySet<string>,
): Promise<F & { metadata: CorpusMetadata | null }> {
  if (listed !== undefined && !listed.has(basename(metadataPathFor(parsed.file)))) return { ...parsed, metadata: null };
  try {
    return { ...parsed, metadata: await loadMetadata(join(dir, parsed.file)) };
  } catch (error) {
    const message = isUserError(error) ? error.message.replace(/^corpus: [^:]+: /u, '') : W.metadataUnreadable((error as Error).message);
    const file = basename(metadataPathFor(parsed.file));
    return { ...parsed, metadata: null, warnings: [...parsed.warnings, { file, line: 0, message: W.metadataUnused(message) }] };
  }
}
