import type { Interaction } from 'discord.js';
import type { Bot, Logger } from '../../core/dispatch/bot.js';
import type { OptionSpec } from '../../core/dispatch/command.js';
import type { LibraryDesk } from '../../core/library/desk.js';
import type { ButtonStore } from '../custom-id.js';
import type { Responder } from '../respond.js';

/**
 * What every Discord listener needs, made once by `startDiscord` and handed to each
 * `register`: the listeners keep no state of their own.
 */
export interface DiscordDeps {
  bot: Bot;
  logger: Logger;
  /** Button states behind custom IDs, on disk when a state folder is configured. */
  buttons: ButtonStore;
  /** Each command's options, by command name, for autocomplete. */
  specs: ReadonlyMap<string, OptionSpec[]>;
  responder: Responder;
  /** The teams' libraries, when the bot keeps them; /library and "Add to library" answer only then. */
  library?: DiscordLibrary;
}

/** What /library needs: the desk, and the role (LIBRARY_ROLE) whose members may change a server's library. */
export interface DiscordLibrary {
  desk: LibraryDesk;
  role: string | undefined;
}

/** Handles one kind of interaction; resolves with how many messages it sent. */
export type InteractionHandler<T extends Interaction> = (interaction: T) => Promise<number>;

/**
 * Discord sends every kind of interaction as one gateway event (INTERACTION_CREATE); the
 * router hands each to the listener that registered for its kind.
 */
export interface InteractionRouter {
  on<T extends Interaction>(accepts: (interaction: Interaction) => interaction is T, handle: InteractionHandler<T>): void;
}
