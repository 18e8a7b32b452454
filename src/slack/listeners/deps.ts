import type { InstallationStore, webApi } from '@slack/bolt';
import type { Bot, Logger, Requester } from '../../core/dispatch/bot.js';
import type { LibraryDesk } from '../../core/library/desk.js';
import type { Guard, ReplierFor } from '../respond.js';
import type { TeamState } from './uninstall.js';

/**
 * What every Slack listener needs, made once by `startSlack` and handed to each `register`:
 * the listeners keep no state of their own.
 */
export interface SlackDeps {
  bot: Bot;
  logger: Logger;
  /** The app's one slash command (`/yinzheng`), from the configuration. */
  command: string;
  /**
   * The person asking, in their language, and their team's library (`teamId`: the team the
   * request came from, which with Enterprise Grid is the workspace, not the organization);
   * `client` carries the token of their workspace.
   */
  requester(teamId: string | undefined, userId: string, client: webApi.WebClient): Promise<Requester>;
  /** Answers through an interaction's response_url while it lasts, then by chat.postEphemeral. */
  replierFor: ReplierFor;
  /** Runs a listener's work, tracked for a graceful stop; a throw is logged and answered briefly. */
  guard: Guard;
  /** Several workspaces' installations (OAuth), on disk or in the database; undefined with one workspace's bot token. */
  installations: InstallationStore | undefined;
  /** What the bot remembers per workspace (its users' languages), forgotten on uninstall. */
  teams: TeamState;
  /** The workspaces' libraries, when the bot keeps them; `library`, the shortcut and `@yinzheng add` answer only then. */
  library?: SlackLibrary;
}

/** What the library commands need: the desk, and the users (LIBRARY_ADMINS) who may change a library besides admins and owners. */
export interface SlackLibrary {
  desk: LibraryDesk;
  admins: readonly string[];
}
