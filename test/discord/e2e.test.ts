import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { createBot, type Bot, type Logger } from '../../src/core/bot.js';
import { loadCorpus } from '../../src/core/corpus.js';
import { createIndex } from '../../src/core/index.js';
import { startDiscord } from '../../src/discord/bot.js';
import { discordCommands } from '../../src/discord/commands.js';
import { encodeState } from '../../src/discord/custom-id.js';
import { AwaitableLog, FakeDiscord, type FakeUser, type RecordedRequest } from './fake-discord.js';

interface LogEntry {
  level: 'info' | 'warn' | 'error' | 'debug';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function createTestLogger(): Logger & { entries: AwaitableLog<LogEntry> } {
  const entries = new AwaitableLog<LogEntry>();
  const at = (level: LogEntry['level']) => (obj: object, msg?: string) => entries.push({ level, obj: obj as Record<string, unknown>, msg });
  return { entries, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

const alice: FakeUser = { id: '500000000000000001', username: 'alice' };
const bob: FakeUser = { id: '500000000000000002', username: 'bob' };

interface Running {
  fake: FakeDiscord;
  bot: Bot;
  logs: ReturnType<typeof createTestLogger>;
  client: Client;
  stop(): Promise<void>;
}

async function start(corpusDir: string, commands = registry): Promise<Running> {
  const corpus = await loadCorpus(corpusDir);
  const logs = createTestLogger();
  const bot = createBot({ commands, library: { corpus, index: createIndex(corpus) }, logger: logs });
  const fake = await FakeDiscord.start();
  const { client, stop } = await startDiscord(bot, { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase }, logs);
  return {
    fake,
    bot,
    logs,
    client,
    async stop() {
      await stop();
      await fake.close();
    },
  };
}

/** A message the bot sent, whichever route carried it. */
interface Sent {
  via: 'callback' | 'edit' | 'followup' | 'delete';
  type?: number;
  body: Record<string, unknown>;
}

/** Awaits the adapter's "answered" log for an interaction, then returns everything it sent for it, in order. */
async function answered(r: Running, interaction: { id: string; token: string }): Promise<Sent[]> {
  await r.logs.entries.next((e) => e.msg === 'discord: answered' && e.obj.interaction === interaction.id);
  return r.fake.requests.items
    .filter((q) => q.route.startsWith(`/interactions/${interaction.id}/`) || q.route.startsWith(`/webhooks/${r.fake.applicationId}/${interaction.token}`))
    .map((q: RecordedRequest): Sent => {
      const body = (q.body ?? {}) as Record<string, unknown>;
      if (q.route.endsWith('/callback')) return { via: 'callback', type: body.type as number, body: (body.data ?? {}) as Record<string, unknown> };
      if (q.method === 'PATCH') return { via: 'edit', body };
      if (q.method === 'DELETE') return { via: 'delete', body };
      return { via: 'followup', body };
    });
}

type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }> };
type Row = { components: Array<{ label: string; custom_id: string; style: number }> };
const embedsOf = (s: Sent | undefined) => (s?.body.embeds ?? []) as Embed[];
const buttonsOf = (s: Sent | undefined) => ((s?.body.components ?? []) as Row[]).flatMap((row) => row.components);
const EPHEMERAL = 64;

describe('Discord end to end, on the bundled corpus', () => {
  let r: Running;
  beforeAll(async () => {
    r = await start(join(PROJECT_ROOT, 'data', 'essays'));
  });
  afterAll(async () => {
    await r?.stop();
  });

  it('connects through the gateway URL found on the REST base, with only the Guilds intent', async () => {
    expect(r.fake.requests.items[0]).toMatchObject({ method: 'GET', route: '/gateway/bot' });
    expect(r.fake.requests.items[0]?.headers.authorization).toBe('Bot fake-token');
    expect(r.fake.gatewayConnections).toEqual(['/?v=10&encoding=json']);
    const identify = await r.fake.gatewayPayloads.next((p) => p.op === 2);
    expect(identify.d).toMatchObject({ token: 'fake-token', intents: 1, shard: [0, 1] });
    expect(r.client.user?.id).toBe(r.fake.applicationId);
  });

  it('answers /quote with verbatim quotes, attribution, notes and buttons', async () => {
    const i = r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice });
    const sent = await answered(r, i);
    console.log(JSON.stringify(sent, null, 1).slice(0, 6000));
  });
});
