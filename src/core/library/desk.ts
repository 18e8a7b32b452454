import type { ParseCache } from '../corpus/parse-cache.js';
import type { Bot, Logger } from '../dispatch/bot.js';
import type { Locale, Reply } from '../reply/model.js';
import { wordsFor } from '../words/index.js';
import { addFromUrl } from './add.js';
import { checkFile } from './check.js';
import { type DownloadRequest, type IntakeLimits, sniffType } from './intake.js';
import type { AddedBy, LibraryEntry, LibraryStore } from './store.js';
import { parseTeamKey, type Team } from './team.js';

/*
 * What the chat commands on a team's library do, whatever the platform: add a file from the
 * platform's URL, list, remove and check the team's files, each answered with a Reply the
 * adapter renders as it renders any other (so Discord's and Slack's limits hold). The adapters
 * decide who may change a library and where the file is; this module never sees a token
 * except inside a download request's headers, which it does not log.
 */

/** The one command name every library answer carries (help and logs read it). */
export const LIBRARY_COMMAND = 'library';

/** Who changes a library, and where they asked from: logged with every change. */
export interface Changer extends AddedBy {
  /** The channel (Discord) or conversation (Slack) the change was asked in. */
  where: string;
}

export interface LibraryDesk {
  readonly store: LibraryStore;
  /** The per-library quota in bytes, said by list. */
  readonly maxBytes: number;
  add(team: string, request: DownloadRequest, by: Changer, locale: Locale): Promise<Reply>;
  list(team: string, locale: Locale): Promise<Reply>;
  remove(team: string, file: string, by: Changer, locale: Locale): Promise<Reply>;
  check(team: string, locale: Locale): Promise<Reply>;
  /** The team's file names that start with or contain `typed`, for autocomplete. */
  files(team: string, typed: string): Promise<string[]>;
  /** A refusal to show privately: `code` for logs and tests. */
  refusal(team: string | null, code: string, message: string, locale: Locale): Reply;
}

export interface LibraryDeskOptions {
  store: LibraryStore;
  maxBytes: number;
  logger: Logger;
  /** Where the corpus version of each answer comes from, and whom to tell of a change. */
  bot: Pick<Bot, 'libraryFor' | 'libraryChanged'> & Partial<Pick<Bot, 'libraryReady'>>;
  /** The limits an upload is held to (INTAKE_LIMITS unless given: tests make them small). */
  limits?: IntakeLimits;
  /** Where parses are kept (the corpus's parse cache): a file is parsed once, for its check and its serving. */
  parseCache?: ParseCache;
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function teamOf(key: string): Team {
  const team = parseTeamKey(key);
  // Keys come from the adapters' own reading of the platform's IDs: a bad one is a bug.
  if (!team) throw new Error(`library: ${JSON.stringify(key)} is not a team key`);
  return team;
}

// Long on purpose: a factory whose length is the desk's four commands (add, list, remove, check)
// and the answer, refusal and log helpers they share.
export function createLibraryDesk(options: LibraryDeskOptions): LibraryDesk {
  const { store, logger, bot } = options;
  const version = (team: string | null) => bot.libraryFor(team).corpus.version;

  const answer = (team: string, locale: Locale, message: string, lines: string[]): Reply => ({
    command: LIBRARY_COMMAND,
    title: wordsFor(locale).library.chat.title,
    message,
    blocks: lines.length > 0 ? [{ kind: 'text', text: lines.join('\n') }] : [],
    actions: [],
    results: [],
    corpusVersion: version(team),
  });

  const refusal = (team: string | null, code: string, message: string, locale: Locale): Reply => ({
    command: LIBRARY_COMMAND,
    title: wordsFor(locale).errors.title,
    message,
    blocks: [],
    actions: [],
    results: [],
    corpusVersion: version(team),
    error: { code, message },
  });

  /** Every change in the log: who, where, which team and file, and the file's hash. */
  const logChange = (change: 'add' | 'remove', team: string, by: Changer, entry: LibraryEntry) =>
    logger.info(
      {
        library: team,
        change,
        platform: by.platform,
        user: by.userId,
        userName: by.name,
        where: by.where,
        file: entry.file,
        sha256: entry.sha256,
        bytes: entry.bytes,
      },
      `library: ${change === 'add' ? 'added' : 'removed'} a file`,
    );

  const refused = (team: string, by: Changer, result: { code: string; message: string; cause?: unknown }, locale: Locale, change: 'add' | 'remove'): Reply => {
    if (result.code === 'unsaved') logger.error({ err: result.cause, library: team, change, user: by.userId }, 'library: a change could not be saved');
    else logger.info({ library: team, change, platform: by.platform, user: by.userId, where: by.where, refused: result.code }, 'library: a change was refused');
    return refusal(team, result.code, result.message, locale);
  };

  const at = (iso: string, locale: Locale) => wordsFor(locale).library.chat.at(iso.slice(0, 10), iso.slice(11, 16));

  return {
    store,
    maxBytes: options.maxBytes,
    refusal,
    async add(team, request, by, locale) {
      const result = await addFromUrl(
        store,
        teamOf(team),
        { ...request, locale, ...(options.limits ? { limits: options.limits } : {}) },
        { platform: by.platform, userId: by.userId, name: by.name },
        { locale },
      );
      if (!result.ok) return refused(team, by, result, locale, 'add');
      logChange('add', team, by, result.entry);
      bot.libraryChanged(team);
      // Once the team is served the file, the passage IDs it brought, for /context and /cite.
      const served = await bot.libraryReady?.(team);
      const file = served?.corpus.files.findLast((f) => f.file === result.entry.file);
      const passages = (file?.essays ?? []).flatMap((e) => {
        const ids = e.sections.flatMap((s) => s.paragraphs.map((p) => p.id));
        return ids.length === 0 ? [] : [ids.length === 1 ? (ids[0] as string) : `${ids[0]} – ${ids.at(-1)}`];
      });
      const lines = passages.length > 0 ? [...result.report, '', wordsFor(locale).library.chat.passages(passages.join('; '))] : result.report;
      return answer(team, locale, wordsFor(locale).library.chat.added(result.entry.file), lines);
    },
    async list(team, locale) {
      const t = wordsFor(locale).library.chat;
      const entries = await store.list(teamOf(team));
      if (entries.length === 0) return answer(team, locale, t.empty, []);
      const used = entries.reduce((n, e) => n + e.bytes, 0);
      const lines = entries.map((e) => t.entry(e.file, megabytes(e.bytes), e.addedBy.name, at(e.addedAt, locale)));
      return answer(team, locale, t.total(entries.length, megabytes(used), megabytes(options.maxBytes)), lines);
    },
    async remove(team, file, by, locale) {
      const result = await store.remove(teamOf(team), file.trim(), { locale });
      if (!result.ok) return refused(team, by, result, locale, 'remove');
      logChange('remove', team, by, result.entry);
      bot.libraryChanged(team);
      return answer(team, locale, wordsFor(locale).library.chat.removed(result.entry.file), []);
    },
    async check(team, locale) {
      const t = wordsFor(locale).library.chat;
      const key = teamOf(team);
      const entries = await store.list(key);
      if (entries.length === 0) return answer(team, locale, t.empty, []);
      const lines: string[] = [];
      // One file at a time: a PDF's parse runs in a worker and takes seconds; several at once would crowd the machine.
      for (const entry of entries) {
        const bytes = await store.read(key, entry.file);
        const type = bytes ? sniffType(bytes) : null;
        if (!bytes || !type) {
          lines.push(t.missing(entry.file));
          continue;
        }
        const checked = await checkFile({ name: entry.file, type, bytes }, locale, options.parseCache);
        lines.push(...(checked.ok ? checked.report : [checked.message]));
      }
      return answer(team, locale, t.checked(entries.length), lines);
    },
    async files(team, typed) {
      const needle = typed.trim().toLowerCase();
      const names = (await store.list(teamOf(team))).map((e) => e.file);
      return [
        ...names.filter((n) => n.toLowerCase().startsWith(needle)),
        ...names.filter((n) => !n.toLowerCase().startsWith(needle) && n.toLowerCase().includes(needle)),
      ];
    },
  };
}
