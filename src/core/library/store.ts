import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Locale } from '../reply/model.js';
import { type Words, wordsFor } from '../words/index.js';
import { isCleanName } from './intake.js';
import { DEFAULT_LIBRARY_MAX_MB } from './quota.js';
import { parseTeamKey, type Team, teamKey } from './team.js';

/*
 * A team's own library on disk: DATA_DIR/libraries/<team>/ holds the files as uploaded (under
 * their cleaned names) and manifest.json, which says which of them the library has, who added
 * each and when. The manifest is the truth: a file in the folder it does not name (left by a
 * process that died between the two renames) is not served, and is overwritten by the next add
 * of that name.
 *
 * Every write goes to a hidden partial file renamed into place, the file first and the manifest
 * last, so a reader (this process or another sharing DATA_DIR) sees the library before or after
 * a change, never half of one, and a change that fails leaves it as it was. The manifest is read
 * again for every operation: it is a few hundred bytes, and another process may have changed it.
 * Changes to one library are taken one at a time: in a process by a queue, between processes by
 * a lock file beside the manifest.
 */

export { DEFAULT_LIBRARY_MAX_MB } from './quota.js';

const MANIFEST = 'manifest.json';
const LOCK = '.lock';
/** A lock older than this was left by a process that died mid-change: a change takes milliseconds. */
const STALE_LOCK_MS = 30_000;
/** How long a change waits for another process's before giving up (and saying so). */
const LOCK_WAIT_MS = 10_000;
const LOCK_RETRY_MS = 20;

const AddedBySchema = z.object({
  platform: z.enum(['discord', 'slack']),
  userId: z.string(),
  /** The name the platform showed when the file was added (for `list`; IDs do not read). */
  name: z.string(),
});

const EntrySchema = z.object({
  file: z.string().refine(isCleanName),
  sha256: z.string().regex(/^[0-9a-f]{64}$/u),
  bytes: z.number().int().nonnegative(),
  addedBy: AddedBySchema,
  /** ISO 8601, UTC. */
  addedAt: z.string(),
});

const ManifestSchema = z.object({ version: z.literal(1), files: z.array(EntrySchema) });

/** One file of a team's library, as its manifest records it. */
export type LibraryEntry = z.infer<typeof EntrySchema>;
/** Who added a file: kept for `list` and the change log. */
export type AddedBy = z.infer<typeof AddedBySchema>;

export type AddRefusalCode = 'duplicate' | 'nameTaken' | 'quota' | 'unsaved';
export type RemoveRefusalCode = 'notFound' | 'unsaved';

/** A refused change: a code for logs and tests, a message for the user, and for `unsaved` the error to log. */
export type StoreRefusal<C extends string> = { ok: false; code: C; message: string; cause?: unknown };

export type AddResult = { ok: true; entry: LibraryEntry } | StoreRefusal<AddRefusalCode>;
export type RemoveResult = { ok: true; entry: LibraryEntry } | StoreRefusal<RemoveRefusalCode>;

/**
 * A team's library: in files, one folder per team (createLibraryStore), or in PostgreSQL when
 * replicas share it (src/db/libraries.ts).
 */
export interface LibraryStore {
  /** The keys of the teams that have a library (src/core/library/team.ts). */
  teams(): Promise<string[]>;
  /** The library's files in the order they were added; empty when the team has added none. Throws when the manifest cannot be read (a bug or a hand edit: log it). */
  list(team: Team): Promise<LibraryEntry[]>;
  /** A file's bytes, or null when the library has no such file. */
  read(team: Team, file: string): Promise<Uint8Array | null>;
  /** Adds a file checked by intake (a clean name, its bytes); refuses the same content twice and anything past the quota. */
  add(team: Team, file: { name: string; bytes: Uint8Array }, addedBy: AddedBy, options?: { locale?: Locale; now?: Date }): Promise<AddResult>;
  /**
   * What add would refuse now, without writing: for a caller to check before the costly part (a
   * PDF's parse takes seconds). add checks again, since another change may come between.
   */
  admit(team: Team, file: { name: string; bytes: Uint8Array }, options?: { locale?: Locale }): Promise<StoreRefusal<AddRefusalCode> | null>;
  remove(team: Team, file: string, options?: { locale?: Locale }): Promise<RemoveResult>;
}

/** The store in DATA_DIR/libraries, one folder per team. */
export interface FileLibraryStore extends LibraryStore {
  /** DATA_DIR/libraries. */
  readonly dir: string;
  /** The team's folder. */
  folder(team: Team): string;
}

export interface LibraryStoreOptions {
  /** DATA_DIR/libraries. */
  dir: string;
  /** The quota of each library in bytes (LIBRARY_MAX_MB). */
  maxBytes?: number;
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A name beside `path` no other writer picks, hidden and never a clean name, so never served. */
function partialOf(folder: string, name: string): string {
  return join(folder, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.partial`);
}

async function writeAtomic(folder: string, name: string, data: string | Uint8Array): Promise<void> {
  const partial = partialOf(folder, name);
  try {
    await writeFile(partial, data);
    await rename(partial, join(folder, name));
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function readManifest(folder: string): Promise<LibraryEntry[]> {
  let text: string;
  try {
    text = await readFile(join(folder, MANIFEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // A manifest that is not ours is an error to log, never an empty library to write over.
  return ManifestSchema.parse(JSON.parse(text)).files;
}

/**
 * Removes what a process that died mid-change left in the folder: partial files, and a file
 * renamed into place whose manifest never followed. Only under the lock, where no other change
 * is under way, so that anything the manifest does not name is such a leftover.
 */
async function sweep(folder: string, entries: LibraryEntry[]): Promise<void> {
  const keep = new Set([MANIFEST, LOCK, ...entries.map((e) => e.file)]);
  for (const name of await readdir(folder)) if (!keep.has(name)) await rm(join(folder, name), { force: true, recursive: true });
}

function manifestText(files: LibraryEntry[]): string {
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}

/** Holds the folder's lock file while `change` runs; another process's change waits for it. */
async function withLock<T>(folder: string, change: () => Promise<T>): Promise<T> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, LOCK);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(path, { force: true });
      else if (Date.now() > deadline) throw new Error(`library: ${path} is held by another process`);
      else await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
  try {
    return await change();
  } finally {
    await rm(path, { force: true });
  }
}

/** Why the library would refuse a file, or null: the same content, the name taken, or past the quota. */
export function refusalFor(
  entries: LibraryEntry[],
  file: { name: string; hash: string; size: number },
  maxBytes: number,
  t: Words['library']['refusals'],
): StoreRefusal<AddRefusalCode> | null {
  const same = entries.find((e) => e.sha256 === file.hash);
  if (same) return { ok: false, code: 'duplicate', message: t.duplicate(same.file) };
  if (entries.some((e) => e.file === file.name)) return { ok: false, code: 'nameTaken', message: t.nameTaken(file.name) };
  const used = entries.reduce((n, e) => n + e.bytes, 0);
  if (used + file.size > maxBytes) return { ok: false, code: 'quota', message: t.quota(megabytes(used), megabytes(file.size), megabytes(maxBytes)) };
  return null;
}

// Long on purpose: a factory whose length is the store's operations (list, read, admit, add,
// remove), each a few lines over the same folder, manifest and lock.
export function createLibraryStore(options: LibraryStoreOptions): FileLibraryStore {
  const maxBytes = options.maxBytes ?? DEFAULT_LIBRARY_MAX_MB * 1024 * 1024;
  /** The last change queued per folder: this process's changes to a library run one after another. */
  const queues = new Map<string, Promise<unknown>>();

  const folder = (team: Team): string => {
    const key = teamKey(team);
    // The adapters take team IDs from the platform's own payloads: a bad one is a bug, not input.
    if (key === null) throw new Error(`library: ${team.kind} ID ${JSON.stringify(team.id)} is not one the platform issues`);
    return join(options.dir, key);
  };

  function serial<T>(dir: string, change: () => Promise<T>): Promise<T> {
    const run = (queues.get(dir) ?? Promise.resolve()).then(() => withLock(dir, change));
    const settled = run.catch(() => {});
    queues.set(dir, settled);
    void settled.then(() => {
      if (queues.get(dir) === settled) queues.delete(dir);
    });
    return run;
  }

  return {
    dir: options.dir,
    folder,
    async teams() {
      const names = await readdir(options.dir).catch(() => [] as string[]);
      return names.filter((name) => parseTeamKey(name) !== null);
    },
    list: (team) => readManifest(folder(team)),
    async read(team, file) {
      const dir = folder(team);
      const entries = await readManifest(dir);
      if (!entries.some((e) => e.file === file)) return null;
      return readFile(join(dir, file)).catch(() => null);
    },
    async admit(team, file, { locale = 'en' } = {}) {
      const t = wordsFor(locale).library.refusals;
      try {
        return refusalFor(await readManifest(folder(team)), { name: file.name, hash: sha256(file.bytes), size: file.bytes.byteLength }, maxBytes, t);
      } catch (cause) {
        return { ok: false, code: 'unsaved', message: t.unsaved, cause };
      }
    },
    async add(team, file, addedBy, { locale = 'en', now = new Date() } = {}) {
      const t = wordsFor(locale).library.refusals;
      const dir = folder(team);
      if (!isCleanName(file.name)) throw new Error(`library: ${JSON.stringify(file.name)} is not a cleaned name (see intake.cleanName)`);
      const hash = sha256(file.bytes);
      const size = file.bytes.byteLength;
      const refuse = (entries: LibraryEntry[]) => refusalFor(entries, { name: file.name, hash, size }, maxBytes, t);
      try {
        // Refused without the lock, so a refusal touches nothing, not even a team's first folder;
        // then checked again under it, since another change may have come between.
        const early = refuse(await readManifest(dir));
        if (early) return early;
        return await serial(dir, async (): Promise<AddResult> => {
          const entries = await readManifest(dir);
          const refused = refuse(entries);
          if (refused) return refused;
          const entry: LibraryEntry = { file: file.name, sha256: hash, bytes: size, addedBy, addedAt: now.toISOString() };
          await sweep(dir, entries);
          await writeAtomic(dir, file.name, file.bytes);
          try {
            await writeAtomic(dir, MANIFEST, manifestText([...entries, entry]));
          } catch (error) {
            // The manifest still names the files it did: the new file goes, and the library is as it was.
            await rm(join(dir, file.name), { force: true });
            throw error;
          }
          return { ok: true, entry };
        });
      } catch (cause) {
        return { ok: false, code: 'unsaved', message: t.unsaved, cause };
      }
    },
    async remove(team, file, { locale = 'en' } = {}) {
      const t = wordsFor(locale).library.refusals;
      const dir = folder(team);
      const notFound = (entries: LibraryEntry[]): RemoveResult => ({
        ok: false,
        code: 'notFound',
        message: t.notFound(
          file,
          entries.map((e) => e.file),
        ),
      });
      try {
        const before = await readManifest(dir);
        if (!before.some((e) => e.file === file)) return notFound(before);
        return await serial(dir, async (): Promise<RemoveResult> => {
          const entries = await readManifest(dir);
          const entry = entries.find((e) => e.file === file);
          if (!entry) return notFound(entries);
          // The manifest first: once it no longer names the file, no reader serves it.
          const rest = entries.filter((e) => e !== entry);
          await writeAtomic(dir, MANIFEST, manifestText(rest));
          await sweep(dir, rest);
          return { ok: true, entry };
        });
      } catch (cause) {
        return { ok: false, code: 'unsaved', message: t.unsaved, cause };
      }
    },
  };
}
