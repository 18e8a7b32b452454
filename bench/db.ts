/**
 * The cost of PostgreSQL on the answer path (issue 26): the same Discord answers timed with
 * DATABASE_URL (button states in discord_buttons, the rate limit in rate_limits) and with the
 * default (states in memory and the state folder, the limit in memory), in the same run, one
 * sample of each in turn so that a slow spell of the machine hits both. Each sample runs from
 * the INTERACTION_CREATE leaving the loopback fake Discord to the interaction's callback
 * arriving there, one interaction at a time: what Discord's 3 s window measures.
 *
 *   node dist/bench/run.js --only db [--samples 200]
 *
 * It starts a PostgreSQL of its own (bench/postgres.ts), as the tests do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry } from '../commands/index.js';
import { BUNDLED_CORPUS_DIR } from '../src/config.js';
import { loadCorpus } from '../src/core/corpus/load.js';
import { createBot, type Library, type Logger } from '../src/core/dispatch/bot.js';
import { createIndex } from '../src/core/search/corpus-index.js';
import { databaseButtons } from '../src/db/buttons.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { createSharedRateLimiter } from '../src/db/rate-limit.js';
import { startDiscord } from '../src/discord/bot.js';
import { FakeDiscord } from '../test/discord/fake-discord.js';
import { loadUser } from './load-discord.js';
import { startPostgres } from './postgres.js';
import { percentile } from './stats.js';

/** The production defaults (RATE_LIMIT_BURST, RATE_LIMIT_PER_MINUTE): each sample's user stays well inside them. */
const LIMIT = { burst: 10, perMinute: 20 };
/** A query whose More button's state (152 characters) overflows a custom_id, so it is kept in the store. */
const LONG_QUERY = Array.from({ length: 20 }, () => '智能鸿沟').join(' ');
const WARM_UP = 20;
const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export interface Percentiles {
  p50: number;
  p99: number;
}

export interface DbFigures {
  samples: number;
  rows: Array<{ what: string; memory: Percentiles; database: Percentiles }>;
}

interface Replica {
  fake: FakeDiscord;
  stop(): Promise<void>;
}

/** Two replicas of one configuration: a click on `b` of a state `a` made is read from their shared store. */
interface Pair {
  a: Replica;
  b: Replica;
}

/**
 * A bot on its own loopback Discord: with the database's stores when `db` is given, the defaults
 * otherwise, its state folder `stateDir` (shared by the default's two replicas, as DATA_DIR would be).
 */
async function startReplica(library: Library, db: Database | undefined, stateDir: string): Promise<Replica> {
  const fake = await FakeDiscord.start();
  const bot = createBot({
    commands: registry,
    library,
    logger: quiet,
    rateLimit: LIMIT,
    ...(db ? { sharedRateLimit: createSharedRateLimiter(db, LIMIT, quiet) } : {}),
  });
  const discord = await startDiscord(
    bot,
    { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase, stateDir },
    quiet,
    { identifyAtOnce: true },
    undefined,
    db ? databaseButtons(db) : undefined,
  );
  return {
    fake,
    async stop() {
      await discord.stop();
      await fake.close();
    },
  };
}

/** Dispatches an interaction and resolves with its callback's body and the ms until it arrived. */
async function timed(fake: FakeDiscord, dispatch: () => { id: string; token: string }): Promise<{ ms: number; body: Record<string, unknown> }> {
  const started = performance.now();
  const { id, token } = dispatch();
  const callback = await fake.requests.next((q) => q.route === `/interactions/${id}/${token}/callback`);
  return { ms: performance.now() - started, body: (callback.body ?? {}) as Record<string, unknown> };
}

/** The More button's custom_id in a callback's message. */
function moreOf(body: Record<string, unknown>): string {
  const rows = ((body.data as { components?: Array<{ components: Array<{ label?: string; custom_id?: string }> }> })?.components ?? []).flatMap(
    (r) => r.components,
  );
  const id = rows.find((b) => b.label === 'More')?.custom_id;
  if (!id?.startsWith('y1#')) throw new Error(`bench db: the answer to the long query has no More button with a kept state (${id ?? 'none'})`);
  return id;
}

interface Sample {
  clickMs: number;
  elsewhereMs: number;
  commandMs: number;
}

/**
 * One sample on a pair: a user asks the long query on `a` (not timed) and clicks More there (a
 * state in `a`'s memory, whose page brings new long states to keep); another asks it on `a` and
 * clicks More on `b` (which reads the state from the folder or the table); a third runs
 * /essays on `a` (counted against the rate limit, with no buttons to keep).
 */
async function sample({ a, b }: Pair, n: number): Promise<Sample> {
  const ask = async (user: ReturnType<typeof loadUser>) =>
    moreOf((await timed(a.fake, () => a.fake.slashCommand({ name: 'quote', options: { query: LONG_QUERY }, user }))).body);
  const asker = loadUser(n);
  const more = await ask(asker);
  const click = await timed(a.fake, () => a.fake.button({ customId: more, user: asker, message: {} }));
  const other = loadUser(2_000_000 + n);
  const otherMore = await ask(other);
  const elsewhere = await timed(b.fake, () => b.fake.button({ customId: otherMore, user: other, message: {} }));
  const command = await timed(a.fake, () => a.fake.slashCommand({ name: 'essays', user: loadUser(1_000_000 + n) }));
  a.fake.clearRecords();
  b.fake.clearRecords();
  return { clickMs: click.ms, elsewhereMs: elsewhere.ms, commandMs: command.ms };
}

export async function benchDatabase(samples = 200): Promise<DbFigures> {
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  const library: Library = { corpus, index: createIndex(corpus) };
  const pg = await startPostgres();
  const work = await mkdtemp(join(tmpdir(), 'yinzheng-bench-db-'));
  let db: Database | undefined;
  const replicas: Replica[] = [];
  const started = async (database: Database | undefined, stateDir: string) => {
    const replica = await startReplica(library, database, stateDir);
    replicas.push(replica);
    return replica;
  };
  try {
    db = await openDatabase(pg.url, quiet);
    const pairs = {
      memory: { a: await started(undefined, join(work, 'states')), b: await started(undefined, join(work, 'states')) },
      database: { a: await started(db, join(work, 'a')), b: await started(db, join(work, 'b')) },
    };
    const times = { memory: [] as Sample[], database: [] as Sample[] };
    for (let n = 0; n < WARM_UP + samples; n++) {
      // Which goes first alternates, so that neither always follows the other's garbage.
      const order = n % 2 === 0 ? (['memory', 'database'] as const) : (['database', 'memory'] as const);
      for (const which of order) {
        const s = await sample(pairs[which], n);
        if (n >= WARM_UP) times[which].push(s);
      }
    }
    const p = (which: 'memory' | 'database', key: keyof Sample): Percentiles => {
      const ms = times[which].map((s) => s[key]);
      return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
    };
    const row = (what: string, key: keyof Sample) => ({ what, memory: p('memory', key), database: p('database', key) });
    return {
      samples,
      rows: [
        row('More on a long state this replica made (UPDATE_MESSAGE)', 'clickMs'),
        row('More on a long state another replica made (read from the folder, or the table)', 'elsewhereMs'),
        row('/essays, counted against the rate limit', 'commandMs'),
      ],
    };
  } finally {
    for (const r of replicas) await r.stop();
    await db?.close();
    await pg.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

/** The report's section: both runs' percentiles and the database's as ratios of the default's. */
export function databaseSection(figures: DbFigures | { failure: string } | null): string {
  if (figures === null) return 'Not measured in this run.';
  if ('failure' in figures) return `The database's cost could not be measured: ${figures.failure}`;
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    `The same answers with DATABASE_URL (a local PostgreSQL: button states in discord_buttons, the rate limit in rate_limits) and with the default (states in memory and a state folder the two replicas share, the limit in memory), ${figures.samples} samples of each in turn after ${WARM_UP} to warm up, one interaction at a time, from INTERACTION_CREATE to the interaction's callback on the loopback Discord. The click's page carries new long states, which are kept before the page is sent.`,
    '',
    '| Answer | default p50 | default p99 | PostgreSQL p50 | PostgreSQL p99 | p50 ratio | p99 ratio |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...figures.rows.map(
      (r) =>
        `| ${r.what} | ${ms(r.memory.p50)} | ${ms(r.memory.p99)} | ${ms(r.database.p50)} | ${ms(r.database.p99)} | ${ratio(r.database.p50, r.memory.p50)} | ${ratio(r.database.p99, r.memory.p99)} |`,
    ),
  ].join('\n');
}
