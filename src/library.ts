import type { Corpus } from './core/corpus/model.js';
import type { Library } from './core/dispatch/bot.js';
import { loadOrBuildIndex } from './core/search/cache.js';
import { createIndex } from './core/search/corpus-index.js';

/**
 * Paragraphs above which the index is read from (or written to) the on-disk cache. A small
 * corpus builds faster than its cache file is read, and then nothing is written to disk.
 */
export const CACHE_ABOVE_PARAGRAPHS = 2000;

function paragraphCount(corpus: Corpus): number {
  let n = 0;
  for (const file of corpus.files) for (const essay of file.essays) for (const section of essay.sections) n += section.paragraphs.length;
  return n;
}

/** The corpus with its index: from the cache keyed by the corpus version when the corpus is large. */
export async function openLibrary(corpus: Corpus, cacheDir: string): Promise<Library> {
  if (paragraphCount(corpus) <= CACHE_ABOVE_PARAGRAPHS) return { corpus, index: createIndex(corpus) };
  const { index } = await loadOrBuildIndex(corpus, cacheDir);
  return { corpus, index };
}
