import { type CacheStore, createCacheStore } from '../cache/store.js';
import type { CorpusFile } from './model.js';
import { decodeParsed, encodeParsed } from './parsed-file.js';

/*
 * Parsed corpus files on disk, keyed by the build that parsed them and by the file's content
 * hash: the same bytes in two corpora (or under two names) are parsed once. Reading a parsed
 * file back is faster than parsing it again, above all because parsing makes passage IDs
 * with pinyin-pro, whose dictionaries alone take as long to load as the rest of a CLI
 * answer. A cache entry is only ever read for the very bytes and code that wrote it;
 * anything wrong with it means a fresh parse, never a failure.
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

/**
 * Whether a parsed file depends on its name beyond naming itself: an essay without authors
 * takes its ID (and, with no title, its title) from the file's name, as does an editor's note
 * outside a symposium. Such a file read under another name is parsed again.
 */
function nameBound(file: CorpusFile): boolean {
  return file.essays.some((e) => e.authors.length === 0 && (e.kind === 'essay' || e.symposium === null));
}

/** A parsed file read from the cache under another name: the names it keeps of itself changed, nothing else. */
function rename(file: CorpusFile, name: string): CorpusFile {
  file.file = name;
  for (const e of file.essays) e.file = name;
  for (const w of file.warnings) w.file = name;
  return file;
}

/** A parse cache in `store` for the parser of build `buildId`. */
export function createParseCache(store: CacheStore, buildId: string): ParseCache {
  // The parsed file's strings in one UTF-16 buffer and its structure in numbers (parsed-file.ts):
  // JSON of the same, read back, was most of a warm archive start.
  const entry = (hash: string) => `parsed-${buildId}-${hash.slice(0, 40)}.yzp`;
  return {
    async get(name, hash) {
      const data = await store.read(entry(hash));
      if (data === null) return null;
      try {
        const parsed = decodeParsed(data);
        if (parsed.hash !== hash) return null;
        if (parsed.file === name) return parsed;
        return nameBound(parsed) ? null : rename(parsed, name);
      } catch {
        return null;
      }
    },
    async put(file) {
      // A cache that cannot be written only costs the next start a parse.
      await store.write(entry(file.hash), encodeParsed(file));
    },
  };
}

/** The parse cache of this build in `dir` (bounded by `maxBytes`), or none when running from source. */
export function parseCacheIn(dir: string, maxBytes?: number): ParseCache | undefined {
  return BUILD_ID === undefined ? undefined : createParseCache(createCacheStore(dir, maxBytes), BUILD_ID);
}
