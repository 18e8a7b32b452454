import type { Client } from 'discord.js';
import { expect } from 'vitest';
import { registry } from '../../commands/index.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { startDiscord } from '../../src/discord/bot.js';
import { botOver } from '../support/bot.js';
import { FakeDiscord, type FakeDiscordOptions, type FakeUser, type RecordedRequest } from './fake-discord.js';
import { createTestLogger } from './support.js';

/*
 * The bot as it runs: the real discord.js client against the loopback fake of Discord, and
 * what it sent for each interaction, for the end-to-end tests.
 */

export const bob: FakeUser = { id: '500000000000000002', username: 'bob' };

export interface Running {
  fake: FakeDiscord;
  bot: Bot;
  logs: ReturnType<typeof createTestLogger>;
  client: Client;
  stop(): Promise<void>;
}

export async function start(corpusDir: string, commands = registry, stateDir?: string, options: FakeDiscordOptions = {}): Promise<Running> {
  const corpus = await loadCorpus(corpusDir);
  const logs = createTestLogger();
  const bot = botOver(corpus, { commands, logger: logs });
  const fake = await FakeDiscord.start(options);
  const { client, stop } = await startDiscord(
    bot,
    { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase, ...(stateDir ? { stateDir } : {}) },
    logs,
  );
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
export interface Sent {
  via: 'callback' | 'edit' | 'followup' | 'delete';
  type?: number;
  body: Record<string, unknown>;
}

/** Awaits the adapter's "answered" log for an interaction, then returns everything it sent for it, in order. */
export async function answered(r: Pick<Running, 'fake' | 'logs'>, interaction: { id: string; token: string }): Promise<Sent[]> {
  await r.logs.entries.next((e) => e.msg === 'discord: answered' && e.obj.interaction === interaction.id);
  const requests = r.fake.requests.items.filter(
    (q) => q.route.startsWith(`/interactions/${interaction.id}/`) || q.route.startsWith(`/webhooks/${r.fake.applicationId}/${interaction.token}`),
  );
  // The fake refuses what Discord would refuse (limits, empty messages, duplicate custom_ids).
  expect(requests.filter((q) => q.status >= 400).map((q) => `${q.status} ${q.route}: ${q.refused ?? ''}`)).toEqual([]);
  return requests.map((q: RecordedRequest): Sent => {
    const body = (q.body ?? {}) as Record<string, unknown>;
    if (q.route.endsWith('/callback')) return { via: 'callback', type: body.type as number, body: (body.data ?? {}) as Record<string, unknown> };
    if (q.method === 'PATCH') return { via: 'edit', body };
    if (q.method === 'DELETE') return { via: 'delete', body };
    return { via: 'followup', body };
  });
}

type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }> };
type Row = { components: Array<{ label: string; custom_id: string; style: number }> };
export const embedsOf = (s: Sent | undefined) => (s?.body.embeds ?? []) as Embed[];
export const buttonsOf = (s: Sent | undefined) => ((s?.body.components ?? []) as Row[]).flatMap((row) => row.components);
export const EPHEMERAL = 64;
