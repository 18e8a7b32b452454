import { registry } from '../../commands/index.js';
import type { Corpus } from '../../src/core/corpus/model.js';
import { type Bot, type BotOptions, createBot, type Library, type Logger, type Requester, type TeamLibraries } from '../../src/core/dispatch/bot.js';
import type { Locale } from '../../src/core/reply/model.js';
import { createIndex } from '../../src/core/search/corpus-index.js';

/** A logger that drops everything, for tests that assert on replies, not on logs. */
export const quietLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * Who asks, in `locale`: by default someone at the command line, where no rate limit applies.
 * Pass the platform, a user ID and Slack's invocation where the test is about a chat platform's requester.
 */
export function requester(locale: Locale = 'en', platform: Requester['platform'] = 'cli', userId = 'test', invocation?: string): Requester {
  return { platform, userId, locale, ...(invocation !== undefined ? { invocation } : {}) };
}

/** The corpus and the index built over it, as the bot serves them. */
export function libraryOver(corpus: Corpus): Library {
  return { corpus, index: createIndex(corpus) };
}

/** A bot over `corpus` with every command, quiet unless `options` give it a logger (or other commands, a rate limit, links). */
export function botOver(corpus: Corpus, options: Partial<BotOptions> = {}): Bot {
  return createBot({ commands: registry, library: libraryOver(corpus), logger: quietLogger, ...options });
}

/** A libraries seam that serves `library` to every team and records which teams asked for theirs, and which changed. */
export function recordingLibraries(library: Library): { libraries: TeamLibraries; asked: Array<string | null>; changed: string[] } {
  const asked: Array<string | null> = [];
  const changed: string[] = [];
  return {
    asked,
    changed,
    libraries: {
      for(team) {
        asked.push(team);
        return library;
      },
      changed: (team) => changed.push(team),
    },
  };
}
