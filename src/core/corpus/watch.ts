import { type FSWatcher, watch } from 'node:fs';
import type { Bot, Logger } from '../dispatch/bot.js';
import { formatWarning } from './model.js';
import type { CorpusLoader } from './reload.js';

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
  /** Loads the changed folder: in a worker thread (`loadInWorker`), or here (`loadHere`). */
  load: CorpusLoader;
  /** Changes closer together than this are read as one (editors write files in several steps). */
  debounceMs?: number;
  /** Called after each reload, for tests and logs. */
  onReload?: (outcome: ReloadOutcome) => void;
}

/**
 * Watches the corpus folder and swaps in a new corpus and index when its files change. The
 * swap is one assignment, so each reply comes wholly from one version; until a new index is
 * ready, and whenever the new corpus is worse (see `reasonToKeep` in reload.ts), the old one
 * keeps serving.
 */
export function watchCorpus(dir: string, options: WatchOptions): CorpusWatcher {
  const { bot, logger, load, debounceMs = 300, onReload } = options;
  let timer: NodeJS.Timeout | null = null;

  async function reloadOnce(): Promise<ReloadOutcome> {
    const current = bot.library();
    const result = await load(dir, current.corpus, current.index);
    if (result.kind === 'unchanged') return { kind: 'unchanged', version: result.version };
    if (result.kind === 'refused') {
      logger.warn({ corpus: dir, reason: result.reason, version: current.corpus.version }, 'corpus reload refused: still serving the old version');
      return { kind: 'kept', version: current.corpus.version, reason: result.reason };
    }
    const next = result.library;
    for (const w of next.corpus.files.flatMap((f) => f.warnings)) logger.warn({ corpus: formatWarning(w, dir) }, 'corpus warning');
    bot.replaceLibrary(next);
    logger.info({ from: current.corpus.version, to: next.corpus.version }, 'corpus reloaded');
    return { kind: 'replaced', from: current.corpus.version, to: next.corpus.version };
  }

  // One reload at a time; a change during a reload triggers one more afterwards.
  const reload = oneAtATime(async () => {
    const outcome = await reloadOnce();
    onReload?.(outcome);
    return outcome;
  });

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

/**
 * `run`, one at a time: a call while it runs makes one more run after it (however many such
 * calls there were), and is answered with the last run's result, which saw what the call saw.
 */
export function oneAtATime<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let again = false;
  return async () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let result: T;
      do {
        again = false;
        result = await run();
      } while (again);
      return result;
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  };
}
