import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_DIR, type SlackConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot, Logger } from '../../src/core/dispatch/bot.js';
import { type SlackAdapter, startSlack } from '../../src/slack/bot.js';
import { replyToBlockKit } from '../../src/slack/render.js';
import { botOver, requester } from '../support/bot.js';
import { FAST_SOCKET, FakeSlack, Recorder, slashCommand } from './fake-slack.js';

/*
 * The Slack socket failing under the bot: dropped with no goodbye, and Slack refusing a new
 * one once. Each time the real Bolt app must open a new connection by itself and answer the
 * next slash command on it. Socket Mode's waits before reconnecting are shortened through its
 * own options (FAST_SOCKET); the tests wait for the fake to see the new connection, never for
 * a fixed time.
 */

const BOT_TOKEN = 'xoxb-1-test-bot-token';
const APP_TOKEN = 'xapp-1-test-app-token';

let entries: Recorder<{ level: string; msg: string | undefined }>;
let fake: FakeSlack;
let bot: Bot;
let adapter: SlackAdapter;

// Each test gets its own fake Slack and its own bot, so none depends on another having run.
beforeEach(async () => {
  entries = new Recorder();
  const at = (level: string) => (_obj: object, msg?: string) => entries.push({ level, msg });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  bot = botOver(corpus, { logger });
  const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
  adapter = await startSlack(bot, config, logger, FAST_SOCKET);
  await fake.connections.until(1);
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
  // Bolt and Socket Mode log the dropped socket and the failed calls; the bot's handlers never fail.
  expect(entries.items.filter((e) => e.msg === 'slack handler failed' || e.msg === 'command failed' || e.msg === 'slack: unhandled error')).toEqual([]);
});

const opens = () => fake.calls.items.filter((c) => c.method === 'apps.connections.open');

let nextId = 0;
/** How many messages the answer to `/quote 智能鸿沟` takes. */
function answerLength(): number {
  const reply = bot.runLine('quote 智能鸿沟', requester('en', 'slack', 'U0ALICE', '/yinzheng '));
  return replyToBlockKit(reply, { locale: 'en', visibility: 'ephemeral', share: { c: 'quote', l: '智能鸿沟' }, maxMessages: 5 }).length;
}
/** Sends `/quote 智能鸿沟` and waits until it is answered in full, exactly as the renderer lays it out. */
async function answersQuote(label: string): Promise<void> {
  nextId += 1;
  const id = `${label}-${nextId}`;
  const reply = bot.runLine('quote 智能鸿沟', requester('en', 'slack', 'U0ALICE', '/yinzheng '));
  expect(reply.error).toBeUndefined();
  const expected = replyToBlockKit(reply, { locale: 'en', visibility: 'ephemeral', share: { c: 'quote', l: '智能鸿沟' }, maxMessages: 5 }).map((m) => m.text);
  const ack = await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id)));
  expect(ack.payload).toEqual({});
  const posts = await fake.responses.until(expected.length, (r) => r.id === id);
  expect(posts.map((p) => p.body.text)).toEqual(expected);
}

describe('Slack Socket Mode faults', () => {
  it('answers when nothing fails', async () => {
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

  it('keeps trying when apps.connections.open answers ok: false once, then answers on the new socket', async () => {
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

  it('drops the socket in the middle of a burst: every acked command is answered once, and the next burst on the new socket too', async () => {
    const expected = answerLength();
    const connections = fake.connections.items.length;
    const acked = new Set<string>();
    const sent: string[] = [];
    const burst = (label: string, n: number) =>
      Array.from({ length: n }, () => {
        nextId += 1;
        const id = `${label}-${nextId}`;
        sent.push(id);
        return fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id))).then(() => acked.add(id));
      });
    // Ten acked, their answers perhaps still on the way; forty more sent and the socket dropped
    // in the same tick, so each is lost, or reaches the bot while its ack cannot reach Slack.
    await Promise.all(burst('mid-burst', 10));
    void burst('mid-burst', 40);
    fake.dropAll();
    const ackedBeforeDrop = [...acked];
    expect(ackedBeforeDrop).toHaveLength(10);
    // Answers go to the response_url over HTTP, so the socket's end does not lose them.
    await Promise.all(ackedBeforeDrop.map((id) => fake.responses.until(expected, (r) => r.id === id)));

    await fake.connections.until(connections + 1);
    await Promise.all(burst('after-burst', 20));
    const afterIds = sent.slice(-20);
    await Promise.all(afterIds.map((id) => fake.responses.until(expected, (r) => r.id === id)));

    // stop() waits for every handler in flight: after it, the counts are final (afterEach's stop is then a no-op).
    await adapter.stop();
    const counts = new Map<string, number>();
    for (const r of fake.responses.items) if (sent.includes(r.id)) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    // Acked means answered, once; an envelope lost with the socket is not answered twice either.
    expect([...acked].filter((id) => counts.get(id) !== expected)).toEqual([]);
    expect(sent.filter((id) => (counts.get(id) ?? 0) > expected)).toEqual([]);
  });
});
