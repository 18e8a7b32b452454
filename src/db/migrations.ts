import type { PoolClient } from 'pg';

/*
 * The schema, one numbered step at a time. A step is never edited once released: a change is
 * a new step. Every replica runs them at start; an advisory lock held for the transaction
 * makes the second replica wait for the first and then find nothing left to do.
 */

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'shared state for replicas',
    sql: `
      -- Slack installations (@slack/oauth InstallationStore), one per workspace or org,
      -- the installation JSON sealed with STATE_KEY (AES-256-GCM).
      CREATE TABLE slack_installations (
        key text PRIMARY KEY,
        team_id text,
        enterprise_id text,
        sealed bytea NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Discord button states too long for a custom_id, until they expire.
      CREATE TABLE discord_buttons (
        key text PRIMARY KEY,
        state jsonb NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX discord_buttons_expires ON discord_buttons (expires_at);
      -- rate-limiter-flexible's table (RateLimiterPostgres, tableCreated: true).
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
      -- Files served to every replica: the operator's corpus (library '') and each team's own.
      CREATE TABLE library_files (
        library text NOT NULL,
        name text NOT NULL,
        hash text NOT NULL,
        bytes bytea NOT NULL,
        size integer NOT NULL,
        added_by text,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (library, name)
      );
      -- Each library's version, bumped in the same transaction as any change to its files.
      CREATE TABLE library_versions (
        library text PRIMARY KEY,
        version bigint NOT NULL
      );
    `,
  },
];

/** A number for pg_advisory_xact_lock: the same in every replica of this app. */
const MIGRATION_LOCK = 0x79_69_6e_7a; // "yinz"

/** Brings the schema up to date; returns the versions applied now (none when another replica did). */
export async function migrate(client: PoolClient): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
