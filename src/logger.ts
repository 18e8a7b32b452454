import { pino, stdSerializers } from 'pino';
import type { Logger } from './core/dispatch/bot.js';

/**
 * An interaction's token is in the path of every request that answers it
 * (`/webhooks/<application>/<token>/…`, `/interactions/<id>/<token>/callback`) and stays valid
 * for 15 minutes: an error from discord.js carries that URL (and the body it sent), which
 * pino's error serializer would copy into the log. Logged with the token cut out, without the body.
 */
const TOKEN_IN_PATH = /(\/(?:webhooks|interactions)\/\d+\/)[^/?#\s"]+/gu;

function errWithoutSecrets(error: unknown): unknown {
  const serialized = stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const { requestBody: _body, ...rest } = serialized;
  for (const key of ['url', 'message', 'stack'] as const) {
    const value = rest[key];
    if (typeof value === 'string') rest[key] = value.replace(TOKEN_IN_PATH, '$1[redacted]');
  }
  return rest;
}

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
      serializers: { err: errWithoutSecrets },
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'config'], censor: '[redacted]' },
    },
    destination,
  );
}
