import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { registry } from '../commands/index.js';
import { loadCorpus } from '../src/core/corpus/load.js';
import { parseCacheIn } from '../src/core/corpus/parse-cache.js';
import { loadInWorker } from '../src/core/corpus/reload.js';
import { watchCorpus } from '../src/core/corpus/watch.js';
import { createBot, type Logger, type Requester } from '../src/core/dispatch/bot.js';
import { openLibrary } from '../src/library.js';
import { median } from './stats.js';

/*
 * One file added to a large corpus the bot is serving (issue 24): the time from the file's
 * write to the first answer that quotes it, and the longest the event loop waited meanwhile.
 * The bot is set up as `npm start` sets it up (parse and index caches in a cache folder, the
 * folder watched, reloads in a worker thread); an answer is asked for every 25 ms, as traffic.
 */

export interface FileAddFigures {
  label: string;
  adds: number;
  /** Write to first answer quoting the file, ms, each add in turn. */
  servedMs: number[];
  /** The longest event-loop delay over all adds, ms. */
  stallMaxMs: number;
}

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };
const who: Requester = { platform: 'cli', userId: 'bench', locale: 'en' };
/** How often the bench asks while it waits: traffic, and the resolution of its figure. */
const ASK_EVERY_MS = 25;
/** An add not served by then counts as this and ends the bench. */
const GIVE_UP_MS = 120_000;

/** A one-essay file whose words no other file has: `量子外交` and a number, in Chinese numerals. */
function essayFile(n: number): { text: string; phrase: string } {
  const digits = '〇一二三四五六七八九';
  const phrase = `量子外交第${String(n)
    .split('')
    .map((d) => digits[Number(d)])
    .join('')}号试验`;
  return { text: `量子外交的兴起之${n}\n\n李四\n\n${phrase}已经在多个国家展开，其规则尚在形成之中。\n`, phrase };
}

export async function benchFileAdd(label: string, dir: string, cacheDir: string, adds = 10): Promise<FileAddFigures> {
  const corpus = await loadCorpus(dir, { parseCache: parseCacheIn(cacheDir) });
  const bot = createBot({ commands: registry, library: await openLibrary(corpus, cacheDir), logger: silent, warmEssays: true });
  const watcher = watchCorpus(dir, { bot, logger: silent, load: loadInWorker({ cacheDir }) });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const servedMs: number[] = [];
  try {
    // The essay index's warm-up and the first answers out of the way before the clock starts.
    await new Promise<void>((resolve) => setTimeout(resolve, 1000));
    delay.enable();
    for (let n = 1; n <= adds; n++) {
      const { text, phrase } = essayFile(n);
      const written = performance.now();
      await writeFile(join(dir, `bench-added-${n}.txt`), text);
      let served = false;
      while (!served && performance.now() - written < GIVE_UP_MS) {
        await new Promise<void>((resolve) => setTimeout(resolve, ASK_EVERY_MS));
        served = JSON.stringify(bot.runLine(`quote ${phrase} count:1`, who).results).includes(phrase);
      }
      servedMs.push(performance.now() - written);
      if (!served) break;
    }
  } finally {
    delay.disable();
    watcher.close();
  }
  return { label, adds: servedMs.length, servedMs, stallMaxMs: delay.max / 1e6 };
}

const seconds = (v: number) => `${(v / 1000).toFixed(2)} s`;

/** The figures as report rows: target, measured, limit, met. */
export function fileAddTargets(f: FileAddFigures | { failure: string } | null): string[][] {
  if (f === null) return [];
  if ('failure' in f) return [['archive: one file added, served after its write', `not measured: ${f.failure}`, '≤ 2 s', '✗']];
  const p50 = median(f.servedMs);
  const worst = Math.max(...f.servedMs);
  return [
    [
      `${f.label}: one file added, write to first answer quoting it (p50 and worst of ${f.adds})`,
      `${seconds(p50)} / ${seconds(worst)}`,
      '≤ 2 s',
      p50 <= 2000 && worst <= 2000 ? '✓' : '✗',
    ],
    [`${f.label}: longest event-loop delay while files were added`, `${f.stallMaxMs.toFixed(0)} ms`, '≤ 100 ms', f.stallMaxMs <= 100 ? '✓' : '✗'],
  ];
}
