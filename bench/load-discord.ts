/**
 * Discord under load, on the loopback: interactions dispatched through the fake Discord's
 * gateway to the real discord.js client that `startDiscord` builds, over the bundled corpus, a
 * fixed number in flight at a time. A request's latency runs from its INTERACTION_CREATE
 * leaving the fake to its interaction callback arriving: what Discord's 3 s window measures.
 *
 * The mix and the driver are shared with test/discord/load.test.ts, which asserts on the same
 * kind of run what the benchmark only counts.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registry } from '../commands/index.js';
import { BUNDLED_CORPUS_DIR } from '../src/config.js';
import { loadCorpus } from '../src/core/corpus/load.js';
import { type Corpus, essaysOf, sentenceText } from '../src/core/corpus/model.js';
import { type Bot, createBot, type Logger } from '../src/core/dispatch/bot.js';
import type { Locale } from '../src/core/reply/model.js';
import { createIndex } from '../src/core/search/corpus-index.js';
import type { CorpusIndex } from '../src/core/search/search.js';
import { startDiscord } from '../src/discord/bot.js';
import { FIND_SOURCE, FIND_SOURCE_COMMAND } from '../src/discord/commands.js';
import { type ButtonState, createButtonStore, encodeState } from '../src/discord/custom-id.js';
import { capMessages, type DiscordMessage, noteToDiscord, replyToDiscord } from '../src/discord/render.js';
import { FakeDiscord, type FakeUser, type RecordedRequest } from '../test/discord/fake-discord.js';
import { loadDraws } from './mix.js';
import { exposeGc, heapUsedMb, inPool, type LoadFigures, percentile } from './stats.js';
import { createRandom } from './synthetic.js';

type Value = string | number | boolean;

/** What the user does in Discord. */
export type DiscordInteraction =
  | { kind: 'slash'; name: string; options: Record<string, Value> }
  | { kind: 'autocomplete'; name: string; options: Record<string, string>; focused: string; complete: 'author' | 'essay' }
  | { kind: 'button'; customId: string }
  | { kind: 'context'; content: string };

/**
 * What the adapter must make of it: run a command (privately or not), answer with one of its
 * own notes, or offer autocomplete choices.
 */
export type Expectation =
  | { run: { command: string; input: Record<string, Value>; ephemeral: boolean; sharedBy?: string } }
  | { note: string }
  | { choices: { kind: 'author' | 'essay'; prefix: string } };

export interface DiscordLoadRequest {
  interaction: DiscordInteraction;
  user: FakeUser;
  locale: 'en-US' | 'zh-CN';
  expect: Expectation;
}

/** Interactions per user: below the default burst (RATE_LIMIT_BURST, 10), so a run under the production limits measures answers, not refusals. */
export const INTERACTIONS_PER_USER = 5;

/** The adapter's notes, in its words (src/discord/bot.ts); the e2e tests pin them too. */
const NOTES = {
  expired: 'This button has expired. Run the command again for fresh results.',
  notYours: (command: string) => `Only the person who ran /${command} can page its results. Run /${command} yourself to search.`,
  noText: 'That message has no text to look up.',
};

/** A user of the load run; snowflake-shaped, since the adapter's custom_ids carry the owner's ID. */
export function loadUser(n: number): FakeUser {
  return { id: String(600000000000000000n + BigInt(n)), username: `load${n}` };
}

// Long on purpose: one table of weighted request kinds, each a few lines that draw its inputs
// from the same corpus, index and seeded random.
/**
 * `count` interactions, a mix weighted the way people use the bot: mostly /quote and the
 * context menu's /verify, every command Discord offers with varied queries cut from the corpus,
 * autocomplete on authors and essays, the buttons on an answer (More, Context, Sources, Post
 * to channel, someone else's More, expired ones), the Find source context menu, private
 * answers, Chinese locales, and about one in ten a bad input.
 */
export function discordLoadMix(corpus: Corpus, index: CorpusIndex, count: number, seed = 20251130): DiscordLoadRequest[] {
  const next = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const essays = essaysOf(corpus);
  const paragraphs = essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs));
  const sentences = paragraphs.flatMap((p) => p.sentences.map((s) => sentenceText(p, s))).filter((s) => s.length >= 12 && s.length <= 150);
  const headings = essays.flatMap((e) => e.sections.flatMap((s) => (s.heading === null ? [] : [s.heading])));
  const authors = index.findAuthors('');
  if (sentences.length === 0 || authors.length === 0) throw new Error('bench: the load mix needs a corpus with sentences and authors');
  const commands = [...registry.values()].filter((c) => !c.hidden).map((c) => c.name);

  const { phrase, author } = loadDraws(next, sentences, authors);
  type Make = (user: FakeUser, other: FakeUser) => Omit<DiscordLoadRequest, 'user' | 'locale'> & { locale?: DiscordLoadRequest['locale'] };
  const slash = (name: string, options: Record<string, Value>, privately = false): ReturnType<Make> => ({
    interaction: { kind: 'slash', name, options: privately ? { ...options, private: true } : options },
    expect: { run: { command: name, input: options, ephemeral: privately } },
  });
  const button = (state: ButtonState, expect: Expectation): ReturnType<Make> => ({
    interaction: { kind: 'button', customId: encodeState(state) },
    expect,
    locale: 'en-US',
  });
  const kinds: Array<[weight: number, make: Make]> = [
    [18, () => slash('quote', { query: phrase() })],
    [4, () => slash('quote', { query: phrase(), author: author() })],
    [3, () => slash('quote', { query: phrase(), count: 1 + Math.floor(next() * 5) })],
    [2, () => slash('quote', { query: phrase(), page: 2 })],
    [3, () => slash('quote', { query: phrase() }, true)],
    [6, () => slash('verify', { sentence: pick(sentences) })],
    // Other punctuation, and one character changed: /verify's other two outcomes.
    [2, () => slash('verify', { sentence: pick(sentences).replace(/[，。]/gu, (c) => (c === '，' ? ',' : '.')) })],
    [2, () => slash('verify', { sentence: ((s) => `${s.slice(0, 4)}大${s.slice(5)}`)(pick(sentences)) })],
    [5, () => slash('who', { text: next() < 0.7 ? pick(sentences) : pick(headings.length > 0 ? headings : sentences) })],
    [4, () => slash('author', { name: author() })],
    [4, () => slash('sources', next() < 0.3 ? {} : { query: phrase() })],
    [4, () => slash('cite', { target: next() < 0.6 ? pick(paragraphs).id : pick(essays).id })],
    [2, () => slash('essays', {}, next() < 0.3)],
    [2, () => slash('help', next() < 0.5 ? {} : { command: pick(commands) })],
    // Autocomplete, as the user types into an option.
    [
      4,
      () =>
        ((prefix) => ({
          interaction: { kind: 'autocomplete', name: 'quote', options: { query: phrase(), author: prefix }, focused: 'author', complete: 'author' },
          expect: { choices: { kind: 'author', prefix } },
        }))(author().slice(0, 1 + Math.floor(next() * 3))),
    ],
    [
      2,
      () =>
        ((prefix) => ({
          interaction: { kind: 'autocomplete', name: 'sources', options: { essay: prefix }, focused: 'essay', complete: 'essay' },
          expect: { choices: { kind: 'essay', prefix } },
        }))(next() < 0.3 ? '' : phrase()),
    ],
    // Buttons on earlier answers. Their state is in the custom_id, so no earlier message is needed.
    [
      4,
      (u) =>
        ((input) => button({ kind: 'more', owner: u.id, ephemeral: false, command: 'quote', input }, { run: { command: 'quote', input, ephemeral: false } }))({
          query: phrase(),
          count: '3',
          page: '2',
        }),
    ],
    [
      4,
      (u) =>
        ((input) =>
          button({ kind: 'context', owner: u.id, ephemeral: false, command: 'context', input }, { run: { command: 'context', input, ephemeral: true } }))({
          id: pick(paragraphs).id,
        }),
    ],
    // Sources on someone else's answer: open to anyone, answered privately.
    [
      3,
      (_, o) =>
        ((input) =>
          button({ kind: 'sources', owner: o.id, ephemeral: false, command: 'sources', input }, { run: { command: 'sources', input, ephemeral: true } }))({
          query: phrase(),
        }),
    ],
    [
      2,
      (u) =>
        ((input) =>
          button(
            { kind: 'share', owner: u.id, ephemeral: true, command: 'quote', input },
            { run: { command: 'quote', input, ephemeral: false, sharedBy: u.username } },
          ))({
          query: phrase(),
          count: '1',
        }),
    ],
    [
      1,
      (_, o) =>
        button({ kind: 'more', owner: o.id, ephemeral: false, command: 'quote', input: { query: phrase(), page: '2' } }, { note: NOTES.notYours('quote') }),
    ],
    [1, () => ({ interaction: { kind: 'button', customId: 'y1#AAAAAAAAAAAAAAAAAAAAAA' }, expect: { note: NOTES.expired }, locale: 'en-US' })],
    [1, () => ({ interaction: { kind: 'button', customId: 'from-an-older-version' }, expect: { note: NOTES.expired }, locale: 'en-US' })],
    // The Find source context menu on someone's message: a private /verify.
    [
      5,
      () =>
        ((content) => ({
          interaction: { kind: 'context', content },
          expect: { run: { command: FIND_SOURCE_COMMAND, input: { [positionalOf(FIND_SOURCE_COMMAND)]: content }, ephemeral: true } },
        }))(next() < 0.7 ? pick(sentences) : `@everyone ${pick(sentences)}`),
    ],
    [1, () => ({ interaction: { kind: 'context', content: '' }, expect: { note: NOTES.noText }, locale: 'en-US' })],
    // Bad input, answered privately with the reason.
    [1, () => slash('quote', { query: '！！！' })],
    [1, () => slash('quote', { query: phrase(), count: 9 })],
    [1, () => slash('nosuch', {})],
    [1, () => slash('cite', { target: 'no-such-essay.999' })],
    [1, () => slash('author', { name: 'Nobody Atall' })],
    [1, () => slash('who', { text: '人'.repeat(600) })],
    [1, () => slash('quote', { query: `${phrase()} <@123456789012345678> @here` })],
  ];
  const total = kinds.reduce((n, [w]) => n + w, 0);
  const users = Math.max(2, Math.ceil(count / INTERACTIONS_PER_USER));
  return Array.from({ length: count }, (_, i) => {
    let roll = next() * total;
    const [, make] =
      kinds.find(([w]) => {
        roll -= w;
        return roll < 0;
      }) ?? (kinds[0] as (typeof kinds)[number]);
    const user = loadUser(i % users);
    const made = make(user, loadUser((i + 1) % users));
    return { ...made, user, locale: made.locale ?? (next() < 0.2 ? 'zh-CN' : 'en-US') };
  });
}

function positionalOf(command: string): string {
  const positional = registry.get(command)?.positional;
  if (!positional) throw new Error(`bench: /${command} has no positional option for the context menu`);
  return positional;
}

const localeOf = (r: DiscordLoadRequest): Locale => (r.locale === 'zh-CN' ? 'zh-CN' : 'en');

/**
 * The messages the adapter must send for a request, computed by a bot over the same library
 * without the adapter: the renderer's messages for the expected command, or the adapter's note.
 * Empty for autocomplete, which answers with choices instead.
 */
export function expectedMessages(oracle: Bot, request: DiscordLoadRequest): DiscordMessage[] {
  const { expect, user } = request;
  if ('note' in expect) return [noteToDiscord(expect.note)];
  if ('choices' in expect) return [];
  const { command, input, ephemeral, sharedBy } = expect.run;
  // A public answer in a server follows the server's language (the fake's guild_locale is en-US).
  const locale = ephemeral ? localeOf(request) : 'en';
  const reply = oracle.run(command, input, { platform: 'discord', userId: user.id, locale });
  // custom_ids are a pure function of the state (long ones hash it), so a store of our own gives the same ones.
  const buttons = createButtonStore();
  const messages = replyToDiscord(reply, {
    locale,
    ephemeral,
    share: { command, input },
    ...(sharedBy ? { sharedBy } : {}),
    customId: (action) => buttons.customId({ ...action, owner: user.id, ephemeral }),
  });
  return capMessages(messages, locale);
}

/** The autocomplete choices the adapter must offer, straight from the index. */
export function expectedChoices(oracle: Bot, request: DiscordLoadRequest): Array<{ name: string; value: string }> {
  if (!('choices' in request.expect)) return [];
  const { kind, prefix } = request.expect.choices;
  return oracle
    .library()
    .index.complete(kind, prefix, 25)
    .map((c) => ({ name: c.name, value: c.value }));
}

/** Dispatches one request through the fake's gateway. */
export function dispatch(fake: FakeDiscord, request: DiscordLoadRequest): { id: string; token: string } {
  const { interaction: i, user, locale } = request;
  switch (i.kind) {
    case 'slash':
      return fake.slashCommand({ name: i.name, options: i.options, user, locale });
    case 'autocomplete':
      return fake.autocomplete({ name: i.name, options: i.options, focused: i.focused, user, locale });
    case 'button':
      return fake.button({ customId: i.customId, user, message: {}, locale });
    case 'context':
      return fake.messageCommand({ name: FIND_SOURCE, content: i.content, author: { id: '500000000000000009', username: 'someone' }, user, locale });
  }
}

/** A request that carries (part of) an answer: a callback with a message or choices, the edit of a deferral, a follow-up. */
export function isAnswerPart(q: RecordedRequest): boolean {
  if (q.status >= 300) return false;
  // 4: a message; 7: a page put in place of the clicked message (More); 8: autocomplete choices.
  if (q.route.endsWith('/callback')) return [4, 7, 8].includes((q.body as { type?: number } | undefined)?.type ?? 0);
  return q.method === 'PATCH' || (q.method === 'POST' && q.route.startsWith('/webhooks/'));
}

/** Which interaction a request belongs to: by ID for a callback, by token for its webhook. */
function ownerOf(q: RecordedRequest): { id?: string; token?: string } {
  const callback = /^\/interactions\/(\d+)\/[^/]+\/callback$/u.exec(q.route);
  if (callback) return { id: callback[1] };
  const webhook = /^\/webhooks\/\d+\/([^/]+)/u.exec(q.route);
  return webhook ? { token: webhook[1] } : {};
}

/** One request as it went. */
export interface InteractionOutcome {
  request: DiscordLoadRequest;
  id: string;
  token: string;
  /** From INTERACTION_CREATE sent to the first successful callback received. */
  callbackMs: number;
  /** From INTERACTION_CREATE sent to the last expected part received. */
  doneMs: number;
}

/** Counts of what the fake received per interaction, over a whole run (late or extra requests included). */
export interface Tally {
  /** Interaction callbacks taken, or refused only for being a second one, by interaction ID. */
  callbacks: Map<string, number>;
  /** Answer parts (see isAnswerPart), by interaction ID. */
  parts: Map<string, number>;
  /** Answer parts expected, by interaction ID. */
  expected: Map<string, number>;
  stop(): void;
}

/** The interactions answered exactly once (one callback, the expected parts), and everything sent beyond that. */
export function countAnswers(tally: Tally): { answered: number; duplicates: number } {
  let answered = 0;
  let duplicates = 0;
  for (const [id, want] of tally.expected) {
    const callbacks = tally.callbacks.get(id) ?? 0;
    const got = tally.parts.get(id) ?? 0;
    if (callbacks === 1 && got === want) answered += 1;
    duplicates += Math.max(0, callbacks - 1) + Math.max(0, got - want);
  }
  return { answered, duplicates };
}

/** Starts counting the fake's requests per interaction; only interactions sent by `driveInteractions` with this tally are counted. */
export function startTally(
  fake: FakeDiscord,
): Tally & { track(id: string, token: string, expected: number, onRequest: (q: RecordedRequest) => void): void; untrack(id: string): void } {
  const callbacks = new Map<string, number>();
  const parts = new Map<string, number>();
  const expected = new Map<string, number>();
  const idOfToken = new Map<string, string>();
  const listeners = new Map<string, (q: RecordedRequest) => void>();
  const stop = fake.requests.watch((q) => {
    const owner = ownerOf(q);
    const id = owner.id ?? (owner.token !== undefined ? idOfToken.get(owner.token) : undefined);
    if (id === undefined || !callbacks.has(id)) return;
    // A second callback is refused by Discord as already acknowledged; it is still one sent too many.
    if (q.route.endsWith('/callback') && (q.status < 300 || q.refused?.includes('already been acknowledged'))) callbacks.set(id, (callbacks.get(id) ?? 0) + 1);
    if (isAnswerPart(q)) parts.set(id, (parts.get(id) ?? 0) + 1);
    listeners.get(id)?.(q);
  });
  return {
    callbacks,
    parts,
    expected,
    stop,
    track(id, token, want, onRequest) {
      callbacks.set(id, 0);
      parts.set(id, 0);
      expected.set(id, want);
      idOfToken.set(token, id);
      listeners.set(id, onRequest);
    },
    untrack(id) {
      // Still counted, so that a late duplicate shows.
      listeners.delete(id);
    },
  };
}

/**
 * Dispatches `requests`, `concurrency` in flight at a time; each is done when its first
 * successful callback and `expectedParts[i]` answer parts have arrived.
 */
export async function driveInteractions(
  fake: FakeDiscord,
  tally: ReturnType<typeof startTally>,
  requests: readonly DiscordLoadRequest[],
  expectedParts: readonly number[],
  opts: { concurrency: number },
): Promise<InteractionOutcome[]> {
  const outcomes: InteractionOutcome[] = new Array(requests.length);
  await inPool(requests.length, opts.concurrency, async (i) => {
    const request = requests[i] as DiscordLoadRequest;
    const need = expectedParts[i] ?? 1;
    let t0 = 0;
    let callbackMs = -1;
    let seen = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const onRequest = (q: RecordedRequest) => {
      if (callbackMs < 0 && q.route.endsWith('/callback') && q.status < 300) callbackMs = performance.now() - t0;
      if (isAnswerPart(q)) seen += 1;
      if (callbackMs >= 0 && seen >= need) done();
    };
    t0 = performance.now();
    // The fake sends synchronously and the bot answers on a later turn, so tracking right after dispatch misses nothing.
    const { id, token } = dispatch(fake, request);
    tally.track(id, token, need, onRequest);
    await finished;
    tally.untrack(id);
    outcomes[i] = { request, id, token, callbackMs, doneMs: performance.now() - t0 };
  });
  return outcomes;
}

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const TOKEN = 'bench-token';

/** Latency here: INTERACTION_CREATE sent to the interaction callback received. */
export type DiscordLoadFigures = LoadFigures;

/**
 * Runs `requests` interactions at `concurrency` against the real Discord adapter on the
 * loopback, under the production default rate limit, in four batches, and reports callback
 * latency, exactly-once delivery and heap growth. Resolves when the adapter and the fake are
 * closed again.
 */
export async function benchDiscordLoad(opts: { requests: number; concurrency: number }): Promise<DiscordLoadFigures> {
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  const library = { corpus, index: createIndex(corpus) };
  // RATE_LIMIT_BURST and RATE_LIMIT_PER_MINUTE's defaults, as npm start runs the bot.
  const bot = createBot({ commands: registry, library, logger: quiet, rateLimit: { burst: 10, perMinute: 20 } });
  const oracle = createBot({ commands: registry, library, logger: quiet });
  const fake = await FakeDiscord.start({ token: TOKEN });
  const adapter = await startDiscord(bot, { token: TOKEN, applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase }, quiet);
  const tally = startTally(fake);
  try {
    const requests = discordLoadMix(corpus, library.index, opts.requests);
    const parts = requests.map((r) => Math.max(1, expectedMessages(oracle, r).length));
    const gc = exposeGc();
    const quarter = Math.max(1, Math.ceil(requests.length / 4));
    const latencies: number[] = [];
    const heaps: number[] = [];
    for (let start = 0; start < requests.length; start += quarter) {
      const outcomes = await driveInteractions(fake, tally, requests.slice(start, start + quarter), parts.slice(start, start + quarter), {
        concurrency: opts.concurrency,
      });
      latencies.push(...outcomes.map((o) => o.callbackMs));
      // The fake's records are the fake's memory, not the bot's.
      fake.clearRecords();
      heaps.push(heapUsedMb(gc));
    }
    // stop() closes the client; anything sent after the last batch is counted too.
    await adapter.stop();
    const { answered, duplicates } = countAnswers(tally);
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      requests: requests.length,
      answered,
      duplicates,
      heapGrowthMb: heaps.length >= 2 ? (heaps.at(-1) as number) - (heaps[Math.min(1, heaps.length - 2)] as number) : Number.NaN,
    };
  } finally {
    tally.stop();
    await adapter.stop();
    await fake.close();
  }
}

// `node dist/bench/load-discord.js [requests] [concurrency]`: this benchmark alone, its figures as JSON.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [requests = 500, concurrency = 50] = process.argv.slice(2).map(Number);
  process.stdout.write(`${JSON.stringify(await benchDiscordLoad({ requests, concurrency }))}\n`);
}
