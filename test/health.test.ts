import { afterEach, describe, expect, test } from 'vitest';
import { type Health, startHealthServer } from '../src/health.js';

describe('GET /healthz on HEALTH_PORT', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  test('200 while every connection is up, 503 while one is down, 404 elsewhere', async () => {
    const now: Health = { corpusVersion: 'abc123def456', connections: { discord: 'up', slack: 'up' } };
    const server = await startHealthServer(0, () => now);
    close = server.close;
    const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);
    const up = await get('/healthz');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ok: true, corpusVersion: 'abc123def456', connections: { discord: 'up', slack: 'up' } });
    now.connections.discord = 'down';
    const down = await get('/healthz?probe=1');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, connections: { discord: 'down' } });
    expect((await get('/')).status).toBe(404);
  });
});
