import { randomUUID } from 'node:crypto';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from '../core/dispatch/bot.js';
import { isCleanName } from '../core/library/intake.js';
import {
  type AddedBy,
  type AddResult,
  DEFAULT_LIBRARY_MAX_MB,
  type LibraryEntry,
  type LibraryStore,
  type RemoveResult,
  refusalFor,
  sha256,
} from '../core/library/store.js';
import { parseTeamKey, type Team, teamKey } from '../core/library/team.js';
import type { Locale } from '../core/reply/model.js';
import { wordsFor } from '../core/words/index.js';
import { type Database, retried } from './database.js';

/*
 * The teams' libraries in PostgreSQL, for replicas that share nothing else: each file's bytes
 * and what the manifest says of it are a row of `library_files`, and a change is one
 * transaction that also bumps the library's version and announces it (pg_notify, delivered
 * to every replica when the transaction commits). Changes to one library are taken one at a
 * time by an advisory lock on its key. An add is acknowledged only once committed; a write
 * that meets a lost connection is tried again (`retried`), and an add that did land before the
 * connection broke is recognised on the retry as done, not refused as a duplicate.
 */

/** Where changes to the libraries are announced; the payload says which library and which replica. */
export const LIBRARY_CHANNEL = 'yinzheng_library';

interface Row {
  name: string;
  hash: string;
  size: number;
  added_by: string | null;
  added_at: Date;
}

function entryOf(row: Row): LibraryEntry {
  const addedBy = (row.added_by ? JSON.parse(row.added_by) : { platform: 'discord', userId: '', name: '' }) as AddedBy;
  return { file: row.name, sha256: row.hash, bytes: row.size, addedBy, addedAt: row.added_at.toISOString() };
}

export interface DatabaseLibraryStore extends LibraryStore {
  /**
   * Calls `changed(team key)` when another replica changed a team's library, or when one may
   * have changed unseen (after a reconnection). Resolves once it listens.
   */
  follow(changed: (team: string) => void): Promise<void>;
}

function keyOf(team: Team): string {
  const key = teamKey(team);
  if (key === null) throw new Error(`library: ${team.kind} ID ${JSON.stringify(team.id)} is not one the platform issues`);
  return key;
}

/** The pool or one client in a transaction: either lists. */
interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

async function listOn(client: Queryable, key: string): Promise<LibraryEntry[]> {
  const { rows } = await client.query<Row>('SELECT name, hash, size, added_by, added_at FROM library_files WHERE library = $1 ORDER BY added_at, name', [key]);
  return rows.map(entryOf);
}

/** Takes the library's lock for the transaction: changes to one library (the corpus's too) go one at a time. */
export async function lockLibrary(client: PoolClient, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`library:${key}`]);
}

/** Bumps the library's version and announces the change on `channel`, delivered when the transaction commits. */
export async function announce(client: PoolClient, key: string, channel: string, payload: string): Promise<void> {
  await client.query(
    `INSERT INTO library_versions (library, version) VALUES ($1, 1)
     ON CONFLICT (library) DO UPDATE SET version = library_versions.version + 1`,
    [key],
  );
  await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

// Long on purpose: a factory whose length is the store's operations over one database, each
// a transaction of a few statements.
export function createDatabaseLibraryStore(db: Database, options: { maxBytes?: number; logger: Logger }): DatabaseLibraryStore {
  const maxBytes = options.maxBytes ?? DEFAULT_LIBRARY_MAX_MB * 1024 * 1024;
  /** This replica, in its own announcements: it has already followed its own changes. */
  const origin = randomUUID();
  /** The version of each library this replica last knew, to tell after a reconnection which changed unseen. */
  const known = new Map<string, string>();

  async function versions(): Promise<Map<string, string>> {
    const { rows } = await db.query<{ library: string; version: string }>("SELECT library, version FROM library_versions WHERE library <> ''");
    return new Map(rows.map((r) => [r.library, r.version]));
  }

  /**
   * One change to a library: a transaction under its lock over its entries, repeated on a lost
   * connection (`retry` is true from the second try: the first may have committed, its answer
   * lost), announced by `apply` when it writes; refused as unsaved if the database stays away.
   */
  async function change<R extends AddResult | RemoveResult>(
    key: string,
    locale: Locale,
    apply: (client: PoolClient, entries: LibraryEntry[], retry: boolean) => Promise<R>,
  ): Promise<R | { ok: false; code: 'unsaved'; message: string; cause: unknown }> {
    let tries = 0;
    try {
      return await retried(() =>
        db.transaction(async (client) => {
          tries += 1;
          await lockLibrary(client, key);
          return apply(client, await listOn(client, key), tries > 1);
        }),
      );
    } catch (cause) {
      return { ok: false, code: 'unsaved', message: wordsFor(locale).library.refusals.unsaved, cause };
    }
  }

  return {
    async teams() {
      const { rows } = await db.query<{ library: string }>("SELECT DISTINCT library FROM library_files WHERE library <> '' ORDER BY library");
      return rows.map((r) => r.library).filter((key) => parseTeamKey(key) !== null);
    },
    list: (team) => listOn(db, keyOf(team)),
    async read(team, file) {
      const { rows } = await db.query<{ bytes: Buffer }>('SELECT bytes FROM library_files WHERE library = $1 AND name = $2', [keyOf(team), file]);
      return rows[0] ? new Uint8Array(rows[0].bytes.buffer, rows[0].bytes.byteOffset, rows[0].bytes.byteLength) : null;
    },
    async admit(team, file, { locale = 'en' } = {}) {
      const t = wordsFor(locale).library.refusals;
      try {
        // The check before a write waits for the database as the write does.
        const entries = await retried(() => listOn(db, keyOf(team)));
        return refusalFor(entries, { name: file.name, hash: sha256(file.bytes), size: file.bytes.byteLength }, maxBytes, t);
      } catch (cause) {
        return { ok: false, code: 'unsaved', message: t.unsaved, cause };
      }
    },
    async add(team, file, addedBy, { locale = 'en', now = new Date() } = {}): Promise<AddResult> {
      const key = keyOf(team);
      if (!isCleanName(file.name)) throw new Error(`library: ${JSON.stringify(file.name)} is not a cleaned name (see intake.cleanName)`);
      const hash = sha256(file.bytes);
      const size = file.bytes.byteLength;
      return change(key, locale, async (client, entries, retry): Promise<AddResult> => {
        // A retry after a commit whose answer was lost finds its own row: that add is done.
        const landed = retry ? entries.find((e) => e.file === file.name && e.sha256 === hash) : undefined;
        if (landed) return { ok: true, entry: landed };
        const refused = refusalFor(entries, { name: file.name, hash, size }, maxBytes, wordsFor(locale).library.refusals);
        if (refused) return refused;
        const entry: LibraryEntry = { file: file.name, sha256: hash, bytes: size, addedBy, addedAt: now.toISOString() };
        await client.query('INSERT INTO library_files (library, name, hash, bytes, size, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          key,
          file.name,
          hash,
          Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
          size,
          JSON.stringify(addedBy),
          now,
        ]);
        await announce(client, key, LIBRARY_CHANNEL, JSON.stringify({ library: key, origin }));
        return { ok: true, entry };
      });
    },
    async remove(team, file, { locale = 'en' } = {}): Promise<RemoveResult> {
      const key = keyOf(team);
      let removed: LibraryEntry | undefined;
      return change(key, locale, async (client, entries, retry): Promise<RemoveResult> => {
        const entry = entries.find((e) => e.file === file);
        if (!entry) {
          // A retry after a commit whose answer was lost: the file is gone, as asked.
          if (retry && removed) return { ok: true, entry: removed };
          return {
            ok: false,
            code: 'notFound',
            message: wordsFor(locale).library.refusals.notFound(
              file,
              entries.map((e) => e.file),
            ),
          };
        }
        removed = entry;
        await client.query('DELETE FROM library_files WHERE library = $1 AND name = $2', [key, file]);
        await announce(client, key, LIBRARY_CHANNEL, JSON.stringify({ library: key, origin }));
        return { ok: true, entry };
      });
    },
    async follow(changed) {
      /** Announcements may have been missed (before listening, or while reconnecting): what changed is what has another version. */
      const catchUp = () =>
        versions().then(
          (now) => {
            for (const key of new Set([...now.keys(), ...known.keys()])) {
              if (now.get(key) !== known.get(key) && parseTeamKey(key) !== null) changed(key);
            }
            known.clear();
            for (const [library, version] of now) known.set(library, version);
          },
          (error: unknown) => options.logger.warn({ err: error }, 'library: could not read the libraries’ versions after reconnecting'),
        );
      await db.listen(LIBRARY_CHANNEL, (payload) => {
        if (payload === null) {
          void catchUp();
          return;
        }
        let message: { library?: unknown; origin?: unknown };
        try {
          message = JSON.parse(payload) as typeof message;
        } catch {
          return;
        }
        if (typeof message.library !== 'string' || parseTeamKey(message.library) === null) return;
        known.delete(message.library);
        if (message.origin !== origin) changed(message.library);
      });
      // The versions as of listening: a library loaded before is as this replica last read it.
      const now = await versions().catch(() => new Map<string, string>());
      for (const [library, version] of now) known.set(library, version);
    },
  };
}
