import { parseArgs } from 'node:util';
import { DiscordAPIError } from 'discord.js';
import { registry } from '../commands/index.js';
import { loadEnvFile, parseConfig } from '../src/config.js';
import { isUserError, UserError } from '../src/core/dispatch/errors.js';
import { installLinks } from '../src/discord/commands.js';
import { deployCommands } from '../src/discord/rest.js';

/**
 * `npm run deploy:discord [-- --global] [-- --keep-other]`: registers the registry's commands
 * with Discord, to DISCORD_GUILD_ID when set (unless --global), and removes the other scope's
 * so that no command shows twice (unless --keep-other). Prints what it did, and the two
 * install links.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { global: { type: 'boolean' }, 'keep-other': { type: 'boolean' } }, allowPositionals: false });
  loadEnvFile();
  const config = parseConfig(process.env);
  if (!config.discord) {
    throw new UserError('config', 'deploy:discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID. Set them in .env (see .env.example).');
  }
  const { scope, registered, removed } = await deployCommands(config.discord, registry, {
    global: values.global === true,
    keepOther: values['keep-other'] === true,
  });
  const where = scope === 'guild' ? `server ${config.discord.guildId}` : 'everywhere (global; Discord may take a while to show them)';
  console.log(`deploy:discord: registered ${registered.length} commands for ${where}: ${registered.map((c) => c.name).join(', ')}`);
  for (const r of removed) {
    const from = r.where === 'global' ? 'the global commands' : `server ${r.where.guild}`;
    console.log(`deploy:discord: removed ${r.names.length} commands from ${from}, so none shows twice: ${r.names.join(', ')}`);
  }
  if (removed.length === 0 && values['keep-other'] !== true) console.log('deploy:discord: no commands in the other scope to remove');
  const links = installLinks(config.discord.applicationId);
  console.log(`deploy:discord: add to a server: ${links.server}`);
  console.log(`deploy:discord: add to your own account (use it anywhere): ${links.user}`);
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
