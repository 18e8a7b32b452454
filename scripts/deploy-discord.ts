import { registry } from '../commands/index.js';
import { loadEnvFile, parseConfig } from '../src/config.js';
import { isUserError } from '../src/core/errors.js';
import { discordCommands } from '../src/discord/commands.js';
import { deployCommands } from '../src/discord/rest.js';

/** `npm run deploy:discord`: registers the registry's commands with Discord. */
async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig(process.env);
  if (!config.discord) {
    throw new Error('deploy:discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID. Set them in .env (see .env.example).');
  }
  const body = discordCommands(registry);
  const { scope, registered } = await deployCommands(config.discord, body);
  const where = scope === 'guild' ? `server ${config.discord.guildId}` : 'all servers (global; may take a while to appear)';
  console.log(`deploy:discord: registered ${registered.length} commands for ${where}: ${registered.map((c) => c.name).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(isUserError(error) || error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
