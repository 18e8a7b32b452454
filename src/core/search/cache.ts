import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Corpus } from '../corpus/model.js';
import { BUILD_ID } from '../corpus/parse-cache.js';
import { createIndex, type IndexOptions, loadIndex, serializeIndex } from './corpus-index.js';
import type { CorpusIndex } from './search.js';

/**
 * A prebuilt index on disk, keyed by the corpus version (a hash of every file's content), so
 * that a large corpus starts without rebuilding its index. A cache file is only ever read
 * for the very corpus it was written from; anything wrong with it (missing, truncated, of an
 * older format) means a rebuild, never a failure to start.
 */

/** Bumped whenever tokenizing or the index's layout changes, so old caches are not read. */
const CACHE_FORMAT = 4;

export interface CachedIndex {
  index: CorpusIndex;
  /** `hit`: read from the cache; `built`: built and written; `unwritable`: built, but the cache could not be written. */
  source: 'hit' | 'built' | 'unwritable';
  file: string;
}

function cacheName(corpus: Corpus, tokenizer: string): string {
  // The build is part of the name: a cache is read only by the code that wrote it.
  return `index-${tokenizer}-v${CACHE_FORMAT}-${BUILD_ID ?? 'source'}-${corpus.version}.bin`;
}

/** Caches that will never be read again: this tokenizer's of other versions, and those of older layouts. */
function isStale(other: string, current: string, tokenizer: string): boolean {
  if (other === current || !other.startsWith('index-') || !/\.(?:bin|json)$/u.test(other)) return false;
  return other.startsWith(`index-${tokenizer}-`) || /^index-v\d/u.test(other);
}

/** Reads the corpus's index from `cacheDir`, or builds it and writes it there for next time. */
export async function loadOrBuildIndex(corpus: Corpus, cacheDir: string, options: IndexOptions = {}): Promise<CachedIndex> {
  const tokenizer = options.engine?.tokenizer ?? 'chinese';
  const name = cacheName(corpus, tokenizer);
  const file = join(cacheDir, name);
  try {
    return { index: loadIndex(corpus, await readFile(file), options), source: 'hit', file };
  } catch {
    // Missing or unreadable: build it.
  }
  const index = createIndex(corpus, options);
  try {
    await mkdir(cacheDir, { recursive: true });
    // Written beside and renamed, so a reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, serializeIndex(index));
    await rename(partial, file);
    for (const other of await readdir(cacheDir)) {
      if (isStale(other, name, tokenizer)) await rm(join(cacheDir, other), { force: true });
    }
    return { index, source: 'built', file };
  } catch {
    return { index, source: 'unwritable', file };
  }
}
