import { describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';

/*
 * The CLI loads pino only when a line is to be written (see lazyLogger in src/cli.ts). A line
 * asked for must still reach stderr, as pino writes it, before the process exits; and at the
 * default level an answer writes none.
 */

const cli = (env: Record<string, string>, ...args: string[]) => runCli(args, env);

/** The stderr lines that are JSON log records. */
function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the CLI log', () => {
  test('with LOG_LEVEL=info, the request line is written by pino before the CLI exits', async () => {
    const run = await cli({ LOG_LEVEL: 'info' }, 'quote', '智能鸿沟', '--json');
    expect(run.code).toBe(0);
    const request = logLines(run.stderr).find((l) => l.msg === 'request');
    expect(request).toMatchObject({ level: 30, command: 'quote', platform: 'cli', outcome: 'ok' });
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'quote' });
  });

  test('at the default level, an answer writes no log line', async () => {
    const run = await cli({}, 'quote', '智能鸿沟', '--json');
    expect(run.code).toBe(0);
    expect(logLines(run.stderr)).toEqual([]);
  });
});
