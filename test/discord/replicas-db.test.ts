import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Corpus } from '../../src/core/corpus/model.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { en } from '../../src/core/words/en.js';
import { databaseButtons } from '../../src/db/buttons.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createSharedRateLimiter } from '../../src/db/rate-limit.js';
import { startDiscord } from '../../src/discord/bot.js';
import { botOver, requester } from '../support/bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { FakeDiscord, type FakeUser } from './fake-discord.js';
import { answered, bob, buttonsOf, EPHEMERAL, embedsOf } from './harness.js';
import { alice, createTestLogger } from './support.js';

/*
 * Two Discord shard processes of one bot, sharing nothing but PostgreSQL: shard 0 and shard 1
 * of 2, each with its own bot, logger, state folder and database connection, against one fake
 * Discord that routes each server's interactions to the shard that owns it.
 */

/** Servers owned by shard 0 and shard 1 of 2: (guild_id >> 22) % 2. */
const GUILDS = ['200000000000000001', '210000000000000001'] as const;
const BURST = 4;
/** One point a minute: within a test no window ends, so a refusal is the burst spent. */
const LIMIT = { burst: BURST, perMinute: 1 };
/** A query long enough that its More button's state overflows a custom_id (152 characters). */
const LONG_QUERY = Array.from({ length: 20 }, () => '智能鸿沟').join(' ');
const OTHER_LONG_QUERY = Array.from({ length: 19 }, () => '智能鸿沟').join(' ');
const carol: FakeUser = { id: '500000000000000003', username: 'carol' };
const dave: FakeUser = { id: '500000000000000004', username: 'dave' };
const FELL_BACK = 'rate limit: database unreachable; counting per replica';
const BACK = 'rate limit: counting across replicas again';

interface Replica {
  shard: number;
  bot: Bot;
  logs: ReturnType<typeof createTestLogger>;
  db: Database;
  stop(): Promise<void>;
}

let pg: TestPostgres;
let fake: FakeDiscord;
let corpus: Corpus;
let replicas: Replica[] = [];

async function startReplica(shard: number, url: string): Promise<Replica> {
  const logs = createTestLogger();
  const db = await openDatabase(url, logs, { backoffMs: { first: 50, max: 200 } });
  // A generous timeout: two cores shared by several test files must not pass for an outage.
  const shared = createSharedRateLimiter(db, LIMIT, logs, { probeMs: 100, timeoutMs: 3_000 });
  const bot = botOver(corpus, { logger: logs, rateLimit: LIMIT, sharedRateLimit: shared });
  const stateDir = await mkdtemp(join(tmpdir(), `yz-shard${shard}-`));
  const discord = await startDiscord(
    bot,
    { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase, stateDir, shards: [shard], shardCount: 2 },
    logs,
    { identifyAtOnce: true },
    undefined,
    databaseButtons(db),
  );
  return {
    shard,
    bot,
    logs,
    db,
    async stop() {
      await discord.stop();
      await db.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

beforeAll(async () => {
  corpus = await loadCorpus(join(PROJECT_ROOT, 'data', 'essays'));
  pg = await startPostgres();
  fake = await FakeDiscord.start({ recommendedShards: 2 });
  const url = pg.database('replicas');
  replicas = [await startReplica(0, url), await startReplica(1, url)];
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(replicas.map((r) => r.stop()));
  await fake?.close();
  await pg?.destroy();
});

const at = (shard: number) => replicas[shard] as Replica;
const title = (input: Record<string, unknown>) => botOver(corpus).run('quote', input, requester('en', 'discord', alice.id)).title;
const rateLimitedText = new RegExp(
  `^${en.errors
    .rateLimited(0)
    .replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')
    .replace('0', '\\d+')}$`,
  'u',
);

/** Runs /essays for `user` in the server of `shard`, and says whether it was answered or refused for the rate limit. */
async function essays(user: FakeUser, shard: number): Promise<'answered' | 'refused'> {
  const sent = await answered({ fake, logs: at(shard).logs }, fake.slashCommand({ name: 'essays', user, where: { guildId: GUILDS[shard] } }));
  const content = String(sent[0]?.body.content ?? '');
  if (rateLimitedText.test(content)) {
    // Private, as every error is.
    expect(sent[0]?.body.flags).toBe(EPHEMERAL);
    return 'refused';
  }
  expect(embedsOf(sent[0]).length).toBeGreaterThan(0);
  return 'answered';
}

describe('two Discord shards sharing one PostgreSQL', () => {
  it('routes each server to its shard, and DMs to shard 0', async () => {
    expect([fake.shardOf(GUILDS[0]), fake.shardOf(GUILDS[1]), fake.shardOf(undefined)]).toEqual([0, 1, 0]);
    const inDm = fake.slashCommand({ name: 'essays', user: alice, where: { context: 'bot-dm' } });
    await answered({ fake, logs: at(0).logs }, inDm);
    expect(at(1).logs.entries.items.some((e) => e.obj.interaction === inDm.id)).toBe(false);
  });

  it('answers on shard 1 a long button state made by a reply on shard 0', async () => {
    const asked = fake.slashCommand({ name: 'quote', options: { query: LONG_QUERY }, user: alice, where: { guildId: GUILDS[0] } });
    const sent = await answered({ fake, logs: at(0).logs }, asked);
    const more = buttonsOf(sent[0]).find((b) => b.label === 'More')?.custom_id ?? '';
    expect(more).toMatch(/^y1#[\w-]{22}$/u);
    // Kept before the message was sent, for 30 days by the database's clock.
    const kept = await at(1).db.query<{ days: number }>(
      'SELECT round(extract(epoch FROM expires_at - now()) / 86400)::int AS days FROM discord_buttons WHERE key = $1',
      [more],
    );
    expect(kept.rows).toEqual([{ days: 30 }]);
    // The message moves to a server shard 1 owns, as after a reshard: shard 1 has never seen the state.
    const click = fake.button({ customId: more, user: alice, message: {}, where: { guildId: GUILDS[1] } });
    const paged = await answered({ fake, logs: at(1).logs }, click);
    expect(embedsOf(paged[0])[0]?.title).toBe(title({ query: LONG_QUERY, page: 2 }));
    expect(at(0).logs.entries.items.some((e) => e.obj.interaction === click.id)).toBe(false);
  });

  it(`counts one user's burst across both shards: ${BURST} pass, the next is refused`, async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < BURST; i++) outcomes.push(await essays(bob, i % 2));
    outcomes.push(await essays(bob, BURST % 2));
    expect(outcomes).toEqual([...Array.from({ length: BURST }, () => 'answered'), 'refused']);
  });

  it('keeps answering while the database is down, keeps what was made meanwhile, and counts across replicas once it is back', async () => {
    // A long state made while the database is up, so it is in shard 0's memory.
    const first = await answered(
      { fake, logs: at(0).logs },
      fake.slashCommand({ name: 'quote', options: { query: LONG_QUERY }, user: carol, where: { guildId: GUILDS[0] } }),
    );
    const more = buttonsOf(first[0]).find((b) => b.label === 'More')?.custom_id ?? '';
    await pg.stop();

    // Commands answer, each replica counting alone and saying so once.
    expect([await essays(carol, 0), await essays(carol, 1), await essays(carol, 0), await essays(carol, 1)]).toEqual([
      'answered',
      'answered',
      'answered',
      'answered',
    ]);
    for (const r of replicas) expect(r.logs.entries.items.filter((e) => e.msg === FELL_BACK).length).toBe(1);

    // A button whose state is in memory still works.
    const paged = await answered({ fake, logs: at(0).logs }, fake.button({ customId: more, user: carol, message: {}, where: { guildId: GUILDS[0] } }));
    expect(paged.map((s) => [s.via, s.type])).toEqual([['callback', 7]]);
    expect(embedsOf(paged[0])[0]?.title).toBe(title({ query: LONG_QUERY, page: 2 }));

    // A new long state cannot be kept yet: the answer is deferred and waits for the database.
    const asked = fake.slashCommand({ name: 'quote', options: { query: OTHER_LONG_QUERY }, user: carol, where: { guildId: GUILDS[0] } });
    const deferral = await fake.requests.next((q) => q.route === `/interactions/${asked.id}/${asked.token}/callback`);
    expect((deferral.body as { type: number }).type).toBe(5);
    expect(at(0).logs.entries.items.some((e) => e.msg === 'discord: answered' && e.obj.interaction === asked.id)).toBe(false);
    await pg.start();
    const sent = await answered({ fake, logs: at(0).logs }, asked);
    expect(sent.map((s) => [s.via, s.type])).toEqual([
      ['callback', 5],
      ['edit', undefined],
    ]);
    const otherMore = buttonsOf(sent[1]).find((b) => b.label === 'More')?.custom_id ?? '';
    expect(otherMore).toMatch(/^y1#/u);

    // Made while the database was down, kept once it was back: shard 1 answers it.
    const onOther = await answered({ fake, logs: at(1).logs }, fake.button({ customId: otherMore, user: carol, message: {}, where: { guildId: GUILDS[1] } }));
    expect(embedsOf(onOther[0])[0]?.title).toBe(title({ query: OTHER_LONG_QUERY, page: 2 }));

    // Back: said once by each replica, and a burst is counted across both again.
    for (const r of replicas) await r.logs.entries.next((e) => e.msg === BACK);
    for (const r of replicas) expect(r.logs.entries.items.filter((e) => e.msg === BACK).length).toBe(1);
    const outcomes: string[] = [];
    for (let i = 0; i <= BURST; i++) outcomes.push(await essays(dave, i % 2));
    expect(outcomes).toEqual([...Array.from({ length: BURST }, () => 'answered'), 'refused']);
  }, 90_000);
});

describe('the fake gateway, sharded', () => {
  it('one process running both shards is up only while both are connected', async () => {
    const own = await FakeDiscord.start({ recommendedShards: 2 });
    const logs = createTestLogger();
    const adapter = await startDiscord(
      botOver(corpus, { logger: logs }),
      { token: 'fake-token', applicationId: own.applicationId, guildId: undefined, apiBase: own.apiBase, shards: [0, 1], shardCount: 2 },
      logs,
      { identifyAtOnce: true },
    );
    try {
      expect(adapter.gateway()).toBe('up');
      await answered({ fake: own, logs }, own.slashCommand({ name: 'essays', user: alice, where: { guildId: GUILDS[1] } }));
      // Shard 1 drops and cannot resume yet; shard 0 drops and resumes: still down.
      const shard1 = own.holdShard(1);
      own.dropGateway(undefined, 1);
      await logs.entries.next((e) => e.msg === 'discord: gateway dropped, reconnecting' && e.obj.shard === 1);
      expect(adapter.gateway()).toBe('down');
      own.dropGateway(undefined, 0);
      await logs.entries.next((e) => e.msg === 'discord: gateway resumed' && e.obj.shard === 0);
      expect(adapter.gateway()).toBe('down');
      shard1.release();
      await logs.entries.next((e) => e.msg === 'discord: gateway resumed' && e.obj.shard === 1);
      expect(adapter.gateway()).toBe('up');
    } finally {
      await adapter.stop();
      await own.close();
    }
  });

  it('closes an IDENTIFY for a shard not below its count with 4010 "Invalid shard"', async () => {
    const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.once('message', () => socket.send(JSON.stringify({ op: 2, d: { token: 'fake-token', intents: 1, properties: {}, shard: [2, 2] } })));
    expect(await closed).toBe(4010);
  });
});
