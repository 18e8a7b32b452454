import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createSlackInstallations, installationKey, openInstallation, sealInstallation } from '../../src/db/slack-installations.js';
import { recordLogs } from '../support/logs.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const TOKEN = 'xoxb-42-a-very-secret-bot-token';
const KEY = randomBytes(32);

function installation(teamId: string, token = TOKEN): Installation {
  return {
    team: { id: teamId, name: 'Team' },
    enterprise: undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: { token, scopes: ['commands'], id: 'B0BOT', userId: 'U0BOT' },
    isEnterpriseInstall: false,
    appId: 'A0APP',
    tokenType: 'bot',
    authVersion: 'v2',
  };
}

describe('sealing an installation', () => {
  it('opens what it sealed, under the same key and row only', () => {
    const sealed = sealInstallation(KEY, 'T0ONE', installation('T0ONE'));
    expect(openInstallation(KEY, 'T0ONE', sealed)).toEqual(installation('T0ONE'));
    expect(sealed.includes(Buffer.from(TOKEN))).toBe(false);
    expect(sealed[0]).toBe(1);
    // Version byte, 12-byte IV, 16-byte tag, then as many bytes as the JSON.
    expect(sealed.length).toBe(1 + 12 + 16 + Buffer.byteLength(JSON.stringify(installation('T0ONE'))));
    expect(openInstallation(randomBytes(32), 'T0ONE', sealed)).toBeNull();
    // A sealed value copied into another workspace's row does not open there.
    expect(openInstallation(KEY, 'T0TWO', sealed)).toBeNull();
  });

  it('draws a new IV for every write, so the same installation never seals the same way twice', () => {
    const a = sealInstallation(KEY, 'T0ONE', installation('T0ONE'));
    const b = sealInstallation(KEY, 'T0ONE', installation('T0ONE'));
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a sealed value with one bit changed, an unknown version or a truncated body', () => {
    const sealed = sealInstallation(KEY, 'T0ONE', installation('T0ONE'));
    for (const at of [1, 13, 29, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at] = (altered[at] as number) ^ 1;
      expect(openInstallation(KEY, 'T0ONE', altered)).toBeNull();
    }
    const version2 = Buffer.from(sealed);
    version2[0] = 2;
    expect(openInstallation(KEY, 'T0ONE', version2)).toBeNull();
    expect(openInstallation(KEY, 'T0ONE', sealed.subarray(0, 20))).toBeNull();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => sealInstallation(randomBytes(16), 'T0ONE', installation('T0ONE'))).toThrow('slack: STATE_KEY must be 32 bytes, not 16');
  });

  it('keys an org-wide install by its enterprise and any other by its team, as Bolt documents', () => {
    expect(installationKey({ isEnterpriseInstall: true, enterpriseId: 'E0ORG', teamId: 'T0ONE' })).toBe('E0ORG');
    expect(installationKey({ isEnterpriseInstall: false, enterpriseId: 'E0ORG', teamId: 'T0ONE' })).toBe('T0ONE');
    expect(installationKey({ teamId: 'T0ONE' })).toBe('T0ONE');
    expect(() => installationKey({ isEnterpriseInstall: false })).toThrow('slack: an installation names neither its team');
  });
});

describe('Slack installations in PostgreSQL', () => {
  let pg: TestPostgres;
  const opened: Database[] = [];
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close()));
    await pg?.destroy();
  });

  async function replica(url: string, stateKey = KEY) {
    const log = recordLogs();
    const database = await openDatabase(url, log.logger, { backoffMs: { first: 50, max: 200 } });
    opened.push(database);
    const store = createSlackInstallations({ database, stateKey, logger: log.logger, writeDeadlineMs: 20_000 });
    await store.listening;
    return { database, log, store };
  }
  const forgotten = (key: string) => (e: { msg: string | undefined; obj: object }) =>
    e.msg === 'slack: an installation changed in the database; forgotten here until read again' && (e.obj as { workspace?: string }).workspace === key;

  it('stores sealed, answers another replica, and keeps no token in clear in the row or the logs', async () => {
    const url = pg.database('store_fetch');
    const a = await replica(url);
    const b = await replica(url);
    await a.store.storeInstallation(installation('T0ONE'));
    expect(await b.store.fetchInstallation({ teamId: 'T0ONE', isEnterpriseInstall: false, enterpriseId: undefined })).toEqual(installation('T0ONE'));
    const rows = (await a.database.query<{ key: string; team_id: string; enterprise_id: string | null; sealed: Buffer }>('SELECT * FROM slack_installations'))
      .rows;
    expect(rows.map((r) => [r.key, r.team_id, r.enterprise_id])).toEqual([['T0ONE', 'T0ONE', null]]);
    expect(rows[0]?.sealed.includes(Buffer.from(TOKEN))).toBe(false);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
    for (const r of [a, b]) expect(r.log.text()).not.toContain(TOKEN);
    await expect(b.store.fetchInstallation({ teamId: 'T0NEVER', isEnterpriseInstall: false, enterpriseId: undefined })).rejects.toThrow(
      'slack: no installation for T0NEVER',
    );
  });

  it('forgets on every replica an installation deleted on one, and a reinstall replaces it', async () => {
    const url = pg.database('delete_notify');
    const a = await replica(url);
    const b = await replica(url);
    const query = { teamId: 'T0ONE', isEnterpriseInstall: false, enterpriseId: undefined };
    await a.store.storeInstallation(installation('T0ONE'));
    await a.log.entries.until(1, forgotten('T0ONE'));
    // Read, and so kept in memory, on both.
    await a.store.fetchInstallation(query);
    await b.store.fetchInstallation(query);
    const heard = a.log.entries.items.filter(forgotten('T0ONE')).length;
    await b.store.deleteInstallation(query);
    await a.log.entries.until(heard + 1, forgotten('T0ONE'));
    await expect(a.store.fetchInstallation(query)).rejects.toThrow('slack: no installation for T0ONE');
    await expect(b.store.fetchInstallation(query)).rejects.toThrow('slack: no installation for T0ONE');
    expect((await a.database.query('SELECT key FROM slack_installations')).rows).toEqual([]);
    // Deleting what is gone is no error (Slack sends two events for one uninstall).
    await b.store.deleteInstallation(query);
    expect(b.log.entries.items.filter((e) => e.msg === 'slack: installation deleted from the database').map((e) => e.obj)).toEqual([
      { workspace: 'T0ONE', deleted: 1 },
      { workspace: 'T0ONE', deleted: 0 },
    ]);
    await b.store.storeInstallation(installation('T0ONE', 'xoxb-42-the-new-token'));
    await a.log.entries.until(heard + 3, forgotten('T0ONE'));
    expect((await a.store.fetchInstallation(query)).bot?.token).toBe('xoxb-42-the-new-token');
  });

  it('treats a row sealed under another STATE_KEY as absent, and says so once without its content', async () => {
    const url = pg.database('wrong_key');
    const a = await replica(url);
    const stranger = await replica(url, randomBytes(32));
    await a.store.storeInstallation(installation('T0ONE'));
    // Heard first, so that the store's NOTIFY (which resets what was said about the row) is behind us.
    await stranger.log.entries.until(1, forgotten('T0ONE'));
    const query = { teamId: 'T0ONE', isEnterpriseInstall: false, enterpriseId: undefined };
    for (let i = 0; i < 3; i += 1) await expect(stranger.store.fetchInstallation(query)).rejects.toThrow('slack: no installation for T0ONE');
    const warnings = stranger.log.entries.items.filter((e) => e.level === 'warn');
    expect(warnings.map((e) => [e.msg, e.obj])).toEqual([
      [
        'slack: an installation in the database does not open under STATE_KEY (sealed with another key?); the workspace is refused until it installs the app again',
        { workspace: 'T0ONE' },
      ],
    ]);
    const sealed = (await a.database.query<{ sealed: Buffer }>('SELECT sealed FROM slack_installations')).rows[0]?.sealed as Buffer;
    expect(stranger.log.text()).not.toContain(sealed.toString('hex'));
    expect(stranger.log.text()).not.toContain(sealed.toString('base64'));
    expect(stranger.log.text()).not.toContain(TOKEN);
  });

  it('answers from memory while the database is away, and reads it again once it is back', async () => {
    const url = pg.database('outage');
    const a = await replica(url);
    const b = await replica(url);
    const query = { teamId: 'T0ONE', isEnterpriseInstall: false, enterpriseId: undefined };
    const other = { teamId: 'T0TWO', isEnterpriseInstall: false, enterpriseId: undefined };
    await a.store.storeInstallation(installation('T0ONE'));
    await b.store.storeInstallation(installation('T0TWO'));
    // Heard first: a read that a NOTIFY of its row overtakes is answered but not kept.
    await a.log.entries.until(1, forgotten('T0ONE'));
    await a.store.fetchInstallation(query);
    await pg.stop();
    try {
      expect(await a.store.fetchInstallation(query)).toEqual(installation('T0ONE'));
      // Stored by another replica and never read here: not in memory, and the database cannot be asked.
      await expect(a.store.fetchInstallation(other)).rejects.toThrow('ECONNREFUSED');
    } finally {
      await pg.start();
    }
    const reset = (e: { msg: string | undefined }) => e.msg === 'slack: database reconnected; installations will be read from it again';
    await a.log.entries.until(1, reset);
    // What was in memory is read from the database again: a row deleted behind the store's back (no NOTIFY) is gone.
    await a.database.query("DELETE FROM slack_installations WHERE key = 'T0ONE'");
    await expect(a.store.fetchInstallation(query)).rejects.toThrow('slack: no installation for T0ONE');
    expect(await a.store.fetchInstallation(other)).toEqual(installation('T0TWO'));
  });

  it('lands a write made while the database is away once it is back', async () => {
    const url = pg.database('write_outage');
    const a = await replica(url);
    await pg.stop();
    const stored = a.store.storeInstallation(installation('T0ONE'));
    await pg.start();
    await stored;
    const b = await replica(url);
    expect(await b.store.fetchInstallation({ teamId: 'T0ONE', isEnterpriseInstall: false, enterpriseId: undefined })).toEqual(installation('T0ONE'));
  });
});
