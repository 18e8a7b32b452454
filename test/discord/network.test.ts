import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { startDiscord, unreachable } from '../../src/discord/bot.js';
import { botOver } from '../support/bot.js';
import { AwaitableLog, FakeDiscord } from './fake-discord.js';
import { alice, createTestLogger, startMain } from './support.js';

const CORPUS = join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long');

/** A loopback port nothing listens on (taken, then let go). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Discord when the network misbehaves', () => {
  it('names a DNS failure and a refused connection, however deep undici wraps them, and nothing else', () => {
    const dns = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND', hostname: 'discord.com' }),
    });
    expect(unreachable(dns)).toBe('cannot look up discord.com (ENOTFOUND): no network or no DNS on this machine');
    expect(unreachable(Object.assign(new Error('x'), { code: 'EAI_AGAIN', hostname: 'gateway.discord.gg' }))).toContain(
      'cannot look up gateway.discord.gg (EAI_AGAIN)',
    );
    expect(unreachable(new Error('y', { cause: Object.assign(new Error('z'), { code: 'ECONNREFUSED' }) }))).toContain(
      'cannot connect to Discord (ECONNREFUSED)',
    );
    expect(unreachable(Object.assign(new Error('401'), { status: 401 }))).toBeNull();
    expect(unreachable(undefined)).toBeNull();
  });

  it('says it cannot connect, tries again with a growing wait, and serves once Discord is there', async () => {
    const port = await freePort();
    const corpus = await loadCorpus(CORPUS);
    const logs = createTestLogger();
    const bot = botOver(corpus, { logger: logs });
    const applicationId = '100000000000000001';
    const starting = startDiscord(bot, { token: 'fake-token', applicationId, guildId: undefined, apiBase: `http://127.0.0.1:${port}/api/v10` }, logs, {
      retryBaseMs: 5,
    });
    const first = await logs.entries.next((e) => e.level === 'warn' && (e.msg ?? '').includes('cannot connect'));
    const second = await logs.entries.next((e) => e.level === 'warn' && e.obj.attempt === 2);
    expect(first.msg).toMatch(/^discord: cannot connect to .* \(ECONNREFUSED\): .*; trying again in 1 s$/);
    expect(second.obj.retryInMs).toBe(2 * (first.obj.retryInMs as number));
    const fake = await FakeDiscord.start({ port, applicationId });
    const adapter = await starting;
    try {
      const callback = await fake.callback(fake.slashCommand({ name: 'essays', user: alice }));
      expect((callback.body as { type: number }).type).toBe(4);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });

  it('npm start with no DNS: one line per retry, no stack trace, and SIGTERM ends it with code 0', async () => {
    // .invalid never resolves (RFC 6761), so this is a DNS failure on any machine.
    const child = startMain({ applicationId: '100000000000000001', apiBase: 'http://discord.invalid/api/v10' }, { CORPUS_DIR: CORPUS });
    const lines = new AwaitableLog<string>();
    let output = '';
    const collect = (d: Buffer) => {
      output += d.toString();
      const parts = output.split('\n');
      output = parts.pop() ?? '';
      for (const line of parts) if (line.trim()) lines.push(line);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const closed = once(child, 'close');
    try {
      const line = await lines.next((l) => l.includes('trying again'));
      expect((JSON.parse(line) as { msg: string }).msg).toMatch(
        /^discord: cannot look up discord\.invalid \((ENOTFOUND|EAI_AGAIN)\): no network or no DNS on this machine; trying again in 1 s$/,
      );
      child.kill('SIGTERM');
      const [code] = (await closed) as [number | null];
      expect(code).toBe(0);
      expect(lines.items.filter((l) => /^\s+at /.test(l))).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('SIGTERM stops a bot whose gateway went away and whose log pipe was closed, with code 0 and no deadline', async () => {
    const fake = await FakeDiscord.start();
    const child = startMain(fake, { CORPUS_DIR: CORPUS, LOG_LEVEL: 'debug' });
    const lines = new AwaitableLog<string>();
    child.stderr.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.includes('"discord: connected"')) lines.push(line);
    });
    const closed = once(child, 'close');
    try {
      await lines.next(() => true);
      // Discord goes out of reach: the bot keeps trying, waiting between attempts.
      fake.refuseGateway = true;
      fake.dropGateway(4000);
      await fake.refusedGateways.next((n) => n >= 2);
      // Nobody reads its logs any more.
      child.stdout.destroy();
      child.stderr.destroy();
      await fake.refusedGateways.next((n) => n >= 3);
      child.kill('SIGTERM');
      // Exit code 1 would be the shutdown deadline (the process lingered) or a crash on EPIPE.
      expect(await closed).toEqual([0, null]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fake.close();
    }
  });

  describe('stopping with an answer in flight', () => {
    async function running(inFlightGraceMs?: number) {
      const corpus = await loadCorpus(CORPUS);
      const logs = createTestLogger();
      const bot = botOver(corpus, { logger: logs });
      const fake = await FakeDiscord.start();
      const adapter = await startDiscord(bot, { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase }, logs, {
        inFlightGraceMs,
      });
      return { fake, adapter, logs };
    }

    it('lets the answer finish, then closes the gateway', async () => {
      const { fake, adapter, logs } = await running();
      try {
        const held = fake.holdNext((q) => q.method === 'POST' && q.route.startsWith('/interactions/'));
        const interaction = fake.slashCommand({ name: 'essays', user: alice });
        await held.arrived;
        const order: string[] = [];
        const answered = fake.callback(interaction).then((q) => order.push(`answered ${q.status}`));
        const closed = fake.gatewayCloses.next(() => true).then((code) => order.push(`gateway closed ${code}`));
        const stopped = adapter.stop();
        expect((await logs.entries.next((e) => e.msg === 'discord: stopping once the answers in flight are sent')).obj.inFlight).toBe(1);
        held.release();
        await Promise.all([stopped, answered, closed]);
        expect(order).toEqual(['answered 204', 'gateway closed 1000']);
      } finally {
        await fake.close();
      }
    });

    it('waits for it at most the grace period', async () => {
      const { fake, adapter } = await running(20);
      const held = fake.holdNext((q) => q.method === 'POST' && q.route.startsWith('/interactions/'));
      try {
        fake.slashCommand({ name: 'essays', user: alice });
        await held.arrived;
        // Discord never answers; stop() goes on after the grace and closes the gateway.
        await adapter.stop();
        expect(await fake.gatewayCloses.next(() => true)).toBe(1000);
      } finally {
        held.release();
        await fake.close();
      }
    });
  });
});
