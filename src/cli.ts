#!/usr/bin/env node
/**
 * `npm run --silent cli -- <command> <text> [--author X] [--essay Y] [--limit N] [--corpus DIR] [--json]`
 *
 * One command, one answer, for scripts and the terminal. With --json, stdout holds exactly
 * one JSON object, the documented interface: `{command, results, message?, corpusVersion}`,
 * or `{error: {code, message}}`. Logs and corpus warnings go to stderr so they never mix
 * into it. Exit status: 0 answered (also when nothing was found), 2 invalid input,
 * 1 anything else.
 */
import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { registry } from '../commands/index.js';
import { loadEnvFile, parseConfig } from './config.js';
import { loadCorpus, whyUnservable } from './core/corpus/load.js';
import { formatWarning } from './core/corpus/model.js';
import { parseCacheIn } from './core/corpus/parse-cache.js';
import { createBot, type Requester } from './core/dispatch/bot.js';
import { type Command, optionSpecs } from './core/dispatch/command.js';
import { isUserError, UserError } from './core/dispatch/errors.js';
import type { Locale, Reply } from './core/reply/model.js';
import { wordsFor } from './core/words/index.js';
import { lazyLogger } from './lazy-logger.js';
import { openLibrary } from './library.js';

/** The CLI's usage in a language, naming the commands of the registry. */
export function usage(locale: Locale = 'en'): string {
  const commands = [...registry.values()]
    .filter((c) => !c.hidden)
    .map((c) => c.name)
    .join(', ');
  return wordsFor(locale).operator.cli.usage(LOCALES.join('|'), commands);
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID = 2;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** stdout is a terminal: colour (unless NO_COLOR) and its width. */
  isTTY: boolean;
  columns: number | undefined;
}

/** What the command line asked for, before the corpus is loaded. */
interface Request {
  command: Command;
  raw: Record<string, string>;
  json: boolean;
  corpus: string | undefined;
  locale: Locale;
}

/** Names of the count option that --limit sets, in order of preference. */
const LIMIT_OPTIONS = ['count', 'limit'];
const LOCALES: readonly Locale[] = ['en', 'zh-CN', 'zh-TW', 'zh-HK'];

/** The CLI's own flags; every other `--name` is an option of the command. */
const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  corpus: { type: 'string' },
  locale: { type: 'string' },
  limit: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/**
 * The language asked for with --locale, read before the rest of argv so that even an error
 * in argv is said in it; English when none or an unknown one is given.
 */
function localeIn(argv: string[]): Locale {
  const i = argv.findIndex((a) => a === '--locale' || a.startsWith('--locale='));
  const value = i === -1 ? undefined : argv[i]?.includes('=') ? argv[i]?.slice('--locale='.length) : argv[i + 1];
  return LOCALES.find((l) => l === value) ?? 'en';
}

/** The command named in argv: the first word that is neither a flag nor a global flag's value. */
function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return argv[i + 1];
    if (!arg.startsWith('-')) return arg;
    const name = arg.replace(/^--?/u, '');
    if (name in GLOBAL_OPTIONS && GLOBAL_OPTIONS[name as keyof typeof GLOBAL_OPTIONS].type === 'string') i++;
  }
  return undefined;
}

/** Command options as parseArgs declares them: booleans as flags, everything else as a value the schema reads. */
function commandOptions(command: Command): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of optionSpecs(command)) {
    if (!(spec.name in GLOBAL_OPTIONS)) options[spec.name] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  }
  return options;
}

function parseArgsCode(error: unknown): string | null {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return code?.startsWith('ERR_PARSE_ARGS_') ? code : null;
}

/**
 * Reads argv with node's parseArgs. A command's options are its `--name value` flags
 * (`--author 张三` → author), read off its schema, so a new option needs no change here;
 * the schema then checks the values.
 */
function parseArgv(argv: string[], locale: Locale): Request | 'help' {
  const words = wordsFor(locale);
  const t = words.operator.cli;
  const word = commandWord(argv);
  const name = word?.replace(/^[/／]/u, '').toLowerCase();
  const command = name === undefined ? undefined : registry.get(name);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (name !== undefined && !command && !wantsHelp) throw new UserError('unknown_command', t.unknownCommand(name));
  let parsed: ReturnType<typeof parseArgs<{ options: NonNullable<ParseArgsConfig['options']>; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...(command ? commandOptions(command) : {}) }, allowPositionals: true, strict: true });
  } catch (error) {
    const code = parseArgsCode(error);
    if (code === null) throw error;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && command) {
      const allowed = optionSpecs(command)
        .map((s) => s.name)
        .join(', ');
      throw new UserError('unknown_option', words.errors.unknownOption(command.name, allowed || words.errors.noOptions));
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UserError('invalid_input', t.missingValue);
    throw new UserError('invalid_input', t.unreadable);
  }
  const { values, positionals } = parsed;
  if (values.help === true || name === undefined || !command) return 'help';
  if (values.locale !== undefined && !LOCALES.includes(values.locale as Locale)) throw new UserError('invalid_input', t.locale(LOCALES.join(', ')));

  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!(key in GLOBAL_OPTIONS) && value !== undefined) raw[key] = String(value);
  }
  const rest = positionals.slice(1);
  if (rest.length > 0) {
    if (!command.positional) throw new UserError('unexpected_text', t.noText(command.name));
    raw[command.positional] = rest.join(' ');
  }
  if (typeof values.limit === 'string') {
    const specs = optionSpecs(command);
    const target = LIMIT_OPTIONS.find((n) => specs.some((s) => s.name === n && (s.type === 'integer' || s.type === 'number')));
    if (!target) throw new UserError('invalid_input', t.noLimit(command.name));
    raw[target] = values.limit;
  }
  return { command, raw, json: values.json === true, corpus: typeof values.corpus === 'string' ? values.corpus : undefined, locale };
}

function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

/** The stable JSON of a reply: these names are documented; more fields may come, none will go. */
function replyJson(reply: Reply): object {
  return {
    command: reply.command,
    results: reply.results,
    ...(reply.message !== undefined ? { message: reply.message } : {}),
    corpusVersion: reply.corpusVersion,
  };
}

function fail(io: CliIo, json: boolean, code: string, message: string): number {
  if (json) writeJson(io.stdout, { error: { code, message } });
  else io.stderr.write(`${message}\n`);
  return code === 'internal' || code === 'corpus' ? EXIT_FAILURE : EXIT_INVALID;
}

/** Runs the CLI on argv (without node and the script) and returns the exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // --json must govern how even an argv error is printed, so look for it before parsing.
  const wantsJson = argv.includes('--json');
  const locale = localeIn(argv);
  let request: Request | 'help';
  try {
    request = parseArgv(argv, locale);
  } catch (error) {
    if (isUserError(error)) return fail(io, wantsJson, error.code, error.message);
    throw error;
  }
  if (request === 'help') {
    const explicit = argv.includes('--help') || argv.includes('-h');
    (explicit ? io.stdout : io.stderr).write(`${usage(locale)}\n`);
    return explicit ? EXIT_OK : EXIT_INVALID;
  }
  const { json } = request;
  try {
    loadEnvFile();
    const config = parseConfig(io.env, { corpusDir: request.corpus }, locale);
    const logger = lazyLogger(config.logLevelExplicit ? config.logLevel : 'warn', io.stderr);
    const corpus = await loadCorpus(config.corpusDir, { parseCache: parseCacheIn(config.cacheDir, config.cacheMaxBytes), locale });
    for (const w of corpus.files.flatMap((f) => f.warnings)) io.stderr.write(`${formatWarning(w, corpus.dir)}\n`);
    const why = whyUnservable(corpus, locale);
    if (why) return fail(io, json, 'corpus', why);
    const bot = createBot({ commands: registry, library: await openLibrary(corpus, config.cacheDir, config.cacheMaxBytes), logger });
    const who: Requester = { platform: 'cli', userId: 'cli', locale: request.locale };
    const reply = bot.run(request.command.name, request.raw, who);
    if (reply.error) return fail(io, json, reply.error.code, reply.error.message);
    if (json) writeJson(io.stdout, replyJson(reply));
    else {
      const color = io.isTTY && !config.noColor;
      // The terminal renderer (and its width tables) is loaded only for a person, not for --json.
      const { renderReply } = await import('./console/render.js');
      io.stdout.write(`${renderReply(reply, { width: io.columns ?? 80, color, locale: request.locale, commands: registry })}\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (isUserError(error)) return fail(io, json, error.code, error.message);
    io.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return fail(io, json, 'internal', wordsFor(locale).operator.cli.failed);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
  });
}
