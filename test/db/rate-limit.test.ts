import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createSharedRateLimiter, windowSeconds } from '../../src/db/rate-limit.js';
import { createTestLogger } from '../discord/support.js';
import { quietLogger } from '../support/bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let pg: TestPostgres;
let a: Database;
let b: Database;

beforeAll(async () => {
  pg = await startPostgres();
  const url = pg.database('limits');
  a = await openDatabase(url, quietLogger);
  b = await openDatabase(url, quietLogger);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await pg?.destroy();
});

describe('the rate limit in PostgreSQL', () => {
  it('keeps the token bucket’s sustained rate: burst points per burst / perMinute minutes', () => {
    expect(windowSeconds({ burst: 10, perMinute: 20 })).toBe(30);
    expect(windowSeconds({ burst: 4, perMinute: 1 })).toBe(240);
    expect(windowSeconds({ burst: 1000, perMinute: 10000 })).toBe(6);
    // Never below a second, rate-limiter-flexible's unit.
    expect(windowSeconds({ burst: 1, perMinute: 10000 })).toBe(1);
  });

  it('counts one key across two replicas, and says how long the window has left', async () => {
    const logs = createTestLogger();
    const limit = { burst: 3, perMinute: 1 };
    const one = createSharedRateLimiter(a, limit, logs);
    const two = createSharedRateLimiter(b, limit, logs);
    const waits = [await one.take('discord:1'), await two.take('discord:1'), await one.take('discord:1'), await two.take('discord:1')];
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // The window is 180 s and began with the first take.
    expect(waits[3]).toBeGreaterThan(170);
    expect(waits[3]).toBeLessThanOrEqual(180);
    expect(await two.take('discord:2')).toBe(0);
    const rows = await a.query<{ key: string; points: number }>('SELECT key, points FROM rate_limits ORDER BY key');
    expect(rows.rows).toEqual([
      { key: 'limit:discord:1', points: 4 },
      { key: 'limit:discord:2', points: 1 },
    ]);
    expect(logs.entries.items.filter((e) => e.level !== 'debug')).toEqual([]);
  });
});
