import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { essaysOf } from '../../../src/core/corpus/model.js';
import { type CorpusLoader, loadHere, loadInWorker } from '../../../src/core/corpus/reload.js';
import { type CorpusWatcher, type ReloadOutcome, watchCorpus } from '../../../src/core/corpus/watch.js';
import { createIndex } from '../../../src/core/search/corpus-index.js';
import { botOver, requester } from '../../support/bot.js';
import { captureLogs } from '../../support/logs.js';

const who = requester('en', 'console', 'console');
let watcher: CorpusWatcher | undefined;
afterEach(() => watcher?.close());

async function setUp(load: CorpusLoader) {
  const dir = await mkdtemp(join(tmpdir(), 'yinzheng-reload-'));
  await copyFile('data/essays/global-governance-symposium.txt', join(dir, 'symposium.txt'));
  const corpus = await loadCorpus(dir);
  const logs = captureLogs('info');
  const bot = botOver(corpus, { logger: logs.logger });
  const outcomes: ReloadOutcome[] = [];
  const waiters: Array<(o: ReloadOutcome) => void> = [];
  watcher = watchCorpus(dir, {
    bot,
    logger: logs.logger,
    load,
    debounceMs: 50,
    onReload: (o) => {
      outcomes.push(o);
      waiters.shift()?.(o);
    },
  });
  // The next reload the watcher makes on its own, after a change on disk.
  const nextReload = () => new Promise<ReloadOutcome>((resolve) => waiters.push(resolve));
  return { dir, bot, logs, nextReload, version: corpus.version };
}

// The same reloads, parsed and indexed in this thread, and in a worker thread as the bot does.
describe.each([
  ['in this thread', () => loadHere({ buildIndex: createIndex })],
  ['in a worker thread', () => loadInWorker({ cacheDir: null })],
])('live corpus reload, %s', (_, loader) => {
  test('a file dropped into the folder is served without a restart, and replies say which version', async () => {
    const { dir, bot, nextReload, version } = await setUp(loader());
    expect(bot.runLine('/quote 平台经济的治理需要新的思路', who).results.filter((r) => (r as { exact: boolean }).exact)).toHaveLength(0);
    const reloaded = nextReload();
    await copyFile('test/fixtures/corpus/conventions.txt', join(dir, 'conventions.txt'));
    const outcome = await reloaded;
    expect(outcome.kind).toBe('replaced');
    expect(essaysOf(bot.library().corpus)).toHaveLength(6);
    const reply = bot.runLine('/quote 平台经济的治理需要新的思路', who);
    expect(reply.results.length).toBeGreaterThan(0);
    expect(reply.corpusVersion).toBe(bot.library().corpus.version);
    expect(reply.corpusVersion).not.toBe(version);
  });

  test('a file that turns unreadable keeps the old index serving, with a warning logged', async () => {
    const { dir, bot, logs, nextReload, version } = await setUp(loader());
    const reloaded = nextReload();
    await writeFile(join(dir, 'symposium.txt'), new Uint8Array([0, 1, 2, 3, 255]));
    expect(await reloaded).toEqual({
      kind: 'kept',
      version,
      reason: 'symposium.txt no longer yields any essay (corpus: symposium.txt:0: binary file (it has NUL bytes), not text: skipped)',
    });
    expect(bot.library().corpus.version).toBe(version);
    expect(bot.runLine('/quote 智能鸿沟', who).results.length).toBeGreaterThan(0);
    expect(logs.lines.find((l) => l.msg === 'corpus reload refused: still serving the old version')).toMatchObject({ version });
  });

  test('a file that turns malformed keeps the old index too', async () => {
    const { dir, bot, nextReload, version } = await setUp(loader());
    const reloaded = nextReload();
    await writeFile(join(dir, 'symposium.txt'), '');
    expect((await reloaded).kind).toBe('kept');
    expect(bot.library().corpus.version).toBe(version);
  });
});
