import type { Corpus } from './core/corpus/model.js';
import { BUILD_ID } from './core/corpus/parse-cache.js';
import type { Library } from './core/dispatch/bot.js';
import { loadOrBuildIndex } from './core/search/cache.js';
import { createIndex } from './core/search/corpus-index.js';

/**
 * Paragraphs above which the index is read from (or written to) the on-disk cache even when
 * running from source. The built bot caches every corpus: reading the bundled essays' index
 * back is faster than building it (`npm run bench`, cold start), and a CLI answer is mostly
 * start-up. From source the code may change between runs, so only a corpus too large to
 * rebuild at every start is cached there (keyed by the tokenizer's format version).
 */
export const CACHE_ABOVE_PARAGRAPHS = 2000;

function paragraphCount(corpus: Corpus): number {
  let n = 0;
  for (const file of corpus.files) for (const essay of file.essays) for (const section of essay.sections) n += section.paragraphs.length;
  return n;
}

/** The corpus with its index: its segments from the cache, keyed by each file's content (and the build), when it pays. */
export async function openLibrary(corpus: Corpus, cacheDir: string, cacheMaxBytes?: number): Promise<Library> {
  if (BUILD_ID === undefined && paragraphCount(corpus) <= CACHE_ABOVE_PARAGRAPHS) return { corpus, index: createIndex(corpus) };
  const { index } = await loadOrBuildIndex(corpus, cacheDir, { ...(cacheMaxBytes ? { maxBytes: cacheMaxBytes } : {}) });
  return { corpus, index };
}
