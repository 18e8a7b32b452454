import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneAtATime } from '../core/corpus/watch.js';
import type { Logger } from '../core/dispatch/bot.js';
import { sha256 } from '../core/library/store.js';
import { type Database, retried } from './database.js';
import { announce, lockLibrary } from './libraries.js';

/*
 * The operator's corpus shared through PostgreSQL, so that replicas need no shared folder and
 * no watch of one (network filesystems send no change events). The corpus is the library
 * with the empty key in `library_files`. The operator's indexer (`npm run corpus:publish`, or
 * the first replica to start, which seeds an empty database from its CORPUS_DIR) publishes a
 * folder's files in one transaction that announces the change; every replica keeps a mirror
 * of the shared corpus in a local folder (DATA_DIR/corpus), brings it up to date on each
 * announcement (and after a reconnection, when one may have been missed), and serves that
 * folder, whose watcher swaps in the new version as for any edit of a corpus folder.
 */

/** Where a change to the shared corpus is announced. */
export const CORPUS_CHANNEL = 'yinzheng_corpus';
/** The library key of the operator's corpus in `library_files`. */
const CORPUS = '';
/** What a corpus folder holds: the essays and their citation metadata. */
const SHARED_FILE = /^[^./\\][^/\\]*\.(?:txt|pdf|meta\.json)$/iu;

export interface Published {
  added: string[];
  replaced: string[];
  removed: string[];
}

async function folderFiles(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && SHARED_FILE.test(e.name)).map((e) => e.name);
  const files = new Map<string, Buffer>();
  for (const name of names.sort()) files.set(name, await readFile(join(dir, name)));
  return files;
}

/**
 * Makes the shared corpus the files of `dir`: adds, replaces and removes to match, in one
 * transaction announced to every replica. With `seedOnly`, does so only when the database has
 * no corpus yet (the first replica to start), and returns null otherwise.
 */
export async function publishCorpus(db: Database, dir: string, { seedOnly = false } = {}): Promise<Published | null> {
  const files = await folderFiles(dir);
  return retried(() =>
    db.transaction(async (client) => {
      await lockLibrary(client, CORPUS);
      if (seedOnly) {
        const { rowCount } = await client.query('SELECT 1 FROM library_versions WHERE library = $1', [CORPUS]);
        if (rowCount) return null;
      }
      const { rows } = await client.query<{ name: string; hash: string }>('SELECT name, hash FROM library_files WHERE library = $1', [CORPUS]);
      const shared = new Map(rows.map((r) => [r.name, r.hash]));
      const done: Published = { added: [], replaced: [], removed: [] };
      for (const [name, bytes] of files) {
        const hash = sha256(bytes);
        const before = shared.get(name);
        if (before === hash) continue;
        await client.query(
          `INSERT INTO library_files (library, name, hash, bytes, size) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (library, name) DO UPDATE SET hash = EXCLUDED.hash, bytes = EXCLUDED.bytes, size = EXCLUDED.size, added_at = now()`,
          [CORPUS, name, hash, bytes, bytes.byteLength],
        );
        (before === undefined ? done.added : done.replaced).push(name);
      }
      for (const name of shared.keys()) {
        if (files.has(name)) continue;
        await client.query('DELETE FROM library_files WHERE library = $1 AND name = $2', [CORPUS, name]);
        done.removed.push(name);
      }
      // The first publish marks the corpus as there even when the folder is empty, so that no
      // later replica seeds it again.
      const changed = done.added.length + done.replaced.length + done.removed.length > 0;
      if (changed || seedOnly) await announce(client, CORPUS, CORPUS_CHANNEL, JSON.stringify(done));
      return done;
    }),
  );
}

/**
 * Brings the local mirror `dir` up to date with the shared corpus: writes what differs (each
 * file renamed into place whole), removes what is gone. Returns the names it changed.
 */
export async function mirrorCorpus(db: Database, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const { rows } = await db.query<{ name: string; hash: string }>('SELECT name, hash FROM library_files WHERE library = $1', [CORPUS]);
  const local = await folderFiles(dir);
  const changed: string[] = [];
  for (const { name, hash } of rows) {
    if (!SHARED_FILE.test(name)) continue;
    const here = local.get(name);
    if (here && sha256(here) === hash) continue;
    const fetched = await db.query<{ bytes: Buffer }>('SELECT bytes FROM library_files WHERE library = $1 AND name = $2', [CORPUS, name]);
    const bytes = fetched.rows[0]?.bytes;
    if (!bytes) continue;
    const partial = join(dir, `.${name}.${process.pid}.partial`);
    await writeFile(partial, bytes);
    await rename(partial, join(dir, name));
    changed.push(name);
  }
  const names = new Set(rows.map((r) => r.name));
  for (const name of local.keys()) {
    if (names.has(name)) continue;
    await rm(join(dir, name), { force: true });
    changed.push(name);
  }
  return changed;
}

/**
 * Keeps the mirror `dir` following the shared corpus: after each announcement (and each
 * reconnection) it is brought up to date, and `reload` called when something changed. One
 * update at a time; announcements during one make one more after it.
 */
export async function followCorpus(db: Database, dir: string, reload: () => Promise<unknown>, logger: Logger): Promise<void> {
  const update = oneAtATime(async () => {
    try {
      const changed = await mirrorCorpus(db, dir);
      if (changed.length > 0) {
        logger.info({ files: changed.length }, 'corpus: the shared corpus changed; reloading');
        await reload();
      }
    } catch (error) {
      logger.warn({ err: error }, 'corpus: the shared corpus could not be read; serving the last version');
    }
  });
  await db.listen(CORPUS_CHANNEL, () => void update());
  // What was published between the mirror's first update and the LISTEN.
  void update();
}
