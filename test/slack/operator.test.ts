import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.js';
import { BUNDLED_CORPUS_DIR, type SlackConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { type Bot, createBot, type Logger } from '../../src/core/dispatch/bot.js';
import { createIndex } from '../../src/core/search/corpus-index.js';
import { createOperatorHandler, createStatusBoard, type StatusBoard } from '../../src/health.js';
import { createMetrics } from '../../src/metrics.js';
import { SLACK_EVENTS_PATH, type SlackAdapter, startSlack } from '../../src/slack/bot.js';
import { BUILD, VERSION } from '../../src/version.js';
import { quietLogger } from '../support/bot.js';
import { parsePrometheus } from '../support/prometheus.js';
import { FAST_SOCKET, FakeSlack, postSigned, Recorder, slashCommand } from './fake-slack.js';

/*
 * The operator's endpoints on the Slack HTTP receiver's port, wired as main wires them: the
 * bot's requests counted through `observe`, the status board read by /readyz.
 */

const BOT_TOKEN = 'xoxb-1-test-bot-token';
const SIGNING_SECRET = 'test-signing-secret-0123456789';

let fake: FakeSlack;
let bot: Bot;
let adapter: SlackAdapter;
let status: StatusBoard;
/** Whether the other platform (tracked beside Slack, as Discord would be) is up. */
let discordUp = true;

beforeAll(async () => {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: 'xapp-1-unused' });
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  status = createStatusBoard({ version: VERSION, build: BUILD, metrics: () => metrics.text() });
  const metrics = createMetrics({ version: VERSION, build: BUILD, corpusVersion: () => status.corpusVersion() });
  // Three requests, then none: the fourth of one user is refused.
  bot = createBot({
    commands: registry,
    library: { corpus, index: createIndex(corpus) },
    logger: quietLogger,
    rateLimit: { burst: 3, perMinute: 1, now: () => 0 },
    observe: metrics.request,
  });
  status.serving(() => bot.library().corpus.version);
  const config: SlackConfig = { botToken: BOT_TOKEN, appToken: undefined, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
  adapter = await startSlack(bot, config, quietLogger, { ...FAST_SOCKET, operator: createOperatorHandler(status) });
  status.track('slack', () => adapter.up());
  status.track('discord', () => discordUp);
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

const at = (path: string) => `http://127.0.0.1:${adapter.port}${path}`;

/** A signed slash command, answered: resolves once its response_url post has arrived. */
async function slash(text: string, id: string, user: string): Promise<void> {
  const response = await postSigned(at(SLACK_EVENTS_PATH), slashCommand('/yinzheng', text, fake.responseUrl(id), user), {
    secret: SIGNING_SECRET,
    timestamp: Math.floor(Date.now() / 1000),
  });
  expect(response.status).toBe(200);
  await fake.responses.until(1, (r) => r.id === id);
}

describe('the operator’s endpoints on the Slack HTTP port', () => {
  it('/metrics counts requests by platform, command and outcome, and refusals by the rate limit, in Prometheus text', async () => {
    await slash('quote 智能鸿沟', 'metrics-1', 'U0METRICS');
    await slash('quote 智能鸿沟', 'metrics-2', 'U0METRICS');
    await slash('quote 智能鸿沟 count:99', 'metrics-3', 'U0METRICS');
    await slash('quote 智能鸿沟', 'metrics-4', 'U0METRICS');
    const response = await fetch(at('/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheus(await response.text());
    const outcomes = [...samples].filter(([series]) => series.startsWith('yinzheng_requests_total{'));
    expect(new Map(outcomes)).toEqual(
      new Map([
        ['yinzheng_requests_total{platform="slack",command="quote",outcome="ok"}', 2],
        ['yinzheng_requests_total{platform="slack",command="quote",outcome="invalid_input"}', 1],
        ['yinzheng_requests_total{platform="slack",command="quote",outcome="rate_limited"}', 1],
      ]),
    );
    expect(samples.get('yinzheng_rate_limited_total{platform="slack"}')).toBe(1);
    expect(samples.get('yinzheng_request_seconds_count{platform="slack",command="quote"}')).toBe(4);
    expect(samples.get('yinzheng_request_seconds_bucket{le="+Inf",platform="slack",command="quote"}')).toBe(4);
    expect(samples.get(`yinzheng_corpus_info{version="${bot.library().corpus.version}"}`)).toBe(1);
    expect(samples.get(`yinzheng_build_info{version="${VERSION}",build="source"}`)).toBe(1);
    expect(samples.has('yinzheng_nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('/readyz is 503 while another platform is down and 200 when all are up; /healthz is 200 meanwhile', async () => {
    const version = bot.library().corpus.version;
    discordUp = false;
    const down = await fetch(at('/readyz'));
    expect([down.status, await down.json()]).toEqual([503, { ok: false, corpusVersion: version, connections: { slack: 'up', discord: 'down' } }]);
    const live = await fetch(at('/healthz'));
    expect([live.status, await live.json()]).toEqual([200, { ok: true, version: VERSION, build: BUILD, corpusVersion: version }]);
    discordUp = true;
    const up = await fetch(at('/readyz'));
    expect([up.status, await up.json()]).toEqual([200, { ok: true, corpusVersion: version, connections: { slack: 'up', discord: 'up' } }]);
  });
});

describe('the Slack adapter’s connection, as /readyz reads it', () => {
  it('Socket Mode is down from the socket’s close until Slack’s hello on the new one; HTTP is up until it stops', async () => {
    // The socket client's own debug lines are the events to await: it logs the wait before a
    // reconnection in the same turn as the close, and each hello just before it says connected.
    const lines = new Recorder<string>();
    const logger: Logger = { ...quietLogger, debug: (_obj, msg) => lines.push(msg ?? '') };
    const socket = await startSlack(
      bot,
      { botToken: BOT_TOKEN, appToken: 'xapp-1-unused', signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' },
      logger,
      FAST_SOCKET,
    );
    try {
      expect(socket.up()).toBe(true);
      const hellos = lines.items.filter((l) => l.includes('"type":"hello"')).length;
      fake.sendDisconnect();
      await lines.until(1, (l) => l.startsWith('Before trying to reconnect'));
      expect(socket.up()).toBe(false);
      await lines.until(hellos + 1, (l) => l.includes('"type":"hello"'));
      expect(socket.up()).toBe(true);
    } finally {
      await socket.stop();
    }
    expect(socket.up()).toBe(false);
    expect(adapter.up()).toBe(true);
  });
});
