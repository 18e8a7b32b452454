import { type Client, Events, type Interaction } from 'discord.js';
import type { Logger } from '../../core/dispatch/bot.js';
import { wordsFor } from '../../core/words/index.js';
import { noteToDiscord } from '../render.js';
import { localeOf, type Responder } from '../respond.js';
import type { InteractionHandler, InteractionRouter } from './deps.js';

interface Route {
  accepts: (interaction: Interaction) => boolean;
  handle: InteractionHandler<Interaction>;
}

/**
 * One INTERACTION_CREATE listener on `client` that hands each interaction to the first route
 * accepting it. A failure is logged and told to the user privately (an autocomplete gets an
 * empty list); every interaction, routed or not, is logged as answered. `inFlight` holds the
 * ones being answered, so that a shutdown can let them finish.
 */
export function createInteractionRouter(client: Client, logger: Logger, responder: Responder): InteractionRouter & { inFlight: ReadonlySet<Promise<void>> } {
  const routes: Route[] = [];
  const inFlight = new Set<Promise<void>>();

  async function handle(interaction: Interaction): Promise<void> {
    let messages = 0;
    try {
      const route = routes.find((r) => r.accepts(interaction));
      if (route) messages = await route.handle(interaction);
    } catch (error) {
      logger.error({ err: error, interaction: interaction.id, type: interaction.type }, 'discord: interaction failed');
      try {
        if (interaction.isAutocomplete()) {
          if (!interaction.responded) await interaction.respond([]);
        } else if (interaction.isRepliable()) {
          await responder.tellPrivately(interaction, noteToDiscord(wordsFor(localeOf(interaction)).errors.genericFailure));
        }
      } catch (second) {
        logger.error({ err: second, interaction: interaction.id }, 'discord: could not report the failure');
      }
    }
    logger.debug({ interaction: interaction.id, type: interaction.type, messages }, 'discord: answered');
  }

  client.on(Events.InteractionCreate, (interaction) => {
    const task = handle(interaction);
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });

  return {
    inFlight,
    on(accepts, handler) {
      routes.push({ accepts, handle: handler as InteractionHandler<Interaction> });
    },
  };
}
