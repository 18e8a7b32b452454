import type { App } from '@slack/bolt';
import { errorReply } from '../../core/dispatch/bot.js';
import { wordsFor } from '../../core/words/index.js';
import { FIND_SOURCE_CALLBACK_ID, FIND_SOURCE_COMMAND } from '../manifest.js';
import { type ButtonState, plainFromSlack } from '../render.js';
import { send } from '../respond.js';
import type { SlackDeps } from './deps.js';

/** The message shortcut "Find source": runs FIND_SOURCE_COMMAND on the message's text, answered privately. */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut(FIND_SOURCE_CALLBACK_ID, async ({ shortcut, ack, respond: viaUrl, client, context }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    // Slack always sends a message shortcut a response_url, but not by contract: without one, the answer is posted privately in place.
    const respond = deps.replierFor(viaUrl, shortcut.response_url, { channel: shortcut.channel.id, user: shortcut.user.id }, client);
    await deps.guard('shortcut', respond, async (asker) => {
      const who = await deps.requester(context.teamId, shortcut.user.id, client);
      asker.locale = who.locale;
      const text = plainFromSlack(shortcut.message.text ?? '').trim();
      const { bot } = deps;
      const verify = bot.commands.get(FIND_SOURCE_COMMAND);
      const reply =
        text === ''
          ? errorReply(FIND_SOURCE_COMMAND, 'no_text', wordsFor(who.locale).errors.noText, bot.libraryFor(who.team).corpus.version, who.locale)
          : verify?.positional
            ? bot.run(FIND_SOURCE_COMMAND, { [verify.positional]: text }, who)
            : bot.runLine(`${FIND_SOURCE_COMMAND} ${text}`, who);
      const share: ButtonState | undefined = verify?.positional ? { c: FIND_SOURCE_COMMAND, i: { [verify.positional]: text } } : undefined;
      await send(respond, reply, { visibility: 'ephemeral', locale: who.locale, ...(share ? { share } : {}) });
    });
  });
}
