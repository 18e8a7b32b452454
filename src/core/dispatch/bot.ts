import type { Corpus, CorpusFile } from '../corpus/model.js';
import { type ReaderLinks, withReaderLinks } from '../reply/links.js';
import type { Locale, Reply } from '../reply/model.js';
import type { CorpusIndex } from '../search/search.js';
import { wordsFor } from '../words/index.js';
import type { Command, CommandContext } from './command.js';
import { isUserError } from './errors.js';
import { parseCommandLine, parseInput } from './input.js';
import { createRateLimiter, type RateLimitOptions, type SharedRateLimiter } from './rate-limit.js';

/** Where a request came from, for logs and per-user limits. Never holds tokens. */
export interface Requester {
  platform: 'console' | 'cli' | 'discord' | 'slack' | 'web';
  userId: string;
  locale: Locale;
  /** How commands are typed there, when not `/name` (Slack: `/yinzheng name`). */
  invocation?: string;
  /**
   * Whose library the request reaches: the team key of src/core/library/team.ts (a Discord
   * server, a Discord user's DMs, a Slack workspace), or null (or absent, for the console and
   * the CLI) for the operator's corpus alone.
   */
  team?: string | null;
  /**
   * Already counted by the shared limiter (`Bot.admit`): 0 to run, otherwise the seconds to wait.
   * Absent, the command is counted by this process's own limiter.
   */
  admitted?: number;
}

/** One answered request, as an operator's counters take it (`BotOptions.observe`). */
export interface RequestEvent {
  platform: Requester['platform'];
  /** The command's name; null when no command has the name typed (which is the user's text, not a label). */
  command: string | null;
  /** `ok`, `empty`, or the error's code (`rate_limited`, `unknown_command`, `internal`, …). */
  outcome: string;
  seconds: number;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** The corpus and its index, swapped together so that a reply never mixes two versions. */
export interface Library {
  corpus: Corpus;
  index: CorpusIndex;
  /** In a team's library, the files the team added (the rest are the operator's). */
  teamFiles?: ReadonlySet<CorpusFile>;
}

/**
 * The seam where each team's library is served: which Library a requester's team sees, and a
 * word when a team's files change. The per-team index lives behind it; without it every team
 * sees the one library.
 */
export interface TeamLibraries {
  /** The library `team` (a team key, or null for none) sees. */
  for(team: string | null): Library;
  /** A team's files changed (an add or a remove): what it sees must follow. */
  changed(team: string): void;
  /** The team's library once what it sees has caught up with its files (absent: `for` at once). */
  ready?(team: string): Promise<Library>;
  /** Whether `for(team)` would not yet give the team's own library (it is being put together). */
  pending?(team: string): boolean;
}

export interface Bot {
  readonly commands: ReadonlyMap<string, Command>;
  /** The operator's library: what a request with no team sees. */
  library(): Library;
  /** The library a team sees: the operator's unless `libraries` says otherwise. */
  libraryFor(team: string | null | undefined): Library;
  /** Says that a team's files changed, so that what it sees follows. */
  libraryChanged(team: string): void;
  /** The team's library once it has caught up with the team's files. */
  libraryReady(team: string): Promise<Library>;
  /** Whether the team's library is not ready yet: an adapter that can wait (after deferring) waits for `libraryReady`. */
  libraryPending(team: string): boolean;
  /** Swaps in a new corpus and index at once. */
  replaceLibrary(next: Library): void;
  /**
   * Counts a chat request against the limit every replica shares, when there is one (DATABASE_URL):
   * the requester comes back with `admitted` set. Without one it comes back as it was, and `run`
   * counts it in this process. Never rejects.
   */
  admit(who: Requester): Promise<Requester>;
  /** Runs a command on raw option values (from a slash command or the CLI). Never throws. */
  run(name: string, raw: Record<string, unknown>, who: Requester): Reply;
  /** Runs a typed command line such as `quote 智能鸿沟 author:张三`. Never throws. */
  runLine(line: string, who: Requester): Reply;
}

/** A reply that only reports an error, titled in the requester's language. */
export function errorReply(command: string, code: string, message: string, corpusVersion: string, locale: Locale = 'en'): Reply {
  return { command, title: wordsFor(locale).errors.title, message, blocks: [], actions: [], results: [], corpusVersion, error: { code, message } };
}

export interface BotOptions {
  commands: ReadonlyMap<string, Command>;
  library: Library;
  logger: Logger;
  /** Per-user limit on chat platforms; the console and CLI have one user and no limit. */
  rateLimit?: RateLimitOptions;
  /** The same limit counted across replicas (src/db/rate-limit.ts); asked by `admit`. */
  sharedRateLimit?: SharedRateLimiter;
  /** The passage reader, when the bot serves one at PUBLIC_URL: replies then link to it. */
  links?: ReaderLinks;
  /**
   * Build each library's essay index in the background as soon as it is served (a live bot,
   * an interactive console), so that no answer waits for it. A one-shot CLI answer leaves it
   * to the query that needs it.
   */
  warmEssays?: boolean;
  /** Each team's library (see TeamLibraries); every team sees `library` when absent. */
  libraries?: TeamLibraries;
  /** Told of each request once it is answered (the operator's metrics); never of what was typed. */
  observe?: (event: RequestEvent) => void;
}

/** Only chat platforms are limited: the console and the CLI have one user. */
const limited = (who: Requester) => who.platform === 'discord' || who.platform === 'slack';
const limitKey = (who: Requester) => `${who.platform}:${who.userId}`;

// Long on purpose: a factory whose length is the Bot's methods and `execute`, which share the
// served library, the rate limiter and the logger.
export function createBot(options: BotOptions): Bot {
  let library = options.library;
  const { commands, logger } = options;
  const warm = (next: Library) => {
    if (!options.warmEssays) return;
    next.index.warmEssays().catch((error: unknown) => logger.warn({ err: error }, 'essay index: the background build failed; queries build it'));
  };
  warm(library);
  const limiter = options.rateLimit ? createRateLimiter(options.rateLimit) : null;
  const libraryFor = (team: string | null | undefined): Library => (options.libraries ? options.libraries.for(team ?? null) : library);

  function execute(name: string, who: Requester, toInput: (command: Command) => Record<string, unknown>, text: unknown): Reply {
    const started = performance.now();
    const current = libraryFor(who.team);
    const command = commands.get(name);
    const wait = who.admitted ?? (limiter && limited(who) ? limiter.take(limitKey(who)) : 0);
    const words = wordsFor(who.locale).errors;
    let reply: Reply;
    if (wait > 0) {
      reply = errorReply(name, 'rate_limited', words.rateLimited(wait), current.corpus.version, who.locale);
    } else if (!command) {
      reply = errorReply(name, 'unknown_command', words.unknownCommand, current.corpus.version, who.locale);
    } else {
      try {
        const input = parseInput(command, toInput(command), who.locale);
        const ctx: CommandContext = {
          corpus: current.corpus,
          index: current.index,
          locale: who.locale,
          commands,
          invocation: who.invocation ?? '/',
          ...(current.teamFiles ? { teamFiles: current.teamFiles } : {}),
        };
        reply = command.run(input, ctx);
        if (options.links && who.platform !== 'web') reply = withReaderLinks(reply, options.links, who.locale, who.team ?? null);
      } catch (error) {
        if (isUserError(error)) {
          reply = errorReply(command.name, error.code, error.message, current.corpus.version, who.locale);
        } else {
          logger.error({ err: error, command: command.name, platform: who.platform }, 'command failed');
          reply = errorReply(command.name, 'internal', words.genericFailure, current.corpus.version, who.locale);
        }
      }
    }
    // What users type can be personal; it is logged only when debugging.
    logger.debug({ command: name, platform: who.platform, input: text }, 'request input');
    const ms = performance.now() - started;
    const outcome = reply.error ? reply.error.code : reply.results.length > 0 ? 'ok' : 'empty';
    logger.info(
      {
        command: name,
        platform: who.platform,
        latencyMs: Math.round(ms * 100) / 100,
        outcome,
        corpusVersion: current.corpus.version,
      },
      'request',
    );
    options.observe?.({ platform: who.platform, command: command ? command.name : null, outcome, seconds: ms / 1000 });
    return reply;
  }

  return {
    commands,
    async admit(who) {
      if (!options.sharedRateLimit || !limited(who)) return who;
      return { ...who, admitted: await options.sharedRateLimit.take(limitKey(who)) };
    },
    library: () => library,
    libraryFor,
    libraryChanged(team) {
      options.libraries?.changed(team);
    },
    libraryReady: async (team) => (options.libraries?.ready ? options.libraries.ready(team) : libraryFor(team)),
    libraryPending: (team) => options.libraries?.pending?.(team) === true,
    replaceLibrary(next) {
      library = next;
      warm(next);
    },
    run(name, raw, who) {
      return execute(name, who, () => raw, raw);
    },
    runLine(line, who) {
      const trimmed = line.trim().replace(/^[/／]/u, '');
      const space = trimmed.search(/\s/u);
      const name = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
      const rest = space === -1 ? '' : trimmed.slice(space + 1);
      return execute(name, who, (command) => parseCommandLine(command, rest, who.locale), rest);
    },
  };
}
