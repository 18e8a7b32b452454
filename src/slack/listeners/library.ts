import type { App, webApi } from '@slack/bolt';
import type { Requester } from '../../core/dispatch/bot.js';
import type { Changer } from '../../core/library/desk.js';
import type { Reply } from '../../core/reply/model.js';
import { wordsFor } from '../../core/words/index.js';
import { changerOf, fileToAdd, type SlackFile } from '../library.js';
import { ADD_TO_LIBRARY_CALLBACK_ID } from '../manifest.js';
import { type Replier, send, splitSubcommand } from '../respond.js';
import type { SlackDeps, SlackLibrary } from './deps.js';

/*
 * A workspace's library from Slack: `/yinzheng library list|remove <file>|check`, the message
 * shortcut "Add to library", and `@yinzheng add` in a message with a file attached. Every answer
 * is private to the one who asked.
 */

/** Who is asking to change a library, and from where. */
interface Asking {
  who: Requester;
  userId: string;
  /** The channel the request came from (for the change log). */
  channel: string;
  client: webApi.WebClient;
}

/** The reply to a change, or the refusal that says who may change the library. */
async function change(deps: SlackDeps, library: SlackLibrary, asking: Asking, work: (team: string, by: Changer) => Promise<Reply>): Promise<Reply> {
  const { who } = asking;
  const team = who.team ?? null;
  const t = wordsFor(who.locale).library.chat;
  const changer = await changerOf(asking.client, asking.userId, library.admins, deps.logger);
  if (!team || !changer.allowed) {
    deps.logger.info({ library: team, user: asking.userId, refused: 'not_allowed' }, 'library: a change was refused');
    return library.desk.refusal(team, 'not_allowed', t.whoMay.slack(library.admins.length > 0), who.locale);
  }
  return work(team, { platform: 'slack', userId: asking.userId, name: changer.name, where: asking.channel });
}

/** `library list|remove <file>|check` typed after the slash command: the reply to send privately. */
export async function libraryLine(deps: SlackDeps, library: SlackLibrary, rest: string, asking: Asking): Promise<Reply> {
  const { who } = asking;
  const { desk } = library;
  const [sub, file] = splitSubcommand(rest);
  const team = who.team ?? null;
  const t = wordsFor(who.locale).library.chat;
  const usage = () => desk.refusal(team, 'usage', t.slackUsage(deps.command), who.locale);
  if (!team) return usage();
  switch (sub) {
    case 'list':
      return desk.list(team, who.locale);
    case 'check':
      return desk.check(team, who.locale);
    case 'remove':
      if (file === '') return usage();
      return change(deps, library, asking, (key, by) => desk.remove(key, file, by, who.locale));
    default:
      // `add` too: a slash command carries no file; the usage says how to add one.
      return usage();
  }
}

/** Adds the first .pdf or .txt of a message's files, or says that it has none. */
export function addFromMessage(
  deps: SlackDeps,
  library: SlackLibrary,
  files: readonly SlackFile[] | undefined,
  botToken: string | undefined,
  asking: Asking,
): Promise<Reply> {
  const { who } = asking;
  return change(deps, library, asking, async (team, by) => {
    const request = fileToAdd(files, botToken);
    if (!request) return library.desk.refusal(team, 'no_file', wordsFor(who.locale).library.chat.noAttachment, who.locale);
    return library.desk.add(team, request, by, who.locale);
  });
}

/** Sends a library reply privately. */
export function sendPrivately(respond: Replier, reply: Reply, who: Requester): Promise<void> {
  return send(respond, reply, { visibility: 'ephemeral', locale: who.locale });
}

/** The message shortcut "Add to library". */
export function register(app: App, deps: SlackDeps): void {
  const library = deps.library;
  if (!library) return;
  app.shortcut(ADD_TO_LIBRARY_CALLBACK_ID, async ({ shortcut, ack, respond: viaUrl, client, context }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const respond = deps.replierFor(viaUrl, shortcut.response_url, { channel: shortcut.channel.id, user: shortcut.user.id }, client);
    await deps.guard('library shortcut', respond, async (asker) => {
      // With Enterprise Grid the workspace the shortcut was used in, not the organization.
      const who = await deps.requester(shortcut.team?.id ?? context.teamId, shortcut.user.id, client);
      asker.locale = who.locale;
      const files = (shortcut.message as { files?: SlackFile[] }).files;
      const reply = await addFromMessage(deps, library, files, context.botToken, { who, userId: shortcut.user.id, channel: shortcut.channel.id, client });
      await sendPrivately(respond, reply, who);
    });
  });
}
