import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT, parseConfig } from '../src/config.js';
import { isUserError } from '../src/core/dispatch/errors.js';
import type { Locale } from '../src/core/reply/model.js';
import { captureLogs } from './support/logs.js';

const DISCORD = { DISCORD_TOKEN: 'a-discord-token', DISCORD_APPLICATION_ID: '123456789012345678' };
const SLACK_SOCKET = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };

function errorOf(env: Record<string, string>, locale: Locale = 'en'): string {
  try {
    parseConfig(env, {}, locale);
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('parseConfig accepted it');
}

describe('config', () => {
  test('no tokens: the console on the bundled corpus, with the default rate limit', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ corpusDir: BUNDLED_CORPUS_DIR, discord: undefined, slack: undefined, rateLimit: { burst: 10, perMinute: 20 } });
  });

  test('--corpus wins over CORPUS_DIR, which wins over the bundled folder', () => {
    expect(parseConfig({ CORPUS_DIR: '/srv/essays' }).corpusDir).toBe('/srv/essays');
    expect(parseConfig({ CORPUS_DIR: '/srv/essays' }, { corpusDir: 'other' }).corpusDir).toBe('other');
  });

  test('Discord and Slack together, Slack in Socket Mode or over HTTP', () => {
    const both = parseConfig({ ...DISCORD, ...SLACK_SOCKET, DISCORD_GUILD_ID: '223456789012345678' });
    expect(both.discord).toEqual({
      token: 'a-discord-token',
      applicationId: '123456789012345678',
      guildId: '223456789012345678',
      apiBase: undefined,
      stateDir: join(PROJECT_ROOT, '.data', 'discord-buttons'),
    });
    expect(parseConfig({ ...DISCORD, DATA_DIR: '/srv/yz' }).discord?.stateDir).toBe(join('/srv/yz', 'discord-buttons'));
    expect(both.slack).toMatchObject({ botToken: 'xoxb-1', appToken: 'xapp-1' });
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080' }).slack).toMatchObject({
      appToken: undefined,
      signingSecret: 's',
      port: 8080,
    });
  });

  test('a missing or malformed variable is named, with where to set it', () => {
    expect(errorOf({ DISCORD_TOKEN: 't' })).toBe('config: Discord needs DISCORD_APPLICATION_ID. Set it in .env (see .env.example).');
    expect(errorOf({ DISCORD_APPLICATION_ID: '123456789012345678' })).toBe('config: Discord needs DISCORD_TOKEN. Set it in .env (see .env.example).');
    expect(errorOf({ ...DISCORD, DISCORD_APPLICATION_ID: 'my-bot' })).toBe(
      'config: DISCORD_APPLICATION_ID must be the numeric application ID (a snowflake). Fix it in .env or the environment (see .env.example).',
    );
    expect(errorOf({ SLACK_APP_TOKEN: 'xapp-1' })).toBe('config: Slack needs SLACK_BOT_TOKEN. Set it in .env (see .env.example).');
    expect(errorOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toBe(
      'config: Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP). Set one in .env (see .env.example).',
    );
    expect(errorOf({ SLACK_BOT_TOKEN: 'xapp-swapped', SLACK_APP_TOKEN: 'xoxb-swapped' })).toBe(
      'config: SLACK_BOT_TOKEN must start with xoxb-; SLACK_APP_TOKEN must start with xapp-. Fix it in .env or the environment (see .env.example).',
    );
  });

  test('Discord shards: this host runs DISCORD_SHARDS of DISCORD_SHARD_COUNT, all of them without DISCORD_SHARDS', () => {
    expect(parseConfig({ ...DISCORD, DISCORD_SHARDS: '1', DISCORD_SHARD_COUNT: '2' }).discord).toMatchObject({ shards: [1], shardCount: 2 });
    expect(parseConfig({ ...DISCORD, DISCORD_SHARDS: ' 2, 0 ,2', DISCORD_SHARD_COUNT: '4' }).discord).toMatchObject({ shards: [0, 2], shardCount: 4 });
    expect(parseConfig({ ...DISCORD, DISCORD_SHARD_COUNT: '3' }).discord).toMatchObject({ shards: [0, 1, 2], shardCount: 3 });
    expect(parseConfig(DISCORD).discord?.shards).toBeUndefined();
    expect(errorOf({ ...DISCORD, DISCORD_SHARDS: '1' })).toBe(
      'config: DISCORD_SHARD_COUNT must be set with DISCORD_SHARDS: the number of shards across all hosts. Fix it in .env or the environment (see .env.example).',
    );
    expect(errorOf({ ...DISCORD, DISCORD_SHARDS: '0,2', DISCORD_SHARD_COUNT: '2' })).toBe(
      'config: DISCORD_SHARDS must be below DISCORD_SHARD_COUNT (shards count from 0). Fix it in .env or the environment (see .env.example).',
    );
    expect(errorOf({ ...DISCORD, DISCORD_SHARDS: 'first', DISCORD_SHARD_COUNT: '0' })).toBe(
      'config: DISCORD_SHARDS must be shard numbers separated by commas, such as 0,1; DISCORD_SHARD_COUNT must be the number of shards across all hosts, a whole number from 1. Fix it in .env or the environment (see .env.example).',
    );
    expect(errorOf({ ...DISCORD, DISCORD_SHARDS: '3', DISCORD_SHARD_COUNT: '2' }, 'zh-CN')).toBe(
      'config：DISCORD_SHARDS 必须小于 DISCORD_SHARD_COUNT（分片从 0 开始编号）。请在 .env 或环境变量中修正（见 .env.example）。',
    );
  });

  test('an operator who asks for Chinese reads the problem in Chinese, the variables named as they are', () => {
    expect(errorOf({ DISCORD_TOKEN: 't' }, 'zh-CN')).toBe('config：Discord 需要 DISCORD_APPLICATION_ID。请在 .env 中设置（见 .env.example）。');
    expect(errorOf({ SLACK_BOT_TOKEN: 'xapp-swapped', SLACK_APP_TOKEN: 'xoxb-swapped' }, 'zh-CN')).toBe(
      'config：SLACK_BOT_TOKEN 必须以 xoxb- 开头；SLACK_APP_TOKEN 必须以 xapp- 开头。请在 .env 或环境变量中修正（见 .env.example）。',
    );
    expect(errorOf({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'zh-TW')).toBe(
      'config：Slack 需要 SLACK_APP_TOKEN（Socket Mode）或 SLACK_SIGNING_SECRET（HTTP）。請在 .env 中設置其一（見 .env.example）。',
    );
  });

  test('team libraries: under DATA_DIR, 200 MB each by default, changed by LIBRARY_ROLE and LIBRARY_ADMINS besides the admins', () => {
    expect(parseConfig({})).toMatchObject({
      dataDir: join(PROJECT_ROOT, '.data'),
      library: { dir: join(PROJECT_ROOT, '.data', 'libraries'), maxBytes: 200 * 1024 * 1024, role: undefined, admins: [] },
    });
    expect(parseConfig({ DATA_DIR: '/srv/yz', LIBRARY_MAX_MB: '50', LIBRARY_ROLE: ' Librarians ', LIBRARY_ADMINS: 'U012AB3CD, W0ABCDEF1,' })).toMatchObject({
      dataDir: '/srv/yz',
      library: { dir: join('/srv/yz', 'libraries'), maxBytes: 50 * 1024 * 1024, role: 'Librarians', admins: ['U012AB3CD', 'W0ABCDEF1'] },
    });
    expect(errorOf({ LIBRARY_MAX_MB: '0' })).toBe('config: LIBRARY_MAX_MB must be at least 1 (MB). Fix it in .env or the environment (see .env.example).');
    expect(errorOf({ LIBRARY_MAX_MB: '1.5' })).toBe(
      'config: LIBRARY_MAX_MB must be a whole number of megabytes. Fix it in .env or the environment (see .env.example).',
    );
    expect(errorOf({ LIBRARY_ADMINS: 'U012AB3CD,@alice' })).toBe(
      'config: LIBRARY_ADMINS must be Slack user IDs (U… or W…) separated by commas. Fix it in .env or the environment (see .env.example).',
    );
    expect(errorOf({ LIBRARY_ADMINS: 'alice' }, 'zh-CN')).toBe(
      'config：LIBRARY_ADMINS 必须是以逗号分隔的 Slack 用户 ID（U… 或 W…）。请在 .env 或环境变量中修正（见 .env.example）。',
    );
  });

  test('an error names variables, never their values', () => {
    const message = errorOf({ SLACK_BOT_TOKEN: 'xapp-SECRET-VALUE' });
    expect(message).toContain('SLACK_BOT_TOKEN');
    expect(message).not.toContain('SECRET-VALUE');
  });
});

describe('logs', () => {
  test('a token or an authorization header in a logged object is redacted', () => {
    const logs = captureLogs('info');
    logs.logger.error({ token: 'xoxb-SECRET', err: { headers: { authorization: 'Bot SECRET2' } }, config: { discord: { token: 'SECRET3' } } }, 'failed');
    expect(logs.text()).not.toMatch(/SECRET/u);
    expect(logs.lines[0]).toMatchObject({ token: '[redacted]', config: '[redacted]' });
  });
});
