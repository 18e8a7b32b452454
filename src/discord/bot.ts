import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { DiscordConfig } from '../config.js';
import type { Bot, Logger } from '../core/dispatch/bot.js';
import { type OptionSpec, optionSpecs } from '../core/dispatch/command.js';
import { UserError } from '../core/dispatch/errors.js';
import { en } from '../core/words/en.js';
import { type ButtonKeeper, createButtonStore } from './custom-id.js';
import { FATAL_CLOSES, watchGateway } from './gateway.js';
import * as autocomplete from './listeners/autocomplete.js';
import * as buttonListeners from './listeners/buttons.js';
import * as chatCommands from './listeners/chat-commands.js';
import type { DiscordDeps, DiscordLibrary } from './listeners/deps.js';
import * as libraryListeners from './listeners/library.js';
import * as messageCommands from './listeners/message-commands.js';
import { createInteractionRouter } from './listeners/router.js';
import { NO_MENTIONS } from './render.js';
import { createResponder } from './respond.js';
import { restOptions } from './rest.js';

export { FATAL_CLOSES } from './gateway.js';
export type { DiscordLibrary } from './listeners/deps.js';
export { DEFER_BUDGET_MS, localeFromDiscord } from './respond.js';
export { type Room, roomOf } from './room.js';

import { trackChannelTypes } from './room.js';

/** How long a shutdown waits for interactions being answered (inside main's ten-second deadline). */
const IN_FLIGHT_GRACE_MS = 5000;
/**
 * The gateway's waits, which only tests change. Discord allows one IDENTIFY per five seconds,
 * and discord.js waits that out (plus up to 1.5 s) before identifying again after an invalid
 * session; a loopback fake of Discord has no such limit.
 */
export interface GatewayTuning {
  identifyAtOnce?: boolean;
  /** The first wait before trying again to reach Discord; doubles up to a minute. */
  retryBaseMs?: number;
  /** How long stop() waits for answers in flight before closing the gateway anyway. */
  inFlightGraceMs?: number;
  /** Gives up connecting (a SIGTERM while Discord cannot be reached): startDiscord rejects with an AbortError. */
  signal?: AbortSignal;
}

/** Errors that mean Discord could not be reached at all: no network, no DNS, nothing listening. */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const RETRY_MAX_MS = 60_000;

/** What kept the bot from reaching Discord, in a line, or null when the error is not about the network. */
export function unreachable(error: unknown): string | null {
  for (let e = error as { code?: unknown; hostname?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code !== 'string' || !UNREACHABLE.has(e.code)) continue;
    const host = typeof e.hostname === 'string' ? e.hostname : 'Discord';
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `cannot look up ${host} (${e.code}): no network or no DNS on this machine`;
    return `cannot connect to ${host} (${e.code}): no network, or a firewall or proxy in the way`;
  }
  return null;
}

/**
 * Connects to Discord through the gateway and serves the bot's commands until `stop()`.
 * The adapter only translates: an interaction becomes `bot.run(name, options, requester)`,
 * and the Reply becomes Discord messages through `replyToDiscord`.
 */
export async function startDiscord(
  bot: Bot,
  config: DiscordConfig,
  logger: Logger,
  tuning: GatewayTuning = {},
  library?: DiscordLibrary,
  /** Where button states too long for a custom_id are kept for every replica (the database); config.stateDir otherwise. */
  buttonKeeper?: ButtonKeeper,
): Promise<{ client: Client; stop(): Promise<void>; fatal: Promise<string>; gateway(): 'up' | 'down' }> {
  const client = new Client({
    // No privileged intents: slash commands, buttons and context menus arrive without reading messages.
    intents: [GatewayIntentBits.Guilds],
    rest: restOptions(config),
    allowedMentions: NO_MENTIONS,
    // This process's share of the gateway (DISCORD_SHARDS of DISCORD_SHARD_COUNT): Discord sends
    // each shard the events of the servers it owns, (guild_id >> 22) % shardCount, and DMs to shard 0.
    ...(config.shards ? { shards: config.shards, shardCount: config.shardCount ?? config.shards.length } : {}),
    ...(tuning.identifyAtOnce ? { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } } : {}),
  });
  const buttons = createButtonStore(undefined, buttonKeeper ?? config.stateDir);
  const responder = createResponder(bot, buttons, trackChannelTypes(client), logger);
  const deps: DiscordDeps = {
    bot,
    logger,
    buttons,
    specs: new Map<string, OptionSpec[]>([...bot.commands.values()].map((c) => [c.name, optionSpecs(c)])),
    responder,
    ...(library ? { library } : {}),
  };
  // Interactions being answered, so that a shutdown lets them finish (for a bounded time).
  const router = createInteractionRouter(client, logger, responder);
  // Before the general listeners, which would take /library for a command of the registry.
  libraryListeners.register(router, deps);
  chatCommands.register(router, deps);
  autocomplete.register(router, deps);
  buttonListeners.register(router, deps);
  messageCommands.register(router, deps);
  const gateway = watchGateway(client, logger);
  const { fatal } = gateway;

  // Not events.once: it would also turn a later 'error' event into a rejection nobody awaits once login has failed.
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await login(client, config, logger, tuning);
  await Promise.race([ready, fatal.then((why) => Promise.reject(new UserError('config', why)))]);
  logger.info({ user: client.user?.tag, application: config.applicationId, shards: client.ws.shards.map((s) => s.id) }, 'discord: connected');

  return {
    client,
    fatal,
    gateway: () => (gateway.up() ? 'up' : 'down'),
    async stop() {
      gateway.stopping();
      const { inFlight } = router;
      // Answers in flight finish first, for at most IN_FLIGHT_GRACE_MS; then the gateway closes.
      if (inFlight.size > 0) logger.info({ inFlight: inFlight.size }, 'discord: stopping once the answers in flight are sent');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, tuning.inFlightGraceMs ?? IN_FLIGHT_GRACE_MS);
      });
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
      await client.destroy();
      logger.info({}, 'discord: stopped');
    },
  };
}

/**
 * Logs in, and without a network says so and tries again, waiting longer each time (there is
 * nothing to fix in the configuration, and a crash would only feed a supervisor's restart
 * loop). A refused token or a fatal close is a UserError saying what to fix.
 */
async function login(client: Client, config: DiscordConfig, logger: Logger, tuning: GatewayTuning): Promise<void> {
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.login(config.token);
        break;
      } catch (error) {
        const why = unreachable(error);
        if (!why) throw error;
        const waitMs = Math.min(RETRY_MAX_MS, (tuning.retryBaseMs ?? 1000) * 2 ** attempt);
        logger.warn({ attempt: attempt + 1, retryInMs: waitMs }, `discord: ${why}; trying again in ${Math.ceil(waitMs / 1000)} s`);
        await sleep(waitMs, undefined, { signal: tuning.signal });
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown; status?: unknown }).code;
    if (code === 'TokenInvalid' || (error as { status?: unknown }).status === 401) {
      throw new UserError('config', en.operator.discord.tokenRefused);
    }
    const close = typeof code === 'number' ? FATAL_CLOSES[code] : undefined;
    if (close) throw new UserError('config', `discord: ${close}`);
    throw error;
  }
}
