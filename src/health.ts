import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wordsFor } from './core/words/index.js';

/** What `/healthz` reports: the corpus served, and each connection's state. */
export interface Health {
  corpusVersion: string;
  /** `up` or `down` per platform connection (e.g. `{ discord: 'up' }`). */
  connections: Record<string, 'up' | 'down'>;
}

/**
 * `GET /healthz` on HEALTH_PORT, for a deployment with no HTTP server of its own (Discord's
 * gateway, Slack's Socket Mode): 200 while every connection is up, 503 while one is down, so
 * that a supervisor or load balancer can tell a bot that runs from one that serves.
 */
/** The reader on a port of its own (PORT), when no Slack HTTP receiver serves it. */
export async function startReaderServer(
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end(`${wordsFor('en').operator.notFound}\n`);
  });
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

export async function startHealthServer(port: number, health: () => Health): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`${wordsFor('en').operator.notFound}\n`);
      return;
    }
    const now = health();
    const up = Object.values(now.connections).every((s) => s === 'up');
    res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: up, ...now }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
