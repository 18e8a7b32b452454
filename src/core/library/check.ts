import { parseCached } from '../corpus/load.js';
import { type CorpusFile, formatWarning } from '../corpus/model.js';
import type { ParseCache } from '../corpus/parse-cache.js';
import { fileReport } from '../corpus/report.js';
import type { Locale } from '../reply/model.js';
import { wordsFor } from '../words/index.js';
import { localizedWarning } from '../words/warnings.js';
import type { LibraryFileType } from './intake.js';

/*
 * What a file a team adds yields, said as corpus:check says it: the same parser the corpus
 * folder goes through (a PDF in a worker thread, with its limits), then corpus:check's lines for
 * the file and its warnings (`corpus: FILE, page N: …`). A file the bot could quote nothing from
 * (a PDF the reader refuses, a text with no essay in it) is refused with those lines, before
 * the library is touched.
 */

export type CheckResult =
  /** `report`: corpus:check's lines, the file's counts and essays, then its warnings. */
  { ok: true; file: CorpusFile; report: string[] } | { ok: false; code: 'unreadable'; message: string; file: CorpusFile };

/** Parses an accepted file's bytes with the corpus's parser and says what corpus:check would. */
export async function checkFile(
  file: { name: string; type: LibraryFileType; bytes: Uint8Array },
  locale: Locale = 'en',
  parseCache?: ParseCache,
): Promise<CheckResult> {
  // The name carries the sniffed type's extension (intake.cleanName), which is how the parser
  // tells a PDF; through the parse cache, the team's library then reads this very parse back.
  const parsed = await parseCached(file.name, file.bytes, parseCache);
  // Made in English when the file was parsed; said in the asker's language.
  const warnings = parsed.warnings.map((w) => formatWarning({ ...w, message: localizedWarning(w.message, locale) }));
  if (parsed.essays.length === 0) {
    const lines = warnings.length > 0 ? warnings : fileReport(parsed, locale);
    return { ok: false, code: 'unreadable', message: wordsFor(locale).library.refusals.unreadable(lines), file: parsed };
  }
  return { ok: true, file: parsed, report: [...fileReport(parsed, locale), ...warnings] };
}
