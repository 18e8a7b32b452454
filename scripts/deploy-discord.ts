import { DiscordAPIError } from 'discord.js';
import { registry } from '../commands/index.js';
import { loadEnvFile, parseConfig } from '../src/config.js';
import { isUserError, UserError } from '../src/core/dispatch/errors.js';
import { discordCommands } from '../src/discord/commands.js';
import { deployCommands } from '../src/discord/rest.js';

/** `npm run deploy:discord`: registers the registry's commands with Discord. */
async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig(process.env);
  if (!config.discord) {
    throw new UserError('config', 'deploy:discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID. Set them in .env (see .env.example).');
  }
  const body = discordCommands(registry);
  const { scope, registered } = await deployCommands(config.discord, body);
  const where = scope === 'guild' ? `server ${config.discord.guildId}` : 'all servers (global; may take a while to appear)';
  console.log(`deploy:discord: registered ${registered.length} commands for ${where}: ${registered.map((c) => c.name).join(', ')}`);
}

main().catch((error: unknown) => {
  if (isUserError(error)) console.error(error.message);
  else if (error instanceof DiscordAPIError) {
    const hint =
      error.status === 401
        ? ' Check DISCORD_TOKEN.'
        : error.status === 404 || error.status === 403
          ? ' Check DISCORD_APPLICATION_ID and DISCORD_GUILD_ID.'
          : '';
    console.error(`deploy:discord: Discord refused the registration (HTTP ${error.status}): ${error.message}.${hint}`);
  } else console.error(error);
  process.exitCode = 1;
});
