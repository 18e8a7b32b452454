import type { CorpusFile } from '../corpus/model.js';
import type { ParseCache } from '../corpus/parse-cache.js';
import type { Locale } from '../reply/model.js';
import { checkFile } from './check.js';
import { type DownloadRequest, downloadFile, type IntakeRefusalCode, type IntakeResult, judge } from './intake.js';
import type { AddedBy, AddRefusalCode, LibraryEntry, LibraryStore } from './store.js';
import type { Team } from './team.js';

/*
 * An add from chat, whatever the platform: fetch the upload as hostile (intake), read it with
 * the corpus's parser (check), then keep it (store). Each step refuses with a message for the
 * user, and only the last writes, so a refusal at any step leaves the library as it was. What
 * the adapters add: who may (LIBRARY_ROLE, LIBRARY_ADMINS), the platform's URL and token, and
 * the reply.
 */

export type AddFileRefusalCode = IntakeRefusalCode | 'unreadable' | AddRefusalCode;

export type AddFileResult =
  /** `report`: corpus:check's lines for the file, to answer the add with. */
  | { ok: true; entry: LibraryEntry; file: CorpusFile; report: string[] }
  /** `cause`: for `unsaved`, the error to log in full. */
  | { ok: false; code: AddFileRefusalCode; message: string; cause?: unknown };

export interface AddFileOptions {
  locale?: Locale;
  now?: Date;
  /** Where a parse is kept, so that serving the file (serve.ts) does not parse it again. */
  parseCache?: ParseCache;
}

/** Adds a file fetched from a platform's URL (Discord's attachment URL, Slack's url_private_download with the bot token). */
export async function addFromUrl(
  store: LibraryStore,
  team: Team,
  request: DownloadRequest,
  addedBy: AddedBy,
  options: AddFileOptions = {},
): Promise<AddFileResult> {
  return keep(store, team, await downloadFile({ ...request, locale: options.locale ?? request.locale }), addedBy, options);
}

/** Adds bytes already in hand (the console, a test), judged as an upload is. */
export function addBytes(
  store: LibraryStore,
  team: Team,
  name: string,
  bytes: Uint8Array,
  addedBy: AddedBy,
  options: AddFileOptions = {},
): Promise<AddFileResult> {
  return keep(store, team, judge(bytes, { name, locale: options.locale }), addedBy, options);
}

async function keep(store: LibraryStore, team: Team, intake: IntakeResult, addedBy: AddedBy, options: AddFileOptions): Promise<AddFileResult> {
  if (!intake.ok) return intake;
  // A duplicate or a file past the quota is told before the parse, which takes seconds for a PDF.
  const admitted = await store.admit(team, intake.file, options);
  if (admitted) return admitted;
  const checked = await checkFile(intake.file, options.locale, options.parseCache);
  if (!checked.ok) return checked;
  const added = await store.add(team, intake.file, addedBy, options);
  if (!added.ok) return added;
  return { ok: true, entry: added.entry, file: checked.file, report: checked.report };
}
