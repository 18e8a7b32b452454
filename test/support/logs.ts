import { Writable } from 'node:stream';
import type { Logger } from '../../src/core/dispatch/bot.js';
import { createLogger } from '../../src/logger.js';

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
