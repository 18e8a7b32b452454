import { BUTTON_STATE_MAX_AGE_MS, type ButtonKeeper, type ButtonState, checkedState } from '../discord/custom-id.js';
import { type Database, retried } from './database.js';

/*
 * Discord button states too long for a custom_id, in `discord_buttons`, for every replica: a
 * state made on one shard is answered on another. They expire as the folder's files do, by
 * the database's clock (one clock for all replicas); expired rows are never returned, and are
 * deleted at most once an hour, by whichever replica writes.
 */

const SWEEP_EVERY_MS = 3600_000;

export interface DatabaseButtonsOptions {
  /** How long a write is retried while the database is unreachable (default 60 s, as `retried`'s). */
  retryDeadlineMs?: number;
}

export function databaseButtons(db: Database, options: DatabaseButtonsOptions = {}): ButtonKeeper {
  const age = `${BUTTON_STATE_MAX_AGE_MS} milliseconds`;
  let sweptAt = 0;
  return {
    async put(key, state) {
      // The key is the state's hash: writing it again only pushes its expiry on.
      await retried(
        () =>
          db.query(
            `INSERT INTO discord_buttons (key, state, expires_at) VALUES ($1, $2, now() + $3::interval)
             ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
            [key, JSON.stringify(state), age],
          ),
        options.retryDeadlineMs === undefined ? {} : { deadlineMs: options.retryDeadlineMs },
      );
      if (Date.now() - sweptAt > SWEEP_EVERY_MS) {
        sweptAt = Date.now();
        // Awaited with the write that triggers it (one indexed DELETE an hour), so a test sees it
        // done; not critical: a row left over is never returned, and the next sweep takes it.
        await db.query('DELETE FROM discord_buttons WHERE expires_at <= now()').catch(() => undefined);
      }
    },
    async get(key) {
      const { rows } = await db.query<{ state: ButtonState }>('SELECT state FROM discord_buttons WHERE key = $1 AND expires_at > now()', [key]);
      return rows[0] ? checkedState(rows[0].state) : null;
    },
  };
}
