import type { AutocompleteInteraction, ChatInputCommandInteraction, Interaction, MessageContextMenuCommandInteraction, RepliableInteraction } from 'discord.js';
import type { Changer } from '../../core/library/desk.js';
import { wordsFor } from '../../core/words/index.js';
import { ADD_TO_LIBRARY, LIBRARY_COMMAND, LIBRARY_FILE_OPTION } from '../commands.js';
import { type DiscordTeam, mayChange, teamOf } from '../library.js';
import { localeOf } from '../respond.js';
import type { DiscordDeps, DiscordLibrary, InteractionRouter } from './deps.js';

const AUTOCOMPLETE_MAX = 25;
const CHOICE_TEXT_MAX = 100;
/** The files a team may add, by the name the uploader gave; intake still judges them by their bytes. */
const ADDABLE = /\.(?:pdf|txt)$/iu;

function changer(interaction: Interaction): Changer {
  return {
    platform: 'discord',
    userId: interaction.user.id,
    name: interaction.user.globalName ?? interaction.user.username,
    where: interaction.channelId ?? interaction.user.id,
  };
}

/**
 * The team's library, or a private refusal that says who may change it (and null then). `change`
 * is whether the subcommand changes the library: anyone who may run /library may list and check.
 */
async function gate(interaction: RepliableInteraction, deps: DiscordDeps, library: DiscordLibrary, change: boolean): Promise<{ team: string } | null> {
  const team: DiscordTeam = teamOf(interaction);
  const t = wordsFor(localeOf(interaction)).library.chat;
  // Discord's IDs are snowflakes: a key that does not parse is a payload we do not understand.
  if (team.key === null) throw new Error(`discord: no team key for interaction ${interaction.id}`);
  if (change && !(await mayChange(interaction, team, library.role))) {
    deps.logger.info({ library: team.key, user: interaction.user.id, refused: 'not_allowed' }, 'library: a change was refused');
    await deps.responder.note(interaction, t.whoMay.discord(library.role));
    return null;
  }
  return { team: team.key };
}

/** `/library add|list|remove|check`, the message command "Add to library", and remove's autocomplete of file names. */
export function register(router: InteractionRouter, deps: DiscordDeps): void {
  const library = deps.library;
  if (!library) return;
  const { desk } = library;

  router.on(
    (i: Interaction): i is ChatInputCommandInteraction => i.isChatInputCommand() && i.commandName === LIBRARY_COMMAND,
    async (interaction) => {
      const sub = interaction.options.getSubcommand(true);
      const locale = localeOf(interaction);
      const allowed = await gate(interaction, deps, library, sub === 'add' || sub === 'remove');
      if (!allowed) return 1;
      const { team } = allowed;
      const by = changer(interaction);
      return deps.responder.later(interaction, async () => {
        switch (sub) {
          case 'add': {
            // The attachment's URL is Discord's own, from the interaction's resolved attachments.
            const file = interaction.options.getAttachment(LIBRARY_FILE_OPTION, true);
            return desk.add(team, { url: file.url, name: file.name }, by, locale);
          }
          case 'remove':
            return desk.remove(team, interaction.options.getString(LIBRARY_FILE_OPTION, true), by, locale);
          case 'check':
            return desk.check(team, locale);
          default:
            return desk.list(team, locale);
        }
      });
    },
  );

  router.on(
    (i: Interaction): i is MessageContextMenuCommandInteraction => i.isMessageContextMenuCommand() && i.commandName === ADD_TO_LIBRARY,
    async (interaction) => {
      const locale = localeOf(interaction);
      const allowed = await gate(interaction, deps, library, true);
      if (!allowed) return 1;
      const file = interaction.targetMessage.attachments.find((a) => ADDABLE.test(a.name));
      if (!file) return deps.responder.note(interaction, wordsFor(locale).library.chat.noAttachment);
      const by = changer(interaction);
      return deps.responder.later(interaction, () => desk.add(allowed.team, { url: file.url, name: file.name }, by, locale));
    },
  );

  router.on(
    (i: Interaction): i is AutocompleteInteraction => i.isAutocomplete() && i.commandName === LIBRARY_COMMAND,
    async (interaction) => {
      const team = teamOf(interaction).key;
      const names = team ? await desk.files(team, String(interaction.options.getFocused())) : [];
      await interaction.respond(
        names
          .filter((n) => n.length <= CHOICE_TEXT_MAX)
          .slice(0, AUTOCOMPLETE_MAX)
          .map((n) => ({ name: n, value: n })),
      );
      return 1;
    },
  );
}
