import { parseArgs } from 'node:util';
import { DiscordAPIError } from 'discord.js';
import { registry } from '../commands/index.js';
import { loadEnvFile, parseConfig } from '../src/config.js';
import { isUserError, UserError } from '../src/core/dispatch/errors.js';
import { wordsFor } from '../src/core/words/index.js';
import { installLinks } from '../src/discord/commands.js';
import { deployCommands } from '../src/discord/rest.js';

/**
 * `npm run deploy:discord [-- --global] [-- --keep-other]`: registers the registry's commands
 * with Discord, to DISCORD_GUILD_ID when set (unless --global), and removes the other scope's
 * so that no command shows twice (unless --keep-other). Prints what it did, and the two
 * install links.
 */
/** deploy:discord speaks English: it has no language option. */
const t = wordsFor('en').operator.deploy;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { global: { type: 'boolean' }, 'keep-other': { type: 'boolean' } }, allowPositionals: false });
  loadEnvFile();
  const config = parseConfig(process.env);
  if (!config.discord) {
    throw new UserError('config', t.needsDiscord);
  }
  const { scope, registered, removed } = await deployCommands(config.discord, registry, {
    global: values.global === true,
    keepOther: values['keep-other'] === true,
  });
  const where = scope === 'guild' ? t.server(config.discord.guildId ?? '') : t.everywhere;
  console.log(
    t.registered(
      registered.length,
      where,
      registered.map((c) => c.name),
    ),
  );
  for (const r of removed) {
    const from = r.where === 'global' ? t.globalCommands : t.server(r.where.guild);
    console.log(t.removed(r.names.length, from, r.names));
  }
  if (removed.length === 0 && values['keep-other'] !== true) console.log(t.nothingRemoved);
  const links = installLinks(config.discord.applicationId);
  console.log(t.serverLink(links.server));
  console.log(t.userLink(links.user));
}

main().catch((error: unknown) => {
  if (isUserError(error)) console.error(error.message);
  else if (error instanceof DiscordAPIError) {
    const hint = error.status === 401 ? t.checkToken : error.status === 404 || error.status === 403 ? t.checkIds : '';
    console.error(t.refused(error.status, error.message, hint));
  } else console.error(error);
  process.exitCode = 1;
});
