import { type FSWatcher, watch } from 'node:fs';
import type { Bot, Library, Logger } from '../dispatch/bot.js';
import { loadCorpus, whyUnservable } from './load.js';
import { type Corpus, formatWarning } from './model.js';
import type { ParseCache } from './parse-cache.js';

export type ReloadOutcome =
  | { kind: 'unchanged'; version: string }
  | { kind: 'replaced'; from: string; to: string }
  | { kind: 'kept'; version: string; reason: string };

export interface CorpusWatcher {
  /** Reloads now (the watcher calls this after a debounced change). */
  reload(): Promise<ReloadOutcome>;
  close(): void;
}

export interface WatchOptions {
  bot: Bot;
  logger: Logger;
  buildIndex: (corpus: Corpus) => Library['index'];
  /** Where parsed files are kept, so a reload parses only the files that changed. */
  parseCache?: ParseCache;
  /** Changes closer together than this are read as one (editors write files in several steps). */
  debounceMs?: number;
  /** Called after each reload, for tests and logs. */
  onReload?: (outcome: ReloadOutcome) => void;
}

/**
 * Why a new corpus must not replace the one being served: a file that gave essays now gives
 * none (it turned unreadable, binary or malformed while being edited or copied), or nothing
 * at all can be served. A file that was removed is a deliberate change and is not a reason.
 */
export function reasonToKeep(current: Corpus, next: Corpus): string | null {
  for (const before of current.files) {
    if (before.essays.length === 0) continue;
    const after = next.files.find((f) => f.file === before.file);
    if (after && after.essays.length === 0) {
      const detail = after.warnings.map((w) => formatWarning(w)).join('; ');
      return `${before.file} no longer yields any essay (${detail})`;
    }
  }
  return whyUnservable(next);
}

/**
 * Watches the corpus folder and swaps in a new corpus and index when its files change. The
 * swap is one assignment, so each reply comes wholly from one version; until a new index is
 * ready, and whenever the new corpus is worse (see `reasonToKeep`), the old one keeps serving.
 */
export function watchCorpus(dir: string, options: WatchOptions): CorpusWatcher {
  const { bot, logger, buildIndex, debounceMs = 300, onReload } = options;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<ReloadOutcome> | null = null;
  let again = false;

  async function reloadOnce(): Promise<ReloadOutcome> {
    const current = bot.library();
    let next: Corpus;
    try {
      next = await loadCorpus(dir, { parseCache: options.parseCache });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ corpus: dir, reason, version: current.corpus.version }, 'corpus reload failed: still serving the old version');
      return { kind: 'kept', version: current.corpus.version, reason };
    }
    if (next.version === current.corpus.version) return { kind: 'unchanged', version: next.version };
    const reason = reasonToKeep(current.corpus, next);
    if (reason) {
      logger.warn({ corpus: dir, reason, version: current.corpus.version }, 'corpus reload refused: still serving the old version');
      return { kind: 'kept', version: current.corpus.version, reason };
    }
    for (const w of next.files.flatMap((f) => f.warnings)) logger.warn({ corpus: formatWarning(w, dir) }, 'corpus warning');
    bot.replaceLibrary({ corpus: next, index: buildIndex(next) });
    logger.info({ from: current.corpus.version, to: next.version }, 'corpus reloaded');
    return { kind: 'replaced', from: current.corpus.version, to: next.version };
  }

  async function reload(): Promise<ReloadOutcome> {
    // One reload at a time; a change during a reload triggers one more afterwards.
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let outcome: ReloadOutcome;
      do {
        again = false;
        outcome = await reloadOnce();
        onReload?.(outcome);
      } while (again);
      return outcome;
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  }

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, { persistent: false }, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void reload();
      }, debounceMs);
    });
    watcher.on('error', (error) => logger.warn({ corpus: dir, err: error }, 'corpus folder can no longer be watched'));
  } catch (error) {
    logger.warn({ corpus: dir, err: error }, 'corpus folder cannot be watched: changes need a restart');
  }

  return {
    reload,
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
