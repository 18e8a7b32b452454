import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { en } from '../../src/core/words/en.js';
import { botOver, requester } from '../support/bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { AwaitableLog, FakeDiscord, type FakeUser } from './fake-discord.js';
import { alice, startMain } from './support.js';

/*
 * `npm start` twice, as two hosts would run it: DISCORD_SHARDS=0 and =1 of DISCORD_SHARD_COUNT=2,
 * one DATABASE_URL, and nothing else shared (each its own DATA_DIR and CACHE_DIR). Which process
 * answered is read from its own log (LOG_LEVEL=debug says "discord: answered" per interaction).
 */

/** Servers owned by shard 0 and shard 1 of 2: (guild_id >> 22) % 2. */
const GUILDS = ['200000000000000001', '210000000000000001'] as const;
const BURST = 3;
const LONG_QUERY = Array.from({ length: 20 }, () => '智能鸿沟').join(' ');
const erin: FakeUser = { id: '500000000000000005', username: 'erin' };

interface Host {
  child: ReturnType<typeof startMain>;
  /** Its log, one parsed JSON line each. */
  log: AwaitableLog<Record<string, unknown>>;
  dir: string;
}

let pg: TestPostgres;
let fake: FakeDiscord;
const hosts: Host[] = [];

async function startHost(shard: number, databaseUrl: string): Promise<Host> {
  const dir = await mkdtemp(join(tmpdir(), `yz-host${shard}-`));
  const child = startMain(fake, {
    DISCORD_SHARDS: String(shard),
    DISCORD_SHARD_COUNT: '2',
    DATABASE_URL: databaseUrl,
    DATA_DIR: join(dir, 'data'),
    CACHE_DIR: join(dir, 'cache'),
    RATE_LIMIT_BURST: String(BURST),
    RATE_LIMIT_PER_MINUTE: '1',
    LOG_LEVEL: 'debug',
  });
  const log = new AwaitableLog<Record<string, unknown>>();
  let buffered = '';
  child.stderr.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        log.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        log.push({ msg: line });
      }
    }
  });
  child.stdout.resume();
  const exited = once(child, 'close').then(() =>
    Promise.reject(new Error(`host ${shard} exited before connecting:\n${log.items.map((l) => JSON.stringify(l)).join('\n')}`)),
  );
  exited.catch(() => undefined);
  await Promise.race([log.next((l) => l.msg === 'discord: connected'), exited]);
  return { child, log, dir };
}

beforeAll(async () => {
  pg = await startPostgres();
  fake = await FakeDiscord.start({ recommendedShards: 2 });
  const url = pg.database('hosts');
  // One after the other: both run the migrations at start, and the second finds them done.
  hosts.push(await startHost(0, url));
  hosts.push(await startHost(1, url));
}, 60_000);

afterAll(async () => {
  for (const h of hosts) {
    if (h.child.exitCode === null) {
      h.child.kill('SIGTERM');
      await once(h.child, 'close');
    }
    await rm(h.dir, { recursive: true, force: true });
  }
  await fake?.close();
  await pg?.destroy();
});

const host = (shard: number) => hosts[shard] as Host;

/** The callback's body, once the host of `shard` says it answered the interaction. */
async function answeredBy(shard: number, interaction: { id: string; token: string }): Promise<Record<string, unknown>> {
  await host(shard).log.next((l) => l.msg === 'discord: answered' && l.interaction === interaction.id);
  const callback = await fake.callback(interaction);
  return (callback.body ?? {}) as Record<string, unknown>;
}

const buttons = (body: Record<string, unknown>) =>
  ((body.data as { components?: Array<{ components: Array<{ label: string; custom_id: string }> }> }).components ?? []).flatMap((r) => r.components);
const titleOf = (body: Record<string, unknown>) => (body.data as { embeds?: Array<{ title?: string }> }).embeds?.[0]?.title;

describe('two npm start processes, one shard each, sharing only PostgreSQL', () => {
  it('identify as shard 0 and shard 1 of 2', () => {
    const shards = fake.gatewayPayloads.items.filter((p) => p.op === 2).map((p) => (p.d as { shard: [number, number] }).shard);
    expect(shards.sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('answers on host 1 a long button state made by host 0', async () => {
    const asked = await answeredBy(0, fake.slashCommand({ name: 'quote', options: { query: LONG_QUERY }, user: alice, where: { guildId: GUILDS[0] } }));
    const more = buttons(asked).find((b) => b.label === 'More')?.custom_id ?? '';
    expect(more).toMatch(/^y1#/u);
    // As after a reshard, the message's server now belongs to host 1, which never saw the state.
    const click = fake.button({ customId: more, user: alice, message: {}, where: { guildId: GUILDS[1] } });
    const paged = await answeredBy(1, click);
    const corpus = await loadCorpus(join(PROJECT_ROOT, 'data', 'essays'));
    expect(titleOf(paged)).toBe(botOver(corpus).run('quote', { query: LONG_QUERY, page: 2 }, requester('en', 'discord', alice.id)).title);
    expect(host(0).log.items.some((l) => l.interaction === click.id)).toBe(false);
  });

  it(`counts one user's burst across both hosts: ${BURST} pass, the next is refused`, async () => {
    const outcomes: Array<string | undefined> = [];
    for (let i = 0; i <= BURST; i++) {
      const body = await answeredBy(i % 2, fake.slashCommand({ name: 'essays', user: erin, where: { guildId: GUILDS[i % 2] } }));
      outcomes.push((body.data as { content?: string }).content || 'answered');
    }
    expect(outcomes.slice(0, BURST)).toEqual(Array.from({ length: BURST }, () => 'answered'));
    expect(outcomes[BURST]).toMatch(
      new RegExp(
        `^${en.errors
          .rateLimited(0)
          .split('0 s')[0]
          ?.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}\\d+ s\\.$`,
        'u',
      ),
    );
  });
});
