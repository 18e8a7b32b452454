import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.js';
import { createBot, type Bot, type Logger } from '../../src/core/bot.js';
import { loadCorpus } from '../../src/core/corpus.js';
import { createIndex } from '../../src/core/index.js';
import { BUNDLED_CORPUS_DIR, type SlackConfig } from '../../src/config.js';
import { startSlack, type SlackAdapter } from '../../src/slack/bot.js';
import { replyToBlockKit } from '../../src/slack/render.js';
import { FakeSlack, Recorder, slashCommand } from './fake-slack.js';

/*
 * The Slack socket failing under the bot: dropped with no goodbye, and Slack refusing a new
 * one once. Each time the real Bolt app must open a new connection by itself and answer the
 * next slash command on it. Socket Mode waits about five seconds before reconnecting (and ten
 * after a failed `apps.connections.open`), so these tests are slow by the library's design;
 * they wait for the fake to see the new connection, never for a fixed time.
 */

const BOT_TOKEN = 'xoxb-1-test-bot-token';
const APP_TOKEN = 'xapp-1-test-app-token';

const entries = new Recorder<{ level: string; msg: string | undefined }>();
const at = (level: string) => (_obj: object, msg?: string) => entries.push({ level, msg });
const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };

let fake: FakeSlack;
let bot: Bot;
let adapter: SlackAdapter;

beforeAll(async () => {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  bot = createBot({ commands: registry, library: { corpus, index: createIndex(corpus) }, logger });
  const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0 };
  adapter = await startSlack(bot, config, logger);
  await fake.connections.until(1);
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

const opens = () => fake.calls.items.filter((c) => c.method === 'apps.connections.open');

let nextId = 0;
/** Sends `/quote 智能鸿沟` and waits until it is answered in full, exactly as the renderer lays it out. */
async function answersQuote(label: string): Promise<void> {
  nextId += 1;
  const id = `${label}-${nextId}`;
  const reply = bot.runLine('quote 智能鸿沟', { platform: 'slack', userId: 'U0ALICE', locale: 'en' });
  expect(reply.error).toBeUndefined();
  const expected = replyToBlockKit(reply, { locale: 'en', visibility: 'ephemeral', share: { c: 'quote', l: '智能鸿沟' }, maxMessages: 5 }).map((m) => m.text);
  const ack = await fake.sendEnvelope('slash_commands', slashCommand('/quote', '智能鸿沟', fake.responseUrl(id)));
  expect(ack.payload).toEqual({});
  const posts = await fake.responses.until(expected.length, (r) => r.id === id);
  expect(posts.map((p) => p.body.text)).toEqual(expected);
}

describe('Slack Socket Mode faults', () => {
  it('answers before any fault', async () => {
    await answersQuote('before');
  });

  it('reconnects after the socket is dropped without a disconnect message, and answers on the new socket', async () => {
    const [old] = fake.connections.items.slice(-1);
    const connections = fake.connections.items.length;
    const opened = opens().length;
    fake.dropAll();
    await fake.closed.until(1, (ws) => ws === old);
    const [fresh] = (await fake.connections.until(connections + 1)).slice(connections);
    expect(fresh).not.toBe(old);
    expect(opens()).toHaveLength(opened + 1);
    await answersQuote('after-drop');
  });

  // Socket Mode waits five seconds, then ten more after the refused call.
  it('keeps trying when apps.connections.open answers ok: false once, then answers on the new socket', { timeout: 60_000 }, async () => {
    const connections = fake.connections.items.length;
    const opened = opens().length;
    fake.failNextOpen('error');
    fake.dropAll();
    await fake.connections.until(connections + 1);
    // One refused call, then the one that opened the socket.
    expect(opens()).toHaveLength(opened + 2);
    await answersQuote('after-refused-open');
  });

  it('keeps trying when apps.connections.open fails with HTTP 503 once, then answers on the new socket', async () => {
    const connections = fake.connections.items.length;
    const opened = opens().length;
    fake.failNextOpen('http');
    fake.dropAll();
    await fake.connections.until(connections + 1);
    expect(opens()).toHaveLength(opened + 2);
    await answersQuote('after-503');
  });

  it('logged no error from the bot itself through all of it', () => {
    // Bolt and Socket Mode log the dropped socket and the failed calls; the bot's handlers never failed.
    expect(entries.items.filter((e) => e.msg === 'slack handler failed' || e.msg === 'command failed' || e.msg === 'slack: unhandled error')).toEqual([]);
  });
});
