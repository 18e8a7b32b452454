import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_DIR, type SlackConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createSlackInstallations } from '../../src/db/slack-installations.js';
import { SLACK_EVENTS_PATH, type SlackAdapter, startSlack } from '../../src/slack/bot.js';
import { replyToBlockKit } from '../../src/slack/render.js';
import { botOver, quietLogger, requester } from '../support/bot.js';
import { type LoggedEntry, recordLogs } from '../support/logs.js';
import { freePort, startPostgres, type TestPostgres } from '../support/postgres.js';
import { FakeSlack, postSigned, postSignedEvent, SECOND_TEAM, slashCommand } from './fake-slack.js';

/*
 * Slack's HTTP mode with OAuth, scaled out: two replicas behind one request URL share one
 * PostgreSQL and no folder. A workspace installed through one is answered by the other, its
 * uninstall through one is refused by the other, and a replica goes on answering the
 * workspaces it knows while the database restarts.
 */

const BOT_TOKEN = 'xoxb-1-test-bot-token';
const SIGNING_SECRET = 'test-signing-secret-0123456789';
const CLIENT = { clientId: '1111.2222', clientSecret: 'oauth-client-secret' };
const STATE_KEY = randomBytes(32);

let pg: TestPostgres;
let fake: FakeSlack;
let bot: Bot;
let dataDir: string;
const started: Array<{ adapter: SlackAdapter; database: Database }> = [];

beforeAll(async () => {
  pg = await startPostgres();
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: 'xapp-1-unused-app-token', oauth: CLIENT });
  bot = botOver(await loadCorpus(BUNDLED_CORPUS_DIR));
  dataDir = await mkdtemp(join(tmpdir(), 'yz-replicas-db-'));
});

afterAll(async () => {
  for (const r of started) await r.adapter.stop();
  for (const r of started) await r.database.close();
  await fake?.close();
  await pg?.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

/** A replica as another process would be: its own database connection, store, Bolt app and (unused) DATA_DIR. */
async function replica(url: string, name: string, { stateKey = STATE_KEY, writeDeadlineMs }: { stateKey?: Buffer; writeDeadlineMs?: number } = {}) {
  const log = recordLogs();
  const database = await openDatabase(url, log.logger, { backoffMs: { first: 50, max: 200 } });
  const installationStore = createSlackInstallations({ database, stateKey, logger: log.logger, ...(writeDeadlineMs ? { writeDeadlineMs } : {}) });
  await installationStore.listening;
  const installationsDir = join(dataDir, name, 'slack-installations');
  const config: SlackConfig = {
    botToken: undefined,
    appToken: undefined,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    port: 0,
    command: '/yinzheng',
    oauth: { ...CLIENT, stateSecret: 'a-state-secret-of-some-length', installationsDir },
  };
  const authorizationUrl = `${fake.apiUrl.replace(/\/api\/?$/u, '')}/oauth/v2/authorize`;
  const adapter = await startSlack(bot, config, log.logger, { authorizationUrl, installationStore });
  started.push({ adapter, database });
  return { base: `http://127.0.0.1:${adapter.port}`, log, database, installationsDir };
}
type Replica = Awaited<ReturnType<typeof replica>>;

/** Installs the app to the second workspace as a browser does, through `r`: /slack/install, Slack's consent, /slack/oauth_redirect. */
async function install(r: Pick<Replica, 'base'>): Promise<void> {
  const start = await fetch(`${r.base}/slack/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const back = await fetch(`${r.base}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  expect(back.status).toBe(200);
}

let nextId = 0;
/** A slash command from the second workspace to `r`: its HTTP status, and its answer through response_url once it comes. */
async function command(r: Replica, label: string): Promise<{ status: number; answer: () => Promise<string | undefined>; id: string }> {
  nextId += 1;
  const id = `${label}-${nextId}`;
  const form = { ...slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id), 'U0SECOND'), team_id: SECOND_TEAM.id };
  const { status } = await postSigned(`${r.base}${SLACK_EVENTS_PATH}`, form, { secret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) });
  return { status, id, answer: async () => (await fake.responses.until(1, (p) => p.id === id))[0]?.body.text as string | undefined };
}

const expected = () =>
  replyToBlockKit(bot.runLine('quote 智能鸿沟', requester('en', 'slack', 'U0SECOND', '/yinzheng ')), { locale: 'en', visibility: 'ephemeral' })[0]?.text;
const forgotten = (e: LoggedEntry) =>
  e.msg === 'slack: an installation changed in the database; forgotten here until read again' && (e.obj as { workspace?: string }).workspace === SECOND_TEAM.id;
const reconnected = (e: LoggedEntry) => e.msg === 'slack: database reconnected; installations will be read from it again';
const refusedLine = (e: LoggedEntry) => e.msg === 'slack: an event from a workspace with no installation was refused';

describe('two Slack HTTP replicas over one PostgreSQL', () => {
  it('answers on one a workspace installed through the other, keeps its token sealed, and refuses it everywhere once uninstalled', async () => {
    const url = pg.database('replicas');
    const one = await replica(url, 'one');
    const two = await replica(url, 'two');

    await install(one);
    // Replica one hears its own write too: counted from here on, each NOTIFY is a delete's.
    await one.log.entries.until(1, forgotten);
    const rows = (await one.database.query<{ key: string; team_id: string; sealed: Buffer }>('SELECT key, team_id, sealed FROM slack_installations')).rows;
    expect(rows.map((r) => [r.key, r.team_id])).toEqual([[SECOND_TEAM.id, SECOND_TEAM.id]]);
    expect(rows[0]?.sealed.includes(Buffer.from(SECOND_TEAM.botToken))).toBe(false);

    // Replica two never saw the install: it reads the installation from the database.
    const onTwo = await command(two, 'installed-on-one');
    expect(onTwo.status).toBe(200);
    expect(await onTwo.answer()).toBe(expected());
    const lookups = fake.calls.items.filter((c) => c.method === 'users.info' && c.params.user === 'U0SECOND');
    expect(lookups.map((c) => c.token)).toEqual([SECOND_TEAM.botToken]);

    // A replica with another STATE_KEY cannot read the row: the workspace is refused there.
    const stranger = await replica(url, 'stranger', { stateKey: randomBytes(32) });
    const onStranger = await command(stranger, 'wrong-key');
    expect(onStranger.status).toBe(401);
    expect(stranger.log.entries.items.filter((e) => e.level === 'warn').map((e) => e.msg)).toEqual([
      'slack: an installation in the database does not open under STATE_KEY (sealed with another key?); the workspace is refused until it installs the app again',
      'Authorization of incoming event did not succeed. No listeners will be called.',
      'slack: an event from a workspace with no installation was refused',
    ]);

    // Removed through replica two (both of Slack's events; the order is not promised).
    const heardOnOne = one.log.entries.items.filter(forgotten).length;
    const [revoked, uninstalled] = fake.uninstall(SECOND_TEAM.id, SECOND_TEAM.botUserId);
    for (const event of [uninstalled, revoked]) expect((await postSignedEvent(`${two.base}${SLACK_EVENTS_PATH}`, event, SIGNING_SECRET)).status).toBe(200);
    // Each delete's NOTIFY reaches replica one.
    await one.log.entries.until(heardOnOne + 2, forgotten);
    const onOne = await command(one, 'uninstalled-on-two');
    expect(onOne.status).toBe(401);
    expect(one.log.entries.items.filter(refusedLine)).toHaveLength(1);
    expect(fake.responses.items.filter((p) => p.id === onOne.id)).toEqual([]);
    expect((await one.database.query('SELECT key FROM slack_installations')).rows).toEqual([]);

    // No token reached a log, and no replica wrote to a folder of its own.
    for (const r of [one, two, stranger]) {
      expect(r.log.text()).not.toContain(SECOND_TEAM.botToken);
      expect(existsSync(r.installationsDir)).toBe(false);
    }
  });

  it('answers a workspace it knows while the database restarts, and hears uninstalls again once it is back', async () => {
    const url = pg.database('restart');
    const one = await replica(url, 'restart-one');
    const two = await replica(url, 'restart-two');
    await install(two);
    // Read once on replica one (after it heard of the install, which would make that read stale),
    // and so kept in its memory.
    await one.log.entries.until(1, forgotten);
    const before = await command(one, 'before-restart');
    expect(await before.answer()).toBe(expected());

    await pg.stop();
    try {
      const during = await command(one, 'database-away');
      expect(during.status).toBe(200);
      expect(await during.answer()).toBe(expected());
    } finally {
      await pg.start();
    }
    // Both replicas listen again (and replica one has dropped what it kept, to read it afresh).
    await one.log.entries.until(1, reconnected);
    await two.log.entries.until(1, reconnected);
    const after = await command(one, 'after-restart');
    expect(await after.answer()).toBe(expected());

    const heardOnOne = one.log.entries.items.filter(forgotten).length;
    const [, uninstalled] = fake.uninstall(SECOND_TEAM.id, SECOND_TEAM.botUserId);
    expect((await postSignedEvent(`${two.base}${SLACK_EVENTS_PATH}`, uninstalled, SIGNING_SECRET)).status).toBe(200);
    await one.log.entries.until(heardOnOne + 1, forgotten);
    expect((await command(one, 'uninstalled-after-restart')).status).toBe(401);
    for (const r of [one, two]) expect(r.log.text()).not.toContain(SECOND_TEAM.botToken);
  });

  it('logs an uninstall the database does not take in time as an error, and refuses the workspace here all the same', async () => {
    const url = pg.database('uninstall_away');
    const one = await replica(url, 'away-one', { writeDeadlineMs: 300 });
    await install(one);
    await one.log.entries.until(1, forgotten);
    expect(await (await command(one, 'before-away')).answer()).toBe(expected());
    const [, uninstalled] = fake.uninstall(SECOND_TEAM.id, SECOND_TEAM.botUserId);
    const failed = (e: LoggedEntry) => e.level === 'error' && e.msg === 'slack: the installation of a workspace that removed the app could not be deleted';
    await pg.stop();
    try {
      expect((await postSignedEvent(`${one.base}${SLACK_EVENTS_PATH}`, uninstalled, SIGNING_SECRET)).status).toBe(200);
      await one.log.entries.until(1, failed);
      // Forgotten here before the database was asked, so not answered from memory.
      expect((await command(one, 'uninstalled-while-away')).status).toBe(401);
    } finally {
      await pg.start();
    }
    expect(one.log.text()).not.toContain(SECOND_TEAM.botToken);
  });

  it('npm start with DATABASE_URL keeps an OAuth install in PostgreSQL, sealed, and nothing in DATA_DIR', async () => {
    const url = pg.database('npm_start');
    const port = await freePort();
    const data = join(dataDir, 'npm-start');
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SLACK_API_URL: fake.apiUrl,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_CLIENT_ID: CLIENT.clientId,
        SLACK_CLIENT_SECRET: CLIENT.clientSecret,
        SLACK_STATE_SECRET: 'a-state-secret-of-some-length',
        PORT: String(port),
        DATA_DIR: data,
        CACHE_DIR: join(dataDir, 'npm-start-cache'),
        DATABASE_URL: url,
        STATE_KEY: STATE_KEY.toString('base64'),
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let wake: (() => void) | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      wake?.();
    });
    const logged = (msg: string) =>
      new Promise<void>((resolve) => {
        wake = () => stderr.includes(`"msg":"${msg}"`) && resolve();
        wake();
      });
    try {
      await logged('connected to Slack');
      await install({ base: `http://127.0.0.1:${port}` });
      await logged('slack: installation kept in the database');
      const reader = await openDatabase(url, quietLogger);
      const { rows } = await reader.query<{ key: string; sealed: Buffer }>('SELECT key, sealed FROM slack_installations').finally(() => reader.close());
      expect(rows.map((r) => r.key)).toEqual([SECOND_TEAM.id]);
      expect(rows[0]?.sealed.includes(Buffer.from(SECOND_TEAM.botToken))).toBe(false);
      expect(existsSync(join(data, 'slack-installations'))).toBe(false);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'close');
    }
    expect(stderr).not.toContain(SECOND_TEAM.botToken);
  });
});
