import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/config.js';
import type { Logger } from '../../src/core/dispatch/bot.js';
import { AwaitableLog, type FakeUser } from './fake-discord.js';

export interface LogEntry {
  level: 'info' | 'warn' | 'error' | 'debug';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/** A logger whose entries a test can await, as it awaits the fake's records. */
export function createTestLogger(): Logger & { entries: AwaitableLog<LogEntry> } {
  const entries = new AwaitableLog<LogEntry>();
  const at = (level: LogEntry['level']) => (obj: object, msg?: string) => entries.push({ level, obj: obj as Record<string, unknown>, msg });
  return { entries, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

export const alice: FakeUser = { id: '500000000000000001', username: 'alice' };

/**
 * `npm start`'s built bot as a process, configured for the Discord at `discord` (a fake's
 * application ID and API base) and `env`, and nothing else of this process's environment.
 */
export function startMain(discord: { applicationId: string; apiBase: string }, env: Record<string, string> = {}) {
  return spawn(process.execPath, ['dist/src/main.js'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DISCORD_TOKEN: 'fake-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_BASE: discord.apiBase,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
