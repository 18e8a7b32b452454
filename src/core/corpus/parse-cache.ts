import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusFile } from './model.js';

/*
 * Parsed corpus files on disk, keyed by the build that parsed them and by the file's name
 * and content hash. Reading a parsed file back is faster than parsing it again, above all
 * because parsing makes passage IDs with pinyin-pro, whose dictionaries alone take as long
 * to load as the rest of a CLI answer. A cache entry is only ever read for the very bytes
 * and code that wrote it; anything wrong with it means a fresh parse, never a failure.
 */

declare const __YINZHENG_BUILD__: string | undefined;

/**
 * A hash of the sources, set by the bundler (scripts/build.mjs). Undefined when running from
 * source (tsx, vitest): there the parser may change between two runs, so nothing is cached.
 */
export const BUILD_ID: string | undefined = typeof __YINZHENG_BUILD__ === 'string' ? __YINZHENG_BUILD__ : undefined;

export interface ParseCache {
  get(name: string, hash: string): Promise<CorpusFile | null>;
  put(file: CorpusFile): Promise<void>;
}

/** A cache in `dir/parsed/` for the parser of build `buildId`. */
export function createParseCache(dir: string, buildId: string): ParseCache {
  const folder = join(dir, 'parsed');
  // The name is part of the key: a parsed file names itself in its warnings.
  const path = (name: string, hash: string) => join(folder, `${buildId}-${hash.slice(0, 32)}-${encodeURIComponent(name)}.json`);
  return {
    async get(name, hash) {
      try {
        const parsed = JSON.parse(await readFile(path(name, hash), 'utf8')) as CorpusFile;
        if (parsed.file !== name || parsed.hash !== hash) return null;
        // As the parser gives them: a paragraph's raw text is its display text when the two are alike.
        for (const essay of parsed.essays) for (const s of essay.sections) for (const p of s.paragraphs) if (p.raw === p.text) p.raw = p.text;
        return parsed;
      } catch {
        return null;
      }
    },
    async put(file) {
      try {
        await mkdir(folder, { recursive: true });
        const target = path(file.file, file.hash);
        // Written beside and renamed, so a reader never sees half a file.
        const partial = `${target}.${process.pid}.partial`;
        await writeFile(partial, JSON.stringify(file));
        await rename(partial, target);
        // The same file's entries of other contents, and other builds' entries, will never be read again.
        const mine = `-${encodeURIComponent(file.file)}.json`;
        for (const other of await readdir(folder)) {
          if (join(folder, other) === target || other.endsWith('.partial')) continue;
          if (other.endsWith(mine) || !other.startsWith(`${buildId}-`)) await rm(join(folder, other), { force: true });
        }
      } catch {
        // A cache that cannot be written only costs the next start a parse.
      }
    },
  };
}

/** The parse cache of this build in `dir`, or none when running from source. */
export function parseCacheIn(dir: string): ParseCache | undefined {
  return BUILD_ID === undefined ? undefined : createParseCache(dir, BUILD_ID);
}
