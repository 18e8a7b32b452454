import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSample } from '../../bench/reload.js';
import { generateSyntheticCorpus, writeSyntheticCorpus } from '../../bench/synthetic.js';
import { BUNDLED_CORPUS_DIR, type SlackConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { essaysOf } from '../../src/core/corpus/model.js';
import { loadInWorker } from '../../src/core/corpus/reload.js';
import { type CorpusWatcher, watchCorpus } from '../../src/core/corpus/watch.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { startDiscord } from '../../src/discord/bot.js';
import { type SlackAdapter, startSlack } from '../../src/slack/bot.js';
import { FakeDiscord } from '../discord/fake-discord.js';
import { alice } from '../discord/support.js';
import { FAST_SOCKET, FakeSlack, slashCommand } from '../slack/fake-slack.js';
import { botOver, quietLogger } from '../support/bot.js';

/*
 * A reload of a large corpus while Discord and Slack are being answered. The parse and the
 * index build run in a worker thread and the new library arrives a file at a time, so the
 * event loop is never held for more than 100 ms (measured with monitorEventLoopDelay), both
 * platforms answer throughout from the old version, and the swap is one assignment.
 */

/** The longest the event loop may be held during the reload. */
const STALL_MAX_MS = 100;
/** The large corpus: about 2.7 MB of text, whose parse and index hold the main thread for half a second. */
const SCALE = 150;

const BOT_TOKEN = 'xoxb-1-reload-bot-token';
const APP_TOKEN = 'xapp-1-reload-app-token';

let dir: string;
let big: string;
let bot: Bot;
let discordFake: FakeDiscord;
let slackFake: FakeSlack;
let discord: Awaited<ReturnType<typeof startDiscord>>;
let slack: SlackAdapter;
let watcher: CorpusWatcher;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yinzheng-reload-large-'));
  big = await mkdtemp(join(tmpdir(), 'yinzheng-reload-source-'));
  await copyFile(join(BUNDLED_CORPUS_DIR, 'global-governance-symposium.txt'), join(dir, 'symposium.txt'));
  const bundled = await loadCorpus(BUNDLED_CORPUS_DIR);
  const sourceBytes = (await readFile(join(BUNDLED_CORPUS_DIR, 'global-governance-symposium.txt'))).length;
  await writeSyntheticCorpus(big, generateSyntheticCorpus(bundled, { scale: SCALE, seed: 11, sourceBytes }));
  const corpus = await loadCorpus(dir);
  bot = botOver(corpus);
  discordFake = await FakeDiscord.start();
  discord = await startDiscord(
    bot,
    { token: 'fake-token', applicationId: discordFake.applicationId, guildId: undefined, apiBase: discordFake.apiBase },
    quietLogger,
  );
  slackFake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: slackFake.apiUrl, port: 0, command: '/yinzheng' };
  // A busy machine may answer a ping late: the default wait, not the short one of reconnect tests.
  slack = await startSlack(bot, config, quietLogger, { ...FAST_SOCKET, clientPingTimeoutMs: 5000 });
  // Reloaded by hand below, not by the folder's change events.
  watcher = watchCorpus(dir, { bot, logger: quietLogger, load: loadInWorker({ cacheDir: null }), debounceMs: 600_000 });
});

afterAll(async () => {
  watcher?.close();
  await discord?.stop();
  await slack?.stop();
  await discordFake?.close();
  await slackFake?.close();
  for (const d of [dir, big]) if (d) await rm(d, { recursive: true, force: true });
});

let asked = 0;
/** One /quote through Discord's gateway, answered when its callback arrives. */
async function askDiscord(): Promise<number> {
  const i = discordFake.slashCommand({ name: 'quote', options: { query: '全球治理', count: 1 }, user: alice });
  const callback = await discordFake.callback(i);
  return callback.status;
}
/** One /yinzheng quote through Slack's socket, answered when its response arrives. */
async function askSlack(): Promise<string> {
  const id = `reload-${++asked}`;
  await slackFake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 全球治理 count:1', slackFake.responseUrl(id)));
  const [post] = await slackFake.responses.until(1, (r) => r.id === id);
  return JSON.stringify(post?.body ?? {});
}

describe('a reload of a large corpus', () => {
  it('never holds the event loop for more than 100 ms, and Discord and Slack answer throughout', async () => {
    const before = bot.library().corpus.version;
    for (const name of await readdir(big)) await copyFile(join(big, name), join(dir, name));

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let done = false;
    const reloading = watcher.reload().finally(() => {
      done = true;
    });
    const answered = { discord: 0, slack: 0 };
    const served = new Set<string>();
    while (!done) {
      const [status, body] = await Promise.all([askDiscord(), askSlack()]);
      expect(status).toBe(204);
      expect(body).toContain('全球治理');
      answered.discord++;
      answered.slack++;
      served.add(bot.library().corpus.version);
    }
    const outcome = await reloading;
    // The swap's own step is recorded when the histogram's timer next fires.
    await nextSample(delay);
    delay.disable();

    expect(outcome).toMatchObject({ kind: 'replaced', from: before });
    const stalls = { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6 };
    expect(stalls.maxMs, JSON.stringify(stalls)).toBeLessThanOrEqual(STALL_MAX_MS);
    // Both answered while the worker worked, from the old version until the swap.
    expect(answered.discord).toBeGreaterThanOrEqual(2);
    expect(answered.slack).toBeGreaterThanOrEqual(2);
    expect(served.has(before)).toBe(true);
    expect(essaysOf(bot.library().corpus).length).toBeGreaterThan(100);
    // And the next answers come from the new library, on both.
    expect(await askDiscord()).toBe(204);
    expect(await askSlack()).toContain('全球治理');
  });
});
