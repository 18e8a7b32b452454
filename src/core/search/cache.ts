import { join } from 'node:path';
import { createCacheStore } from '../cache/store.js';
import type { Corpus } from '../corpus/model.js';
import { BUILD_ID } from '../corpus/parse-cache.js';
import { createIndex, type IndexOptions, loadIndex, serializeIndex } from './corpus-index.js';
import type { CorpusIndex } from './search.js';

/**
 * A prebuilt index on disk, keyed by the corpus version (a hash of every file's content and
 * name), the tokenizer, the layout and the build, so that a large corpus starts without
 * rebuilding its index. A cache file is only ever read
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

/**
 * Reads the corpus's index from `cacheDir`, or builds it and writes it there for next time.
 * Another corpus's index in the same folder is left for it (the folder is bounded by size,
 * least recently used first: see cache/store.ts).
 */
export async function loadOrBuildIndex(corpus: Corpus, cacheDir: string, options: IndexOptions & { maxBytes?: number } = {}): Promise<CachedIndex> {
  const tokenizer = options.engine?.tokenizer ?? 'chinese';
  const store = createCacheStore(cacheDir, options.maxBytes);
  const name = cacheName(corpus, tokenizer);
  const file = join(cacheDir, name);
  const cached = await store.read(name);
  if (cached !== null) {
    try {
      return { index: loadIndex(corpus, cached, options), source: 'hit', file };
    } catch {
      // Truncated, corrupt or of another layout: build it again.
    }
  }
  const index = createIndex(corpus, options);
  return { index, source: (await store.write(name, serializeIndex(index))) ? 'built' : 'unwritable', file };
}
