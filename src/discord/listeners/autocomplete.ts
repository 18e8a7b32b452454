import type { AutocompleteInteraction, Interaction } from 'discord.js';
import { truncate } from '../../core/reply/split.js';
import { teamOf } from '../library.js';
import type { DiscordDeps, InteractionRouter } from './deps.js';

const AUTOCOMPLETE_MAX = 25;
const CHOICE_TEXT_MAX = 100;

/** Autocomplete of an option the command marks (an essay, an author): choices from the index. */
export function register(router: InteractionRouter, deps: DiscordDeps): void {
  router.on(
    (i: Interaction): i is AutocompleteInteraction => i.isAutocomplete(),
    async (interaction) => {
      const focused = interaction.options.getFocused(true);
      const kind = deps.specs.get(interaction.commandName)?.find((s) => s.name === focused.name)?.autocomplete;
      // From the library the asker's team sees, as their command will be answered from.
      const choices = kind ? deps.bot.libraryFor(teamOf(interaction).key).index.complete(kind, String(focused.value), AUTOCOMPLETE_MAX) : [];
      await interaction.respond(
        choices
          // A value Discord would refuse cannot be shortened without changing what it selects.
          .filter((c) => c.value.length <= CHOICE_TEXT_MAX)
          .slice(0, AUTOCOMPLETE_MAX)
          .map((c) => ({ name: truncate(c.name, CHOICE_TEXT_MAX), value: c.value })),
      );
      return 1;
    },
  );
}
