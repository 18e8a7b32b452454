import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  type Logger as BoltLogger,
  ErrorCode,
  FileInstallationStore,
  HTTPReceiver,
  LogLevel,
  type RespondArguments,
  type RespondFn,
  SocketModeReceiver,
  type webApi,
} from '@slack/bolt';
import type { SlackConfig } from '../config.js';
import type { Bot, Logger, Requester } from '../core/dispatch/bot.js';
import { errorReply } from '../core/dispatch/bot.js';
import { UserError } from '../core/dispatch/errors.js';
import { localeFromTag } from '../core/reply/layout.js';
import type { Locale, Reply } from '../core/reply/model.js';
import { label, zh } from '../core/reply/traditional.js';
import type { Reader } from '../web/reader.js';
import { createLocaleCache } from './locales.js';
import { FIND_SOURCE_CALLBACK_ID, FIND_SOURCE_COMMAND, SLACK_BOT_SCOPES, SLACK_EVENTS_PATH, SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH } from './manifest.js';
import {
  ACTION_ID_PREFIX,
  type ButtonState,
  contextBlock,
  parseButtonValue,
  plainFromSlack,
  type RenderOptions,
  replyToBlockKit,
  type SlackBlock,
} from './render.js';
import { registerUninstall } from './uninstall.js';

export { SLACK_EVENTS_PATH, SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH };

/**
 * "You can use a response_url up to five times within thirty minutes" (docs.slack.dev,
 * Handling user interaction → Message responses).
 */
const RESPONSE_URL_MAX_POSTS = 5;
const RESPONSE_URL_WINDOW_MS = 30 * 60_000;
/** response_urls whose posts are counted; older ones are long expired. */
const RESPONSE_URLS_TRACKED = 10_000;

/** Posts one message of an answer: through the response_url while it lasts, else in its place another way. */
type Replier = (args: RespondArguments) => Promise<void>;

/** Where an interaction happened, for answering without its response_url. */
interface Place {
  channel: string | undefined;
  user: string;
  thread?: string;
}

const GENERIC_FAILURE = 'Something went wrong while answering. It has been logged; please try again.';
const STALE_BUTTON = 'This button no longer works. Run the command again.';
const NO_TEXT = 'This message has no text to look up.';

export interface SlackAdapter {
  app: App;
  /** The port the HTTP receiver listens on; undefined in Socket Mode. */
  port: number | undefined;
  /** Stops taking requests, lets the ones in flight finish, then closes the connection or server. */
  stop(): Promise<void>;
}

/**
 * Socket Mode's waits, which only tests change. The client waits `clientPingTimeoutMs` times
 * the number of failures in a row before reconnecting (5 s by default), and retries a failed
 * `apps.connections.open` with backoff from one second.
 */
export interface SocketTuning {
  clientPingTimeoutMs?: number;
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
  /** Where the OAuth install sends the browser (Slack's authorize page; a loopback fake's in tests). */
  authorizationUrl?: string;
  /** The passage reader, served on the HTTP receiver's port beside Slack's endpoints. */
  reader?: Reader;
  /** The clock response_url windows are measured on (ms); tests move it instead of waiting thirty minutes. */
  now?: () => number;
}

/** Bolt's logger interface over ours, so Bolt's own messages land in the same JSON log. */
function boltLogger(logger: Logger): BoltLogger {
  const line = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => logger.debug({ component: 'slack' }, line(msg)),
    info: (...msg) => logger.info({ component: 'slack' }, line(msg)),
    warn: (...msg) => logger.warn({ component: 'slack' }, line(msg)),
    error: (...msg) => logger.error({ component: 'slack' }, line(msg)),
    // Levels are the pino logger's business; Bolt only asks.
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

type WebClient = webApi.WebClient;

/** Slack's locale (`zh-CN`, `zh-TW`, `en-US`, …) as the bot's, as every platform's is read. */
export const localeFromSlack = localeFromTag;

/** The subcommand and the rest of a typed line: `quote 智能鸿沟 author:…` → [`quote`, `智能鸿沟 author:…`]. */
export function splitSubcommand(text: string): [string, string] {
  const m = /^\s*(\S*)\s*([\s\S]*)$/u.exec(text);
  return [(m?.[1] ?? '').replace(/^[/／]/u, '').toLowerCase(), (m?.[2] ?? '').trim()];
}

/**
 * Starts the Slack adapter: Socket Mode when `config.appToken` is set (no public URL needed),
 * else HTTP on `config.port` at /slack/events, verified with the signing secret. Resolves once
 * Slack has accepted the bot token and the connection or server is up; rejects with a
 * UserError naming the variable to fix otherwise.
 */
/** The reader's pages as Bolt custom routes (Bolt matches the path; the reader does the rest). */
function readerRoutes(reader: Reader) {
  return reader.paths.map((path) => ({
    path,
    method: ['GET', 'HEAD'],
    handler: (req: IncomingMessage, res: ServerResponse) => {
      if (!reader.handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    },
  }));
}

export async function startSlack(bot: Bot, config: SlackConfig, logger: Logger, tuning: SocketTuning = {}): Promise<SlackAdapter> {
  const log = boltLogger(logger);
  // Both the bot's Web API client and Socket Mode's apps.connections.open call must go to
  // SLACK_API_URL when it is set; SocketModeClient only takes it through installerOptions.
  const clientOptions = () => (config.apiUrl ? { slackApiUrl: config.apiUrl } : {});

  let socket: SocketModeReceiver | undefined;
  let http: HTTPReceiver | undefined;
  // Several workspaces' installations (their bot tokens), on disk; an uninstall deletes one.
  const installations = config.oauth ? new FileInstallationStore({ baseDir: config.oauth.installationsDir, clientId: config.oauth.clientId }) : undefined;
  if (config.appToken) {
    socket = new SocketModeReceiver({
      appToken: config.appToken,
      logger: log,
      ...(tuning.clientPingTimeoutMs !== undefined ? { clientPingTimeout: tuning.clientPingTimeoutMs } : {}),
      installerOptions: { clientOptions: { ...clientOptions(), ...(tuning.retryConfig ? { retryConfig: tuning.retryConfig } : {}) } },
    });
  } else if (config.signingSecret) {
    const oauth = config.oauth;
    http = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      port: config.port,
      logger: log,
      // Several workspaces: /slack/install starts Slack's OAuth, /slack/oauth_redirect ends it,
      // and each workspace's bot token is read from its installation on disk.
      ...(oauth
        ? {
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            stateSecret: oauth.stateSecret,
            scopes: SLACK_BOT_SCOPES,
            installationStore: installations,
            installerOptions: {
              directInstall: true,
              installPath: SLACK_INSTALL_PATH,
              redirectUriPath: SLACK_REDIRECT_PATH,
              clientOptions: clientOptions(),
              ...(tuning.authorizationUrl ? { authorizationUrl: tuning.authorizationUrl } : {}),
            },
          }
        : {}),
      // For a load balancer or supervisor: up, and which corpus version it serves.
      customRoutes: [
        {
          path: '/healthz',
          method: ['GET'],
          handler: (_req, res) => {
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, corpusVersion: bot.library().corpus.version }));
          },
        },
        ...(tuning.reader ? readerRoutes(tuning.reader) : []),
      ],
    });
  } else {
    throw new UserError('config', 'config: Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP). Set one in .env (see .env.example).');
  }

  const app = new App({
    ...(config.botToken && !config.oauth ? { token: config.botToken } : {}),
    receiver: socket ?? http,
    logger: log,
    clientOptions: clientOptions(),
    // init() is awaited below, so a refused token is a startup error rather than an unhandled rejection.
    deferInitialization: true,
  });

  const locales = createLocaleCache(logger);
  const invocation = `${config.command} `;
  /** The person asking, in their language; `client` carries the token of their workspace. */
  const requester = async (teamId: string | undefined, userId: string, client: WebClient): Promise<Requester> => ({
    platform: 'slack',
    userId,
    locale: await locales.of(teamId, userId, client),
    invocation,
  });

  /** A typed line (`quote 智能鸿沟`) answered: a subcommand, or the list of them for help, nothing or an unknown word. */
  const answerLine = (text: string, who: Requester): { reply: Reply; share?: ButtonState } => {
    const [sub, rest] = splitSubcommand(text);
    const command = bot.commands.get(sub);
    if (!command || command.hidden || sub === 'help') {
      const help = bot.runLine(`help ${sub === 'help' ? rest : ''}`, who);
      if (sub === '' || sub === 'help') return { reply: help, share: { c: 'help', l: sub === 'help' ? rest : '' } };
      // The word typed is not repeated: it could be anything.
      const unknown = label(who.locale, `That is not a subcommand. ${config.command} takes these:`, zh`没有这个子命令。${config.command} 的子命令：`);
      return { reply: { ...help, message: unknown } };
    }
    return { reply: bot.runLine(`${sub} ${rest}`, who), share: { c: sub, l: rest } };
  };

  /*
   * A response_url takes five posts in thirty minutes, whatever path posts them (answers,
   * share, the failure notice). Past that, or with no response_url at all, the answer goes
   * by chat.postEphemeral to the same person in the same place; a deletion has no such
   * substitute and is dropped.
   */
  const uses = new Map<string, { count: number; since: number }>();
  const clock = tuning.now ?? Date.now;
  const replierFor = (respond: RespondFn | undefined, url: string | undefined, place: Place, client: WebClient): Replier => {
    // The thirty minutes run from the interaction, which is now: the first time this URL is seen.
    if (url && !uses.has(url)) {
      if (uses.size >= RESPONSE_URLS_TRACKED) uses.delete(uses.keys().next().value as string);
      uses.set(url, { count: 0, since: clock() });
    }
    return async (args) => {
      const use = url ? uses.get(url) : undefined;
      // Past five posts or thirty minutes the URL is spent for good (Slack refuses it), never renewed.
      if (respond && use && use.count < RESPONSE_URL_MAX_POSTS && clock() - use.since <= RESPONSE_URL_WINDOW_MS) {
        use.count++;
        await respond(args);
        return;
      }
      if ('delete_original' in args || !place.channel) {
        if (!('delete_original' in args)) logger.warn({ user: place.user }, 'slack: response_url used up and no channel to answer in');
        return;
      }
      const { text, blocks } = args as { text?: string; blocks?: SlackBlock[] };
      await client.chat.postEphemeral({
        channel: place.channel,
        user: place.user,
        text: text ?? '',
        ...(blocks ? { blocks } : {}),
        ...(place.thread ? { thread_ts: place.thread } : {}),
      });
    };
  };

  /** A fresh suffix for an answer's block_ids: Slack wants new ones for each iteration of a message. */
  const revision = () => randomUUID().slice(0, 8);

  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  /** Runs a handler's work, tracked for a graceful stop; a throw is logged and answered briefly. */
  const guard = async (what: string, respond: Replier | undefined, work: () => Promise<void>): Promise<void> => {
    const task = (async () => {
      try {
        await work();
      } catch (error) {
        logger.error({ err: error, handler: what }, 'slack handler failed');
        if (respond) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: GENERIC_FAILURE }).catch((err: unknown) =>
            logger.error({ err, handler: what }, 'slack: could not answer after a failure'),
          );
        }
      }
    })();
    inFlight.add(task);
    try {
      await task;
    } finally {
      inFlight.delete(task);
    }
  };

  /**
   * Posts a reply through a response_url, as as many messages as its length needs. `replace`
   * puts the first message in place of the one whose button was clicked (More pages in place).
   */
  const send = async (respond: Replier, reply: Reply, opts: Pick<RenderOptions, 'visibility' | 'share'> & { locale: Locale; replace?: boolean }) => {
    const messages = replyToBlockKit(reply, { ...opts, maxMessages: RESPONSE_URL_MAX_POSTS, revision: revision() });
    for (const [i, message] of messages.entries()) {
      const args: RespondArguments = {
        response_type: reply.error ? 'ephemeral' : opts.visibility,
        replace_original: opts.replace === true && i === 0 && !reply.error,
        text: message.text,
        blocks: message.blocks,
      };
      await respond(args);
    }
  };

  // One command with subcommands (`/yinzheng quote …`); see manifest.ts for why.
  app.command(config.command, async ({ command, ack, respond: viaUrl, client, context }) => {
    // Slack gives three seconds; the answer goes through the response_url afterwards.
    await ack();
    const respond = replierFor(viaUrl, command.response_url, { channel: command.channel_id, user: command.user_id }, client);
    await guard('command', respond, async () => {
      const who = await requester(context.teamId, command.user_id, client);
      // Slack sends the typed text with `&`, `<` and `>` as entities, whatever should_escape says.
      const { reply, share } = answerLine(plainFromSlack(command.text), who);
      await send(respond, reply, { visibility: 'ephemeral', locale: who.locale, ...(share ? { share } : {}) });
    });
  });

  // `@yinzheng quote …` in a channel or a thread: answered in that thread, for everyone there.
  app.event('app_mention', async ({ event, client, context }) => {
    await guard('mention', undefined, async () => {
      if (!event.user) return;
      const who = await requester(context.teamId, event.user, client);
      const text = plainFromSlack(event.text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/gu, ' '));
      const { reply } = answerLine(text, who);
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

  app.action(new RegExp(`^${ACTION_ID_PREFIX}`, 'u'), async ({ action, ack, body, respond: viaUrl, client, context }) => {
    await ack();
    const url = 'response_url' in body && typeof body.response_url === 'string' ? body.response_url : undefined;
    const channel = 'channel' in body && body.channel ? body.channel.id : undefined;
    const respond = replierFor(viaUrl, url, { channel, user: body.user.id }, client);
    await guard('button', respond, async () => {
      const who = await requester(context.teamId, body.user.id, client);
      const state = action.type === 'button' ? parseButtonValue(action.value ?? '') : null;
      const kind = ('action_id' in action ? action.action_id : '').slice(ACTION_ID_PREFIX.length).split(':')[0];
      if (!state || !kind) {
        await send(respond, errorReply('button', 'stale_button', STALE_BUTTON, bot.library().corpus.version), { visibility: 'ephemeral', locale: who.locale });
        return;
      }
      const reply = run(bot, state, who);
      if (kind === 'share' && !reply.error) {
        // Posted anew for the channel (the private answer could be stale), saying who shared it; then the private copy goes.
        // The "Shared by" line is rendered with the answer, inside its 50 blocks and budget: prepended afterwards it
        // could make a full message 51 blocks, which Slack refuses whole (invalid_blocks).
        const sharedBy = contextBlock([`${label(who.locale, 'Shared by', '分享者')} <@${body.user.id}>`]);
        const messages = replyToBlockKit(reply, {
          locale: who.locale,
          visibility: 'in_channel',
          maxMessages: RESPONSE_URL_MAX_POSTS - 1,
          preface: [sharedBy],
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

  app.shortcut(FIND_SOURCE_CALLBACK_ID, async ({ shortcut, ack, respond: viaUrl, client, context }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    // Slack always sends a message shortcut a response_url, but not by contract: without one, the answer is posted privately in place.
    const respond = replierFor(viaUrl, shortcut.response_url, { channel: shortcut.channel.id, user: shortcut.user.id }, client);
    await guard('shortcut', respond, async () => {
      const who = await requester(context.teamId, shortcut.user.id, client);
      const text = plainFromSlack(shortcut.message.text ?? '').trim();
      const verify = bot.commands.get(FIND_SOURCE_COMMAND);
      const reply =
        text === ''
          ? errorReply(FIND_SOURCE_COMMAND, 'no_text', NO_TEXT, bot.library().corpus.version)
          : verify?.positional
            ? bot.run(FIND_SOURCE_COMMAND, { [verify.positional]: text }, who)
            : bot.runLine(`${FIND_SOURCE_COMMAND} ${text}`, who);
      const share: ButtonState | undefined = verify?.positional ? { c: FIND_SOURCE_COMMAND, i: { [verify.positional]: text } } : undefined;
      await send(respond, reply, { visibility: 'ephemeral', locale: who.locale, ...(share ? { share } : {}) });
    });
  });

  registerUninstall(app, installations, locales, logger);

  app.error(async (error) => {
    if (error.code === ErrorCode.AuthorizationError) {
      // No installation for the workspace (never installed, or removed since): refused, which
      // over HTTP is a 401 to Slack, not a bug of ours.
      logger.warn({ err: error }, 'slack: an event from a workspace with no installation was refused');
      throw error;
    }
    logger.error({ err: error }, 'slack: unhandled error');
  });

  try {
    await app.init();
  } catch (error) {
    throw new UserError('config', `slack: Slack refused SLACK_BOT_TOKEN (${describe(error)}). Check the bot token in .env (see .env.example).`);
  }

  let port: number | undefined;
  if (socket) {
    try {
      await app.start();
    } catch (error) {
      await socket.client.disconnect().catch(() => undefined);
      throw new UserError(
        'config',
        `slack: could not open a Socket Mode connection (${describe(error)}). Check SLACK_APP_TOKEN in .env: an app-level token (xapp-) with the connections:write scope.`,
      );
    }
  } else {
    try {
      const server = await app.start(config.port);
      port = (server.address() as AddressInfo).port;
    } catch (error) {
      throw new UserError('config', `slack: could not listen for HTTP on PORT ${config.port} (${describe(error)}). Set another PORT in .env.`);
    }
  }
  logger.debug({ mode: socket ? 'socket' : 'http', port }, 'slack: started');

  return {
    app,
    port,
    async stop() {
      if (stopping) return;
      stopping = true;
      await Promise.allSettled([...inFlight]);
      // SocketModeReceiver.stop() resolves before the socket is closed; the client's own
      // disconnect() waits for it.
      if (socket) await socket.client.disconnect();
      else await app.stop();
      logger.info({}, 'slack: stopped');
    },
  };
}

function run(bot: Bot, state: ButtonState, who: Requester): Reply {
  return 'i' in state ? bot.run(state.c, state.i, who) : bot.runLine(`${state.c} ${state.l}`, who);
}

/** An error's short reason for a startup message: Slack's error code when there is one. Never a token. */
function describe(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (data && typeof data.error === 'string') return data.error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
