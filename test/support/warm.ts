import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { registry } from '../../commands/index.js';
import { createCacheStore } from '../../src/core/cache/store.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { type Corpus, type Essay, essaysOf } from '../../src/core/corpus/model.js';
import { createParseCache } from '../../src/core/corpus/parse-cache.js';
import { type Bot, createBot } from '../../src/core/dispatch/bot.js';
import { loadOrBuildIndex } from '../../src/core/search/cache.js';
import { quietLogger } from './bot.js';

/** A corpus as a warm start serves it, and the same corpus freshly parsed, to compare replies with. */
export interface WarmCorpus {
  /** Parsed from the files, with the index built over it. */
  fresh: Corpus;
  /** Read back from the parse cache, with its index from the index cache: no paragraph made yet. */
  cached: Corpus;
  /** A bot over the cached corpus and its cached index. */
  bot: Bot;
  /** The essays of the cached corpus with at least one section whose paragraphs were made. */
  made(): Essay[];
  remove(): Promise<void>;
}

/**
 * Copies `files` into a folder of their own and reads them twice through a parse cache and an
 * index cache in a temporary folder, as `npm start` does on a warm start (issue 24): the second
 * read makes a section's paragraphs only when something reads them.
 */
export async function warmCorpus(files: readonly string[]): Promise<WarmCorpus> {
  const dir = await mkdtemp(join(tmpdir(), 'yz-warm-corpus-'));
  const cacheDir = await mkdtemp(join(tmpdir(), 'yz-warm-cache-'));
  for (const file of files) await copyFile(file, join(dir, basename(file)));
  const parseCache = createParseCache(createCacheStore(cacheDir), 'build-warm');
  const fresh = await loadCorpus(dir, { parseCache });
  await loadOrBuildIndex(fresh, cacheDir);
  const cached = await loadCorpus(dir, { parseCache });
  const { index, source } = await loadOrBuildIndex(cached, cacheDir);
  if (source !== 'hit') throw new Error(`the index cache gave ${source}, not a hit`);
  return {
    fresh,
    cached,
    bot: createBot({ commands: registry, library: { corpus: cached, index }, logger: quietLogger }),
    made: () => essaysOf(cached).filter((e) => e.sections.some((s) => Object.getOwnPropertyDescriptor(s, 'paragraphs')?.get === undefined)),
    async remove() {
      await rm(dir, { recursive: true, force: true });
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
