/**
 * Slack under load, on the loopback: slash commands delivered through the fake Slack's Socket
 * Mode websocket to the real Bolt app that `startSlack` builds, over the bundled corpus, a fixed
 * number in flight at a time. A request's latency runs from the envelope leaving the fake to the
 * last message of its answer arriving at its response_url: what a user waits for, minus Slack's
 * own hops.
 *
 * The mix and the driver are shared with test/slack/load.test.ts, which asserts on the same run
 * what the benchmark only counts.
 */
import { registry } from '../commands/index.js';
import { BUNDLED_CORPUS_DIR, parseConfig, type SlackConfig } from '../src/config.js';
import { loadCorpus } from '../src/core/corpus/load.js';
import { type Corpus, essaysOf, type Paragraph, sentenceText } from '../src/core/corpus/model.js';
import { type Bot, createBot, type Logger } from '../src/core/dispatch/bot.js';
import { createIndex } from '../src/core/search/corpus-index.js';
import type { CorpusIndex } from '../src/core/search/search.js';
import { type SlackAdapter, startSlack } from '../src/slack/bot.js';
import { replyToBlockKit } from '../src/slack/render.js';
import { type Ack, FakeSlack, type ResponsePost, slashCommand } from '../test/slack/fake-slack.js';
import { loadDraws } from './mix.js';
import { exposeGc, heapUsedMb, inPool, type LoadFigures, percentile } from './stats.js';
import { createRandom } from './synthetic.js';

/** A slash command as a user types it. */
export interface SlashRequest {
  /** Without the slash: `quote`. */
  command: string;
  /** As typed, before Slack escapes it. */
  text: string;
  userId: string;
}

/**
 * Requests per user in the mix. Below the default burst (RATE_LIMIT_BURST, 10), so a run under
 * the production limits measures answers, not refusals.
 */
export const REQUESTS_PER_USER = 5;

/**
 * `count` slash commands, a mix weighted the way people use the bot (mostly /quote and
 * /verify), with every command the manifest offers, queries cut from the corpus itself, filters,
 * paging, and about one in ten a bad input (empty, punctuation only, out-of-range or
 * non-numeric options, unknown passages and authors, over-long text).
 */
export function slackLoadMix(corpus: Corpus, index: CorpusIndex, count: number, seed = 20251130): SlashRequest[] {
  const next = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const essays = essaysOf(corpus);
  const paragraphs = essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs));
  const sentencesOf = (ps: readonly Paragraph[]) =>
    ps.flatMap((p) => p.sentences.map((s) => sentenceText(p, s))).filter((s) => s.length >= 12 && s.length <= 150);
  const sentences = sentencesOf(paragraphs);
  const headings = essays.flatMap((e) => e.sections.flatMap((s) => (s.heading === null ? [] : [s.heading])));
  const authors = index.findAuthors('');
  if (sentences.length === 0 || authors.length === 0) throw new Error('bench: the load mix needs a corpus with sentences and authors');
  const { phrase, author } = loadDraws(next, sentences, authors);
  const kinds: Array<[weight: number, make: () => [string, string]]> = [
    [20, () => ['quote', phrase()]],
    [6, () => ['quote', `${phrase()} author:${author()}`]],
    [4, () => ['quote', `${phrase()} count:${1 + Math.floor(next() * 5)}`]],
    [3, () => ['quote', `${phrase()} page:2`]],
    [
      2,
      () => {
        const essay = pick(essays);
        const own = sentencesOf(essay.sections.flatMap((s) => s.paragraphs));
        return ['quote', `${phrase(own)} essay:${next() < 0.5 ? essay.id : essay.title.slice(0, 6)}`];
      },
    ],
    [8, () => ['verify', pick(sentences)]],
    // Other punctuation, and one character changed: /verify's other two outcomes.
    [4, () => ['verify', pick(sentences).replace(/[，。]/gu, (c) => (c === '，' ? ',' : '.'))]],
    [
      4,
      () => {
        const sentence = pick(sentences);
        return ['verify', `${sentence.slice(0, 4)}大${sentence.slice(5)}`];
      },
    ],
    [6, () => ['who', next() < 0.7 || headings.length === 0 ? pick(sentences) : pick(headings)]],
    [5, () => ['author', author()]],
    [5, () => ['sources', next() < 0.3 ? '' : phrase()]],
    [5, () => ['cite', next() < 0.6 ? pick(paragraphs).id : pick(essays).id]],
    [3, () => ['essays', '']],
    [3, () => ['help', next() < 0.5 ? '' : pick([...registry.values()].filter((c) => !c.hidden)).name]],
    // Bad input.
    [1, () => ['quote', '']],
    [1, () => ['quote', '！？。']],
    [1, () => ['quote', `${phrase()} count:99`]],
    [1, () => ['quote', `${phrase()} count:abc`]],
    [1, () => ['cite', 'no-such-essay.999']],
    [1, () => ['author', 'Nobody Atall']],
    [1, () => ['verify', '']],
    [1, () => ['who', '人'.repeat(600)]],
    [1, () => ['quote', `${phrase()} author:<@U0EVIL> & co`]],
  ];
  const total = kinds.reduce((n, [w]) => n + w, 0);
  const users = Math.max(1, Math.ceil(count / REQUESTS_PER_USER));
  return Array.from({ length: count }, (_, i) => {
    let roll = next() * total;
    const [, make] =
      kinds.find(([w]) => {
        roll -= w;
        return roll < 0;
      }) ?? (kinds[0] as (typeof kinds)[number]);
    const [command, text] = make();
    return { command, text, userId: `U0LOAD${String(i % users).padStart(4, '0')}` };
  });
}

/** What Slack puts in a slash command's `text`: the typed text with `&`, `<` and `>` as entities. */
export function slackEscape(typed: string): string {
  return typed.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/**
 * The response_url bodies the adapter must post for a request, computed by a bot over the same
 * library without the adapter: the renderer's messages, private, each added to the thread.
 */
export function expectedPosts(oracle: Bot, request: SlashRequest): Array<Record<string, unknown>> {
  const reply = oracle.runLine(`${request.command} ${request.text}`, { platform: 'slack', userId: request.userId, locale: 'en', invocation: '/yinzheng ' });
  const messages = replyToBlockKit(reply, { locale: 'en', visibility: 'ephemeral', share: { c: request.command, l: request.text }, maxMessages: 5 });
  return messages.map((m) => ({ response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks }));
}

/** One request as it went: its ack, its posts up to the expected count, and how long that took. */
export interface LoadOutcome {
  request: SlashRequest;
  /** The response_url id the fake recorded its posts under. */
  id: string;
  ack: Ack;
  posts: ResponsePost[];
  latencyMs: number;
}

/**
 * Sends `requests` as slash command envelopes over the fake's Socket Mode connection,
 * `concurrency` in flight at a time; each is done when its ack and `expected[i]` posts have
 * arrived. Posts beyond the expected count land in the fake's recorder, for the caller to count.
 */
export async function driveSlashCommands(
  fake: FakeSlack,
  requests: readonly SlashRequest[],
  expected: readonly number[],
  opts: { concurrency: number; label: string },
): Promise<LoadOutcome[]> {
  const waiting = new Map<string, { need: number; posts: ResponsePost[]; done: () => void }>();
  const stop = fake.responses.watch((post) => {
    const w = waiting.get(post.id);
    if (!w) return;
    w.posts.push(post);
    if (w.posts.length === w.need) {
      waiting.delete(post.id);
      w.done();
    }
  });
  const outcomes: LoadOutcome[] = new Array(requests.length);
  try {
    await inPool(requests.length, opts.concurrency, async (i) => {
      const request = requests[i] as SlashRequest;
      const id = `${opts.label}-${i}`;
      const posts: ResponsePost[] = [];
      const need = expected[i] ?? 1;
      const answered = need === 0 ? Promise.resolve() : new Promise<void>((done) => waiting.set(id, { need, posts, done }));
      const payload = slashCommand('/yinzheng', `${request.command} ${slackEscape(request.text)}`, fake.responseUrl(id), request.userId);
      const t0 = performance.now();
      const [ack] = await Promise.all([fake.sendEnvelope('slash_commands', payload), answered]);
      outcomes[i] = { request, id, ack, posts, latencyMs: performance.now() - t0 };
    });
  } finally {
    stop();
  }
  return outcomes;
}

const BOT_TOKEN = 'xoxb-bench';
const APP_TOKEN = 'xapp-bench';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** Latency here: envelope sent to the answer's last message received. */
export type SlackLoadFigures = LoadFigures;

/**
 * Runs `requests` slash commands at `concurrency` against the real Slack adapter in Socket Mode
 * on the loopback, under the production default rate limit, and reports latency, exactly-once
 * delivery and heap growth. Resolves when the adapter and the fake are closed again.
 */
export async function benchSlackLoad(opts: { requests: number; concurrency: number }): Promise<SlackLoadFigures> {
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  const library = { corpus, index: createIndex(corpus) };
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  // Configured as npm start configures it, with the default rate limit.
  const config = parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl });
  const bot = createBot({ commands: registry, library, logger: quiet, rateLimit: config.rateLimit });
  const oracle = createBot({ commands: registry, library, logger: quiet });
  let adapter: SlackAdapter;
  try {
    adapter = await startSlack(bot, config.slack as SlackConfig, quiet);
  } catch (error) {
    await fake.close();
    throw error;
  }
  try {
    const requests = slackLoadMix(corpus, library.index, opts.requests);
    const expected = requests.map((r) => expectedPosts(oracle, r).length);
    const gc = exposeGc();
    const quarter = Math.max(1, Math.ceil(requests.length / 4));
    const latencies: number[] = [];
    let answered = 0;
    let duplicates = 0;
    const heaps: number[] = [];
    for (let start = 0, batch = 0; start < requests.length; start += quarter, batch += 1) {
      const slice = requests.slice(start, start + quarter);
      const outcomes = await driveSlashCommands(fake, slice, expected.slice(start, start + quarter), {
        concurrency: opts.concurrency,
        label: `bench-${batch}`,
      });
      latencies.push(...outcomes.map((o) => o.latencyMs));
      // Every handler of this batch has posted what it meant to by now, except a stray extra
      // post still on its way; those are counted with the next batch's (or after the stop).
      const ids = new Set(outcomes.map((o) => o.id));
      const envelopes = new Set(outcomes.map((o) => o.ack.envelope_id));
      answered += outcomes.filter((o) => fake.responses.items.filter((p) => p.id === o.id).length === o.posts.length).length;
      duplicates += fake.responses.items.filter((p) => ids.has(p.id)).length - outcomes.reduce((n, o) => n + o.posts.length, 0);
      duplicates += fake.acks.items.filter((a) => envelopes.has(a.envelope_id)).length - outcomes.length;
      duplicates += fake.responses.items.filter((p) => !ids.has(p.id)).length + fake.acks.items.filter((a) => !envelopes.has(a.envelope_id)).length;
      fake.responses.clear();
      fake.acks.clear();
      heaps.push(heapUsedMb(gc));
    }
    await adapter.stop();
    duplicates += fake.responses.items.length + fake.acks.items.length;
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      requests: requests.length,
      answered,
      duplicates,
      heapGrowthMb: (heaps.at(-1) ?? Number.NaN) - (heaps[0] ?? Number.NaN),
    };
  } finally {
    await adapter.stop();
    await fake.close();
  }
}
