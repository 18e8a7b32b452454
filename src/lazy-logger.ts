import type { Logger } from './core/dispatch/bot.js';

/** pino's numbers for the levels the bot logs at. */
const LEVELS: Record<keyof Logger, number> = { debug: 20, info: 30, warn: 40, error: 50 };
const THRESHOLDS: Record<string, number> = { trace: 10, ...LEVELS, fatal: 60, silent: Number.POSITIVE_INFINITY };

/**
 * The log (see logger.ts), with pino loaded only when a line is to be written. At the CLI's
 * and the console's default level a line means a command failed, so an answer writes none,
 * and loading pino was about a tenth of the CLI's start-up. A line goes out once pino has loaded, before the
 * process exits.
 */
export function lazyLogger(level: string, stderr: NodeJS.WritableStream): Logger {
  const threshold = THRESHOLDS[level] ?? 0;
  let real: Promise<Logger> | undefined;
  const method = (name: keyof Logger) => (obj: object, msg?: string) => {
    if (LEVELS[name] < threshold) return;
    real ??= import('./logger.js').then((m) => m.createLogger(level, stderr));
    real.then(
      (logger) => logger[name](obj, msg),
      (error: unknown) => stderr.write(`log: ${String(error)}\n`),
    );
  };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
