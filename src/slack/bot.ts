import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  type Logger as BoltLogger,
  ErrorCode,
  FileInstallationStore,
  HTTPReceiver,
  type InstallationStore,
  LogLevel,
  SocketModeReceiver,
} from '@slack/bolt';
import type { SlackConfig } from '../config.js';
import type { Bot, Logger } from '../core/dispatch/bot.js';
import { UserError } from '../core/dispatch/errors.js';
import { teamKey } from '../core/library/team.js';
import { localeFromTag } from '../core/reply/layout.js';
import { en } from '../core/words/en.js';
import { createOperatorHandler, OPERATOR_PATHS } from '../health.js';
import { BUILD, VERSION } from '../version.js';
import type { Reader } from '../web/reader.js';
import * as actions from './listeners/actions.js';
import * as commands from './listeners/commands.js';
import type { SlackDeps, SlackLibrary } from './listeners/deps.js';
import * as events from './listeners/events.js';
import * as libraryListeners from './listeners/library.js';
import * as shortcuts from './listeners/shortcuts.js';
import * as uninstall from './listeners/uninstall.js';
import { createLocaleCache } from './locales.js';
import { SLACK_BOT_SCOPES, SLACK_EVENTS_PATH, SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH } from './manifest.js';
import { createGuard, createReplierFor } from './respond.js';

export type { SlackLibrary } from './listeners/deps.js';
export { splitSubcommand } from './respond.js';
export { SLACK_EVENTS_PATH, SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH };

export interface SlackAdapter {
  app: App;
  /** The port the HTTP receiver listens on; undefined in Socket Mode. */
  port: number | undefined;
  /** Whether Slack can reach the bot now: the socket is connected (Socket Mode), or the server listens (HTTP). */
  up(): boolean;
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
  /** /healthz, /readyz and /metrics on the HTTP receiver's port (src/health.ts); by default, liveness and the corpus alone. */
  operator?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The clock response_url windows are measured on (ms); tests move it instead of waiting thirty minutes. */
  now?: () => number;
  /**
   * Where OAuth installations are kept when not in DATA_DIR: the database's store when replicas
   * share DATABASE_URL. Without it, FileInstallationStore keeps them on this machine's disk.
   */
  installationStore?: InstallationStore;
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

/** Slack's locale (`zh-CN`, `zh-TW`, `en-US`, …) as the bot's, as every platform's is read. */
export const localeFromSlack = localeFromTag;

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

/** The operator's endpoints as Bolt custom routes, one handler for all three. */
function operatorRoutes(bot: Bot, handle: SocketTuning['operator']) {
  const answer =
    handle ?? createOperatorHandler({ version: VERSION, build: BUILD, corpusVersion: () => bot.library().corpus.version, connections: () => ({}) });
  return OPERATOR_PATHS.map((path) => ({
    path,
    method: ['GET', 'HEAD'],
    handler: (req: IncomingMessage, res: ServerResponse) => {
      if (!answer(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    },
  }));
}

// Long on purpose: the start in order (receiver, app, listeners, error handler, init, listen)
// and the adapter it returns, whose stop and readiness share the app and the guard.
/**
 * Starts the Slack adapter: Socket Mode when `config.appToken` is set (no public URL needed),
 * else HTTP on `config.port` at /slack/events, verified with the signing secret. Resolves once
 * Slack has accepted the bot token and the connection or server is up; rejects with a
 * UserError naming the variable to fix otherwise.
 */
export async function startSlack(bot: Bot, config: SlackConfig, logger: Logger, tuning: SocketTuning = {}, library?: SlackLibrary): Promise<SlackAdapter> {
  const log = boltLogger(logger);
  // Several workspaces' installations (their bot tokens), in the database or on disk; an uninstall deletes one.
  const installations = config.oauth
    ? (tuning.installationStore ?? new FileInstallationStore({ baseDir: config.oauth.installationsDir, clientId: config.oauth.clientId }))
    : undefined;
  const { socket, http } = createReceiver(bot, config, log, installations, tuning);

  const app = new App({
    ...(config.botToken && !config.oauth ? { token: config.botToken } : {}),
    receiver: socket ?? http,
    logger: log,
    clientOptions: slackClientOptions(config),
    // init() is awaited below, so a refused token is a startup error rather than an unhandled rejection.
    deferInitialization: true,
  });

  const locales = createLocaleCache(logger);
  const invocation = `${config.command} `;
  const { guard, inFlight } = createGuard(logger);
  let stopping = false;
  const deps: SlackDeps = {
    bot,
    logger,
    command: config.command,
    requester: async (teamId, userId, client) => {
      const team = teamId ? teamKey({ kind: 'slack-team', id: teamId }) : null;
      // Every answer is sent after the ack, through the response_url: it may wait for the
      // team's library to be put together (its first request since a start, or after it was
      // let go), so that it never comes from the corpus folder alone.
      if (team !== null && bot.libraryPending(team)) await bot.libraryReady(team);
      return bot.admit({ platform: 'slack', userId, locale: await locales.of(teamId, userId, client), invocation, team });
    },
    replierFor: createReplierFor(logger, tuning.now ?? Date.now),
    guard,
    installations,
    teams: locales,
    ...(library ? { library } : {}),
  };
  commands.register(app, deps);
  events.register(app, deps);
  actions.register(app, deps);
  shortcuts.register(app, deps);
  libraryListeners.register(app, deps);
  uninstall.register(app, deps);

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
    throw new UserError('config', en.operator.slack.tokenRefused(describe(error)));
  }

  // Socket Mode's connection comes and goes (Slack recycles it); readiness follows it.
  let connected = false;
  socket?.client.on('connected', () => {
    connected = true;
  });
  socket?.client.on('close', () => {
    connected = false;
  });
  const port = await listen(app, socket, config);
  logger.debug({ mode: socket ? 'socket' : 'http', port }, 'slack: started');

  return {
    app,
    port,
    up: () => (socket ? connected : !stopping),
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

/**
 * Both the bot's Web API client and Socket Mode's apps.connections.open call must go to
 * SLACK_API_URL when it is set; SocketModeClient only takes it through installerOptions.
 */
function slackClientOptions(config: SlackConfig): { slackApiUrl?: string } {
  return config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
}

/** Socket Mode's receiver when there is an app token, else HTTP's (with OAuth when configured, the health check and the reader). */
function createReceiver(
  bot: Bot,
  config: SlackConfig,
  log: BoltLogger,
  installations: InstallationStore | undefined,
  tuning: SocketTuning,
): { socket: SocketModeReceiver; http?: undefined } | { socket?: undefined; http: HTTPReceiver } {
  const clientOptions = () => slackClientOptions(config);
  if (config.appToken) {
    const socket = new SocketModeReceiver({
      appToken: config.appToken,
      logger: log,
      ...(tuning.clientPingTimeoutMs !== undefined ? { clientPingTimeout: tuning.clientPingTimeoutMs } : {}),
      installerOptions: { clientOptions: { ...clientOptions(), ...(tuning.retryConfig ? { retryConfig: tuning.retryConfig } : {}) } },
    });
    return { socket };
  }
  if (config.signingSecret) {
    const oauth = config.oauth;
    const http = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      port: config.port,
      logger: log,
      // Several workspaces: /slack/install starts Slack's OAuth, /slack/oauth_redirect ends it,
      // and each workspace's bot token is read from its installation (on disk, or in the database).
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
      // For a load balancer, a supervisor and Prometheus: /healthz, /readyz and /metrics.
      customRoutes: [...operatorRoutes(bot, tuning.operator), ...(tuning.reader ? readerRoutes(tuning.reader) : [])],
    });
    return { http };
  }
  throw new UserError('config', en.operator.config.slackMode('.env'));
}

/** Opens the Socket Mode connection, or listens for HTTP; resolves with the HTTP port. */
async function listen(app: App, socket: SocketModeReceiver | undefined, config: SlackConfig): Promise<number | undefined> {
  if (socket) {
    try {
      await app.start();
    } catch (error) {
      await socket.client.disconnect().catch(() => undefined);
      throw new UserError('config', en.operator.slack.socketFailed(describe(error)));
    }
    return undefined;
  }
  try {
    const server = await app.start(config.port);
    return (server.address() as AddressInfo).port;
  } catch (error) {
    throw new UserError('config', en.operator.slack.portBusy(config.port, describe(error)));
  }
}

/** An error's short reason for a startup message: Slack's error code when there is one. Never a token. */
function describe(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (data && typeof data.error === 'string') return data.error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
