import { type Client, Events } from 'discord.js';
import type { Logger } from '../core/dispatch/bot.js';
import { en } from '../core/words/en.js';

const RECONNECT_LOG_EVERY_MS = 60_000;

/**
 * Gateway closes Discord does not let a client recover from, each said as what to fix
 * (Discord's gateway close event codes). The process then ends with code 1, so that a
 * supervisor restarts it or alerts someone, rather than taking it for a clean stop.
 */
export const FATAL_CLOSES: Readonly<Record<number, string>> = en.operator.discord.closes;

/** The gateway connection as the adapter sees it. */
export interface GatewayWatch {
  /** Resolves with what to fix when Discord closes the gateway for good. */
  fatal: Promise<string>;
  up(): boolean;
  /** From now on closes are the adapter's own shutdown: not logged, not fatal. */
  stopping(): void;
}

/**
 * Logs the gateway's drops and resumes and tells a close for good from a routine one. A
 * dropped gateway is routine and discord.js resumes by itself; the log says it happened. Only
 * a close Discord calls unrecoverable (a revoked token, say) ends the connection.
 */
export function watchGateway(client: Client, logger: Logger): GatewayWatch {
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord: client error'));
  client.on(Events.ShardError, (error, shard) => logger.error({ err: error, shard }, 'discord: gateway error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord: warning'));
  let stopping = false;
  // The shards of this process that are connected: with DISCORD_SHARDS naming several, the
  // gateway is up only when every one of them is (a shard down is its servers unanswered).
  const connected = new Set<number>();
  // While the gateway stays away, discord.js tries again every half second: the log says so
  // once, then once a minute, not 7,200 times an hour.
  let attempts = 0;
  let lastSaid = 0;
  const up = (shard: number) => {
    connected.add(shard);
    attempts = 0;
  };
  client.on(Events.ShardReady, (shard) => up(shard));
  client.on(Events.ShardResume, (shard) => up(shard));
  client.on(Events.ShardReconnecting, (shard) => {
    connected.delete(shard);
    attempts++;
    // discord.js reports its own shutdown as a close too.
    if (stopping) return;
    if (attempts === 1) logger.info({ shard }, 'discord: gateway dropped, reconnecting');
    else if (Date.now() - lastSaid >= RECONNECT_LOG_EVERY_MS) logger.warn({ shard, attempts }, 'discord: gateway still unreachable, still trying');
    else return;
    lastSaid = Date.now();
  });
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'discord: gateway resumed'));
  let onFatal: (why: string) => void = () => undefined;
  const fatal = new Promise<string>((resolve) => {
    onFatal = resolve;
  });
  client.on(Events.ShardDisconnect, (event, shard) => {
    connected.delete(shard);
    if (stopping) return;
    logger.error({ shard, code: event.code }, 'discord: gateway closed for good');
    onFatal(`discord: ${FATAL_CLOSES[event.code] ?? en.operator.discord.closedForGood(event.code)}`);
  });
  return {
    fatal,
    up: () => connected.size > 0 && connected.size >= client.ws.shards.size,
    stopping: () => {
      stopping = true;
    },
  };
}
