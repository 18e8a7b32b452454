import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * A real PostgreSQL for the tests and the bench (bench/db.ts), from Debian's `postgresql` package: initdb into a temporary
 * folder, the server on a loopback port, trust authentication for one user, stopped (and the
 * folder removed) at the end. As root (as CI runs), the server runs as the `postgres` user,
 * since PostgreSQL refuses to run as root. Readiness is awaited from the server's own log line,
 * never by sleeping.
 */

/** Where Debian's package puts the server's programs (not on PATH): the newest version there. */
function binDir(): string {
  const override = process.env.PG_BIN_DIR;
  if (override) return override;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error("postgres: PostgreSQL's initdb was not found; install Debian's postgresql package (npm test does so as root), or set PG_BIN_DIR");
  return join(root, newest, 'bin');
}

/** A loopback port free now (for a server that must be told its port, never 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LocalPostgres {
  /** postgres://yinzheng@127.0.0.1:PORT/yinzheng */
  url: string;
  port: number;
  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
  /** A fresh database in this cluster, for a test that wants its own: its URL. */
  database(name: string): string;
}

export async function startPostgres(): Promise<LocalPostgres> {
  const bin = binDir();
  const root = process.getuid?.() === 0;
  const as: { uid?: number; gid?: number } = root
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
      }
    : {};
  const dir = mkdtempSync(join(tmpdir(), 'yinzheng-pg-'));
  if (as.uid !== undefined && as.gid !== undefined) chownSync(dir, as.uid, as.gid);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'yinzheng', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { ...as, stdio: 'pipe' });
  const port = await freePort();
  let server: ChildProcess | null = null;

  async function start(): Promise<void> {
    const child = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { ...as, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('database system is ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited (${code}) before it was ready:\n${log}`)));
    });
    child.stderr?.removeAllListeners('data');
    child.stderr?.resume();
  }

  async function stop(): Promise<void> {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
  }

  await start();
  execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'yinzheng', 'yinzheng'], { stdio: 'pipe' });
  const urlOf = (db: string) => `postgres://yinzheng@127.0.0.1:${port}/${db}`;
  return {
    url: urlOf('yinzheng'),
    port,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    database(name) {
      execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'yinzheng', name], { stdio: 'pipe' });
      return urlOf(name);
    },
  };
}
