import { describe, expect, test } from 'vitest';
import { runCli, runCliProcess } from './support/cli.js';

/*
 * The CLI loads pino only when a line is to be written (see src/lazy-logger.ts). A line
 * asked for must still reach stderr, as pino writes it, before the process exits; and at the
 * default level an answer writes none.
 */

/** The stderr lines that are JSON log records. */
function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the CLI log', () => {
  test('with LOG_LEVEL=info, the request line is written by pino before the CLI exits', async () => {
    // A real process: the point is that the line is out before the process exits.
    const run = await runCliProcess(['quote', '智能鸿沟', '--json'], { LOG_LEVEL: 'info' });
    expect(run.code).toBe(0);
    const request = logLines(run.stderr).find((l) => l.msg === 'request');
    expect(request).toMatchObject({ level: 30, command: 'quote', platform: 'cli', outcome: 'ok' });
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'quote' });
  });

  test('at the default level, an answer writes no log line', async () => {
    const run = await runCli(['quote', '智能鸿沟', '--json']);
    expect(run.code).toBe(0);
    expect(logLines(run.stderr)).toEqual([]);
  });
});
