import type { ChatInputCommandInteraction, Interaction } from 'discord.js';
import { PRIVATE_OPTION } from '../commands.js';
import type { DiscordDeps, InteractionRouter } from './deps.js';

/** Slash commands: their options become the command's input; `private` only chooses who sees the answer. */
export function register(router: InteractionRouter, deps: DiscordDeps): void {
  router.on(
    (i: Interaction): i is ChatInputCommandInteraction => i.isChatInputCommand(),
    async (interaction) => {
      const input: Record<string, string | number | boolean> = {};
      for (const option of interaction.options.data) {
        if (option.name !== PRIVATE_OPTION && option.value !== undefined) input[option.name] = option.value;
      }
      const ephemeral = interaction.options.getBoolean(PRIVATE_OPTION) ?? false;
      const command = interaction.commandName;
      return deps.responder.answer(interaction, command, input, { owner: interaction.user.id, ephemeral, share: { command, input } });
    },
  );
}
