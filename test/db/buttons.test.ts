import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseButtons } from '../../src/db/buttons.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { type ButtonState, createButtonStore } from '../../src/discord/custom-id.js';
import { quietLogger } from '../support/bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let pg: TestPostgres;
let db: Database;

beforeAll(async () => {
  pg = await startPostgres();
  db = await openDatabase(pg.database('buttons'), quietLogger);
});

afterAll(async () => {
  await db?.close();
  await pg?.destroy();
});

const long: ButtonState = { kind: 'more', owner: '123456789012345678', ephemeral: false, command: 'quote', input: { query: '智能鸿沟'.repeat(30), page: 2 } };

describe('button states in PostgreSQL', () => {
  it('keeps a long state before settled() resolves, for 30 days, and another replica reads it', async () => {
    const maker = createButtonStore(10, databaseButtons(db));
    const id = maker.customId(long);
    await maker.settled([id]);
    const days = await db.query<{ days: number }>(
      'SELECT round(extract(epoch FROM expires_at - now()) / 86400)::int AS days FROM discord_buttons WHERE key = $1',
      [id],
    );
    expect(days.rows).toEqual([{ days: 30 }]);
    const reader = createButtonStore(10, databaseButtons(db));
    expect(await reader.resolve(id)).toEqual({ state: long });
    expect(await reader.resolve('y1#AAAAAAAAAAAAAAAAAAAAAA')).toEqual({ expired: true });
  });

  it('never returns an expired state, and a later write sweeps expired rows', async () => {
    await db.query("INSERT INTO discord_buttons (key, state, expires_at) VALUES ('y1#old', $1, now() - interval '1 second')", [JSON.stringify(long)]);
    const store = createButtonStore(10, databaseButtons(db));
    expect(await store.resolve('y1#old')).toEqual({ expired: true });
    const id = store.customId({ ...long, input: { ...long.input, page: 3 } });
    await store.settled([id]);
    // A store's first write sweeps (then at most once an hour).
    expect((await db.query('SELECT 1 FROM discord_buttons WHERE key = $1', ['y1#old'])).rowCount).toBe(0);
    expect((await db.query('SELECT 1 FROM discord_buttons WHERE key = $1', [id])).rowCount).toBe(1);
  });

  it('writes again a state whose write gave up while the database was down', async () => {
    const state = { ...long, input: { ...long.input, page: 11 } };
    const store = createButtonStore(10, databaseButtons(db, { retryDeadlineMs: 0 }));
    await pg.stop();
    let started = false;
    try {
      const id = store.customId(state);
      await expect(store.settled([id])).rejects.toThrow();
      await pg.start();
      started = true;
      expect(store.customId(state)).toBe(id);
      await store.settled([id]);
      expect(await createButtonStore(10, databaseButtons(db)).resolve(id)).toEqual({ state });
    } finally {
      if (!started) await pg.start();
    }
  }, 30_000);

  it('reads a row that is not a state as none', async () => {
    await db.query("INSERT INTO discord_buttons (key, state, expires_at) VALUES ('y1#odd', '{\"kind\": 1}', now() + interval '1 day')");
    expect(await createButtonStore(10, databaseButtons(db)).resolve('y1#odd')).toEqual({ expired: true });
  });

  it('says the state cannot be read while the database is down, and keeps a write made meanwhile once it is back', async () => {
    const store = createButtonStore(10, databaseButtons(db));
    await pg.stop();
    let started = false;
    try {
      expect(await store.resolve('y1#BBBBBBBBBBBBBBBBBBBBBB')).toEqual({ unreachable: true });
      const id = store.customId({ ...long, input: { ...long.input, page: 9 } });
      // Not kept yet: settled() waits.
      let kept = false;
      const settled = store.settled([id]).then(() => {
        kept = true;
      });
      await store.resolve('y1#BBBBBBBBBBBBBBBBBBBBBB');
      expect(kept).toBe(false);
      await pg.start();
      started = true;
      await settled;
      expect(await createButtonStore(10, databaseButtons(db)).resolve(id)).toEqual({ state: { ...long, input: { ...long.input, page: 9 } } });
    } finally {
      // A failed assertion above must not leave the database down for the tests after it.
      if (!started) await pg.start();
    }
  }, 30_000);
});
