import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CORPUS_DIR, type SlackConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { SLACK_EVENTS_PATH, type SlackAdapter, startSlack } from '../../src/slack/bot.js';
import type { SlackBlock } from '../../src/slack/render.js';
import { botOver, quietLogger } from '../support/bot.js';
import { blockAction, type ClickedButton, FakeSlack, postSigned, slashCommand } from './fake-slack.js';

/*
 * Slack's HTTP mode scaled out: two replicas behind one request URL share nothing but the
 * corpus folder. A button's state travels in the button, so a click that the load balancer
 * sends to the other replica is answered all the same.
 */

const BOT_TOKEN = 'xoxb-1-test-bot-token';
const SIGNING_SECRET = 'test-signing-secret-0123456789';

let fake: FakeSlack;
const replicas: SlackAdapter[] = [];

/** A replica: its own corpus, index, bot and HTTP receiver, as another process would have. */
async function replica(): Promise<{ adapter: SlackAdapter; url: string }> {
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  const bot = botOver(corpus);
  const config: SlackConfig = { botToken: BOT_TOKEN, appToken: undefined, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
  const adapter = await startSlack(bot, config, quietLogger);
  replicas.push(adapter);
  return { adapter, url: `http://127.0.0.1:${adapter.port}${SLACK_EVENTS_PATH}` };
}

beforeAll(async () => {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: 'xapp-1-unused-app-token' });
});

afterAll(async () => {
  for (const r of replicas) await r.stop();
  await fake?.close();
});

const buttons = (body: Record<string, unknown>) =>
  ((body.blocks as SlackBlock[] | undefined) ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements as unknown as ClickedButton[]) : []));

describe('two Slack HTTP replicas', () => {
  it('answers on the second replica a More button the first one made, with the next page', async () => {
    const first = await replica();
    const second = await replica();
    const now = () => Math.floor(Date.now() / 1000);
    await postSigned(first.url, slashCommand('/yinzheng', 'quote 人工智能 count:2', fake.responseUrl('replica-a')), {
      secret: SIGNING_SECRET,
      timestamp: now(),
    });
    const [page1] = await fake.responses.until(1, (r) => r.id === 'replica-a');
    const more = buttons(page1?.body ?? {}).find((b) => b.text.text === 'More');
    expect(more).toBeDefined();
    const clicked = await postSigned(
      second.url,
      { payload: JSON.stringify(blockAction(more as ClickedButton, fake.responseUrl('replica-b'))) },
      { secret: SIGNING_SECRET, timestamp: now() },
    );
    expect(clicked.status).toBe(200);
    const [page2] = await fake.responses.until(1, (r) => r.id === 'replica-b');
    // The next page, in place of the first: a title that counts on from it.
    expect(page2?.body.replace_original).toBe(true);
    expect(JSON.stringify(page2?.body)).toContain('Quotes 3–4');
    expect(JSON.stringify(page1?.body)).toContain('Quotes 1–2');
  });
});
