import { pino } from 'pino';
import type { Logger } from './core/dispatch/bot.js';

/**
 * Structured logs as JSON lines on stderr, so that stdout stays the console's and the CLI's.
 * Tokens never reach a log: the config is never logged, and these paths are redacted in case
 * an error object carries a request's headers.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger & { level: string } {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'config'], censor: '[redacted]' },
    },
    destination,
  );
}
