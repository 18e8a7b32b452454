import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/dispatch/errors.js';
import { type Database, openDatabase, retried } from '../../src/db/database.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { quietLogger } from '../support/bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
});

afterAll(async () => {
  await pg?.destroy();
});

describe('the database', () => {
  it('runs the migrations once when several replicas start at the same time', async () => {
    const url = pg.database('migrate_race');
    const opened = await Promise.all([1, 2, 3, 4].map(() => openDatabase(url, quietLogger)));
    try {
      const db = opened[0] as Database;
      const rows = (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      const tables = (await db.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows;
      expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['discord_buttons', 'library_files', 'rate_limits', 'slack_installations']));
    } finally {
      await Promise.all(opened.map((d) => d.close()));
    }
  });

  it('refuses to start on a database it cannot reach, naming DATABASE_URL and not the password', async () => {
    const error = await openDatabase(`postgres://someone:hunter2secret@127.0.0.1:${pg.port + 1}/nowhere`, quietLogger, { connectMs: 2_000 }).catch(
      (e: unknown) => e,
    );
    expect(isUserError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^DATABASE_URL: /u);
    expect(message).toContain(`127.0.0.1:${pg.port + 1}/nowhere`);
    expect(message).not.toContain('hunter2secret');
  });

  it('tells listeners of a reconnection after the server restarts, and delivers notifications again', async () => {
    const url = pg.database('reconnect');
    const a = await openDatabase(url, quietLogger, { backoffMs: { first: 50, max: 200 } });
    const b = await openDatabase(url, quietLogger, { backoffMs: { first: 50, max: 200 } });
    try {
      const heard: (string | null)[] = [];
      let wake: (() => void) | undefined;
      // Awaited: a NOTIFY sent before LISTEN is in force is never delivered.
      await a.listen('test_channel', (payload) => {
        heard.push(payload);
        wake?.();
      });
      const next = (count: number) =>
        new Promise<void>((resolve) => {
          wake = () => heard.length >= count && resolve();
          wake();
        });
      await b.notify('test_channel', 'one');
      await next(1);
      expect(heard).toEqual(['one']);
      await pg.stop();
      await pg.start();
      // The listener learns it may have missed something (null), then hears again.
      await next(2);
      expect(heard[1]).toBeNull();
      expect(a.up()).toBe(true);
      await retried(() => b.notify('test_channel', 'two'));
      await next(3);
      expect(heard[2]).toBe('two');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
