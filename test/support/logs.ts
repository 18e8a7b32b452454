import { Writable } from 'node:stream';
import type { Logger } from '../../src/core/dispatch/bot.js';
import { createLogger } from '../../src/logger.js';
import { Recorder } from '../slack/fake-slack.js';

/** A real pino logger whose JSON lines are kept for assertions. */
export function captureLogs(level = 'debug'): { logger: Logger; lines: Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(level, stream);
  const lines: Array<Record<string, unknown>> = [];
  return {
    logger,
    get lines() {
      lines.length = 0;
      for (const line of chunks.join('').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      return lines;
    },
    text: () => chunks.join(''),
  };
}

/** One logged line as a test awaits it. */
export interface LoggedEntry {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string | undefined;
  obj: object;
}

/**
 * A real pino logger (its text, to look for secrets that must never be logged) whose calls are
 * also kept as entries a test can await (`entries.until(n, filter)`).
 */
export function recordLogs(): { logger: Logger; entries: Recorder<LoggedEntry>; text: () => string } {
  const capture = captureLogs('debug');
  const entries = new Recorder<LoggedEntry>();
  const at = (level: LoggedEntry['level']) => (obj: object, msg?: string) => {
    capture.logger[level](obj, msg);
    entries.push({ level, msg, obj });
  };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }, entries, text: capture.text };
}
