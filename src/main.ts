/**
 * `npm start`: loads the corpus, then serves it on Discord and/or Slack when their tokens are
 * configured, or in a local console when none are.
 */
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { registry } from '../commands/index.js';
import { type Config, loadEnvFile, parseConfig } from './config.js';
import { runConsole } from './console/console.js';
import { loadCorpus, whyUnservable } from './core/corpus/load.js';
import { type Corpus, formatWarning } from './core/corpus/model.js';
import { type ParseCache, parseCacheIn } from './core/corpus/parse-cache.js';
import { loadInWorker } from './core/corpus/reload.js';
import { type CorpusWatcher, watchCorpus } from './core/corpus/watch.js';
import { type Bot, createBot, type Logger } from './core/dispatch/bot.js';
import { isUserError } from './core/dispatch/errors.js';
import { createLibraryDesk } from './core/library/desk.js';
import { createTeamLibraries } from './core/library/serve.js';
import { createLibraryStore, type LibraryStore } from './core/library/store.js';
import { wordsFor } from './core/words/index.js';
import type { Database } from './db/database.js';
import type { DatabaseLibraryStore } from './db/libraries.js';
import { createOperatorHandler, createStatusBoard, type StatusBoard, startHealthServer, startReaderServer } from './health.js';
import { lazyLogger } from './lazy-logger.js';
import { openLibrary } from './library.js';
import type { Metrics } from './metrics.js';
import { BUILD, VERSION } from './version.js';
import { createReader, type Reader } from './web/reader.js';

interface Running {
  name: string;
  stop(): Promise<void>;
  /** Whether the connection is up now, for /healthz; a server-only platform is always up. */
  up?: () => boolean;
  /** Settles with what to tell the operator when the platform ends the connection for good. */
  fatal?: Promise<string>;
}

/** However a shutdown goes (a gateway already gone, a handler stuck), the process is gone by then. */
const SHUTDOWN_DEADLINE_MS = 9_000;

/** What the operator sees of a live bot: /healthz, /readyz and /metrics, on HEALTH_PORT when set. */
interface Ops {
  status: StatusBoard;
  metrics: Metrics;
  health: { close(): Promise<void> } | undefined;
}

/** Where state is kept: the teams' files and manifests, the parses of them, and what replicas share. */
interface Kept {
  store: LibraryStore;
  parseCache: ParseCache | undefined;
  /** PostgreSQL (DATABASE_URL), when replicas share their state there. */
  database: Database | undefined;
}

/** Starts each configured platform into `running`; `signal` gives up a connection still being tried. */
async function startPlatforms(
  config: Config,
  bot: ReturnType<typeof createBot>,
  logger: Logger,
  running: Running[],
  signal: AbortSignal,
  reader: Reader | undefined,
  { store, parseCache, database }: Kept,
  ops: Ops,
): Promise<void> {
  const desk = createLibraryDesk({ store, maxBytes: config.library.maxBytes, logger, bot, ...(parseCache ? { parseCache } : {}) });
  // The platform clients are imported only when configured: the console starts faster without them.
  if (config.discord) {
    const { startDiscord } = await import('./discord/bot.js');
    // With a database, button states are kept there for every replica (and every shard).
    const keeper = database ? (await import('./db/buttons.js')).databaseButtons(database) : undefined;
    const discord = await startDiscord(bot, config.discord, logger, { signal }, { desk, role: config.library.role }, keeper);
    running.push({ name: 'discord', stop: () => discord.stop(), fatal: discord.fatal, up: () => discord.gateway() === 'up' });
    logger.info({ platform: 'discord' }, 'connected to Discord');
  }
  if (config.slack) {
    const { startSlack } = await import('./slack/bot.js');
    // With DATABASE_URL, every replica reads the installations from it (config.ts has made sure of STATE_KEY).
    const stateKey = config.database?.stateKey;
    const installationStore =
      database && stateKey && config.slack.oauth
        ? (await import('./db/slack-installations.js')).createSlackInstallations({ database, stateKey, logger })
        : undefined;
    const slack = await startSlack(
      bot,
      config.slack,
      logger,
      { reader, operator: createOperatorHandler(ops.status), ...(installationStore ? { installationStore } : {}) },
      { desk, admins: config.library.admins },
    );
    running.push({ name: 'slack', stop: () => slack.stop(), up: () => slack.up() });
    logger.info({ platform: 'slack', mode: config.slack.appToken ? 'socket' : 'http' }, 'connected to Slack');
  }
}

// Long on purpose: the start in order (config, logger, corpus, library, reader, bot, watcher, then
// the console or the platforms), each step a named helper; what stays here is the order.
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false });
  if (values.help) {
    console.log(wordsFor('en').operator.start.usage);
    return 0;
  }
  loadEnvFile();
  const parsed = parseConfig(process.env, { corpusDir: values.corpus });
  const live = parsed.discord !== undefined || parsed.slack !== undefined;
  // In the console, request logs would interleave with the answers: only warnings show there
  // unless LOG_LEVEL asks for more.
  if (live) {
    // A log pipe whose reader has gone (EPIPE) must not take the bot down with it, nor keep it from stopping.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  }
  const logger = live
    ? (await import('./logger.js')).createLogger(parsed.logLevel)
    : lazyLogger(parsed.logLevelExplicit ? parsed.logLevel : 'warn', process.stderr);
  const ops = live ? await startOperator(parsed, logger) : undefined;

  // The state replicas share, when DATABASE_URL names a PostgreSQL: reached (and its schema
  // brought up to date) before anything else, so that a wrong URL is said at once. With a
  // database the corpus is the shared one, served from this replica's mirror of it.
  let database: Database | undefined;
  let config = parsed;
  try {
    database = parsed.database ? await connectDatabase(parsed.database.url, logger, ops) : undefined;
    if (database) config = { ...parsed, corpusDir: await sharedCorpus(database, parsed, logger) };
  } catch (error) {
    await database?.close();
    await ops?.health?.close();
    throw error;
  }

  // One parse cache for the corpus folder and the teams' files (checked when added, then served).
  const parseCache = parseCacheIn(config.cacheDir, config.cacheMaxBytes);
  const corpus = await loadServable(config, live, logger, parseCache);
  if (!corpus) {
    await ops?.health?.close();
    await database?.close();
    return 1;
  }
  // The passage reader: replies link to it when PUBLIC_URL says where readers reach it.
  const reader = config.reader.enabled
    ? createReader({
        bot: () => bot,
        publicUrl: config.publicUrl ?? `http://localhost:${config.reader.port ?? 3000}`,
        access: config.reader.access,
        secret: config.reader.secret,
        linkDays: config.reader.linkDays,
      })
    : undefined;
  const links = config.publicUrl ? reader : undefined;
  // Each team's library, added from chat: the same folder for both platforms (the team keys
  // differ); served over the operator's corpus, which `bot.library()` is after every reload.
  const sharedStore = database
    ? (await import('./db/libraries.js')).createDatabaseLibraryStore(database, { maxBytes: config.library.maxBytes, logger })
    : undefined;
  const store: LibraryStore = sharedStore ?? createLibraryStore({ dir: config.library.dir, maxBytes: config.library.maxBytes });
  const operator = await openLibrary(corpus, config.cacheDir, config.cacheMaxBytes);
  // The per-user limit, counted across replicas when they share a database.
  const sharedRateLimit = database ? (await import('./db/rate-limit.js')).createSharedRateLimiter(database, config.rateLimit, logger) : undefined;
  let served: Bot | undefined;
  const libraries = createTeamLibraries({ operator: () => served?.library() ?? operator, store, logger, ...(parseCache ? { parseCache } : {}) });
  const bot = createBot({
    commands: registry,
    library: operator,
    logger,
    rateLimit: config.rateLimit,
    ...(sharedRateLimit ? { sharedRateLimit } : {}),
    links,
    warmEssays: live || process.stdin.isTTY === true,
    libraries,
    ...(ops ? { observe: ops.metrics.request } : {}),
  });
  served = bot;
  ops?.status.serving(() => bot.library().corpus.version);
  if (live) void libraries.preload();
  if (!reader && (config.publicUrl || config.reader.port)) {
    logger.warn(
      {},
      'reader: off, since READER_SECRET is not set; set it (any random string of 16 or more characters) to link quotes to the reader, or READER_ACCESS=public',
    );
  }
  // Slack's HTTP mode serves the reader beside its endpoints; anything else on a port of its own when PORT is set.
  const slackServesReader = config.slack !== undefined && config.slack.appToken === undefined;
  const readerServer = reader && !slackServesReader && config.reader.port ? await startReaderServer(config.reader.port, reader.handle) : undefined;
  if (readerServer) logger.info({ port: readerServer.port }, 'reader: serving');

  const interactive = process.stdin.isTTY === true;
  const load = loadInWorker({ cacheDir: config.cacheDir, cacheMaxBytes: config.cacheMaxBytes });
  // A pipe is answered and closed before any edit could matter; a person or a live bot stays.
  // A reload parses and indexes in a worker thread: the bot answers from the old version meanwhile.
  const watcher = live || interactive ? watchCorpus(config.corpusDir, { bot, logger, load: ops ? ops.metrics.timeReloads(load) : load }) : null;
  // Replicas hear of each other's changes from the database: the shared corpus, and the teams' files.
  if (database && sharedStore && watcher) await followShared(database, config.corpusDir, watcher, sharedStore, bot, logger);

  if (!ops) {
    await runConsole(bot, {
      input: process.stdin,
      output: process.stdout,
      interactive,
      color: process.stdout.isTTY === true && !config.noColor,
      width: process.stdout.columns ?? 80,
    });
    watcher?.close();
    await readerServer?.close();
    await database?.close();
    return 0;
  }

  return serveLive(config, bot, logger, reader, { watcher, readerServer, kept: { store, parseCache, database }, ops });
}

/**
 * A live bot's start line, status board and metrics, and /healthz, /readyz and /metrics on
 * HEALTH_PORT: up before the database and the corpus, so that /readyz says 503 until the corpus
 * is loaded and every connection is up. prom-client is loaded here, never for the console.
 */
async function startOperator(config: Config, logger: Logger): Promise<Ops> {
  const platforms = [...(config.discord ? ['discord'] : []), ...(config.slack ? ['slack'] : [])];
  logger.info({ version: VERSION, build: BUILD, platforms }, 'yinzheng: starting');
  const { createMetrics } = await import('./metrics.js');
  const status = createStatusBoard({ version: VERSION, build: BUILD, metrics: () => metrics.text() });
  const metrics = createMetrics({
    version: VERSION,
    build: BUILD,
    corpusVersion: () => status.corpusVersion(),
    ...(config.database ? { databaseUp: () => status.connections().database === 'up' } : {}),
  });
  // Down until connected: each is tracked again once it is.
  for (const name of [...platforms, ...(config.database ? ['database'] : [])]) status.track(name, () => false);
  const health = config.healthPort ? await startHealthServer(config.healthPort, status) : undefined;
  if (health) logger.info({ port: health.port }, 'health: serving /healthz, /readyz and /metrics');
  return { status, metrics, health };
}

/** PostgreSQL reached and its schema up to date; its client is imported only when configured. */
async function connectDatabase(url: string, logger: Logger, ops: Ops | undefined): Promise<Database> {
  const { describeUrl, openDatabase } = await import('./db/database.js');
  const database = await openDatabase(url, logger, ops ? { onError: (_error, kind) => ops.metrics.databaseError(kind) } : {});
  ops?.status.track('database', () => database.up());
  logger.info({ database: describeUrl(url) }, 'database: connected');
  return database;
}

/**
 * The shared corpus's local mirror (DATA_DIR/corpus), up to date: the first replica to start
 * seeds an empty database with its corpus folder; after that the database is the corpus,
 * changed with `npm run corpus:publish`.
 */
async function sharedCorpus(database: Database, config: Config, logger: Logger): Promise<string> {
  const { mirrorCorpus, publishCorpus } = await import('./db/corpus.js');
  const seeded = await publishCorpus(database, config.corpusDir, { seedOnly: true });
  if (seeded) logger.info({ corpus: config.corpusDir, files: seeded.added.length }, 'corpus: the database had none; seeded it from the corpus folder');
  const mirror = join(config.dataDir, 'corpus');
  await mirrorCorpus(database, mirror);
  return mirror;
}

/** Follows what other replicas and the operator's indexer announce: the shared corpus, and the teams' libraries. */
async function followShared(database: Database, mirror: string, watcher: CorpusWatcher, store: DatabaseLibraryStore, bot: Bot, logger: Logger): Promise<void> {
  const { followCorpus } = await import('./db/corpus.js');
  await followCorpus(database, mirror, () => watcher.reload(), logger);
  await store.follow((team) => bot.libraryChanged(team));
}

/** The corpus, its warnings said where the user is looking; null (said why) when nothing in it can be served. */
async function loadServable(config: Config, live: boolean, logger: Logger, parseCache: ParseCache | undefined): Promise<Corpus | null> {
  const corpus = await loadCorpus(config.corpusDir, { parseCache });
  const shownDir = relative(process.cwd(), corpus.dir) || '.';
  for (const warning of corpus.files.flatMap((f) => f.warnings)) {
    // A person at the console reads a plain line; a live bot's log wants a structured one.
    if (live) logger.warn({ corpus: formatWarning(warning, shownDir) }, 'corpus warning');
    else console.error(formatWarning(warning, shownDir));
  }
  const why = whyUnservable(corpus);
  if (why) {
    console.error(why);
    return null;
  }
  return corpus;
}

/**
 * Serves Discord and Slack until a signal or a fatal close, then stops everything within the
 * deadline and ends the process.
 */
async function serveLive(
  config: Config,
  bot: Bot,
  logger: Logger,
  reader: Reader | undefined,
  { watcher, readerServer, kept, ops }: { watcher: CorpusWatcher | null; readerServer: { close(): Promise<void> } | undefined; kept: Kept; ops: Ops },
): Promise<number> {
  // Signals count from here: a SIGTERM while Discord is still being reached (no network) stops cleanly too.
  const connecting = new AbortController();
  const signalled = new Promise<{ signal: string }>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        connecting.abort();
        resolve({ signal });
      });
    }
  });
  const running: Running[] = [];
  try {
    await startPlatforms(config, bot, logger, running, connecting.signal, reader, kept, ops);
  } catch (error) {
    if (!connecting.signal.aborted) throw error;
    watcher?.close();
    await Promise.allSettled([...running.map((r) => r.stop()), ops.health?.close()]);
    return 0;
  }
  for (const r of running) ops.status.track(r.name, r.up ?? (() => true));
  const outcome = await new Promise<{ signal: string } | { fatal: string }>((resolve) => {
    void signalled.then(resolve);
    for (const r of running) void r.fatal?.then((why) => resolve({ fatal: why }));
  });
  const code = 'fatal' in outcome ? 1 : 0;
  // Stopping waits for answers in flight, but never past the deadline; a stop that needs the
  // deadline did not go cleanly, and says so.
  setTimeout(() => {
    console.error(wordsFor('en').operator.start.slowStop(SHUTDOWN_DEADLINE_MS / 1000));
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  try {
    logger.info('signal' in outcome ? { signal: outcome.signal } : { reason: 'fatal' }, 'shutting down');
  } catch {
    // A log whose pipe is gone must not keep the process from stopping.
  }
  watcher?.close();
  await Promise.allSettled([...running.map((r) => r.stop()), ops.health?.close(), readerServer?.close()]);
  await kept.database?.close();
  if ('fatal' in outcome) console.error(outcome.fatal);
  // Everything is stopped, but not everything lets go: discord.js's gateway client, destroyed
  // while it waits between two attempts to reconnect, reconnects after the wait all the same
  // (@discordjs/ws 1.2: destroying a shard that is idle returns at once). That is why a bot whose
  // gateway had gone away once lived on after SIGTERM. So the process ends here.
  process.exit(code);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(isUserError(error) ? error.message : error);
    process.exitCode = 1;
  },
);
