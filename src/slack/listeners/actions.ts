import type { App } from '@slack/bolt';
import { errorReply } from '../../core/dispatch/bot.js';
import { wordsFor } from '../../core/words/index.js';
import { ACTION_ID_PREFIX, parseButtonValue, replyToBlockKit } from '../render.js';
import { RESPONSE_URL_MAX_POSTS, revision, runState, send } from '../respond.js';
import type { SlackDeps } from './deps.js';

/** The buttons under an answer: More, Context, Sources and Share. */
export function register(app: App, deps: SlackDeps): void {
  app.action(new RegExp(`^${ACTION_ID_PREFIX}`, 'u'), async ({ action, ack, body, respond: viaUrl, client, context }) => {
    await ack();
    const url = 'response_url' in body && typeof body.response_url === 'string' ? body.response_url : undefined;
    const channel = 'channel' in body && body.channel ? body.channel.id : undefined;
    const respond = deps.replierFor(viaUrl, url, { channel, user: body.user.id }, client);
    await deps.guard('button', respond, async (asker) => {
      const who = await deps.requester(context.teamId, body.user.id, client);
      asker.locale = who.locale;
      const state = action.type === 'button' ? parseButtonValue(action.value ?? '') : null;
      const kind = ('action_id' in action ? action.action_id : '').slice(ACTION_ID_PREFIX.length).split(':')[0];
      if (!state || !kind) {
        const stale = errorReply('button', 'stale_button', wordsFor(who.locale).errors.staleButton, deps.bot.libraryFor(who.team).corpus.version, who.locale);
        await send(respond, stale, { visibility: 'ephemeral', locale: who.locale });
        return;
      }
      const reply = runState(deps.bot, state, who);
      if (kind === 'share' && !reply.error) {
        // Posted anew for the channel (the private answer could be stale), saying who shared it; then the private copy goes.
        // The "Shared by" line is rendered with the answer, inside its 50 blocks and budget: prepended afterwards it
        // could make a full message 51 blocks, which Slack refuses whole (invalid_blocks).
        const messages = replyToBlockKit(reply, {
          locale: who.locale,
          visibility: 'in_channel',
          maxMessages: RESPONSE_URL_MAX_POSTS - 1,
          sharedBy: { id: body.user.id, name: body.user.name ?? body.user.id },
          revision: revision(),
        });
        for (const m of messages) await respond({ response_type: 'in_channel', replace_original: false, text: m.text, blocks: m.blocks });
        await respond({ delete_original: true });
        return;
      }
      // More pages in place; Context and Sources answer privately, beside the message.
      await send(respond, reply, { visibility: 'ephemeral', share: state, locale: who.locale, replace: kind === 'more' });
    });
  });
}
