import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { runCli as runCliInProcess } from '../../src/cli.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
function sink(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs the CLI in this process, as `npm run cli` would with these arguments, on a pipe (no
 * terminal, so no colour). The environment holds no chat tokens, colour request or LOG_LEVEL
 * unless `env` sets them: what a script calling the CLI sees.
 */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out = sink();
  const err = sink();
  const code = await runCliInProcess([...args], { stdout: out.stream, stderr: err.stream, env, isTTY: false, columns: undefined });
  return { code, stdout: out.text(), stderr: err.text() };
}

/**
 * Runs the built CLI (`node dist/src/cli.js`, what `npm run cli` runs) in a child process:
 * for what only a real process shows, such as a log line written just before it exits.
 */
export async function runCliProcess(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, ['dist/src/cli.js', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
