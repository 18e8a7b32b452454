import { mkdir, open, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * The cache folder (`CACHE_DIR`): parsed files and built indexes, each an entry named by what
 * it was made from (a content hash, the build, the format), never by a file's name or by one
 * corpus, so that several corpora and several processes share one folder and each finds what
 * any of them made. The folder is bounded by size: writing an entry evicts the least recently
 * used ones past `maxBytes`, a read marks an entry used (its mtime: atime is often not kept).
 * An entry is written beside and renamed into place, so a reader never sees half of one, and
 * anything wrong with an entry is a miss for the caller, which rebuilds it: never a failure.
 */

/** The default bound: room for the indexes and parsed files of a large archive on a laptop. */
export const DEFAULT_CACHE_MAX_MB = 512;

/** A partial write older than this was left by a process that died: it is removed. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;

/**
 * A buffer that entries are read into one after another, grown as one needs: a reader that
 * copies what it keeps out of each entry (an index segment) leaves no buffer per entry for the
 * collector (a warm archive start read 59 MB of segments, each buffer garbage once decoded).
 */
export interface ReadBuffer {
  bytes: Buffer;
}

export interface CacheStore {
  readonly dir: string;
  /**
   * The entry's bytes, or null when there is none or it cannot be read. Read `into` a buffer,
   * they are a view of it, good until its next read.
   */
  read(name: string, into?: ReadBuffer): Promise<Buffer | null>;
  /** Writes an entry whole and evicts past the bound; false when the folder cannot be written. */
  write(name: string, data: string | Uint8Array): Promise<boolean>;
}

/** Entry names are made by the code (hashes, versions), never by a user: checked all the same. */
function entryPath(dir: string, name: string): string {
  if (!/^[A-Za-z0-9._-]+$/u.test(name)) throw new Error(`cache: bad entry name ${name}`);
  return join(dir, name);
}

/** Removes the least recently used entries until the folder holds at most `maxBytes`, sparing `keep`. */
export async function evict(dir: string, maxBytes: number, keep: string | null = null, now = Date.now()): Promise<string[]> {
  const entries: Array<{ name: string; size: number; used: number }> = [];
  for (const name of await readdir(dir)) {
    try {
      const s = await stat(join(dir, name));
      if (!s.isFile()) continue;
      if (name.endsWith('.partial')) {
        if (now - s.mtimeMs > STALE_PARTIAL_MS) await rm(join(dir, name), { force: true });
        continue;
      }
      entries.push({ name, size: s.size, used: s.mtimeMs });
    } catch {
      // Removed by another process meanwhile.
    }
  }
  let total = entries.reduce((n, e) => n + e.size, 0);
  const removed: string[] = [];
  for (const e of entries.sort((a, b) => a.used - b.used || a.name.localeCompare(b.name))) {
    if (total <= maxBytes) break;
    if (e.name === keep) continue;
    await rm(join(dir, e.name), { force: true });
    total -= e.size;
    removed.push(e.name);
  }
  return removed;
}

/**
 * Evicting lists and stats the whole folder. After every write, the writes of a large
 * archive's few hundred entries (a parsed file and a segment each) grew quadratic: 400
 * writes of 100 KB took 3.5 s. A store evicts on its first write and then once the bytes it
 * wrote since pass this share of the bound, so the folder passes its bound by that much at most.
 */
const EVICT_EVERY_SHARE = 1 / 32;

/** A file's bytes, read into `into` (grown if it is too small), as a view of it good until its next read. */
export async function readInto(path: string, into: ReadBuffer): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    // Grown to the size, rounded up a little: the next entry is most likely about as large.
    if (into.bytes.byteLength < size) into.bytes = Buffer.allocUnsafeSlow(size + (size >> 3));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(into.bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return into.bytes.subarray(0, at);
  } finally {
    await file.close();
  }
}

export function createCacheStore(dir: string, maxBytes = DEFAULT_CACHE_MAX_MB * 1024 * 1024): CacheStore {
  let unevicted = Number.POSITIVE_INFINITY;
  return {
    dir,
    async read(name, into) {
      const path = entryPath(dir, name);
      try {
        const data = into ? await readInto(path, into) : await readFile(path);
        const now = new Date();
        await utimes(path, now, now).catch(() => {});
        return data;
      } catch {
        return null;
      }
    },
    async write(name, data) {
      const path = entryPath(dir, name);
      try {
        await mkdir(dir, { recursive: true });
        const partial = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
        await writeFile(partial, data);
        await rename(partial, path);
        unevicted += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
        if (unevicted > maxBytes * EVICT_EVERY_SHARE) {
          unevicted = 0;
          await evict(dir, maxBytes, name);
        }
        return true;
      } catch {
        return false;
      }
    },
  };
}
