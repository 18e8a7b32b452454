import type { App } from '@slack/bolt';
import { plainFromSlack } from '../render.js';
import { answerLine, send } from '../respond.js';
import type { SlackDeps } from './deps.js';

/** The slash command: one command with subcommands (`/yinzheng quote …`); see manifest.ts for why. */
export function register(app: App, deps: SlackDeps): void {
  app.command(deps.command, async ({ command, ack, respond: viaUrl, client, context }) => {
    // Slack gives three seconds; the answer goes through the response_url afterwards.
    await ack();
    const respond = deps.replierFor(viaUrl, command.response_url, { channel: command.channel_id, user: command.user_id }, client);
    await deps.guard('command', respond, async (asker) => {
      const who = await deps.requester(context.teamId, command.user_id, client);
      asker.locale = who.locale;
      // Slack sends the typed text with `&`, `<` and `>` as entities, whatever should_escape says.
      const { reply, share } = answerLine(deps.bot, deps.command, plainFromSlack(command.text), who);
      await send(respond, reply, { visibility: 'ephemeral', locale: who.locale, ...(share ? { share } : {}) });
    });
  });
}
