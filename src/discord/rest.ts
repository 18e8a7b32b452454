import {
  DiscordAPIError,
  REST,
  type RESTGetAPIApplicationCommandsResult,
  type RESTGetAPICurrentUserGuildsResult,
  type RESTPutAPIApplicationCommandsResult,
  Routes,
} from 'discord.js';
import type { DiscordConfig } from '../config.js';
import type { Command } from '../core/dispatch/command.js';
import { UserError } from '../core/dispatch/errors.js';
import { en } from '../core/words/en.js';
import { discordCommands } from './commands.js';

/**
 * discord.js wants the REST base without the version (`https://discord.com/api`) and appends
 * `/v10` itself; DISCORD_API_BASE is documented with the version, as a proxy's URL usually is.
 * A trailing `/vN` is therefore taken as the version, and a base without one gets the default.
 */
export function restOptions(config: Pick<DiscordConfig, 'apiBase'>): { api?: string; version?: string } {
  if (!config.apiBase) return {};
  const base = config.apiBase.replace(/\/+$/u, '');
  const versioned = /^(.*)\/v(\d+)$/u.exec(base);
  return versioned ? { api: versioned[1] as string, version: versioned[2] as string } : { api: base };
}

/** What a deploy did: where it registered, and which earlier registrations it removed. */
export interface DeployResult {
  scope: 'guild' | 'global';
  registered: RESTPutAPIApplicationCommandsResult;
  /** Commands removed from the other scope, so that nobody sees each command twice. */
  removed: Array<{ where: 'global' | { guild: string }; names: string[] }>;
}

export interface DeployOptions {
  /** Register globally even when DISCORD_GUILD_ID is set (that server's commands are then removed). */
  global?: boolean;
  /** Leave the other scope's commands alone. */
  keepOther?: boolean;
}

/** GET /users/@me/guilds returns at most 200 servers a page (user.mdx, Get Current User Guilds: `limit` 1-200). */
const GUILDS_PAGE = 200;

/**
 * Every server the bot is in. The listing is paged (user.mdx, Get Current User Guilds,
 * `before`/`after` a guild ID, `limit` 1-200): a bot may be in far more servers than a user,
 * so pages are read `after` the last ID seen until one comes back short.
 */
export async function botGuildIds(rest: REST): Promise<string[]> {
  const ids: string[] = [];
  for (let after = '0'; ; ) {
    const page = (await rest.get(Routes.userGuilds(), {
      query: new URLSearchParams({ limit: String(GUILDS_PAGE), after }),
    })) as RESTGetAPICurrentUserGuildsResult;
    ids.push(...page.map((g) => g.id));
    const last = page.at(-1);
    if (page.length < GUILDS_PAGE || !last) return ids;
    after = last.id;
  }
}

/**
 * What to tick when Discord refuses integration type 1 (User Install) on the global
 * commands: the app's installation contexts are set "On the Installation page under the
 * Installation Contexts section" (resources/application.mdx, Setting Supported Installation
 * Contexts), and a command may only name those (application-commands.mdx, `integration_types`).
 */
export const USER_INSTALL_HINT = en.operator.discord.userInstall;

async function register(rest: REST, route: `/${string}`, body: unknown): Promise<RESTPutAPIApplicationCommandsResult> {
  try {
    return (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 400 && /integration_types/u.test(error.message)) {
      throw new UserError('config', `deploy:discord: ${USER_INSTALL_HINT} (HTTP 400: ${error.message.replace(/\s+/gu, ' ')})`);
    }
    throw error;
  }
}

/**
 * Registers the commands: to DISCORD_GUILD_ID when set (visible at once, for trying it out),
 * globally otherwise (Discord may take a while to show changes everywhere). A command
 * registered in both scopes shows twice in that server, so the other scope's are removed:
 * a server deploy removes the global ones; a global deploy removes those of DISCORD_GUILD_ID,
 * or else of every server the bot is in. `keepOther` leaves them.
 */
export async function deployCommands(config: DiscordConfig, registry: ReadonlyMap<string, Command>, options: DeployOptions = {}): Promise<DeployResult> {
  const rest = new REST(restOptions(config)).setToken(config.token);
  const app = config.applicationId;
  const guild = options.global ? undefined : config.guildId;
  const scope = guild ? 'guild' : 'global';
  const route = guild ? Routes.applicationGuildCommands(app, guild) : Routes.applicationCommands(app);
  const registered = await register(rest, route, discordCommands(registry, scope));
  const removed: DeployResult['removed'] = [];
  if (options.keepOther) return { scope, registered, removed };
  const clear = async (where: DeployResult['removed'][number]['where'], other: `/${string}`) => {
    const existing = (await rest.get(other)) as RESTGetAPIApplicationCommandsResult;
    if (existing.length === 0) return;
    await rest.put(other, { body: [] });
    removed.push({ where, names: existing.map((c) => c.name) });
  };
  if (guild) await clear('global', Routes.applicationCommands(app));
  else {
    const guilds = config.guildId ? [config.guildId] : await botGuildIds(rest);
    for (const id of guilds) await clear({ guild: id }, Routes.applicationGuildCommands(app, id));
  }
  return { scope, registered, removed };
}
