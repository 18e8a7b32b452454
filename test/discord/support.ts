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
