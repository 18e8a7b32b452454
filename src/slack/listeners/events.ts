import type { App } from '@slack/bolt';
import type { SlackFile } from '../library.js';
import { plainFromSlack, replyToBlockKit } from '../render.js';
import { answerLine, revision, splitSubcommand } from '../respond.js';
import type { SlackDeps } from './deps.js';
import { addFromMessage, sendPrivately } from './library.js';

/** `@yinzheng add` in a message with a file attached adds the file to the workspace's library. */
const ADD_SUBCOMMAND = 'add';

/** `@yinzheng quote …` in a channel or a thread: answered in that thread, for everyone there. */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', async ({ event, client, context }) => {
    // A failure is said to the one who mentioned the bot, where they will see it: ephemeral in
    // the channel, in the thread only when the mention was in one (see below).
    const failure = event.user
      ? deps.replierFor(undefined, undefined, { channel: event.channel, user: event.user, ...(event.thread_ts ? { thread: event.thread_ts } : {}) }, client)
      : undefined;
    await deps.guard('mention', failure, async (asker) => {
      if (!event.user) return;
      // event.team: with Enterprise Grid, the workspace the message was posted in.
      const who = await deps.requester((event as { team?: string }).team ?? context.teamId, event.user, client);
      asker.locale = who.locale;
      const text = plainFromSlack(event.text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/gu, ' '));
      if (deps.library && splitSubcommand(text)[0] === ADD_SUBCOMMAND) {
        // The file's report is the adder's business: said to them alone, where they mentioned the bot.
        const asking = { who, userId: event.user, channel: event.channel, client };
        const reply = await addFromMessage(deps, deps.library, (event as { files?: SlackFile[] }).files, context.botToken, asking);
        if (failure) await sendPrivately(failure, reply, who);
        return;
      }
      const { reply } = answerLine(deps.bot, deps.command, text, who);
      const messages = replyToBlockKit(reply, { locale: who.locale, visibility: 'in_channel', revision: revision() });
      if (reply.error) {
        /*
         * Bad input is the asker's business: said to them alone. chat.postEphemeral, thread_ts:
         * "Ephemeral messages in threads are only shown if there is already an active thread"
         * (docs.slack.dev/reference/methods/chat.postEphemeral). A mention inside a thread has
         * one; a mention at the top level of a channel has none yet, and an ephemeral note
         * into it would be taken (ok: true) and shown to no one. So at the top level the note
         * goes ephemeral into the channel itself, right under the mention where the user is
         * looking, rather than as a public reply (which would start a thread for everyone
         * about one person's typo) or a DM (which needs another scope and a place the user is
         * not looking).
         */
        for (const m of messages) {
          await client.chat.postEphemeral({
            channel: event.channel,
            user: event.user,
            text: m.text,
            blocks: m.blocks,
            ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}),
          });
        }
        return;
      }
      const thread = event.thread_ts ?? event.ts;
      for (const m of messages) await client.chat.postMessage({ channel: event.channel, thread_ts: thread, text: m.text, blocks: m.blocks });
    });
  });
}
