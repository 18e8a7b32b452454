import { REST, type RESTPutAPIApplicationCommandsJSONBody, type RESTPutAPIApplicationCommandsResult, Routes } from 'discord.js';
import type { DiscordConfig } from '../config.js';

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

/**
 * Registers the commands: to DISCORD_GUILD_ID when set (visible at once, for trying it out),
 * globally otherwise (Discord may take a while to show changes everywhere).
 */
export async function deployCommands(
  config: DiscordConfig,
  body: RESTPutAPIApplicationCommandsJSONBody,
): Promise<{ scope: 'guild' | 'global'; registered: RESTPutAPIApplicationCommandsResult }> {
  const rest = new REST(restOptions(config)).setToken(config.token);
  const route = config.guildId ? Routes.applicationGuildCommands(config.applicationId, config.guildId) : Routes.applicationCommands(config.applicationId);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { scope: config.guildId ? 'guild' : 'global', registered };
}
