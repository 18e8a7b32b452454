/**
 * A token bucket per user: `burst` requests at once, refilled at `perMinute`. Buckets of
 * users who have been idle long enough to be full again are dropped, so memory stays bounded
 * by the users active in the last few minutes.
 */
export interface RateLimiter {
  /** Takes a token; returns 0 when allowed, otherwise the seconds until one is available. */
  take(key: string): number;
}

/**
 * A limiter whose counts live outside this process (PostgreSQL, src/db/rate-limit.ts), so that
 * replicas count one user's requests together. Asynchronous, so it is asked before a command
 * runs (`Bot.admit`), never inside it.
 */
export interface SharedRateLimiter {
  /** Takes a token; resolves with 0 when allowed, otherwise the seconds until one is available. */
  take(key: string): Promise<number>;
}

export interface RateLimitOptions {
  burst: number;
  perMinute: number;
  now?: () => number;
}

export function createRateLimiter({ burst, perMinute, now = () => performance.now() }: RateLimitOptions): RateLimiter {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const fullAfterMs = burst / perMs;
  let lastSweep = now();

  return {
    take(key) {
      const t = now();
      if (t - lastSweep > fullAfterMs) {
        for (const [k, b] of buckets) if (t - b.at >= fullAfterMs) buckets.delete(k);
        lastSweep = t;
      }
      const bucket = buckets.get(key) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / perMs / 1000);
    },
  };
}
