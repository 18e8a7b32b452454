import { EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { loadCorpus } from '../src/core/corpus/load.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { startDiscord } from '../src/discord/bot.js';
import { createStatusBoard, startHealthServer } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { BUILD, VERSION } from '../src/version.js';
import { FakeDiscord } from './discord/fake-discord.js';
import { createTestLogger, startMain } from './discord/support.js';
import { botOver, quietLogger } from './support/bot.js';
import { freePort, startPostgres, type TestPostgres } from './support/postgres.js';
import { parsePrometheus } from './support/prometheus.js';

/** GET `path` on `port`: the status and the JSON body. */
async function get(port: number, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return {
    status: response.status,
    body: response.headers.get('content-type')?.startsWith('application/json') ? await response.json() : await response.text(),
  };
}

describe('/healthz, /readyz and /metrics on HEALTH_PORT', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  test('/readyz is 503 until the corpus is served and while a connection is down; /healthz is 200 throughout', async () => {
    const status = createStatusBoard({ version: VERSION, build: BUILD });
    let discord = false;
    status.track('discord', () => discord);
    const server = await startHealthServer(0, status);
    close = server.close;
    const live = { status: 200, body: { ok: true, version: VERSION, build: BUILD, corpusVersion: null } };

    expect(await get(server.port, '/healthz')).toEqual(live);
    expect(await get(server.port, '/readyz')).toEqual({ status: 503, body: { ok: false, corpusVersion: null, connections: { discord: 'down' } } });

    status.serving(() => 'abc123def456');
    expect(await get(server.port, '/readyz')).toEqual({ status: 503, body: { ok: false, corpusVersion: 'abc123def456', connections: { discord: 'down' } } });
    discord = true;
    expect(await get(server.port, '/readyz?probe=1')).toEqual({
      status: 200,
      body: { ok: true, corpusVersion: 'abc123def456', connections: { discord: 'up' } },
    });
    discord = false;
    expect((await get(server.port, '/readyz')).status).toBe(503);
    expect(await get(server.port, '/healthz')).toEqual({ ...live, body: { ...live.body, corpusVersion: 'abc123def456' } });

    // Without metrics there is no /metrics; a HEAD is answered as a GET, with no body; other methods and paths are 404.
    expect((await get(server.port, '/metrics')).status).toBe(404);
    const head = await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'POST' })).status).toBe(404);
    expect((await get(server.port, '/')).status).toBe(404);
  });

  test('the version is package.json’s, and from source the build is `source`', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect([VERSION, BUILD]).toEqual([pkg.version, 'source']);
  });

  test('a Discord gateway closed for good makes /readyz 503, and /healthz stays 200', async () => {
    const fake = await FakeDiscord.start();
    const logs = createTestLogger();
    const corpus = await loadCorpus(join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'));
    const bot = botOver(corpus, { logger: logs });
    const status = createStatusBoard({ version: VERSION, build: BUILD });
    status.track('discord', () => false);
    const server = await startHealthServer(0, status);
    close = server.close;
    status.serving(() => bot.library().corpus.version);
    expect((await get(server.port, '/readyz')).status).toBe(503);
    const adapter = await startDiscord(bot, { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase }, logs);
    try {
      // Tracked as main tracks a started platform.
      status.track('discord', () => adapter.gateway() === 'up');
      expect(await get(server.port, '/readyz')).toEqual({ status: 200, body: { ok: true, corpusVersion: corpus.version, connections: { discord: 'up' } } });
      fake.dropGateway(4004);
      await adapter.fatal;
      expect(await get(server.port, '/readyz')).toEqual({ status: 503, body: { ok: false, corpusVersion: corpus.version, connections: { discord: 'down' } } });
      expect((await get(server.port, '/healthz')).status).toBe(200);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});

describe('npm start with HEALTH_PORT', () => {
  test('logs one start line with the version and build, then serves readiness and metrics while Discord is connected', async () => {
    const fake = await FakeDiscord.start();
    const port = await freePort();
    const child = startMain(fake, {
      CORPUS_DIR: join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'),
      HEALTH_PORT: String(port),
      LOG_LEVEL: 'info',
    });
    const logged: Array<Record<string, unknown>> = [];
    const log = new EventEmitter();
    let rest = '';
    // The log is JSON lines on stderr (stdout is the console's).
    child.stderr.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString();
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        logged.push(JSON.parse(line) as Record<string, unknown>);
        log.emit('line');
      }
    });
    const until = (msg: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const look = () => {
          const found = logged.find((l) => l.msg === msg);
          if (found) {
            log.off('line', look);
            resolve(found);
          }
        };
        log.on('line', look);
        look();
      });
    const exited = once(child, 'close');
    try {
      await until('connected to Discord');
      expect(logged.filter((l) => l.msg === 'yinzheng: starting')).toEqual([
        expect.objectContaining({ level: 30, version: VERSION, build: expect.stringMatching(/^[0-9a-f]{16}$/u), platforms: ['discord'] }),
      ]);
      expect(logged[0]?.msg).toBe('yinzheng: starting');
      const ready = await get(port, '/readyz');
      expect(ready).toEqual({ status: 200, body: { ok: true, corpusVersion: expect.any(String), connections: { discord: 'up' } } });
      const samples = parsePrometheus((await get(port, '/metrics')).body as string);
      const { build } = logged[0] as { build: string };
      expect(samples.get(`yinzheng_build_info{version="${VERSION}",build="${build}"}`)).toBe(1);
      expect(samples.get(`yinzheng_corpus_info{version="${(ready.body as { corpusVersion: string }).corpusVersion}"}`)).toBe(1);
    } finally {
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
      await fake.close();
    }
  });
});

describe('/readyz and the database', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  test('503 while PostgreSQL is down, 200 once it is back; /metrics counts the errors and says whether it is up', async () => {
    // Wired as main wires them: the status board reads the metrics, the metrics the database.
    const status = createStatusBoard({ version: VERSION, build: BUILD, metrics: () => metrics.text() });
    const metrics = createMetrics({ version: VERSION, build: BUILD, corpusVersion: () => status.corpusVersion(), databaseUp: () => database.up() });
    const errors: Array<'connection' | 'query'> = [];
    const failures = new EventEmitter();
    const database: Database = await openDatabase(pg.database('readiness'), quietLogger, {
      backoffMs: { first: 50, max: 200 },
      onError: (_error, kind) => {
        errors.push(kind);
        metrics.databaseError(kind);
        failures.emit('failure', kind);
      },
    });
    status.serving(() => 'abc123def456');
    status.track('database', () => database.up());
    const server = await startHealthServer(0, status);
    const reconnected = new Promise<void>((resolve) => database.listen('readiness_probe', (payload) => payload === null && resolve()));
    try {
      expect((await get(server.port, '/readyz')).status).toBe(200);
      const scrape = async () => parsePrometheus((await get(server.port, '/metrics')).body as string);
      expect((await scrape()).get('yinzheng_database_up')).toBe(1);

      const failed = once(failures, 'failure');
      await pg.stop();
      expect(await failed).toEqual(['connection']);
      expect(await get(server.port, '/readyz')).toEqual({
        status: 503,
        body: { ok: false, corpusVersion: 'abc123def456', connections: { database: 'down' } },
      });
      expect((await get(server.port, '/healthz')).status).toBe(200);
      const down = await scrape();
      expect(down.get('yinzheng_database_up')).toBe(0);
      expect(down.get('yinzheng_database_errors_total{kind="connection"}')).toBe(errors.filter((k) => k === 'connection').length);

      await pg.start();
      await reconnected;
      expect(await get(server.port, '/readyz')).toEqual({ status: 200, body: { ok: true, corpusVersion: 'abc123def456', connections: { database: 'up' } } });
      expect((await scrape()).get('yinzheng_database_up')).toBe(1);

      // A query the server refuses is an error of its own kind, and leaves the database up.
      await expect(database.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/u);
      expect((await scrape()).get('yinzheng_database_errors_total{kind="query"}')).toBe(1);
      expect((await get(server.port, '/readyz')).status).toBe(200);
    } finally {
      await server.close();
      await database.close();
    }
  });
});
