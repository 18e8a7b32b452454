import { beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { registry } from '../../../commands/index.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { createBot, type Library } from '../../../src/core/dispatch/bot.js';
import type { Command } from '../../../src/core/dispatch/command.js';
import { createRateLimiter } from '../../../src/core/dispatch/rate-limit.js';
import { createIndex } from '../../../src/core/search/corpus-index.js';
import { requester } from '../../support/bot.js';
import { captureLogs } from '../../support/logs.js';
import { fixtureWords } from '../../support/words.js';

let library: Library;
const discordUser = requester('en', 'discord', '42');

beforeAll(async () => {
  const corpus = await loadCorpus('data/essays');
  library = { corpus, index: createIndex(corpus) };
});

/** A command named boom whose run throws `message`: what a bug in a command looks like to dispatch. */
function failing(message: string) {
  return {
    name: 'boom',
    words: fixtureWords({ description: 'fails', options: {} }, { description: '失败', options: {} }),
    options: z.object({}),
    result: z.unknown(),
    run(): never {
      throw new Error(message);
    },
  } satisfies Command;
}

describe('the bot', () => {
  test('answers a command line and a raw input alike, with the corpus version', () => {
    const bot = createBot({ commands: registry, library, logger: captureLogs().logger });
    const fromLine = bot.runLine('/quote 智能鸿沟 count:1', discordUser);
    const fromRaw = bot.run('quote', { query: '智能鸿沟', count: 1 }, discordUser);
    expect(fromLine).toEqual(fromRaw);
    expect(fromLine.error).toBeUndefined();
    expect(fromLine.results).toHaveLength(1);
    expect(fromLine.corpusVersion).toBe(library.corpus.version);
  });

  test('an unknown command and bad input are user errors with clear messages', () => {
    const bot = createBot({ commands: registry, library, logger: captureLogs().logger });
    expect(bot.runLine('/nonsense', discordUser).error).toEqual({ code: 'unknown_command', message: 'There is no such command. Try /help for the list.' });
    expect(bot.runLine('/quote ！？。', discordUser).error).toEqual({
      code: 'invalid_input',
      message: '/quote query has no letters or digits: type words from the essays.',
    });
    expect(bot.runLine('/quote 智能 count:9', discordUser).error).toEqual({
      code: 'invalid_input',
      message: '/quote count must be a whole number from 1 to 5.',
    });
  });

  test('a command that throws is logged in full and answered with a short message, never the error text', () => {
    const boom = failing('secret internals at /srv/x.ts:1');
    const logs = captureLogs();
    const bot = createBot({ commands: new Map([['boom', boom as Command]]), library, logger: logs.logger });
    const reply = bot.runLine('/boom', discordUser);
    expect(reply.error?.code).toBe('internal');
    expect(reply.error?.message).toBe('Something went wrong while answering. It has been logged; please try again.');
    expect(JSON.stringify(reply)).not.toContain('secret internals');
    const failure = logs.lines.find((l) => l.msg === 'command failed');
    expect((failure?.err as { message: string } | undefined)?.message).toBe('secret internals at /srv/x.ts:1');
  });

  test('one info line per request with command, latency and outcome; user text only at debug', () => {
    const info = captureLogs('info');
    createBot({ commands: registry, library, logger: info.logger }).runLine('/quote 智能鸿沟', discordUser);
    const requests = info.lines.filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ command: 'quote', platform: 'discord', outcome: 'ok', corpusVersion: library.corpus.version });
    expect(typeof requests[0]?.latencyMs).toBe('number');
    expect(info.text()).not.toContain('智能鸿沟');

    const debug = captureLogs('debug');
    createBot({ commands: registry, library, logger: debug.logger }).runLine('/quote 智能鸿沟', discordUser);
    expect(debug.lines.find((l) => l.msg === 'request input')?.input).toBe('智能鸿沟');
  });

  test('the rate limit answers politely per user on chat platforms, and not in the console', () => {
    const bot = createBot({ commands: registry, library, logger: captureLogs().logger, rateLimit: { burst: 2, perMinute: 1 } });
    const codes = [1, 2, 3].map(() => bot.runLine('/essays', discordUser).error?.code);
    expect(codes).toEqual([undefined, undefined, 'rate_limited']);
    expect(bot.runLine('/essays', discordUser).error?.message).toMatch(
      /^You are asking faster than the bot answers everyone fairly\. Please try again in \d+ s\.$/u,
    );
    expect(bot.runLine('/essays', { ...discordUser, userId: '43' }).error).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(bot.runLine('/essays', requester('en', 'console', 'console')).error).toBeUndefined();
  });

  test('a limit shared by replicas is asked by admit, before the run, for chat platforms only', async () => {
    // Stands in for the database's counts: what each key is told, in turn.
    const asked: string[] = [];
    const answers = [0, 7];
    const sharedRateLimit = {
      take: async (key: string) => {
        asked.push(key);
        return answers.shift() ?? 0;
      },
    };
    const bot = createBot({ commands: registry, library, logger: captureLogs().logger, rateLimit: { burst: 1, perMinute: 1 }, sharedRateLimit });
    const first = await bot.admit(discordUser);
    expect(first).toEqual({ ...discordUser, admitted: 0 });
    // The shared count decides: this process's own bucket (a burst of 1) is not spent as well.
    expect([bot.runLine('/essays', first).error, bot.runLine('/essays', first).error]).toEqual([undefined, undefined]);
    const second = await bot.admit(requester('en', 'slack', 'U1'));
    expect(bot.runLine('/essays', second).error).toEqual({
      code: 'rate_limited',
      message: 'You are asking faster than the bot answers everyone fairly. Please try again in 7 s.',
    });
    const console = requester('en', 'console', 'console');
    expect(await bot.admit(console)).toBe(console);
    expect(asked).toEqual(['discord:42', 'slack:U1']);
  });

  test('without a shared limit, admit changes nothing and run counts in this process', async () => {
    const bot = createBot({ commands: registry, library, logger: captureLogs().logger, rateLimit: { burst: 1, perMinute: 1 } });
    const who = requester('en', 'discord', '44');
    expect(await bot.admit(who)).toBe(who);
    expect([bot.runLine('/essays', who).error?.code, bot.runLine('/essays', who).error?.code]).toEqual([undefined, 'rate_limited']);
  });
});

describe('errors in the requester’s language', () => {
  const boom = failing('secret internals');

  test('a zh-CN requester gets every dispatch error in Simplified Chinese', () => {
    const zhUser = requester('zh-CN', 'discord', '88');
    const bot = createBot({ commands: registry, library, logger: captureLogs().logger });
    expect(bot.runLine('/nonsense', zhUser)).toMatchObject({
      title: '错误',
      error: { code: 'unknown_command', message: '没有这个命令。请用 /help 查看命令列表。' },
    });
    expect(bot.runLine('/quote 智能 count:9', zhUser).error).toEqual({ code: 'invalid_input', message: '/quote count 必须是 1 到 5 之间的整数。' });
    expect(bot.runLine('/quote ！？。', zhUser).error).toEqual({ code: 'invalid_input', message: '/quote query 没有字母或数字：请输入文章中的词语。' });
    expect(bot.run('quote', { query: '智能', nonsense: 1 }, zhUser).error?.message).toMatch(/^\/quote 没有这个选项。它的选项：query, /u);
    const failing = createBot({ commands: new Map([['boom', boom as Command]]), library, logger: captureLogs().logger });
    expect(failing.runLine('/boom', zhUser).error).toEqual({ code: 'internal', message: '回答时出错，已记录。请重试。' });
    expect(failing.runLine('/boom extra', zhUser).error).toEqual({ code: 'unexpected_text', message: '/boom 不接受自由文本。请试试 /help boom。' });
  });

  test('the rate limit speaks Chinese on Slack and Discord, Traditional for zh-TW', () => {
    const bot = createBot({ commands: registry, library, logger: captureLogs().logger, rateLimit: { burst: 1, perMinute: 1 } });
    for (const platform of ['discord', 'slack'] as const) {
      const zhUser = requester('zh-CN', platform, '89');
      bot.runLine('/essays', zhUser);
      expect(bot.runLine('/essays', zhUser).error?.message).toMatch(/^你的提问速度超过了机器人公平回答所有人的速度。请在 \d+ 秒后重试。$/u);
    }
    const twUser = requester('zh-TW', 'discord', '90');
    bot.runLine('/essays', twUser);
    expect(bot.runLine('/essays', twUser)).toMatchObject({ title: '錯誤', error: { code: 'rate_limited', message: expect.stringMatching(/^你的提問速度/u) } });
  });
});

describe('the token bucket', () => {
  test('refills at its rate and says how long to wait', () => {
    let now = 0;
    const limiter = createRateLimiter({ burst: 2, perMinute: 6, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 10]);
    now = 5_000;
    expect(limiter.take('a')).toBe(5);
    now = 10_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('b')).toBe(0);
  });
});
