import { copyFile, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_DIR, type SlackConfig } from '../../src/config.js';
import { essaysOf } from '../../src/core/corpus/model.js';
import { loadInWorker } from '../../src/core/corpus/reload.js';
import { type CorpusWatcher, type ReloadOutcome, watchCorpus } from '../../src/core/corpus/watch.js';
import { type SlackAdapter, startSlack } from '../../src/slack/bot.js';
import { answered, type Running, start } from '../discord/harness.js';
import { alice } from '../discord/support.js';
import { FAST_SOCKET, FakeSlack, slashCommand } from '../slack/fake-slack.js';
import { quietLogger } from '../support/bot.js';

/*
 * One file added, replaced and removed while Discord and Slack are asked, one request after
 * another on each: every request is answered, and what the answers show moves from the old
 * version to the new once, at the swap, never back. The passage IDs of the files that did not
 * change stay as they were.
 */

const BOT_TOKEN = 'xoxb-1-changes-bot-token';
const APP_TOKEN = 'xapp-1-changes-app-token';
const QUERY = '量子外交';

/** A one-essay file whose paragraph says `phrase`: what tells the versions apart in an answer. */
function essayFile(phrase: string): string {
  return `量子外交的兴起\n\n李四\n\n${phrase}已经在多个国家展开，其规则尚在形成之中。各国围绕量子通信标准的竞争日益激烈。\n`;
}
const V1 = '量子外交试验';
const V2 = '量子外交试点';

type Seen = 'absent' | 'v1' | 'v2';
/** Which version an answer shows, read through the marks that highlight the query's words. */
function seen(rendered: string): Seen {
  const text = rendered.replace(/[*_~\\\u200b]/gu, '');
  return text.includes(V1) ? 'v1' : text.includes(V2) ? 'v2' : 'absent';
}

let dir: string;
let discord: Running;
let slackFake: FakeSlack;
let slack: SlackAdapter;
let watcher: CorpusWatcher;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yinzheng-changes-'));
  await copyFile(join(BUNDLED_CORPUS_DIR, 'global-governance-symposium.txt'), join(dir, 'symposium.txt'));
  discord = await start(dir);
  slackFake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: slackFake.apiUrl, port: 0, command: '/yinzheng' };
  slack = await startSlack(discord.bot, config, quietLogger, { ...FAST_SOCKET, clientPingTimeoutMs: 5000 });
  // Reloaded by hand below, so that each change is one reload; the folder's events would only add more.
  watcher = watchCorpus(dir, { bot: discord.bot, logger: quietLogger, load: loadInWorker({ cacheDir: null }), debounceMs: 600_000 });
});

afterAll(async () => {
  watcher?.close();
  await slack?.stop();
  await slackFake?.close();
  await discord?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let asked = 0;
async function askDiscord(): Promise<Seen> {
  const i = discord.fake.slashCommand({ name: 'quote', options: { query: QUERY, count: 1 }, user: alice });
  const sent = await answered(discord, i);
  expect(sent.length).toBeGreaterThan(0);
  return seen(JSON.stringify(sent.map((s) => s.body)));
}
async function askSlack(): Promise<Seen> {
  const id = `changes-${++asked}`;
  await slackFake.sendEnvelope('slash_commands', slashCommand('/yinzheng', `quote ${QUERY} count:1`, slackFake.responseUrl(id)));
  const [post] = await slackFake.responses.until(1, (r) => r.id === id);
  expect(post?.accepted).toBe(true);
  return seen(JSON.stringify(post?.body ?? {}));
}

/**
 * Makes a change, reloads, and asks both platforms until the reload is done and once after it.
 * Returns what each platform's answers showed, in order.
 */
async function underTraffic(change: () => Promise<void>): Promise<{ outcome: ReloadOutcome; discord: Seen[]; slack: Seen[] }> {
  await change();
  let done = false;
  const reloading = watcher.reload().finally(() => {
    done = true;
  });
  const shown = { discord: [] as Seen[], slack: [] as Seen[] };
  do {
    const [d, s] = await Promise.all([askDiscord(), askSlack()]);
    shown.discord.push(d);
    shown.slack.push(s);
  } while (!done);
  const outcome = await reloading;
  const [d, s] = await Promise.all([askDiscord(), askSlack()]);
  shown.discord.push(d);
  shown.slack.push(s);
  return { outcome, ...shown };
}

/** The answers show `from` until some point and `to` from then on, ending with `to`. */
function expectOneSwap(answers: Seen[], from: Seen, to: Seen): void {
  // At least one answer while the reload ran, and one after it.
  expect(answers.length).toBeGreaterThanOrEqual(2);
  const first = answers.indexOf(to);
  expect(first, answers.join(' ')).toBeGreaterThanOrEqual(0);
  expect(
    answers.slice(0, first).every((a) => a === from),
    answers.join(' '),
  ).toBe(true);
  expect(
    answers.slice(first).every((a) => a === to),
    answers.join(' '),
  ).toBe(true);
}

describe('a file added, replaced and removed under Discord and Slack traffic', () => {
  it('answers every request, from the old version until the swap and the new after it', async () => {
    const idsOf = () => essaysOf(discord.bot.library().corpus).flatMap((e) => e.sections.flatMap((s) => s.paragraphs.map((p) => p.id)));
    const before = idsOf();
    expect([await askDiscord(), await askSlack()]).toEqual(['absent', 'absent']);

    const added = await underTraffic(() => writeFile(join(dir, 'quantum.txt'), essayFile(V1)));
    expect(added.outcome.kind).toBe('replaced');
    expectOneSwap(added.discord, 'absent', 'v1');
    expectOneSwap(added.slack, 'absent', 'v1');
    // Another file came: the passages already served keep their IDs.
    expect(idsOf().filter((id) => before.includes(id))).toEqual(before);

    const replaced = await underTraffic(() => writeFile(join(dir, 'quantum.txt'), essayFile(V2)));
    expect(replaced.outcome.kind).toBe('replaced');
    expectOneSwap(replaced.discord, 'v1', 'v2');
    expectOneSwap(replaced.slack, 'v1', 'v2');

    const removed = await underTraffic(() => unlink(join(dir, 'quantum.txt')));
    expect(removed.outcome.kind).toBe('replaced');
    expectOneSwap(removed.discord, 'v2', 'absent');
    expectOneSwap(removed.slack, 'v2', 'absent');
    expect(idsOf()).toEqual(before);
  });
});
