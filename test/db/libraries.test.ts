import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Corpus } from '../../src/core/corpus/model.js';
import { loadHere } from '../../src/core/corpus/reload.js';
import { watchCorpus } from '../../src/core/corpus/watch.js';
import type { Bot, Library } from '../../src/core/dispatch/bot.js';
import { createTeamLibraries, type ServedTeamLibraries } from '../../src/core/library/serve.js';
import { createIndex } from '../../src/core/search/corpus-index.js';
import { followCorpus, mirrorCorpus, publishCorpus } from '../../src/db/corpus.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createDatabaseLibraryStore, type DatabaseLibraryStore } from '../../src/db/libraries.js';
import { botOver, quietLogger, requester } from '../support/bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

/*
 * Two replicas that share nothing but PostgreSQL: each its own Database connection, store,
 * served libraries and bot, as two processes on two hosts would have. A file a team adds
 * through one is served by the other once the database announces it; the operator's corpus,
 * published to the database, reaches every replica's mirror and is served there.
 */

const TEAM = { kind: 'slack-team', id: 'T0REPLICA' } as const;
const KEY = 'slack-team-T0REPLICA';
const BY = { platform: 'slack' as const, userId: 'U0ADMIN', name: 'alice' };
const essayFile = (title: string, author: string, phrase: string) =>
  new TextEncoder().encode(`${title}\n\n${author}\n\n${phrase}已经在多个国家展开，其规则尚在形成之中。\n`);

interface Replica {
  database: Database;
  store: DatabaseLibraryStore;
  libraries: ServedTeamLibraries;
  bot: Bot;
  /** Team keys the database announced as changed by another replica, in order. */
  heard: string[];
  /** Resolves once `heard` has `count` entries. */
  hears(count: number): Promise<void>;
}

let pg: TestPostgres;
let operator: Corpus;
const opened: Database[] = [];
const folders: string[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  operator = await loadCorpus(BUNDLED_CORPUS_DIR);
});
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await pg?.destroy();
});

async function replica(url: string): Promise<Replica> {
  const database = await openDatabase(url, quietLogger, { backoffMs: { first: 50, max: 250 } });
  opened.push(database);
  const store = createDatabaseLibraryStore(database, { logger: quietLogger, maxBytes: 1_000_000 });
  let served: Bot | undefined;
  const library: Library = { corpus: operator, index: createIndex(operator) };
  const libraries = createTeamLibraries({ operator: () => served?.library() ?? library, store, logger: quietLogger });
  const bot = botOver(operator, { libraries });
  served = bot;
  const heard: string[] = [];
  const waiters: Array<() => void> = [];
  await store.follow((team) => {
    heard.push(team);
    bot.libraryChanged(team);
    for (const wake of waiters.splice(0)) wake();
  });
  const hears = async (count: number) => {
    while (heard.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { database, store, libraries, bot, heard, hears };
}

const quoted = (r: Replica, phrase: string) => JSON.stringify(r.bot.runLine(`quote ${phrase} count:1`, { ...requester(), team: KEY }).results).includes(phrase);

describe('teams’ libraries shared by replicas through PostgreSQL', () => {
  test('a file added through one replica is served by the other, and its removal too', async () => {
    const url = pg.database('libraries_two');
    const one = await replica(url);
    const two = await replica(url);
    const added = await one.store.add(TEAM, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', '量子外交试验') }, BY);
    expect(added.ok).toBe(true);
    // The replica that made the change is not told of it again; the other one is.
    await two.hears(1);
    expect(two.heard).toEqual([KEY]);
    expect(one.heard).toEqual([]);
    await two.libraries.ready(KEY);
    expect(quoted(two, '量子外交试验')).toBe(true);
    expect((await two.store.list(TEAM)).map((e) => [e.file, e.addedBy.name])).toEqual([['quantum.txt', 'alice']]);

    // The same content twice is refused on the other replica too; past the quota as well.
    const again = await two.store.add(TEAM, { name: 'copy.txt', bytes: essayFile('量子外交的兴起', '李四', '量子外交试验') }, BY);
    expect(again.ok ? 'added' : again.code).toBe('duplicate');
    const big = await two.store.add(TEAM, { name: 'big.txt', bytes: new Uint8Array(1_100_000).fill(0x41) }, BY);
    expect(big.ok ? 'added' : big.code).toBe('quota');

    expect((await two.store.remove(TEAM, 'quantum.txt')).ok).toBe(true);
    // As the desk does after a change it made (src/core/library/desk.ts).
    two.bot.libraryChanged(KEY);
    await one.hears(1);
    await one.libraries.ready(KEY);
    await two.libraries.ready(KEY);
    expect(quoted(one, '量子外交试验')).toBe(false);
    expect(quoted(two, '量子外交试验')).toBe(false);
    expect(await one.store.teams()).toEqual([]);
  });

  test('the database restarted mid-change: the add lands once it is back, and the other replica catches up', async () => {
    const url = pg.database('libraries_restart');
    const one = await replica(url);
    const two = await replica(url);
    expect((await one.store.add(TEAM, { name: 'first.txt', bytes: essayFile('第一篇', '王五', '星际治理框架') }, BY)).ok).toBe(true);
    await two.hears(1);
    await two.libraries.ready(KEY);
    expect(quoted(two, '星际治理框架')).toBe(true);

    await pg.stop();
    // While it is away, what is loaded keeps answering from memory.
    expect(quoted(two, '星际治理框架')).toBe(true);
    // An add made now waits (retried) until the database is back, and is acknowledged only then.
    const pending = one.store.add(TEAM, { name: 'second.txt', bytes: essayFile('第二篇', '赵六', '深海资源共治') }, BY);
    await pg.start();
    const second = await pending;
    expect(second.ok).toBe(true);
    // The other replica hears of it: the announcement, or its reconnection's look at the
    // versions (which may come first, before the add landed, and then the announcement after).
    for (let seen = two.heard.length; ; seen = two.heard.length) {
      await two.libraries.ready(KEY);
      if (quoted(two, '深海资源共治')) break;
      await two.hears(seen + 1);
    }
    expect((await two.store.list(TEAM)).map((e) => e.file)).toEqual(['first.txt', 'second.txt']);
  });
});

describe('the operator’s corpus shared through PostgreSQL', () => {
  test('the first replica seeds it; a file published later is mirrored and served by a replica that follows it', async () => {
    const url = pg.database('corpus_shared');
    const source = await mkdtemp(join(tmpdir(), 'yinzheng-publish-'));
    const mirror = await mkdtemp(join(tmpdir(), 'yinzheng-mirror-'));
    folders.push(source, mirror);
    await writeFile(join(source, 'first.txt'), essayFile('共享语料第一篇', '钱七', '海底光缆安全'));
    const db = await openDatabase(url, quietLogger);
    opened.push(db);
    expect(await publishCorpus(db, source, { seedOnly: true })).toEqual({ added: ['first.txt'], replaced: [], removed: [] });
    // Seeding is for an empty database only.
    expect(await publishCorpus(db, BUNDLED_CORPUS_DIR, { seedOnly: true })).toBeNull();

    expect(await mirrorCorpus(db, mirror)).toEqual(['first.txt']);
    const corpus = await loadCorpus(mirror);
    const bot = botOver(corpus);
    const reloads: string[] = [];
    let woke: (() => void) | undefined;
    const watcher = watchCorpus(mirror, {
      bot,
      logger: quietLogger,
      load: loadHere({ buildIndex: createIndex }),
      onReload: (outcome) => {
        reloads.push(outcome.kind);
        woke?.();
      },
    });
    try {
      const follower = await openDatabase(url, quietLogger);
      opened.push(follower);
      await followCorpus(follower, mirror, () => watcher.reload(), quietLogger);
      const served = (phrase: string) => JSON.stringify(bot.runLine(`quote ${phrase} count:1`, requester()).results).includes(phrase);
      expect(served('海底光缆安全')).toBe(true);

      await writeFile(join(source, 'second.txt'), essayFile('共享语料第二篇', '孙八', '极地航道开发'));
      expect(await publishCorpus(db, source)).toEqual({ added: ['second.txt'], replaced: [], removed: [] });
      while (!served('极地航道开发')) await new Promise<void>((resolve) => (woke = resolve));
      expect(served('海底光缆安全')).toBe(true);
      expect(reloads).toContain('replaced');
    } finally {
      watcher.close();
    }
  });
});
