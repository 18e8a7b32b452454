import type { Interaction, MessageContextMenuCommandInteraction } from 'discord.js';
import { wordsFor } from '../../core/words/index.js';
import { FIND_SOURCE, FIND_SOURCE_COMMAND } from '../commands.js';
import { localeOf } from '../respond.js';
import type { DiscordDeps, InteractionRouter } from './deps.js';

/** The message command "Find source": looks the message's text up, privately. */
export function register(router: InteractionRouter, deps: DiscordDeps): void {
  router.on(
    (i: Interaction): i is MessageContextMenuCommandInteraction => i.isMessageContextMenuCommand() && i.commandName === FIND_SOURCE,
    async (interaction) => {
      const text = interaction.targetMessage.content;
      const positional = deps.bot.commands.get(FIND_SOURCE_COMMAND)?.positional;
      if (!positional || text.trim() === '') return deps.responder.note(interaction, wordsFor(localeOf(interaction)).discord.noText);
      const input = { [positional]: text };
      // Looking a message up is a private question; the asker may then post the answer.
      return deps.responder.answer(interaction, FIND_SOURCE_COMMAND, input, {
        owner: interaction.user.id,
        ephemeral: true,
        share: { command: FIND_SOURCE_COMMAND, input },
      });
    },
  );
}
