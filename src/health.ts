import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wordsFor } from './core/words/index.js';

/*
 * The operator's endpoints, one handler served wherever it is needed: on HEALTH_PORT, and on
 * the Slack HTTP receiver's port. /healthz is liveness (200 while the process answers at all:
 * a supervisor restarts it otherwise); /readyz is readiness (503 until the corpus is loaded and
 * while a platform connection or the database is down: a load balancer sends nothing there
 * meanwhile); /metrics is Prometheus text. None of them says anything secret: versions, the
 * names of connections, counters.
 */

type ConnectionState = 'up' | 'down';

/** What the operator's endpoints report, read at each request. */
export interface Status {
  /** package.json's version and the build hash (see src/version.ts). */
  version: string;
  build: string;
  /** The corpus version served, or null while the corpus is still being loaded. */
  corpusVersion(): string | null;
  /** `up` or `down` for each connection readiness depends on (`discord`, `slack`, `database`). */
  connections(): Record<string, ConnectionState>;
  /** The metrics in Prometheus text format; without it /metrics is a 404. */
  metrics?: () => Promise<string>;
}

/** A Status that main fills in as the bot starts: the corpus once loaded, each connection once tried. */
export interface StatusBoard extends Status {
  /** The corpus is served from now on; `version` says which version at each request. */
  serving(version: () => string): void;
  /** A connection readiness waits for, asked at each request; tracking a name again replaces it. */
  track(name: string, up: () => boolean): void;
}

export function createStatusBoard(init: { version: string; build: string; metrics?: () => Promise<string> }): StatusBoard {
  let corpus: (() => string) | null = null;
  const tracked = new Map<string, () => boolean>();
  return {
    ...init,
    corpusVersion: () => corpus?.() ?? null,
    connections: () => Object.fromEntries([...tracked].map(([name, up]): [string, ConnectionState] => [name, up() ? 'up' : 'down'])),
    serving(version) {
      corpus = version;
    },
    track(name, up) {
      tracked.set(name, up);
    },
  };
}

/** The paths the operator's handler answers. */
export const OPERATOR_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

/** Prometheus's text exposition format, as scrapers ask for it. */
const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A readiness report: ready, and what is not when it is not. */
function readiness(status: Status): { ok: boolean; corpusVersion: string | null; connections: Record<string, ConnectionState> } {
  const corpusVersion = status.corpusVersion();
  const connections = status.connections();
  return { ok: corpusVersion !== null && Object.values(connections).every((s) => s === 'up'), corpusVersion, connections };
}

/** Answers /healthz, /readyz and /metrics (GET or HEAD); false for any other request, left to the caller. */
export function createOperatorHandler(status: Status): (req: IncomingMessage, res: ServerResponse) => boolean {
  const json = (res: ServerResponse, code: number, body: object) =>
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      json(res, 200, { ok: true, version: status.version, build: status.build, corpusVersion: status.corpusVersion() });
      return true;
    }
    if (path === '/readyz') {
      const now = readiness(status);
      json(res, now.ok ? 200 : 503, now);
      return true;
    }
    if (path === '/metrics' && status.metrics) {
      status.metrics().then(
        (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
      );
      return true;
    }
    return false;
  };
}

/**
 * A server of its own on `port` for `handle`, which says false for what it does not serve (a
 * 404): the reader on PORT, or the operator's endpoints on HEALTH_PORT.
 */
async function serve(
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => boolean,
  { keepAlive = true } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end(`${wordsFor('en').operator.notFound}\n`);
  });
  if (!keepAlive) server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The reader on a port of its own (PORT), when no Slack HTTP receiver serves it. */
export function startReaderServer(
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<{ port: number; close(): Promise<void> }> {
  return serve(port, handle);
}

/**
 * /healthz, /readyz and /metrics on HEALTH_PORT, for a deployment with no HTTP server of its
 * own (Discord's gateway, Slack's Socket Mode), or beside Slack's. It opens before the corpus
 * loads, so it must not keep the process alive: a start that fails after it still ends.
 */
export function startHealthServer(port: number, status: Status): Promise<{ port: number; close(): Promise<void> }> {
  return serve(port, createOperatorHandler(status), { keepAlive: false });
}
