import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { startDiscord } from '../../src/discord/bot.js';
import { botOver, requester } from '../support/bot.js';
import { FakeDiscord, type FakeUser, type RecordedRequest } from './fake-discord.js';
import { alice, createTestLogger } from './support.js';

/*
 * Faults of the outside world, with the real discord.js client against the loopback Discord:
 * the gateway connection dropping mid-session (resumed, or identified afresh when Discord no
 * longer knows the session) and Discord's REST API failing a request (5xx, 429). A command that
 * throws is covered in e2e.test.ts. Everything is awaited: no sleeps, no timing assertions.
 */

const EPHEMERAL = 64;

interface Running {
  fake: FakeDiscord;
  bot: Bot;
  logs: ReturnType<typeof createTestLogger>;
  stop(): Promise<void>;
}

async function start(corpusDir: string): Promise<Running> {
  const corpus = await loadCorpus(corpusDir);
  const logs = createTestLogger();
  const bot = botOver(corpus, { logger: logs });
  const fake = await FakeDiscord.start();
  const { stop } = await startDiscord(bot, { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase }, logs, {
    identifyAtOnce: true,
  });
  // The first IDENTIFY is taken here, so that a test awaiting op 2 gets a new one.
  await fake.gatewayPayloads.next((p) => p.op === 2);
  return {
    fake,
    bot,
    logs,
    async stop() {
      await stop();
      await fake.close();
    },
  };
}

/** Awaits the adapter's "answered" log for an interaction, then returns every request it made for it, in order. */
async function requestsFor(r: Running, interaction: { id: string; token: string }): Promise<RecordedRequest[]> {
  await r.logs.entries.next((e) => e.msg === 'discord: answered' && e.obj.interaction === interaction.id);
  return r.fake.requests.items.filter(
    (q) => q.route.startsWith(`/interactions/${interaction.id}/`) || q.route.startsWith(`/webhooks/${r.fake.applicationId}/${interaction.token}`),
  );
}

type Embed = { title?: string };
const callbackOf = (q: RecordedRequest | undefined) => (q?.body ?? {}) as { type?: number; data?: { embeds?: Embed[]; content?: string; flags?: number } };
/** The title of the answer's first embed, whether it came with the callback or as the edit of a deferral. */
function answerTitle(requests: RecordedRequest[]): string | undefined {
  const direct = requests.find((q) => q.status < 300 && callbackOf(q).type === 4);
  if (direct) return callbackOf(direct).data?.embeds?.[0]?.title;
  return ((requests.find((q) => q.status < 300 && q.method === 'PATCH')?.body ?? {}) as { embeds?: Embed[] }).embeds?.[0]?.title;
}
/** Errors logged about an interaction, or with no interaction named (a command that failed). */
const errorsAbout = (r: Running, i: { id: string }) =>
  r.logs.entries.items.filter((e) => e.level === 'error' && (e.obj.interaction === undefined || e.obj.interaction === i.id)).map((e) => e.msg);
const successfulCallbacks = (requests: RecordedRequest[]) => requests.filter((q) => q.route.endsWith('/callback') && q.status < 300);

function titleFrom(bot: Bot, name: string, input: Record<string, unknown>): string {
  return bot.run(name, input, requester('en', 'discord', alice.id)).title;
}

describe('Discord gateway dropped mid-session', () => {
  let r: Running;
  beforeEach(async () => {
    r = await start(BUNDLED_CORPUS_DIR);
  });
  afterEach(async () => {
    await r?.stop();
  });

  it.each([
    ['without a close frame (1006)', undefined, 1006],
    ['with 4000 unknown error', 4000, 4000],
  ])('resumes after the connection drops %s, gets the interaction sent meanwhile, and answers it', async (_, code, seen) => {
    const connections = r.fake.gatewayConnections.length;
    const requestsBefore = r.fake.requests.items.length;
    r.fake.dropGateway(code);
    expect(await r.fake.gatewayCloses.next(() => true)).toBe(seen);
    // Sent while the client is away: Discord keeps it for the session and replays it on RESUME.
    const missed = r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice });
    const resume = await r.fake.gatewayPayloads.next((p) => p.op === 6);
    expect(resume.d).toMatchObject({ token: 'fake-token', session_id: 'fake-session-1' });
    expect(r.fake.gatewayConnections.length).toBe(connections + 1);

    const replayed = await requestsFor(r, missed);
    expect(successfulCallbacks(replayed)).toHaveLength(1);
    expect(replayed.filter((q) => q.status >= 300)).toEqual([]);
    expect(answerTitle(replayed)).toBe(titleFrom(r.bot, 'quote', { query: '智能鸿沟' }));

    const next = await requestsFor(r, r.fake.slashCommand({ name: 'essays', user: alice }));
    expect(next.map((q) => [q.status, callbackOf(q).type])).toEqual([[204, 4]]);
    expect(answerTitle(next)).toBe(titleFrom(r.bot, 'essays', {}));
    // Resumed, not identified again: the session and its sequence went on.
    expect(r.fake.gatewayPayloads.items.filter((p) => p.op === 2)).toHaveLength(1);
    // And the log says what happened to the connection.
    expect(await r.logs.entries.next((e) => e.msg === 'discord: gateway dropped, reconnecting')).toMatchObject({ level: 'info' });
    expect(await r.logs.entries.next((e) => e.msg === 'discord: gateway resumed')).toMatchObject({ level: 'info' });
    expect(r.fake.requests.items.slice(requestsBefore).filter((q) => q.route === '/gateway/bot')).toEqual([]);
  });

  it('answers every interaction exactly once when the connection drops with interactions in flight and more sent meanwhile', async () => {
    const cases: Array<[string, Record<string, string | number>]> = [
      ['quote', { query: '智能鸿沟' }],
      ['essays', {}],
      ['help', {}],
      ['who', { text: '结语' }],
    ];
    const users = Array.from({ length: 40 }, (_, n): FakeUser => ({ id: String(510000000000000000n + BigInt(n)), username: `u${n}` }));
    const send = (n: number) => {
      const [name, options] = cases[n % cases.length] as [string, Record<string, string | number>];
      return { name, options, ...r.fake.slashCommand({ name, options, user: users[n] as FakeUser }) };
    };
    // Twenty on the wire when it drops: some may die in the socket's buffer, and come back in the replay.
    const live = Array.from({ length: 20 }, (_, n) => send(n));
    r.fake.dropGateway();
    expect(await r.fake.gatewayCloses.next(() => true)).toBe(1006);
    const meanwhile = Array.from({ length: 20 }, (_, n) => send(20 + n));
    await r.fake.gatewayPayloads.next((p) => p.op === 6);

    for (const i of [...live, ...meanwhile]) {
      const sent = await requestsFor(r, i);
      expect([i.name, successfulCallbacks(sent).length, sent.filter((q) => q.status >= 300).length]).toEqual([i.name, 1, 0]);
      expect(answerTitle(sent)).toBe(titleFrom(r.bot, i.name, i.options));
    }
    // Counted again once a later interaction is answered, so that a duplicate sent late would show.
    const next = await requestsFor(r, r.fake.slashCommand({ name: 'essays', user: alice }));
    expect(successfulCallbacks(next)).toHaveLength(1);
    const ids = new Set([...live, ...meanwhile].map((i) => i.id));
    const callbacks = r.fake.requests.items.filter((q) => q.route.endsWith('/callback') && ids.has(q.route.split('/')[2] as string));
    expect(callbacks.map((q) => q.status)).toEqual(Array.from({ length: 40 }, () => 204));
  });

  it('identifies again when Discord invalidates the session on a live connection (op 9), then answers', async () => {
    r.fake.invalidateSession();
    // discord.js closes the connection itself (1000) and starts a new session.
    expect(await r.fake.gatewayCloses.next(() => true)).toBe(1000);
    const identify = await r.fake.gatewayPayloads.next((p) => p.op === 2);
    expect(identify.d).toMatchObject({ token: 'fake-token', intents: 1, shard: [0, 1] });

    const next = await requestsFor(r, r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟', count: 1 }, user: alice }));
    expect(successfulCallbacks(next)).toHaveLength(1);
    expect(next.filter((q) => q.status >= 300)).toEqual([]);
    expect(answerTitle(next)).toBe(titleFrom(r.bot, 'quote', { query: '智能鸿沟', count: 1 }));
  });

  it('identifies again when Discord refuses the RESUME after a drop, then answers', async () => {
    r.fake.dropGateway();
    r.fake.invalidateSession();
    expect(await r.fake.gatewayCloses.next(() => true)).toBe(1006);
    const resume = await r.fake.gatewayPayloads.next((p) => p.op === 6);
    expect(resume.d).toMatchObject({ session_id: 'fake-session-1' });
    const identify = await r.fake.gatewayPayloads.next((p) => p.op === 2);
    expect(identify.d).toMatchObject({ token: 'fake-token' });

    const next = await requestsFor(r, r.fake.slashCommand({ name: 'help', user: alice }));
    expect(successfulCallbacks(next)).toHaveLength(1);
    expect(next.filter((q) => q.status >= 300)).toEqual([]);
    expect(answerTitle(next)).toBe(titleFrom(r.bot, 'help', {}));
    // The first session's IDENTIFY, and the one after the refused RESUME.
    expect(r.fake.gatewayPayloads.items.filter((p) => p.op === 2)).toHaveLength(2);
  });
});

describe('Discord REST failing a request', () => {
  let r: Running;
  beforeEach(async () => {
    r = await start(BUNDLED_CORPUS_DIR);
  });
  afterEach(async () => {
    await r?.stop();
  });

  /** Dispatches a slash command and has the fake refuse its callback `times` times with `status`. */
  function failingCallback(status: number, times = 1, name = 'quote', options: Record<string, string | number> = { query: '智能鸿沟' }) {
    const i = r.fake.slashCommand({ name, options, user: alice });
    // Registered before the event loop turns, so before the bot can have sent the callback.
    r.fake.failNext({ match: (q) => q.route.startsWith(`/interactions/${i.id}/`), status, times, retryAfter: status === 429 ? 0.1 : undefined });
    return i;
  }

  it.each([500, 502, 503])('retries a callback Discord answers with %i once, and answers exactly once', async (status) => {
    const i = failingCallback(status);
    const sent = await requestsFor(r, i);
    expect(sent.map((q) => [q.method, q.status, callbackOf(q).type])).toEqual([
      ['POST', status, 4],
      ['POST', 204, 4],
    ]);
    expect(sent[1]?.body).toEqual(sent[0]?.body);
    expect(answerTitle(sent)).toBe(titleFrom(r.bot, 'quote', { query: '智能鸿沟' }));
    expect(errorsAbout(r, i)).toEqual([]);
  });

  it('waits out a 429 with retry_after on a callback, then answers exactly once', async () => {
    const i = failingCallback(429);
    const sent = await requestsFor(r, i);
    expect(sent.map((q) => [q.status, callbackOf(q).type])).toEqual([
      [429, 4],
      [204, 4],
    ]);
    expect(sent[1]?.body).toEqual(sent[0]?.body);
    expect(errorsAbout(r, i)).toEqual([]);
  });

  it('answers once when Discord took a callback but its answer was lost (502): the retry is refused as already acknowledged, and logged', async () => {
    const i = r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice });
    r.fake.failNext({ match: (q) => q.route.startsWith(`/interactions/${i.id}/`), status: 502, afterProcessing: true });
    const sent = await requestsFor(r, i);
    const title = titleFrom(r.bot, 'quote', { query: '智能鸿沟' });
    expect(sent.map((q) => [q.status, q.processed ?? false, callbackOf(q).data?.embeds?.[0]?.title ?? callbackOf(q).data?.content])).toEqual([
      [502, true, title],
      [400, false, title],
      // The adapter's report of the failure is refused the same way: the user keeps the one answer Discord took.
      [400, false, 'Something went wrong while answering. It has been logged; please try again.'],
    ]);
    const failed = await r.logs.entries.next((e) => e.msg === 'discord: interaction failed' && e.obj.interaction === i.id);
    expect((failed.obj.err as { code?: number }).code).toBe(40060);

    const next = await requestsFor(r, r.fake.slashCommand({ name: 'essays', user: alice }));
    expect(next.map((q) => [q.status, callbackOf(q).type])).toEqual([[204, 4]]);
  });

  it('logs a callback that fails past every retry, answers with the short failure message, and keeps serving', async () => {
    // The first attempt and discord.js's three retries.
    const i = failingCallback(503, 4);
    const sent = await requestsFor(r, i);
    expect(sent.map((q) => q.status)).toEqual([503, 503, 503, 503, 204]);
    const failed = await r.logs.entries.next((e) => e.msg === 'discord: interaction failed' && e.obj.interaction === i.id);
    expect((failed.obj.err as { status?: number }).status).toBe(503);
    expect(successfulCallbacks(sent).map((q) => [callbackOf(q).type, callbackOf(q).data?.flags, callbackOf(q).data?.content])).toEqual([
      [4, EPHEMERAL, 'Something went wrong while answering. It has been logged; please try again.'],
    ]);

    const next = await requestsFor(r, r.fake.slashCommand({ name: 'essays', user: alice }));
    expect(next.map((q) => [q.status, callbackOf(q).type])).toEqual([[204, 4]]);
    expect(answerTitle(next)).toBe(titleFrom(r.bot, 'essays', {}));
  });
});

describe('Discord REST failing a follow-up', () => {
  let r: Running;
  beforeEach(async () => {
    // A paragraph longer than one message: its Context answer needs a follow-up.
    r = await start(join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'));
  });
  afterEach(async () => {
    await r?.stop();
  });

  it.each([502, 429])('retries a follow-up Discord answers with %i, and posts every part exactly once', async (status) => {
    const paragraph = r.bot.library().corpus.files[0]?.essays[0]?.sections[0]?.paragraphs[0];
    const i = r.fake.button({ customId: `y1|c|p|${alice.id}|context|id=${paragraph?.id}`, user: alice, message: {} });
    r.fake.failNext({ match: (q) => q.method === 'POST' && q.route.startsWith(`/webhooks/${r.fake.applicationId}/${i.token}`), status, retryAfter: 0.1 });
    const sent = await requestsFor(r, i);
    expect(sent.map((q) => [q.method, q.route.endsWith('/callback') ? 'callback' : 'followup', q.status])).toEqual([
      ['POST', 'callback', 204],
      ['POST', 'followup', status],
      ['POST', 'followup', 200],
    ]);
    expect(sent[2]?.body).toEqual(sent[1]?.body);
    expect(errorsAbout(r, i)).toEqual([]);
  });
});
