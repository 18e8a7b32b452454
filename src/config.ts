import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_CACHE_MAX_MB } from './core/cache/store.js';
import { UserError } from './core/dispatch/errors.js';
import { DEFAULT_LIBRARY_MAX_MB } from './core/library/quota.js';
import type { Locale } from './core/reply/model.js';
import { en } from './core/words/en.js';
import { type Words, wordsFor } from './core/words/index.js';
import { GENERIC_COMMAND_WORDS, SLACK_BUILT_IN_COMMANDS } from './slack/built-in.js';

/** The project's root folder, whether this runs from `src/` (tsx, vitest) or from `dist/src/`. */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'yinzheng') return dir;
  }
  return process.cwd();
}

/** The bundled essays, used when neither CORPUS_DIR nor --corpus names another folder. */
export const BUNDLED_CORPUS_DIR = join(PROJECT_ROOT, 'data', 'essays');

/** The schema's own messages are the English catalogue's, so that parseConfig can say them in another language. */
const D = en.operator.config.details;

const optionalText = z
  .string()
  .transform((v) => v.trim())
  .pipe(z.string())
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const EnvSchema = z.object({
  CORPUS_DIR: optionalText,
  CACHE_DIR: optionalText,
  CACHE_MAX_MB: optionalText.pipe(
    z.string().regex(/^\d+$/u, D.megabytes).transform(Number).pipe(z.number().int().min(16, D.cacheMin).max(1_000_000)).optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d{17,20}$/u, D.applicationId)
      .optional(),
  ),
  DISCORD_GUILD_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d{17,20}$/u, D.guildId)
      .optional(),
  ),
  DISCORD_API_BASE: optionalText.pipe(z.url({ protocol: /^https?$/u }).optional()),
  // This host's shards (0,1) of DISCORD_SHARD_COUNT: each host of a bot split across several runs some.
  DISCORD_SHARDS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,5}(\s*,\s*\d{1,5})*$/u, D.shards)
      .transform((v) => [...new Set(v.split(',').map((n) => Number(n.trim())))].sort((a, b) => a - b))
      .optional(),
  ),
  DISCORD_SHARD_COUNT: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/u, D.shardCount)
      .transform(Number)
      .pipe(z.number().int().min(1, D.shardCount))
      .optional(),
  ),

  SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', D.botToken).optional()),
  SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', D.appToken).optional()),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/u }).optional()),
  // Slack: a slash, then up to 31 lowercase letters, digits, - or _.
  SLACK_COMMAND: optionalText.pipe(
    z
      .string()
      .regex(/^\/[a-z0-9_-]{1,31}$/u, D.slashCommand)
      .refine((c) => !SLACK_BUILT_IN_COMMANDS.has(c), D.builtIn)
      .refine((c) => !GENERIC_COMMAND_WORDS.has(c), D.generic)
      .optional(),
  ),
  PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https$/u, error: D.publicUrl }).optional()),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HEALTH_PORT: optionalText.pipe(z.string().regex(/^\d+$/u, D.port).transform(Number).pipe(z.number().int().min(1).max(65535)).optional()),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText.pipe(z.string().min(16, D.secret).optional()),
  DATA_DIR: optionalText,
  LIBRARY_MAX_MB: optionalText.pipe(
    z.string().regex(/^\d+$/u, D.megabytes).transform(Number).pipe(z.number().int().min(1, D.libraryMin).max(1_000_000)).optional(),
  ),
  // A Discord role's name (Discord allows up to 100 characters); its members may change the library.
  LIBRARY_ROLE: optionalText.pipe(z.string().max(100).optional()),
  // Slack user IDs: U… for a workspace's users, W… for an Enterprise Grid org's.
  LIBRARY_ADMINS: optionalText.pipe(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      )
      .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/u, D.libraryAdmins)))
      .optional(),
  ),
  READER_ACCESS: optionalText.pipe(z.enum(['signed', 'public'], { error: D.readerAccess }).default('signed')),
  READER_SECRET: optionalText.pipe(z.string().min(16, D.secret).optional()),
  READER_LINK_DAYS: z.coerce.number().min(0.001).max(3650).default(30),

  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/u, D.databaseUrl)
      .optional(),
  ),
  // 32 random bytes in base64: seals the Slack installations kept in the database (AES-256-GCM).
  STATE_KEY: optionalText.pipe(
    z
      .string()
      .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/u.test(v) && Buffer.from(v, 'base64').length === 32, D.stateKey)
      .transform((v) => Buffer.from(v, 'base64'))
      .optional(),
  ),

  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1000).default(10),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().min(1).max(10000).default(20),
});

/** The variables that must agree with each other: a host's shards and how many there are in all. */
const Env = EnvSchema.superRefine((e, ctx) => {
  // discord.js would count the shards given as all there are (DISCORD_SHARDS=1 as shard 1 of 1, which Discord refuses).
  if (e.DISCORD_SHARDS && e.DISCORD_SHARD_COUNT === undefined) ctx.addIssue({ code: 'custom', path: ['DISCORD_SHARD_COUNT'], message: D.shardCountNeeded });
  // zod runs this even when a field failed its own check (then still the raw text): compared only once both parsed.
  const count = e.DISCORD_SHARD_COUNT;
  if (Array.isArray(e.DISCORD_SHARDS) && typeof count === 'number' && e.DISCORD_SHARDS.some((s) => s >= count)) {
    ctx.addIssue({ code: 'custom', path: ['DISCORD_SHARDS'], message: D.shardOutOfRange });
  }
});

export interface DiscordConfig {
  token: string;
  /** Where button states too long for a custom_id are kept, shared by restarts and replicas (DATA_DIR/discord-buttons). */
  stateDir?: string;
  applicationId: string;
  guildId: string | undefined;
  /** REST base with version, e.g. `https://discord.com/api/v10`; undefined for discord.js's default. */
  apiBase: string | undefined;
  /** DISCORD_SHARDS: the shards this process runs; all of `shardCount` when absent. */
  shards?: number[];
  /** DISCORD_SHARD_COUNT: the shards across all hosts (Discord routes a server's events by it). */
  shardCount?: number;
}

/** Installing to several workspaces through OAuth (HTTP mode): tokens come from the installations. */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state`, which ties the redirect back to the install that started it. */
  stateSecret: string;
  /** Where installations are kept (DATA_DIR/slack-installations). */
  installationsDir: string;
}

export interface SlackConfig {
  /** The one workspace's bot token; undefined when installations come through OAuth. */
  botToken: string | undefined;
  oauth?: SlackOAuthConfig;
  /** Socket Mode when set; HTTP on `port` with the signing secret otherwise. */
  appToken: string | undefined;
  signingSecret: string | undefined;
  apiUrl: string | undefined;
  port: number;
  /** The one slash command the app declares (SLACK_COMMAND, default `/yinzheng`). */
  command: string;
}

/** The whole configuration, parsed once from the environment and passed down. */
export interface Config {
  corpusDir: string;
  /** Where parsed files and built indexes are kept (keyed by content; shared by corpora and processes). */
  cacheDir: string;
  /** The cache folder's bound: past it, the least recently used entries go. */
  cacheMaxBytes: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** LOG_LEVEL was set: the console then shows request logs too, not only warnings. */
  logLevelExplicit: boolean;
  /** NO_COLOR is set (no-color.org): the console prints no ANSI colour. */
  noColor: boolean;
  discord: DiscordConfig | undefined;
  slack: SlackConfig | undefined;
  rateLimit: { burst: number; perMinute: number };
  /** Slack's slash command (SLACK_COMMAND): also read without tokens, by the manifest generator. */
  slackCommand: string;
  /** Where the public reaches the bot (PUBLIC_URL), e.g. for Slack's HTTP request URLs. */
  publicUrl: string | undefined;
  /** HEALTH_PORT: serve GET /healthz, /readyz and /metrics there (src/health.ts). */
  healthPort: number | undefined;
  reader: ReaderConfig;
  /** Where the bot keeps what it must remember (DATA_DIR, default `.data` in the project). */
  dataDir: string;
  library: LibraryConfig;
  /** DATABASE_URL: the state replicas share, in PostgreSQL; undefined keeps it in this process and DATA_DIR. */
  database: DatabaseConfig | undefined;
}

/** PostgreSQL for the state replicas share (issue 26). */
export interface DatabaseConfig {
  url: string;
  /** STATE_KEY: seals Slack installations at rest; required with Slack OAuth. */
  stateKey: Buffer | undefined;
}

/** Each team's own library (issue 25): where it is kept, how large it may grow and who may change it. */
export interface LibraryConfig {
  /** DATA_DIR/libraries: one folder per team. */
  dir: string;
  /** LIBRARY_MAX_MB in bytes: the quota of each team's library. */
  maxBytes: number;
  /** LIBRARY_ROLE: a Discord role whose members may change their server's library, besides those with Manage Server. */
  role: string | undefined;
  /** LIBRARY_ADMINS: Slack user IDs who may change their workspace's library, besides its admins and owners. */
  admins: string[];
}

/** The passage reader (src/web/reader.ts). */
export interface ReaderConfig {
  /** Signed links (READER_SECRET) or open to anyone (READER_ACCESS=public); off when signed without a secret. */
  enabled: boolean;
  access: 'signed' | 'public';
  secret: string | undefined;
  linkDays: number;
  /** PORT when set: the reader's own server outside Slack's HTTP mode (which serves it on its port). */
  port: number | undefined;
}

/** A schema message in the catalogue's language; one the catalogue lacks (zod's own) is kept as written. */
function detailIn(details: Words['operator']['config']['details'], message: string): string {
  const key = (Object.keys(D) as (keyof typeof D)[]).find((k) => D[k] === message);
  return key ? details[key] : message;
}

/** 0, 1, …, n − 1. */
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The slash command a Slack app of this bot declares unless SLACK_COMMAND names another. */
export const DEFAULT_SLACK_COMMAND = '/yinzheng';

const ENV_FILE = '.env';

/**
 * Reads `.env` (if there is one) into the environment without overriding variables already
 * set, so that the shell and CI win over the file.
 */
export function loadEnvFile(path = ENV_FILE): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

// Long on purpose: it reads as the configuration's shape, one object per platform, each
// field from its variable.
/** Parses the configuration. Every problem names the variable and where to set it. */
export function parseConfig(env: Record<string, string | undefined>, overrides: { corpusDir?: string } = {}, locale: Locale = 'en'): Config {
  const t = wordsFor(locale).operator.config;
  const result = Env.safeParse(env);
  if (!result.success) {
    // A list variable (LIBRARY_ADMINS) with several bad items is said once.
    const problems = [...new Set(result.error.issues.map((i) => `${String(i.path[0])} ${detailIn(t.details, i.message)}`))];
    throw new UserError('config', t.invalid(problems, ENV_FILE));
  }
  const e = result.data;
  const dataDir = e.DATA_DIR ?? join(PROJECT_ROOT, '.data');
  const missing = (names: string[], what: keyof typeof t.what) => new UserError('config', t.needs(t.what[what], names, ENV_FILE));

  let discord: DiscordConfig | undefined;
  if (e.DISCORD_TOKEN || e.DISCORD_APPLICATION_ID) {
    if (!e.DISCORD_TOKEN) throw missing(['DISCORD_TOKEN'], 'discord');
    if (!e.DISCORD_APPLICATION_ID) throw missing(['DISCORD_APPLICATION_ID'], 'discord');
    discord = {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiBase: e.DISCORD_API_BASE,
      stateDir: join(dataDir, 'discord-buttons'),
      ...(e.DISCORD_SHARD_COUNT !== undefined ? { shardCount: e.DISCORD_SHARD_COUNT, shards: e.DISCORD_SHARDS ?? range(e.DISCORD_SHARD_COUNT) } : {}),
    };
  }

  let slack: SlackConfig | undefined;
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const oauthGiven = oauthNames.filter((n) => e[n] !== undefined);
  if (oauthGiven.length > 0) {
    const absent = oauthNames.filter((n) => e[n] === undefined);
    if (absent.length > 0) throw missing([...absent], 'oauth');
    if (!e.SLACK_SIGNING_SECRET) throw missing(['SLACK_SIGNING_SECRET'], 'oauthHttp');
    if (e.SLACK_APP_TOKEN) {
      throw new UserError('config', t.oauthHttpOnly(ENV_FILE));
    }
  }
  if (e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET || oauthGiven.length > 0) {
    if (!e.SLACK_BOT_TOKEN && oauthGiven.length === 0) throw missing(['SLACK_BOT_TOKEN'], 'slack');
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      throw new UserError('config', t.slackMode(ENV_FILE));
    }
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
      command: e.SLACK_COMMAND ?? DEFAULT_SLACK_COMMAND,
      ...(e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
        ? {
            oauth: {
              clientId: e.SLACK_CLIENT_ID,
              clientSecret: e.SLACK_CLIENT_SECRET,
              stateSecret: e.SLACK_STATE_SECRET,
              installationsDir: join(dataDir, 'slack-installations'),
            },
          }
        : {}),
    };
  }

  if (e.DATABASE_URL && slack?.oauth && !e.STATE_KEY) throw missing(['STATE_KEY'], 'stateKey');

  return {
    corpusDir: overrides.corpusDir ?? e.CORPUS_DIR ?? BUNDLED_CORPUS_DIR,
    cacheDir: e.CACHE_DIR ?? join(PROJECT_ROOT, '.cache'),
    cacheMaxBytes: (e.CACHE_MAX_MB ?? DEFAULT_CACHE_MAX_MB) * 1024 * 1024,
    logLevel: e.LOG_LEVEL,
    logLevelExplicit: env.LOG_LEVEL !== undefined && env.LOG_LEVEL !== '',
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    discord,
    slack,
    rateLimit: { burst: e.RATE_LIMIT_BURST, perMinute: e.RATE_LIMIT_PER_MINUTE },
    slackCommand: e.SLACK_COMMAND ?? DEFAULT_SLACK_COMMAND,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/u, ''),
    healthPort: e.HEALTH_PORT,
    reader: {
      enabled: e.READER_ACCESS === 'public' || e.READER_SECRET !== undefined,
      access: e.READER_ACCESS,
      secret: e.READER_SECRET,
      linkDays: e.READER_LINK_DAYS,
      port: env.PORT !== undefined && env.PORT !== '' ? e.PORT : undefined,
    },
    dataDir,
    library: {
      dir: join(dataDir, 'libraries'),
      maxBytes: (e.LIBRARY_MAX_MB ?? DEFAULT_LIBRARY_MAX_MB) * 1024 * 1024,
      role: e.LIBRARY_ROLE,
      admins: e.LIBRARY_ADMINS ?? [],
    },
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, stateKey: e.STATE_KEY } : undefined,
  };
}
