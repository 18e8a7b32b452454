import type { ButtonInteraction, Interaction } from 'discord.js';
import { wordsFor } from '../../core/words/index.js';
import { localeOf } from '../respond.js';
import type { DiscordDeps, InteractionRouter } from './deps.js';

/** The buttons under an answer: More, Context, Sources and Share, their state looked up by custom ID. */
export function register(router: InteractionRouter, deps: DiscordDeps): void {
  router.on(
    (i: Interaction): i is ButtonInteraction => i.isButton(),
    async (interaction) => {
      const { answer, note } = deps.responder;
      const notes = wordsFor(localeOf(interaction)).discord;
      const resolved = await deps.buttons.resolve(interaction.customId);
      if ('unreachable' in resolved) {
        deps.logger.warn({ interaction: interaction.id }, 'discord: a button state cannot be read; the database is unreachable');
        return note(interaction, notes.unreachable);
      }
      if (!('state' in resolved)) return note(interaction, notes.expired);
      const { state } = resolved;
      const isOwner = interaction.user.id === state.owner;
      if (state.kind === 'share') {
        if (!isOwner) return note(interaction, notes.notYours(state.command));
        return answer(interaction, state.command, state.input, {
          owner: state.owner,
          ephemeral: false,
          sharedBy: interaction.user.globalName ?? interaction.user.username,
        });
      }
      if (state.kind === 'more' && !isOwner) return note(interaction, notes.notYours(state.command));
      // More pages in place (UPDATE_MESSAGE), for the one who asked, whether the answer was public or private.
      if (state.kind === 'more') {
        return answer(interaction, state.command, state.input, {
          owner: interaction.user.id,
          ephemeral: state.ephemeral,
          update: true,
          share: { command: state.command, input: state.input },
        });
      }
      // Context and Sources are open to anyone who sees the message, and answered to them alone:
      // a channel where each click posts a paragraph would soon be unreadable.
      return answer(interaction, state.command, state.input, {
        owner: interaction.user.id,
        ephemeral: true,
        share: { command: state.command, input: state.input },
      });
    },
  );
}
