import type { App } from '@slack/bolt';
import { LIBRARY_SUBCOMMAND } from '../manifest.js';
import { plainFromSlack } from '../render.js';
import { answerLine, send, splitSubcommand } from '../respond.js';
import type { SlackDeps } from './deps.js';
import { libraryLine, sendPrivately } from './library.js';

/** The slash command: one command with subcommands (`/yinzheng quote …`); see manifest.ts for why. */
export function register(app: App, deps: SlackDeps): void {
  app.command(deps.command, async ({ command, ack, respond: viaUrl, client, context }) => {
    // Slack gives three seconds; the answer goes through the response_url afterwards.
    await ack();
    const respond = deps.replierFor(viaUrl, command.response_url, { channel: command.channel_id, user: command.user_id }, client);
    await deps.guard('command', respond, async (asker) => {
      // command.team_id: with Enterprise Grid, the workspace the command was typed in.
      const who = await deps.requester(command.team_id || context.teamId, command.user_id, client);
      asker.locale = who.locale;
      // Slack sends the typed text with `&`, `<` and `>` as entities, whatever should_escape says.
      const text = plainFromSlack(command.text);
      const [sub, rest] = splitSubcommand(text);
      if (sub === LIBRARY_SUBCOMMAND && deps.library) {
        const reply = await libraryLine(deps, deps.library, rest, { who, userId: command.user_id, channel: command.channel_id, client });
        await sendPrivately(respond, reply, who);
        return;
      }
      const { reply, share } = answerLine(deps.bot, deps.command, text, who);
      await send(respond, reply, { visibility: 'ephemeral', locale: who.locale, ...(share ? { share } : {}) });
    });
  });
}
