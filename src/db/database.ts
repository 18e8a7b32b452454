import pg from 'pg';
import type { Logger } from '../core/dispatch/bot.js';
import { UserError } from '../core/dispatch/errors.js';
import { en } from '../core/words/en.js';
import { migrate } from './migrations.js';

/*
 * The one connection to PostgreSQL a replica keeps (DATABASE_URL): a pool for queries, and one
 * client of its own that LISTENs for what other replicas announce. The pool reconnects by
 * itself query by query; the listening client is reconnected here, with backoff, and every
 * listener is then told that notifications may have been missed (a null payload), so that it
 * reads again what it keeps. `up()` is what /readyz reports.
 */

export interface Database {
  /** A query on the pool; a failed connection marks the database down until it answers again. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `work` in one transaction on one client (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Whether the database answers now (the listening connection is up and the last query reached it). */
  up(): boolean;
  /**
   * Calls `fn` with each payload NOTIFYed on `channel`, and with null after a reconnection.
   * Resolves once LISTEN is in force, so that what is read after it cannot miss a change; or at
   * once while the connection is down, when the null of its reconnection will say so instead.
   */
  listen(channel: string, fn: (payload: string | null) => void): Promise<void>;
  notify(channel: string, payload: string): Promise<void>;
  /** The pool, for libraries that take one (rate-limiter-flexible). */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** How long a connection attempt may take (default 5 s). */
  connectMs?: number;
  /** The first and the longest wait between two attempts to reconnect the listener. */
  backoffMs?: { first: number; max: number };
  /** Told of each failure: a lost or refused connection, or a query the server refused (for metrics). */
  onError?: (error: unknown, kind: 'connection' | 'query') => void;
}

/** `postgres://user:secret@host:5432/db` as `host:5432/db`: what a log line or an error may say. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparsable)';
  }
}

/** A failure of the connection (the server gone, restarting, unreachable), as opposed to a bad query. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (/^08/u.test(code) || code === '57P01' || code === '57P02' || code === '57P03')) return true;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/u.test(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/iu.test(message);
}

/** The reason a connection failed, short and without the URL (which may hold a password). */
function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * Connects, runs the migrations and starts listening. Rejects with a UserError naming
 * DATABASE_URL and what failed when the database cannot be reached or upgraded.
 */
// Long on purpose: the listener's reconnection loop shares the pool, the state and the
// listeners with the methods it returns.
export async function openDatabase(url: string, logger: Logger, options: DatabaseOptions = {}): Promise<Database> {
  const connectMs = options.connectMs ?? 5_000;
  const backoff = options.backoffMs ?? { first: 250, max: 5_000 };
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: connectMs, max: 10, idleTimeoutMillis: 30_000 });
  // An idle client whose server went away emits here; without a handler it would end the process.
  pool.on('error', (error) => markDown(error));
  const where = describeUrl(url);
  try {
    const client = await pool.connect();
    try {
      const applied = await migrate(client);
      if (applied.length > 0) logger.info({ database: where, migrations: applied }, 'database: schema upgraded');
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new UserError('config', en.operator.database.unusable(where, reason(error)));
  }

  const listeners = new Map<string, Set<(payload: string | null) => void>>();
  // The LISTEN sent for each channel added while connected, for a second listener to await too.
  const subscribing = new Map<string, Promise<void>>();
  let listener: pg.Client | null = null;
  let listening = false;
  let lastQueryFailed = false;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let wait = backoff.first;
  let downSaid = false;

  function markDown(error: unknown): void {
    options.onError?.(error, 'connection');
    lastQueryFailed = true;
    if (!downSaid) {
      downSaid = true;
      logger.warn({ database: where, err: reason(error) }, 'database: unreachable; answering from memory and retrying');
    }
    if (listening) dropListener();
  }

  function markUp(): void {
    lastQueryFailed = false;
    if (downSaid && listening) {
      downSaid = false;
      logger.info({ database: where }, 'database: reachable again');
    }
  }

  function dropListener(): void {
    listening = false;
    const old = listener;
    listener = null;
    old?.removeAllListeners();
    old?.on('error', () => undefined);
    void old?.end().catch(() => undefined);
    scheduleListen();
  }

  function scheduleListen(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void startListening(true);
    }, wait);
    retryTimer.unref();
    wait = Math.min(backoff.max, wait * 2);
  }

  async function startListening(again: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectMs });
    client.on('error', (error) => {
      if (listener === client) markDown(error);
    });
    client.on('end', () => {
      if (listener === client && !closed) markDown(new Error('Connection terminated'));
    });
    client.on('notification', (message) => {
      for (const fn of listeners.get(message.channel) ?? []) fn(message.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (!again) throw error;
      markDown(error);
      scheduleListen();
      return;
    }
    if (closed) {
      await client.end().catch(() => undefined);
      return;
    }
    listener = client;
    listening = true;
    wait = backoff.first;
    markUp();
    if (again) for (const fns of listeners.values()) for (const fn of fns) fn(null);
  }

  async function query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      const result = await pool.query<R>(text, values);
      if (lastQueryFailed && listening) markUp();
      return result;
    } catch (error) {
      failed(error);
      throw error;
    }
  }

  function failed(error: unknown): void {
    if (isConnectionError(error)) markDown(error);
    // A transaction's own code may throw too: only what the server refused is the database's error.
    else if (error instanceof pg.DatabaseError) options.onError?.(error, 'query');
  }

  await startListening(false);

  return {
    pool,
    query,
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        markDown(error);
        throw error;
      }
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        failed(error);
        throw error;
      } finally {
        client.release();
      }
    },
    up: () => listening && !lastQueryFailed,
    async listen(channel, fn) {
      const known = listeners.get(channel);
      if (known) {
        known.add(fn);
        return subscribing.get(channel) ?? Promise.resolve();
      }
      listeners.set(channel, new Set([fn]));
      if (!listener || !listening) return Promise.resolve();
      const subscribed = listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`).then(
        () => undefined,
        (error: unknown) => markDown(error),
      );
      subscribing.set(channel, subscribed);
      return subscribed;
    },
    async notify(channel, payload) {
      await query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const client = listener;
      listener = null;
      listening = false;
      await client?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

/**
 * Runs a write until it lands: on a lost connection it waits (doubling, up to `maxMs` between
 * tries) and tries again, for at most `deadlineMs` in all; any other error is thrown at once.
 */
export async function retried<T>(write: () => Promise<T>, { deadlineMs = 60_000, firstMs = 200, maxMs = 5_000 } = {}): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (let wait = firstMs; ; wait = Math.min(maxMs, wait * 2)) {
    try {
      return await write();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() + wait > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
