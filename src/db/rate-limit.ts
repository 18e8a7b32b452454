import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../core/dispatch/bot.js';
import { createRateLimiter, type RateLimitOptions, type SharedRateLimiter } from '../core/dispatch/rate-limit.js';
import type { Database } from './database.js';

/*
 * The per-user limit counted by every replica together, in the `rate_limits` table through
 * rate-limiter-flexible's RateLimiterPostgres (one upsert per request, atomic in PostgreSQL).
 *
 * How it maps the in-memory token bucket (RATE_LIMIT_BURST, RATE_LIMIT_PER_MINUTE): a fixed
 * window of `burst` points lasting burst / perMinute minutes, so the sustained rate is the same
 * perMinute. What differs: the bucket refills a token every 60 / perMinute seconds, the window
 * all at once when it ends, so a refused user waits for the window's end (up to 30 s with the
 * defaults, instead of 3 s), and a burst at the end of one window and another at the start of
 * the next can pass 2 × burst in a moment. Neither matters against a flood; both are what a
 * single upsert per request buys.
 *
 * A row per user, written on each request; rate-limiter-flexible deletes those whose window ended
 * over an hour ago, hourly (clearExpiredByTimeout), so the table holds the last hour's users.
 *
 * While the database cannot be reached each replica counts alone, in memory (so a user may get
 * up to `burst` per replica), said once in the log; a probe every few seconds notices when it is
 * back, said once too. rate-limiter-flexible's insuranceLimiter would fall back the same way but
 * silently, which is why it is not used.
 */

export interface SharedLimitTuning {
  /** How long a request waits for the database before it is counted in memory (default 1 s). */
  timeoutMs?: number;
  /** How often, while unreachable, the database is tried again (default 2 s). */
  probeMs?: number;
}

/** rate-limiter-flexible counts in whole windows of this many seconds: burst / perMinute minutes. */
export function windowSeconds({ burst, perMinute }: RateLimitOptions): number {
  return Math.max(1, Math.ceil((burst / perMinute) * 60));
}

export function createSharedRateLimiter(db: Database, options: RateLimitOptions, logger: Logger, tuning: SharedLimitTuning = {}): SharedRateLimiter {
  const timeoutMs = tuning.timeoutMs ?? 1_000;
  const probeMs = tuning.probeMs ?? 2_000;
  const shared = new RateLimiterPostgres({
    storeClient: db.pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix: 'limit',
    points: options.burst,
    duration: windowSeconds(options),
  });
  const local = createRateLimiter(options);
  let down = false;
  let probe: NodeJS.Timeout | undefined;

  function fellBack(error: unknown): void {
    if (down) return;
    down = true;
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'rate limit: database unreachable; counting per replica');
    scheduleProbe();
  }

  function back(): void {
    if (!down) return;
    down = false;
    clearTimeout(probe);
    probe = undefined;
    logger.info({}, 'rate limit: counting across replicas again');
  }

  function scheduleProbe(): void {
    probe = setTimeout(() => {
      db.pool.query('SELECT 1').then(back, () => {
        if (down) scheduleProbe();
      });
    }, probeMs);
    probe.unref();
  }

  async function consume(key: string): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([shared.consume(key), late]);
      return 0;
    } catch (refusal) {
      // A refusal is a RateLimiterRes; anything else is the store failing.
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async take(key) {
      if (down) return local.take(key);
      try {
        return await consume(key);
      } catch (error) {
        fellBack(error);
        return local.take(key);
      }
    },
  };
}
