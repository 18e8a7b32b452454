import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Installation, InstallationStore } from '@slack/bolt';
import type { Logger } from '../core/dispatch/bot.js';
import { type Database, retried } from './database.js';

/*
 * Slack installations (each workspace's bot token) in PostgreSQL, for replicas that share no
 * folder: an @slack/oauth InstallationStore over the table slack_installations.
 *
 * At rest each installation's JSON is sealed with STATE_KEY (AES-256-GCM): a dump or a backup of
 * the database holds no token. Opened installations are kept in memory, so that a replica goes
 * on authorizing the workspaces it has already seen while the database is briefly away. Every
 * write NOTIFYs the row's key, and each replica forgets that key on hearing it, so an uninstall
 * through one replica is refused by all of them at once; after a reconnection (when
 * notifications may have been missed) the whole cache is dropped and read again as needed.
 */

/** The channel a store or delete is announced on; the payload is the row's key. */
export const SLACK_INSTALLATIONS_CHANNEL = 'yinzheng_slack_installations';

/** The first byte of a sealed installation: how the rest is laid out (version 1: IV, tag, ciphertext). */
const SEAL_VERSION = 1;
/** GCM's recommended nonce length (NIST SP 800-38D); random per write, never reused under one key. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Opened installations kept per replica; one per workspace, so this bounds a very large app only. */
const CACHE_MAX = 10_000;

/**
 * The row an installation or query belongs to, as Bolt's documentation keys a custom store
 * (tools.slack.dev/bolt-js/concepts/authenticating-oauth): an org-wide install by its
 * enterprise ID, any other by its team ID. IDs start with E and T, so the two never collide.
 */
export function installationKey(query: { isEnterpriseInstall?: boolean | undefined; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  if (query.isEnterpriseInstall && query.enterpriseId) return query.enterpriseId;
  if (query.teamId) return query.teamId;
  throw new Error('slack: an installation names neither its team nor, for an org-wide install, its enterprise');
}

/**
 * Seals `installation` under `key` (32 bytes): version byte, random 12-byte IV, 16-byte tag,
 * ciphertext. The row's key is the additional authenticated data, so a sealed value copied
 * into another workspace's row does not open there.
 */
export function sealInstallation(key: Buffer, rowKey: string, installation: Installation): Buffer {
  if (key.length !== KEY_BYTES) throw new Error(`slack: STATE_KEY must be ${KEY_BYTES} bytes, not ${key.length}`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(rowKey, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(installation), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([SEAL_VERSION]), iv, cipher.getAuthTag(), body]);
}

/** The installation sealed in `sealed` for `rowKey`, or null when it does not open under `key` (another key, another row, altered). */
export function openInstallation(key: Buffer, rowKey: string, sealed: Buffer): Installation | null {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEAL_VERSION) return null;
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(rowKey, 'utf8'));
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Installation;
  } catch {
    return null;
  }
}

export interface SlackInstallationsOptions {
  database: Database;
  /** STATE_KEY, 32 bytes: the same on every replica. */
  stateKey: Buffer;
  logger: Logger;
  /** How long a write keeps retrying while the database is away (default 60 s, as `retried`). */
  writeDeadlineMs?: number;
}

/** Bolt's InstallationStore over PostgreSQL, whose fetch answers from memory what it has opened before. */
export interface SlackInstallations extends Required<InstallationStore> {
  /** Resolves once this replica hears the others' changes; until then nothing read is kept in memory. */
  listening: Promise<void>;
}

// Long on purpose: a factory whose length is the store's three operations and its listener,
// over one cache and one key, which each of them reads and changes.
/** The store over `database`'s slack_installations, listening for the other replicas' changes. */
export function createSlackInstallations({ database, stateKey, logger, writeDeadlineMs }: SlackInstallationsOptions): SlackInstallations {
  if (stateKey.length !== KEY_BYTES) throw new Error(`slack: STATE_KEY must be ${KEY_BYTES} bytes, not ${stateKey.length}`);
  const cache = new Map<string, Installation>();
  // Reads on their way from the database, by key. An invalidation marks them stale: what a stale
  // read brings back is answered but not kept, since the row may have changed (or gone) meanwhile.
  const reading = new Map<string, Set<{ stale: boolean }>>();
  // Rows that did not open under our key, said once each (until the row changes).
  const unreadable = new Set<string>();
  const retry = writeDeadlineMs !== undefined ? { deadlineMs: writeDeadlineMs } : {};

  function forget(key: string): void {
    cache.delete(key);
    unreadable.delete(key);
    for (const read of reading.get(key) ?? []) read.stale = true;
  }

  /** The row's sealed bytes (undefined when there is none), and whether it changed while being read. */
  async function readRow(key: string): Promise<{ sealed: Buffer | undefined; stale: boolean }> {
    const read = { stale: false };
    const reads = reading.get(key) ?? new Set();
    reading.set(key, reads);
    reads.add(read);
    try {
      const { rows } = await database.query<{ sealed: Buffer }>('SELECT sealed FROM slack_installations WHERE key = $1', [key]);
      return { sealed: rows[0]?.sealed, stale: read.stale };
    } finally {
      reads.delete(read);
      if (reads.size === 0) reading.delete(key);
    }
  }

  function remember(key: string, installation: Installation): void {
    // A Map keeps insertion order: re-inserting on use makes the first key the least recently used.
    cache.delete(key);
    cache.set(key, installation);
    if (cache.size > CACHE_MAX) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
  }

  // A read made before LISTEN is in force could miss the NOTIFY of a delete that follows it,
  // and keep a removed workspace's installation for good: nothing is kept until then.
  let heard = false;
  const listening = database.listen(SLACK_INSTALLATIONS_CHANNEL, (payload) => {
    if (payload !== null) {
      forget(payload);
      logger.debug({ workspace: payload }, 'slack: an installation changed in the database; forgotten here until read again');
      return;
    }
    for (const key of [...cache.keys(), ...reading.keys()]) forget(key);
    unreadable.clear();
    logger.debug({}, 'slack: database reconnected; installations will be read from it again');
  });
  void listening.then(() => {
    heard = true;
  });

  return {
    listening,
    async storeInstallation(installation) {
      const key = installationKey({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      const sealed = sealInstallation(stateKey, key, installation);
      // One statement, so one transaction: the NOTIFY goes out when the row is committed, never before or without it.
      await retried(
        () =>
          database.query(
            `WITH written AS (
               INSERT INTO slack_installations (key, team_id, enterprise_id, sealed) VALUES ($1, $2, $3, $4)
               ON CONFLICT (key) DO UPDATE SET team_id = EXCLUDED.team_id, enterprise_id = EXCLUDED.enterprise_id, sealed = EXCLUDED.sealed, updated_at = now()
               RETURNING key)
             SELECT pg_notify($5, key) FROM written`,
            [key, installation.team?.id ?? null, installation.enterprise?.id ?? null, sealed, SLACK_INSTALLATIONS_CHANNEL],
          ),
        retry,
      );
      // Not kept from here: another replica's write to the row could land between ours and its
      // return. The next fetch reads what the database holds.
      forget(key);
      logger.info({ workspace: key }, 'slack: installation kept in the database');
    },

    async fetchInstallation(query) {
      const key = installationKey(query);
      const cached = cache.get(key);
      if (cached) {
        remember(key, cached);
        // A copy: Bolt's token rotation edits what it is given before storing it back.
        return structuredClone(cached);
      }
      const { sealed, stale } = await readRow(key);
      if (!sealed) throw new Error(`slack: no installation for ${key}`);
      const installation = openInstallation(stateKey, key, sealed);
      if (!installation) {
        if (!unreadable.has(key)) {
          unreadable.add(key);
          logger.warn(
            { workspace: key },
            'slack: an installation in the database does not open under STATE_KEY (sealed with another key?); the workspace is refused until it installs the app again',
          );
        }
        throw new Error(`slack: no installation for ${key}`);
      }
      if (heard && !stale) remember(key, installation);
      return structuredClone(installation);
    },

    async deleteInstallation(query) {
      const key = installationKey(query);
      // Refused here at once, whatever the database says or how long it takes to say it.
      forget(key);
      // The aggregate makes one row even when nothing was deleted, so the NOTIFY always goes out.
      const { rows } = await retried(
        () =>
          database.query<{ deleted: number }>(
            `WITH gone AS (DELETE FROM slack_installations WHERE key = $1 RETURNING key)
             SELECT count(*)::int AS deleted, pg_notify($2, $1) FROM gone`,
            [key, SLACK_INSTALLATIONS_CHANNEL],
          ),
        retry,
      );
      forget(key);
      logger.info({ workspace: key, deleted: rows[0]?.deleted ?? 0 }, 'slack: installation deleted from the database');
    },
  };
}
