import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { BUNDLED_CORPUS_DIR, parseConfig, type SlackConfig } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { type Bot, createBot, type Logger } from '../../src/core/dispatch/bot.js';
import type { Command } from '../../src/core/dispatch/command.js';
import type { Reply } from '../../src/core/reply/model.js';
import { createIndex } from '../../src/core/search/corpus-index.js';
import { localeFromSlack, SLACK_EVENTS_PATH, type SlackAdapter, splitSubcommand, startSlack } from '../../src/slack/bot.js';
import { FIND_SOURCE_CALLBACK_ID } from '../../src/slack/manifest.js';
import {
  type ButtonState,
  messageChars,
  parseButtonValue,
  replyToBlockKit,
  type SlackBlock,
  type SlackButton,
  type SlackMessage,
} from '../../src/slack/render.js';
import { BUILD, VERSION } from '../../src/version.js';
import { createReader } from '../../src/web/reader.js';
import { requester } from '../support/bot.js';
import { fixtureWords } from '../support/words.js';
import {
  appMention,
  blockAction,
  FAILING_RESPONSE_PREFIX,
  FAKE_BOT,
  FAKE_CHANNEL,
  FAKE_TEAM,
  FAST_SOCKET,
  FakeSlack,
  messageShortcut,
  postSigned,
  postSignedEvent,
  Recorder,
  type ResponsePost,
  SECOND_TEAM,
  slashCommand,
  withoutRevisions,
} from './fake-slack.js';

const BOT_TOKEN = 'xoxb-1-test-bot-token';
const APP_TOKEN = 'xapp-1-test-app-token';
const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** A logger that keeps what it is given, so tests can assert what was (and was not) logged. */
function recordingLogger() {
  const entries = new Recorder<{ level: string; obj: object; msg: string | undefined }>();
  const at = (level: string) => (obj: object, msg?: string) => entries.push({ level, obj, msg });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { logger, entries, errors: () => entries.items.filter((e) => e.level === 'error') };
}

/** Markup that would notify people or link users and channels; our own links are `<http…|…>`. */
const DANGEROUS = /<[!@#]|<(?!https?:\/\/)/u;

/** A line for every command the registry shows on Slack; the test fails when one is missing. */
const SAMPLE_LINES: Record<string, string> = {
  quote: '智能鸿沟 author:陈志敏',
  who: '智能鸿沟',
  author: '陈志敏',
  sources: '智能鸿沟',
  essays: '',
  cite: '智能鸿沟',
  verify: '人工智能治理攸关全人类的共同命运',
  help: '',
};

/**
 * A fixture command whose answer is far too long for one Slack message: a 40,000-character
 * paragraph and a hundred footnotes. It stands for a corpus with a very long paragraph.
 */
const longText = '人工智能治理攸关全人类的共同命运，需要各国携手应对<挑战>&机遇。'.repeat(1300);
const huge: Command = {
  name: 'huge',
  words: fixtureWords({ description: 'fixture', options: { n: { name: 'n', description: 'fixture' } } }),
  result: z.unknown(),
  options: z.object({ n: z.number().int().optional() }),
  run: (_input, ctx) => ({
    command: 'huge',
    title: '<!channel> 长段落',
    blocks: [
      {
        kind: 'quote',
        text: longText,
        highlights: [[0, 6]],
        markers: [{ offset: 10, number: 1 }],
        attribution: { author: '<@U0EVIL>', affiliation: null, essay: '长文', section: null, passageId: 'long.1' },
        footnotes: Array.from({ length: 100 }, (_, i) => ({
          number: i + 1,
          text: `注释 <!here> ${i + 1}`,
          printed: `注释 <!here> ${i + 1}`,
          urls: [`https://example.org/n/${i + 1}`],
          covers: 'passage' as const,
        })),
      },
    ],
    actions: [{ kind: 'more', command: 'huge', input: { n: 2 } }],
    results: [{}],
    corpusVersion: ctx.corpus.version,
  }),
};
/**
 * A fixture command whose answer is long in blocks rather than characters: 240 short quotes,
 * so each message it takes is full to Slack's 50 blocks.
 */
const many: Command = {
  name: 'many',
  words: fixtureWords({ description: 'fixture', options: {} }),
  result: z.unknown(),
  options: z.object({}),
  run: (_input, ctx) => ({
    command: 'many',
    title: '许多短段落',
    blocks: Array.from({ length: 240 }, (_, i) => ({ kind: 'text' as const, text: `第${i + 1}段：人工智能治理攸关全人类的共同命运。` })),
    actions: [],
    results: [{}],
    corpusVersion: ctx.corpus.version,
  }),
};
/** A fixture command that fails with a bug, to show the adapter answers briefly and logs. */
const broken: Command = {
  name: 'broken',
  words: fixtureWords({ description: 'fixture', options: {} }),
  result: z.unknown(),
  options: z.object({}),
  run: () => {
    throw new TypeError('fixture bug: cannot read properties of undefined');
  },
};

let fake: FakeSlack;
let bot: Bot;
/** The same commands over the same library, logging elsewhere: computes what each answer should be. */
let oracle: Bot;
const log = recordingLogger();

beforeAll(async () => {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  const commands = new Map(registry);
  commands.set(huge.name, huge);
  commands.set(broken.name, broken);
  commands.set(many.name, many);
  const library = { corpus, index: createIndex(corpus) };
  bot = createBot({ commands, library, logger: log.logger });
  oracle = createBot({ commands, library, logger: recordingLogger().logger });
});

afterAll(async () => {
  await fake?.close();
});

const alice = requester('en', 'slack', 'U0ALICE', '/yinzheng ');

let nextId = 0;
function newId(label: string): string {
  nextId += 1;
  return `${label}-${nextId}`;
}

/** What the adapter must post for a reply: exactly the renderer's messages, as response_url bodies. */
function expectedPosts(
  reply: Reply,
  visibility: 'ephemeral' | 'in_channel',
  share?: ButtonState,
  maxMessages = 5,
  replace = false,
  sharedBy?: { id: string; name: string },
): Array<Record<string, unknown>> {
  const messages = replyToBlockKit(reply, { locale: 'en', visibility, ...(share ? { share } : {}), maxMessages, ...(sharedBy ? { sharedBy } : {}) });
  return messages.map((m, i) => ({
    response_type: reply.error ? 'ephemeral' : visibility,
    replace_original: replace && i === 0 && !reply.error,
    text: m.text,
    blocks: m.blocks,
  }));
}

function buttonsOf(posts: ResponsePost[]): SlackButton[] {
  const blocks = posts.flatMap((p) => (p.body.blocks as SlackBlock[] | undefined) ?? []);
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

/** Every string under a `text` key, anywhere in a message. */
function textsOf(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'text' ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => textsOf(v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => textsOf(v, k));
  return [];
}

function assertSafe(posts: ResponsePost[]): void {
  const texts = posts.flatMap((p) => textsOf(p.body));
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) expect(t).not.toMatch(DANGEROUS);
}

/** How the two modes deliver a slash command or an interaction, and what the ack looks like. */
interface Transport {
  command(command: string, text: string, responseUrl: string): Promise<void>;
  interact(payload: Record<string, unknown>): Promise<void>;
}

function endToEnd(mode: 'socket' | 'http', transport: () => Transport) {
  /** Sends a slash command and waits for the expected number of posts to its response_url. */
  async function slash(name: string, text: string): Promise<{ reply: Reply; posts: ResponsePost[]; id: string }> {
    const id = newId(`${mode}-${name}`);
    const reply = oracle.runLine(`${name} ${text}`, alice);
    const expected = expectedPosts(reply, 'ephemeral', { c: name, l: text });
    await transport().command('/yinzheng', `${name} ${text}`, fake.responseUrl(id));
    const posts = await fake.responses.until(expected.length, (r) => r.id === id);
    expect(withoutRevisions(posts.map((p) => p.body))).toEqual(expected);
    assertSafe(posts);
    return { reply, posts, id };
  }

  it('answers every command on the registry privately, exactly as rendered, with a Share button', async () => {
    const visible = [...registry.values()].filter((c) => !c.hidden).map((c) => c.name);
    expect(Object.keys(SAMPLE_LINES).sort()).toEqual([...visible].sort());
    for (const name of visible) {
      const { reply, posts } = await slash(name, SAMPLE_LINES[name] as string);
      expect(reply.error, `/${name}: ${reply.error?.message}`).toBeUndefined();
      expect(posts.every((p) => p.body.response_type === 'ephemeral')).toBe(true);
      // The command's own share action when it has one, else the typed line.
      const own = reply.actions.find((a) => a.kind === 'share');
      const state: ButtonState = own ? { c: own.command, i: own.input } : { c: name, l: SAMPLE_LINES[name] as string };
      expect(buttonsOf(posts).at(-1)).toMatchObject({ text: { text: 'Share in channel' }, value: JSON.stringify(state) });
    }
  });

  it('/quote with author:陈志敏 quotes only 陈志敏, with the essay, footnotes and More/Context/Sources buttons', async () => {
    const { posts } = await slash('quote', '智能鸿沟 author:陈志敏');
    const blocks = posts.flatMap((p) => p.body.blocks as SlackBlock[]);
    const context = blocks.filter((b): b is Extract<SlackBlock, { type: 'context' }> => b.type === 'context').map((b) => b.elements[0]?.text ?? '');
    expect(context.length).toBeGreaterThan(0);
    for (const c of context) expect(c).toMatch(/^— 陈志敏/u);
    const quoted = blocks.filter((b) => b.type === 'section' && 'text' in b && b.text.text.startsWith('>'));
    expect(quoted.some((b) => b.type === 'section' && 'text' in b && b.text.text.includes('智能鸿沟'))).toBe(true);
    expect(buttonsOf(posts).map((b) => b.text.text)).toEqual(expect.arrayContaining(['Context 1', 'Sources', 'Share in channel']));
  });

  it('re-runs the command each More, Context and Sources button carries, privately', async () => {
    const { posts } = await slash('quote', '人工智能');
    const buttons = buttonsOf(posts).filter((b) => b.text.text !== 'Share in channel');
    expect(new Set(buttons.map((b) => b.text.text.replace(/ \d+$/u, '')))).toEqual(new Set(['More', 'Context', 'Sources']));
    for (const button of buttons) {
      const state = parseButtonValue(button.value) as ButtonState;
      expect(state).not.toBeNull();
      const reply = 'i' in state ? oracle.run(state.c, state.i, alice) : oracle.runLine(`${state.c} ${state.l}`, alice);
      expect(reply.error, `${button.text.text}: ${reply.error?.message}`).toBeUndefined();
      // More pages in place of the message it is on; Context and Sources answer beside it.
      const expected = expectedPosts(reply, 'ephemeral', state, 5, button.text.text === 'More');
      const id = newId(`${mode}-button`);
      await transport().interact(blockAction(button, fake.responseUrl(id)));
      const clicked = await fake.responses.until(expected.length, (r) => r.id === id);
      expect(withoutRevisions(clicked.map((p) => p.body))).toEqual(expected);
      assertSafe(clicked);
    }
  });

  it('Share in channel posts the answer publicly, without a share button, and deletes the private copy', async () => {
    const { posts } = await slash('quote', '智能鸿沟 author:陈志敏');
    const share = buttonsOf(posts).find((b) => b.text.text === 'Share in channel') as SlackButton;
    const state = parseButtonValue(share.value) as ButtonState;
    const reply = 'i' in state ? oracle.run(state.c, state.i, alice) : oracle.runLine(`${state.c} ${state.l}`, alice);
    expect(reply.error).toBeUndefined();
    // The "Shared by" line opens the first message, rendered with it inside its limits.
    const sharedBy: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: 'Shared by <@U0ALICE>', verbatim: true }] };
    const publicPosts = expectedPosts(reply, 'in_channel', undefined, 4, false, { id: 'U0ALICE', name: 'alice' });
    const id = newId(`${mode}-share`);
    await transport().interact(blockAction(share, fake.responseUrl(id)));
    const shared = await fake.responses.until(publicPosts.length + 1, (r) => r.id === id);
    expect(withoutRevisions(shared.map((p) => p.body))).toEqual([...publicPosts, { delete_original: true }]);
    expect((shared[0]?.body.blocks as SlackBlock[] | undefined)?.[0]).toEqual(sharedBy);
    expect(shared.every((p) => p.accepted)).toBe(true);
    expect(buttonsOf(shared).map((b) => b.text.text)).not.toContain('Share in channel');
  });

  it('Share of the longest answers is taken by Slack: a "Shared by" line never makes a full message 51 blocks or too long', async () => {
    for (const name of ['many', 'huge']) {
      const id = newId(`${mode}-long-${name}`);
      await transport().command('/yinzheng', name, fake.responseUrl(id));
      const answer = await fake.responses.until(5, (r) => r.id === id);
      expect(answer.every((p) => p.accepted)).toBe(true);
      if (name === 'many') expect((answer[0]?.body.blocks as SlackBlock[] | undefined)?.length).toBe(50);
      const share = buttonsOf(answer).find((b) => b.text.text === 'Share in channel') as SlackButton;
      const shareId = newId(`${mode}-share-${name}`);
      await transport().interact(blockAction(share, fake.responseUrl(shareId)));
      // Four messages of the answer, then the private copy's deletion: five posts, all taken.
      const shared = await fake.responses.until(5, (r) => r.id === shareId);
      expect(shared.map((p) => p.accepted)).toEqual([true, true, true, true, true]);
      expect(shared.at(-1)?.body).toEqual({ delete_original: true });
      const first = shared[0]?.body.blocks as SlackBlock[];
      expect(first[0]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Shared by <@U0ALICE>', verbatim: true }] });
      for (const p of shared.slice(0, 4)) expect((p.body.blocks as SlackBlock[]).length).toBeLessThanOrEqual(50);
      if (name === 'many') expect(first.length).toBe(50);
    }
  });

  it('gives every answer fresh block_ids: a More click replaces the message with block_ids of its own', async () => {
    const { posts } = await slash('quote', '人工智能 count:2');
    const more = buttonsOf(posts).find((b) => b.text.text === 'More') as SlackButton;
    const id = newId(`${mode}-more-ids`);
    await transport().interact(blockAction(more, fake.responseUrl(id)));
    const [page] = await fake.responses.until(1, (r) => r.id === id);
    expect(page?.body.replace_original).toBe(true);
    const again = newId(`${mode}-more-ids-again`);
    await transport().interact(blockAction(more, fake.responseUrl(again)));
    const [repeat] = await fake.responses.until(1, (r) => r.id === again);
    const ids = [posts.at(-1), page, repeat].map((p) =>
      ((p?.body.blocks as SlackBlock[] | undefined) ?? []).flatMap((b) => (b.type === 'actions' ? [b.block_id] : [])),
    );
    for (const list of ids) expect(list).toEqual([expect.stringMatching(/^yinzheng-actions-[0-9a-f]{8}$/u)]);
    expect(new Set(ids.flat()).size).toBe(3);
  });

  it('the "Find source" shortcut looks the message text up sentence by sentence, read back from Slack markup', async () => {
    const sentence = '人工智能治理攸关全人类的共同命运';
    const find = registry.get('find') as Command;
    const positional = find.positional as string;
    const reply = oracle.run('find', { [positional]: `${sentence} <b>` }, alice);
    expect(reply.results).toHaveLength(1);
    const expected = expectedPosts(reply, 'ephemeral', { c: 'find', i: { [positional]: `${sentence} <b>` } });
    const id = newId(`${mode}-shortcut`);
    await transport().interact(messageShortcut(FIND_SOURCE_CALLBACK_ID, `<https://x.example/p|${sentence}> &lt;b&gt;`, fake.responseUrl(id)));
    const posts = await fake.responses.until(expected.length, (r) => r.id === id);
    expect(withoutRevisions(posts.map((p) => p.body))).toEqual(expected);
    assertSafe(posts);
  });

  it('the shortcut on a long message checks it sentence by sentence, never refusing it for its length', async () => {
    const known = ['人工智能治理攸关全人类的共同命运。', '中国支持联合国在人工智能全球治理中发挥主渠道作用。'];
    const text = `${known[0]}${'这是讨论中的一句评论，与文章无关。'.repeat(30)}${known[1]}`;
    expect(text.length).toBeGreaterThan(500);
    const id = newId(`${mode}-shortcut-long`);
    await transport().interact(messageShortcut(FIND_SOURCE_CALLBACK_ID, text, fake.responseUrl(id)));
    const reply = oracle.run('find', { text }, alice);
    expect(reply.error).toBeUndefined();
    const expected = expectedPosts(reply, 'ephemeral', { c: 'find', i: { text } });
    const posts = await fake.responses.until(expected.length, (r) => r.id === id);
    expect(withoutRevisions(posts.map((p) => p.body))).toEqual(expected);
    const shown = textsOf(posts.map((p) => p.body)).join('\n');
    expect(shown).toContain(`1. ${known[0]} — verbatim`);
    expect(shown).toContain('The first 8 sentences are checked; 24 more are not.');
  });

  it("reads the entities Slack puts in a command's text back into the characters typed", async () => {
    const typed = '人工智能治理攸关全人类的共同命运 <b> & c';
    const reply = oracle.runLine(`verify ${typed}`, alice);
    const expected = expectedPosts(reply, 'ephemeral', { c: 'verify', l: typed });
    const id = newId(`${mode}-entities`);
    await transport().command('/yinzheng', 'verify 人工智能治理攸关全人类的共同命运 &lt;b&gt; &amp; c', fake.responseUrl(id));
    const posts = await fake.responses.until(expected.length, (r) => r.id === id);
    expect(withoutRevisions(posts.map((p) => p.body))).toEqual(expected);
  });

  it('the shortcut on a message without text answers with a clear private error', async () => {
    const id = newId(`${mode}-shortcut-empty`);
    await transport().interact(messageShortcut(FIND_SOURCE_CALLBACK_ID, '', fake.responseUrl(id)));
    const [post] = await fake.responses.until(1, (r) => r.id === id);
    expect(post?.body).toMatchObject({ response_type: 'ephemeral', text: 'This message has no text to look up.' });
  });

  it('/yinzheng alone, /yinzheng help and an unknown subcommand list the subcommands with their usage, privately', async () => {
    for (const text of ['', 'help', 'nonesuch <!here> x']) {
      const id = newId(`${mode}-help`);
      await transport().command('/yinzheng', text, fake.responseUrl(id));
      const posts = await fake.responses.until(1, (r) => r.id === id);
      expect(posts[0]?.body.response_type).toBe('ephemeral');
      const shown = textsOf(posts.map((p) => p.body)).join('\n');
      for (const name of [...registry.values()].filter((c) => !c.hidden).map((c) => c.name)) expect(shown).toContain(`/yinzheng ${name}`);
      // The unknown word is not repeated back.
      expect(shown).not.toContain('nonesuch');
      if (text.startsWith('nonesuch')) expect(shown).toContain('That is not a subcommand. /yinzheng takes these:');
    }
  });

  it('/yinzheng essays with words ranks the essays; a filter naming no essay or author gets the closest, as Discord would autocomplete them', async () => {
    const found = await slash('essays', '全球治理倡议');
    expect((found.reply.results as Array<{ id: string }>).map((r) => r.id)).toEqual(['wu-zhicheng-skbw', 'chen-zhimin-ylph']);
    const cases = [
      [
        '治理 essay:全球治理倡议的意义',
        'No essay matches that ID or title. Closest: 《深刻把握全球治理倡议的时代意义》 (wu-zhicheng-skbw), 《引领普惠向善的人工智能全球治理：中国的角色》 (chen-zhimin-ylph). Give one of these IDs, or search with /yinzheng essays and words.',
      ],
      ['治理 author:wu-zhicheg', 'No author of the corpus has that name. Closest: 吴志成 (wu zhicheng).'],
    ] as const;
    for (const [text, message] of cases) {
      const { reply, posts } = await slash('quote', text);
      expect(reply.message).toBe(message);
      expect(posts.flatMap((p) => textsOf(p.body)).some((t) => t.includes(message))).toBe(true);
    }
  });

  it("bad input gets the command's own error, privately, with no Share button", async () => {
    for (const [name, text] of [
      ['quote', ''],
      ['quote', '！？。'],
      ['quote', '智能 count:99'],
      ['quote', '智能 count:abc'],
    ] as const) {
      const { reply, posts } = await slash(name, text);
      expect(reply.error, `/${name} ${text}`).toBeDefined();
      expect(posts).toHaveLength(1);
      expect(posts[0]?.body).toMatchObject({ response_type: 'ephemeral', text: reply.error?.message });
      expect(buttonsOf(posts)).toEqual([]);
    }
  });

  it('a button whose value is not ours answers that it no longer works', async () => {
    const id = newId(`${mode}-stale`);
    await transport().interact(
      blockAction({ action_id: 'yinzheng:more:0', value: '{"broken"', text: { type: 'plain_text', text: 'More' } }, fake.responseUrl(id)),
    );
    const [post] = await fake.responses.until(1, (r) => r.id === id);
    expect(post?.body).toMatchObject({ response_type: 'ephemeral', text: 'This button no longer works. Run the command again.' });
  });

  it('a reply that would exceed the limits is split into at most five messages, each inside them', async () => {
    const { posts } = await slash('huge', '');
    expect(posts).toHaveLength(5);
    for (const post of posts) {
      const blocks = post.body.blocks as SlackBlock[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(messageChars(post.body as unknown as SlackMessage)).toBeLessThanOrEqual(10_000);
      for (const b of blocks) if (b.type === 'section' && 'text' in b) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
    expect((posts[4]?.body.blocks as SlackBlock[] | undefined)?.at(-1)?.type).toBe('actions');
  });

  it('a command that fails with a bug answers briefly and logs the error in full', async () => {
    const before = log.errors().length;
    const { posts } = await slash('broken', '');
    expect(posts[0]?.body).toMatchObject({ text: 'Something went wrong while answering. It has been logged; please try again.' });
    expect(
      log
        .errors()
        .slice(before)
        .map((e) => e.msg),
    ).toEqual(['command failed']);
  });
}

describe('Slack in Socket Mode', () => {
  let adapter: SlackAdapter;
  /** Where this adapter's Web API calls begin in the fake's record (other tests call it too). */
  let firstCall: number;
  beforeAll(async () => {
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    firstCall = fake.calls.items.length;
    adapter = await startSlack(bot, config, log.logger, FAST_SOCKET);
  });
  afterAll(async () => {
    await adapter?.stop();
  });

  it('checks the bot token with auth.test and opens the socket with the app token, both at SLACK_API_URL', async () => {
    const calls = fake.calls.items.slice(firstCall).map((c) => [c.method, c.token]);
    expect(calls.slice(0, 2)).toEqual([
      ['auth.test', BOT_TOKEN],
      ['apps.connections.open', APP_TOKEN],
    ]);
    expect(adapter.port).toBeUndefined();
  });

  it('acks a slash command before it answers', async () => {
    const id = newId('socket-order');
    const ack = await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id)));
    const [first] = await fake.responses.until(1, (r) => r.id === id);
    expect(ack.seq).toBeLessThan(first?.seq ?? 0);
  });

  it('an answer that cannot be delivered is logged, and the app keeps answering', async () => {
    const id = newId(`${FAILING_RESPONSE_PREFIX}socket`);
    await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id)));
    await log.entries.until(1, (e) => e.msg === 'slack: could not answer after a failure');
    expect(log.entries.items.filter((e) => e.msg === 'slack handler failed').map((e) => (e.obj as { handler: string }).handler)).toEqual(['command']);
    const posts = fake.responses.items.filter((r) => r.id === id);
    expect(posts.map((p) => p.body.text)).toEqual([expect.any(String), 'Something went wrong while answering. It has been logged; please try again.']);
    const next = newId('socket-after-failure');
    await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(next)));
    await fake.responses.until(1, (r) => r.id === next);
  });

  it('a zh-CN user gets the failure notice, a stale button and an empty shortcut in Chinese', async () => {
    fake.locales.set('U0LI', 'zh-CN');
    const failing = newId(`${FAILING_RESPONSE_PREFIX}socket-zh`);
    await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(failing), 'U0LI'));
    const posts = await fake.responses.until(2, (r) => r.id === failing);
    expect(posts.map((p) => p.body.text)).toEqual([expect.any(String), '回答时出错，已记录。请重试。']);

    const stale = newId('socket-zh-stale');
    const click = blockAction(
      { action_id: 'yinzheng:more:0', value: '{"broken"', text: { type: 'plain_text', text: '更多' } },
      fake.responseUrl(stale),
      'U0LI',
    );
    await fake.sendEnvelope('interactive', click);
    const [post] = await fake.responses.until(1, (r) => r.id === stale);
    expect(post?.body).toMatchObject({ response_type: 'ephemeral', text: '此按钮已失效。请重新运行命令。' });

    await fake.sendEnvelope('interactive', messageShortcut(FIND_SOURCE_CALLBACK_ID, '', undefined, 'U0LI'));
    const [call] = await fake.calls.until(1, (c) => c.method === 'chat.postEphemeral' && c.params.user === 'U0LI');
    expect(call?.params).toMatchObject({ user: 'U0LI', text: '该消息没有可查找的文字。' });
  });

  it('the shortcut answers with chat.postEphemeral when Slack sends no response_url', async () => {
    await fake.sendEnvelope('interactive', messageShortcut(FIND_SOURCE_CALLBACK_ID, '', undefined, 'U0CAROL'));
    const [call] = await fake.calls.until(1, (c) => c.method === 'chat.postEphemeral' && c.params.user === 'U0CAROL');
    expect(call?.token).toBe(BOT_TOKEN);
    expect(call?.params).toMatchObject({ channel: 'C0FAKE', user: 'U0CAROL', text: 'This message has no text to look up.' });
  });

  endToEnd('socket', () => ({
    async command(command, text, responseUrl) {
      const ack = await fake.sendEnvelope('slash_commands', slashCommand(command, text, responseUrl));
      // Acked at once with nothing to show; the answer follows through the response_url.
      expect(ack.payload).toEqual({});
    },
    async interact(payload) {
      const ack = await fake.sendEnvelope('interactive', payload);
      expect(ack.payload).toEqual({});
    },
  }));

  it('reconnects when Slack recycles the connection, and answers on the new one', async () => {
    const before = fake.connections.items.length;
    const opens = fake.calls.items.filter((c) => c.method === 'apps.connections.open').length;
    fake.sendDisconnect();
    // The client waits its reconnect delay (about five seconds) before opening a new socket.
    await fake.connections.until(before + 1);
    expect(fake.calls.items.filter((c) => c.method === 'apps.connections.open')).toHaveLength(opens + 1);
    const id = newId('socket-reconnected');
    await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id)));
    await fake.responses.until(1, (r) => r.id === id);
  });

  /** The chat.postMessage calls the bot made in a thread, once it made `count`. */
  const threadPosts = (thread: string, count: number) => fake.calls.until(count, (c) => c.method === 'chat.postMessage' && c.params.thread_ts === thread);

  it('answers @yinzheng quote … in the thread a channel message starts, for everyone there', async () => {
    const ts = '1800000001.000100';
    const ack = await fake.sendEnvelope('events_api', appMention('<@U0BOT> quote 智能鸿沟', { ts }));
    expect(ack.payload).toEqual({});
    const reply = oracle.runLine('quote 智能鸿沟', alice);
    const expected = replyToBlockKit(reply, { locale: 'en', visibility: 'in_channel' });
    const posts = await threadPosts(ts, expected.length);
    expect(posts.map((p) => [p.token, p.params.channel, p.params.text])).toEqual(expected.map((m) => [BOT_TOKEN, 'C0FAKE', m.text]));
    expect(withoutRevisions(posts[0]?.params.blocks)).toEqual(expected[0]?.blocks);
  });

  it('answers a mention inside a thread in that thread, and a mention that is no command with the list of subcommands', async () => {
    const thread = '1800000002.000100';
    await fake.sendEnvelope('events_api', appMention('<@U0BOT> who 结语', { ts: '1800000002.000500', threadTs: thread }));
    const [answer] = await threadPosts(thread, 1);
    expect(answer?.params.text).toBe(replyToBlockKit(oracle.runLine('who 结语', alice), { locale: 'en', visibility: 'in_channel' })[0]?.text);
    const chat = '1800000003.000100';
    await fake.sendEnvelope('events_api', appMention('<@U0BOT> what do you do?', { ts: chat }));
    const [help] = await threadPosts(chat, 1);
    expect(JSON.stringify(help?.params.blocks)).toContain('That is not a subcommand. /yinzheng takes these:');
    expect(JSON.stringify(help?.params.blocks)).toContain('/yinzheng quote');
  });

  it('a bad mention at the top level of a channel is answered where its user sees it, privately: ephemeral in the channel, no thread', async () => {
    const ts = '1800000004.000100';
    await fake.sendEnvelope('events_api', appMention('<@U0BOT> quote', { ts, userId: 'U0TYPO' }));
    const [call] = await fake.calls.until(1, (c) => c.method === 'chat.postEphemeral' && c.params.user === 'U0TYPO');
    const error = oracle.runLine('quote ', alice).error?.message as string;
    expect(call?.response).toMatchObject({ ok: true });
    expect(call?.params.thread_ts).toBeUndefined();
    // What the user sees: the error, under their mention; nobody else sees anything.
    expect(fake.seenBy('U0TYPO', 'C0FAKE').map((m) => m.text)).toEqual([error]);
    expect(fake.seenBy('U0ALICE', 'C0FAKE').filter((m) => m.text === error)).toEqual([]);
    expect(fake.calls.items.filter((c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts)).toEqual([]);
  });

  it('a bad mention inside a thread is answered in that thread, which exists, so its user sees it there', async () => {
    const thread = '1800000005.000100';
    await fake.sendEnvelope('events_api', appMention('<@U0BOT> quote', { ts: '1800000005.000200', threadTs: thread, userId: 'U0TYPO2' }));
    const [call] = await fake.calls.until(1, (c) => c.method === 'chat.postEphemeral' && c.params.user === 'U0TYPO2');
    expect(call?.params.thread_ts).toBe(thread);
    expect(fake.seenBy('U0TYPO2', 'C0FAKE', thread).map((m) => m.text)).toEqual([oracle.runLine('quote ', alice).error?.message]);
  });

  it('keeps to the five posts a response_url takes, then answers the same person in the same place with chat.postEphemeral', async () => {
    const asked = newId('socket-five');
    await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(asked), 'U0FIVE'));
    const [answer] = await fake.responses.until(1, (r) => r.id === asked);
    const sources = buttonsOf([answer as ResponsePost]).find((b) => b.text.text === 'Sources') as SlackButton;
    const id = newId('socket-five-clicks');
    // Six clicks answered through one response_url: the sixth answer must not go to it.
    for (let i = 0; i < 6; i++) await fake.sendEnvelope('interactive', blockAction(sources, fake.responseUrl(id), 'U0FIVE'));
    const ephemeral = await fake.calls.until(1, (c) => c.method === 'chat.postEphemeral' && c.params.user === 'U0FIVE');
    expect(fake.responses.items.filter((r) => r.id === id)).toHaveLength(5);
    expect(ephemeral[0]?.params).toMatchObject({ channel: 'C0FAKE', user: 'U0FIVE' });
    expect(ephemeral[0]?.params.text).toBe((fake.responses.items.find((r) => r.id === id)?.body as { text: string } | undefined)?.text);
  });

  it('answers in the user’s Slack language: users.info with include_locale, asked once per user', async () => {
    fake.locales.set('U0WANG', 'zh-CN');
    for (let i = 0; i < 2; i++) {
      const id = newId('socket-zh');
      await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id), 'U0WANG'));
      const posts = await fake.responses.until(1, (r) => r.id === id);
      const labels = posts.flatMap((p) => (p.body.blocks as SlackBlock[]).flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.text.text) : [])));
      expect(labels).toEqual(expect.arrayContaining(['更多', '出处', '分享到频道']));
    }
    const lookups = fake.calls.items.filter((c) => c.method === 'users.info' && c.params.user === 'U0WANG');
    expect(lookups.map((c) => [c.token, String(c.params.include_locale)])).toEqual([[BOT_TOKEN, 'true']]);
  });
});

describe('Slack subcommands and locales', () => {
  it('splits a typed line into its subcommand and the rest', () => {
    expect(splitSubcommand('  Quote 智能鸿沟 author:"王 某"')).toEqual(['quote', '智能鸿沟 author:"王 某"']);
    expect(splitSubcommand('/who 结语')).toEqual(['who', '结语']);
    expect(splitSubcommand('')).toEqual(['', '']);
  });
  it('reads Slack locales: zh-CN gets Simplified labels, zh-TW and zh-HK Traditional, the rest English', () => {
    expect(['zh-CN', 'zh-TW', 'zh-HK', 'en-US', 'ja-JP', undefined].map(localeFromSlack)).toEqual(['zh-CN', 'zh-TW', 'zh-HK', 'en', 'en', 'en']);
  });
});

describe('Slack over HTTP, serving the passage reader on its port', () => {
  let adapter: SlackAdapter;
  let url: string;
  beforeAll(async () => {
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: undefined, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    const reader = createReader({
      bot: () => linked,
      publicUrl: 'https://reader.example.org',
      access: 'signed',
      secret: 'reader-secret-0123456789',
      linkDays: 1,
    });
    const linked = createBot({ commands: registry, library: bot.library(), logger: log.logger, links: reader });
    adapter = await startSlack(linked, config, log.logger, { ...FAST_SOCKET, reader });
    url = `http://127.0.0.1:${adapter.port}${SLACK_EVENTS_PATH}`;
  });
  afterAll(async () => {
    await adapter?.stop();
  });

  it('links each quote to its words, and the link opens them on the same port; unsigned gets 403', async () => {
    const id = newId('http-reader');
    await postSigned(url, slashCommand('/yinzheng', 'quote 智能鸿沟 count:1', fake.responseUrl(id)), {
      secret: SIGNING_SECRET,
      timestamp: Math.floor(Date.now() / 1000),
    });
    const [post] = await fake.responses.until(1, (r) => r.id === id);
    const link = /<(https:\/\/reader\.example\.org\/p\/[^|>]+)\|Open in reader>/u.exec(JSON.stringify(post?.body))?.[1]?.replace(/&amp;/gu, '&');
    expect(link).toBeDefined();
    const local = new URL(link as string);
    const page = await fetch(`http://127.0.0.1:${adapter.port}${local.pathname}${local.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<mark id="quoted">');
    const unsigned = await fetch(`http://127.0.0.1:${adapter.port}${local.pathname}`);
    expect(unsigned.status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${adapter.port}/reader.css`)).status).toBe(200);
  });
});

describe('Slack over HTTP', () => {
  let adapter: SlackAdapter;
  let url: string;
  beforeAll(async () => {
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: undefined, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    adapter = await startSlack(bot, config, log.logger, FAST_SOCKET);
    url = `http://127.0.0.1:${adapter.port}${SLACK_EVENTS_PATH}`;
  });
  afterAll(async () => {
    await adapter?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);

  endToEnd('http', () => ({
    async command(command, text, responseUrl) {
      const response = await postSigned(url, slashCommand(command, text, responseUrl), { secret: SIGNING_SECRET, timestamp: now() });
      expect(response).toEqual({ status: 200, body: '' });
    },
    async interact(payload) {
      const response = await postSigned(url, { payload: JSON.stringify(payload) }, { secret: SIGNING_SECRET, timestamp: now() });
      expect(response).toEqual({ status: 200, body: '' });
    },
  }));

  it('answers GET /healthz with 200 and the corpus version, logged as no unhandled request', async () => {
    const before = log.entries.items.length;
    const response = await fetch(`http://127.0.0.1:${adapter.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, version: VERSION, build: BUILD, corpusVersion: bot.library().corpus.version });
    expect(log.entries.items.slice(before).filter((l) => /unhandled|404|not found/iu.test(String(l.msg)))).toEqual([]);
  });

  it('rejects a forged signature with 401 and runs nothing', async () => {
    const id = newId('http-forged');
    const form = slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id));
    const forged = await postSigned(url, form, { secret: 'not-the-secret', timestamp: now() });
    expect(forged.status).toBe(401);
    const garbage = await postSigned(url, form, { secret: SIGNING_SECRET, timestamp: now(), signature: 'v0=deadbeef' });
    expect(garbage.status).toBe(401);
    // A signed request sent after them is answered; the forged ones never were.
    await postSigned(url, slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(`${id}-signed`)), { secret: SIGNING_SECRET, timestamp: now() });
    await fake.responses.until(1, (r) => r.id === `${id}-signed`);
    expect(fake.responses.items.filter((r) => r.id === id)).toEqual([]);
  });

  it('rejects a correctly signed request whose timestamp is more than 5 minutes old with 401', async () => {
    const id = newId('http-stale');
    const old = await postSigned(url, slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(id)), { secret: SIGNING_SECRET, timestamp: now() - 6 * 60 });
    expect(old.status).toBe(401);
    const fresh = await postSigned(url, slashCommand('/yinzheng', 'quote 智能鸿沟', fake.responseUrl(`${id}-fresh`)), {
      secret: SIGNING_SECRET,
      timestamp: now() - 4 * 60,
    });
    expect(fresh.status).toBe(200);
    await fake.responses.until(1, (r) => r.id === `${id}-fresh`);
    expect(fake.responses.items.filter((r) => r.id === id)).toEqual([]);
  });
});

describe('Slack on a corpus with a very long paragraph', () => {
  let adapter: SlackAdapter;
  let longBot: Bot;
  let longOracle: Bot;
  let paragraph: string;
  beforeAll(async () => {
    const corpus = await loadCorpus(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'long'));
    paragraph = corpus.files[0]?.essays[0]?.sections[0]?.paragraphs[0]?.text ?? '';
    const library = { corpus, index: createIndex(corpus) };
    longBot = createBot({ commands: registry, library, logger: log.logger });
    longOracle = createBot({ commands: registry, library, logger: recordingLogger().logger });
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    adapter = await startSlack(longBot, config, log.logger);
  });
  afterAll(async () => {
    await adapter?.stop();
  });

  it('the Context button shows the whole 18,000-character paragraph across messages inside every limit, word for word', async () => {
    expect(paragraph.length).toBeGreaterThan(18_000);
    const quoteId = newId('long-quote');
    await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 第7点', fake.responseUrl(quoteId)));
    const [quoted] = await fake.responses.until(1, (r) => r.id === quoteId);
    const context = buttonsOf([quoted as ResponsePost]).find((b) => b.text.text.startsWith('Context')) as SlackButton;
    const state = parseButtonValue(context.value) as ButtonState;
    const expected = expectedPosts(
      'i' in state ? longOracle.run(state.c, state.i, alice) : longOracle.runLine(`${state.c} ${state.l}`, alice),
      'ephemeral',
      state,
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThanOrEqual(5);

    const id = newId('long-context');
    await fake.sendEnvelope('interactive', blockAction(context, fake.responseUrl(id)));
    const posts = await fake.responses.until(expected.length, (r) => r.id === id);
    expect(withoutRevisions(posts.map((p) => p.body))).toEqual(expected);
    assertSafe(posts);
    for (const post of posts) {
      const blocks = post.body.blocks as SlackBlock[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(messageChars(post.body as unknown as SlackMessage)).toBeLessThanOrEqual(10_000);
      for (const b of blocks) if (b.type === 'section' && 'text' in b) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
    const sections = posts
      .flatMap((p) => p.body.blocks as SlackBlock[])
      .flatMap((b) => (b.type === 'section' && 'text' in b && b.text.text.startsWith('>') ? [b.text.text] : []));
    // Each piece ends at a sentence end, and together they are the paragraph, word for word.
    for (const s of sections) expect(s).toMatch(/。(\[\d+\])?$/u);
    const read = sections
      .map((s) =>
        s
          .slice(1)
          .replace(/\u200B\*|\*\u200B|\[\d+\]/gu, '')
          .replace(/&lt;/gu, '<')
          .replace(/&gt;/gu, '>')
          .replace(/&amp;/gu, '&'),
      )
      .join('');
    expect(read).toBe(paragraph);
    // The footnote URL's `|` and `>` cannot end the link early.
    const all = JSON.stringify(posts.map((p) => p.body));
    expect(all).toContain('<https://example.org/a%7Cb|https://example.org/a%7Cb>');
    // The hostile words in the paragraph and its note arrive as text.
    expect(all).toContain('&lt;@U0EVIL&gt;');
    expect(all).toContain('&lt;!everyone&gt;');
  });
});

describe('Slack stop', () => {
  it('lets an answer in flight finish, then closes the socket', async () => {
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    const before = fake.connections.items.length;
    const adapter = await startSlack(bot, config, log.logger, FAST_SOCKET);
    const [ws] = (await fake.connections.until(before + 1)).slice(before);
    const id = newId('stop');
    const expected = expectedPosts(oracle.runLine('quote 人工智能', alice), 'ephemeral', { c: 'quote', l: '人工智能' });
    await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 人工智能', fake.responseUrl(id)));
    await adapter.stop();
    expect(withoutRevisions(fake.responses.items.filter((r) => r.id === id).map((r) => r.body))).toEqual(expected);
    await fake.closed.until(1, (w) => w === ws);
    await adapter.stop();
  });
});

describe('Slack startup errors', () => {
  it('a bot token Slack refuses is a clear startup error naming the variable', async () => {
    const config: SlackConfig = { botToken: 'xoxb-wrong', appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    await expect(startSlack(bot, config, log.logger)).rejects.toThrow(
      'slack: Slack refused SLACK_BOT_TOKEN (invalid_auth). Check the bot token in .env (see .env.example).',
    );
  });

  it('an app token Slack refuses is a clear startup error naming the variable', async () => {
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: 'xapp-wrong', signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    await expect(startSlack(bot, config, log.logger)).rejects.toThrow(
      'slack: could not open a Socket Mode connection (invalid_auth). Check SLACK_APP_TOKEN in .env: an app-level token (xapp-) with the connections:write scope.',
    );
  });

  it('a PORT already in use is a clear startup error naming the variable', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const config: SlackConfig = { botToken: BOT_TOKEN, appToken: undefined, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port, command: '/yinzheng' };
      await expect(startSlack(bot, config, log.logger)).rejects.toThrow(
        `slack: could not listen for HTTP on PORT ${port} (EADDRINUSE). Set another PORT in .env.`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it.each([
    ['SLACK_BOT_TOKEN', { SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_APP_TOKEN: APP_TOKEN }],
    ['SLACK_APP_TOKEN', { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-wrong' }],
  ])('npm start with a wrong %s: one line naming it, exit code 1, no stack trace', async (variable, tokens) => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'silent', ...tokens },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(lines[0]).toMatch(/^slack: /u);
    expect(stderr).not.toMatch(/\n\s+at /u);
  });

  it('neither an app token nor a signing secret is a clear startup error', async () => {
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: undefined, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    await expect(startSlack(bot, config, log.logger)).rejects.toThrow('config: Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP).');
  });
});

describe('Slack installed to several workspaces through OAuth (HTTP mode)', () => {
  const CLIENT = { clientId: '1111.2222', clientSecret: 'oauth-client-secret' };
  let second: FakeSlack;
  let adapter: SlackAdapter;
  let base: string;
  let dataDir: string;
  beforeAll(async () => {
    second = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, oauth: CLIENT });
    dataDir = await mkdtemp(join(tmpdir(), 'yz-installs-'));
    const config: SlackConfig = {
      botToken: undefined,
      appToken: undefined,
      signingSecret: SIGNING_SECRET,
      apiUrl: second.apiUrl,
      port: 0,
      command: '/yinzheng',
      oauth: { ...CLIENT, stateSecret: 'a-state-secret-of-some-length', installationsDir: join(dataDir, 'slack-installations') },
    };
    adapter = await startSlack(bot, config, log.logger, { authorizationUrl: `${second.apiUrl.replace(/\/api\/?$/u, '')}/oauth/v2/authorize` });
    base = `http://127.0.0.1:${adapter.port}`;
  });
  afterAll(async () => {
    await adapter?.stop();
    await second?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Installs the app to the second workspace as a browser does: /slack/install, Slack's consent, /slack/oauth_redirect. */
  async function installSecond(): Promise<void> {
    const install = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const state = new URL(install.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const back = await fetch(`${base}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(back.status).toBe(200);
  }
  /** The files kept for the second workspace's installation. */
  async function storedFiles(): Promise<string[]> {
    const all = await readdir(join(dataDir, 'slack-installations'), { recursive: true, withFileTypes: true });
    return all.filter((f) => f.isFile() && join(f.parentPath, f.name).includes(SECOND_TEAM.id)).map((f) => f.name);
  }
  const now = () => Math.floor(Date.now() / 1000);

  it('removing the app from a workspace deletes its installation, and the next event from it is refused', async () => {
    await installSecond();
    expect(await storedFiles()).not.toEqual([]);
    const before = newId('oauth-before-uninstall');
    const form = (id: string) => ({ ...slashCommand('/yinzheng', 'quote 智能鸿沟', second.responseUrl(id), 'U0SECOND'), team_id: SECOND_TEAM.id });
    expect((await postSigned(`${base}${SLACK_EVENTS_PATH}`, form(before), { secret: SIGNING_SECRET, timestamp: now() })).status).toBe(200);
    await second.responses.until(1, (r) => r.id === before);

    // Slack does not promise the order of the two events; app_uninstalled first here.
    const [revoked, uninstalled] = second.uninstall(SECOND_TEAM.id, SECOND_TEAM.botUserId);
    const removedLine = (e: { msg: string | undefined }) => e.msg === 'slack: workspace removed the app; its installation is deleted';
    const removals = log.entries.items.filter(removedLine).length;
    const logStart = log.entries.items.length;
    for (const event of [uninstalled, revoked]) expect((await postSignedEvent(`${base}${SLACK_EVENTS_PATH}`, event, SIGNING_SECRET)).status).toBe(200);
    await log.entries.until(removals + 2, removedLine);
    expect(await storedFiles()).toEqual([]);

    // The next command and mention from the workspace fail to authorize: refused, never answered.
    const after = newId('oauth-after-uninstall');
    const refused = await postSigned(`${base}${SLACK_EVENTS_PATH}`, form(after), { secret: SIGNING_SECRET, timestamp: now() });
    expect(refused.status).toBe(401);
    const mention = { ...appMention('<@U0BOT2> quote 智能鸿沟', { ts: '1800000009.000100', userId: 'U0SECOND' }), team_id: SECOND_TEAM.id };
    expect((await postSignedEvent(`${base}${SLACK_EVENTS_PATH}`, mention, SIGNING_SECRET)).status).toBe(401);
    expect(second.responses.items.filter((r) => r.id === after)).toEqual([]);
    expect(second.calls.items.filter((c) => c.token === SECOND_TEAM.botToken && c.response.error === 'token_revoked')).toEqual([]);
    // Installed again, the workspace starts afresh: its users' languages were forgotten and are asked again.
    const lookups = () => second.calls.items.filter((c) => c.method === 'users.info' && c.params.user === 'U0SECOND').length;
    const asked = lookups();
    await installSecond();
    const again = newId('oauth-reinstalled');
    expect((await postSigned(`${base}${SLACK_EVENTS_PATH}`, form(again), { secret: SIGNING_SECRET, timestamp: now() })).status).toBe(200);
    await second.responses.until(1, (r) => r.id === again);
    expect(lookups()).toBe(asked + 1);
    // Refusals are warnings, not failures of ours; nothing after the uninstall was logged as an error.
    expect(log.entries.items.slice(logStart).filter((e) => e.level === 'error')).toEqual([]);
    expect(log.entries.items.slice(logStart).filter((e) => e.msg === 'slack: an event from a workspace with no installation was refused')).toHaveLength(2);
  });

  it('installs through /slack/install and /slack/oauth_redirect, keeps the installation on disk, and answers that workspace with its own token', async () => {
    const install = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const location = new URL(install.headers.get('location') ?? '');
    expect(location.pathname).toBe('/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(location.searchParams.get('scope')).toBe('app_mentions:read,chat:write,commands,files:read,users:read');
    const state = location.searchParams.get('state') ?? '';
    expect(state).not.toBe('');
    const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    // Slack sends the browser back with a code; the app exchanges it with oauth.v2.access.
    const back = await fetch(`${base}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(back.status).toBe(200);
    const [exchange] = await second.calls.until(1, (c) => c.method === 'oauth.v2.access');
    expect(exchange?.params).toMatchObject({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: 'the-code' });
    const stored = await readdir(join(dataDir, 'slack-installations'), { recursive: true });
    expect(stored.some((f) => String(f).includes(SECOND_TEAM.id))).toBe(true);

    // A command from that workspace is answered, and Web API calls for it carry its token.
    const id = newId('oauth-second-team');
    const form = { ...slashCommand('/yinzheng', 'quote 智能鸿沟', second.responseUrl(id), 'U0SECOND'), team_id: SECOND_TEAM.id };
    const posted = await postSigned(`${base}${SLACK_EVENTS_PATH}`, form, { secret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) });
    expect(posted.status).toBe(200);
    const [answer] = await second.responses.until(1, (r) => r.id === id);
    expect(answer?.body.text).toBe(replyToBlockKit(oracle.runLine('quote 智能鸿沟', alice), { locale: 'en', visibility: 'ephemeral' })[0]?.text);
    const lookup = await second.calls.until(1, (c) => c.method === 'users.info' && c.params.user === 'U0SECOND');
    expect(lookup[0]?.token).toBe(SECOND_TEAM.botToken);
  });

  it('refuses a redirect whose state it did not issue', async () => {
    const forged = await fetch(`${base}/slack/oauth_redirect?code=the-code&state=forged`);
    expect(forged.status).toBeGreaterThanOrEqual(400);
  });
});

describe('Slack after a response_url’s thirty minutes', () => {
  it('answers through chat.postEphemeral instead of posting to a spent response_url, which Slack would refuse', async () => {
    let clock = 1_800_000_000_000;
    const own = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, now: () => clock });
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: own.apiUrl, port: 0, command: '/yinzheng' };
    const adapter = await startSlack(bot, config, log.logger, { ...FAST_SOCKET, now: () => clock });
    try {
      await own.connections.until(1);
      const asked = newId('late-quote');
      await own.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', own.responseUrl(asked), 'U0LATE'));
      const [answer] = await own.responses.until(1, (r) => r.id === asked);
      const sources = buttonsOf([answer as ResponsePost]).find((b) => b.text.text === 'Sources') as SlackButton;
      const id = newId('late-clicks');
      await own.sendEnvelope('interactive', blockAction(sources, own.responseUrl(id), 'U0LATE'));
      const [first] = await own.responses.until(1, (r) => r.id === id);
      expect(first?.accepted).toBe(true);
      clock += 30 * 60_000 + 1;
      await own.sendEnvelope('interactive', blockAction(sources, own.responseUrl(id), 'U0LATE'));
      const [late] = await own.calls.until(1, (c) => c.method === 'chat.postEphemeral' && c.params.user === 'U0LATE');
      expect(late?.response).toMatchObject({ ok: true });
      expect(late?.params.text).toBe(first?.body.text);
      expect(own.responses.items.filter((r) => r.id === id)).toHaveLength(1);
      expect(own.seenBy('U0LATE', FAKE_CHANNEL.id).map((m) => m.text)).toEqual([first?.body.text]);
    } finally {
      await adapter.stop();
      await own.close();
    }
  });
});

describe('Slack in one workspace (Socket Mode) removed from it', () => {
  it('acks tokens_revoked and app_uninstalled over the socket, forgets the workspace’s users, and fails nothing', async () => {
    const own = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    own.locales.set('U0GONE', 'zh-CN');
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: own.apiUrl, port: 0, command: '/yinzheng' };
    const adapter = await startSlack(bot, config, log.logger, FAST_SOCKET);
    try {
      await own.connections.until(1);
      const id = newId('gone-before');
      await own.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', own.responseUrl(id), 'U0GONE'));
      await own.responses.until(1, (r) => r.id === id);
      const removedLine = (e: { msg: string | undefined }) => e.msg === 'slack: workspace removed the app; its installation is deleted';
      const removals = log.entries.items.filter(removedLine).length;
      const logStart = log.entries.items.length;
      for (const body of own.uninstall(FAKE_TEAM.id, FAKE_BOT.user_id)) expect((await own.sendEnvelope('events_api', body)).payload).toEqual({});
      await log.entries.until(removals + 2, removedLine);
      expect(log.entries.items.slice(logStart).filter((e) => e.level === 'error')).toEqual([]);
      // Its users' languages are gone with it: the next request asks users.info again, which the revoked token cannot.
      const after = newId('gone-after');
      await own.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', own.responseUrl(after), 'U0GONE'));
      await own.responses.until(1, (r) => r.id === after);
      expect(own.calls.items.filter((c) => c.method === 'users.info').map((c) => c.response.error)).toEqual([undefined, 'token_revoked']);
    } finally {
      await adapter.stop();
      await own.close();
    }
  });
});

describe('Slack installed without the users:read scope', () => {
  it('answers in English when users.info is refused with missing_scope, and asks once per user', async () => {
    const own = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, scopes: ['app_mentions:read', 'chat:write', 'commands'] });
    own.locales.set('U0NOSCOPE', 'zh-CN');
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: own.apiUrl, port: 0, command: '/yinzheng' };
    const adapter = await startSlack(bot, config, log.logger, FAST_SOCKET);
    try {
      await own.connections.until(1);
      for (let i = 0; i < 2; i++) {
        const id = newId('no-scope');
        await own.sendEnvelope('slash_commands', slashCommand('/yinzheng', 'quote 智能鸿沟', own.responseUrl(id), 'U0NOSCOPE'));
        const [answer] = await own.responses.until(1, (r) => r.id === id);
        expect(buttonsOf([answer as ResponsePost]).map((b) => b.text.text)).toContain('Share in channel');
      }
      const lookups = own.calls.items.filter((c) => c.method === 'users.info');
      expect(lookups.map((c) => c.response)).toEqual([
        { ok: false, error: 'missing_scope', needed: 'users:read', provided: 'app_mentions:read,chat:write,commands' },
      ]);
    } finally {
      await adapter.stop();
      await own.close();
    }
  });
});

describe('Slack with SLACK_COMMAND=/yz', () => {
  it('answers /yz as the command, subcommands and help included, and no other command', async () => {
    const own = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const config = parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: own.apiUrl, SLACK_COMMAND: '/yz' })
      .slack as SlackConfig;
    const renamed = await startSlack(bot, config, log.logger, FAST_SOCKET);
    try {
      await own.connections.until(1);
      const id = newId('yz-quote');
      await own.sendEnvelope('slash_commands', slashCommand('/yz', 'quote 智能鸿沟', own.responseUrl(id)));
      const [answer] = await own.responses.until(1, (r) => r.id === id);
      expect(answer?.body.text).toBe(replyToBlockKit(oracle.runLine('quote 智能鸿沟', alice), { locale: 'en', visibility: 'ephemeral' })[0]?.text);
      const help = newId('yz-help');
      await own.sendEnvelope('slash_commands', slashCommand('/yz', '', own.responseUrl(help)));
      const [list] = await own.responses.until(1, (r) => r.id === help);
      expect(textsOf(list?.body).join('\n')).toContain('/yz quote');
    } finally {
      await renamed.stop();
      await own.close();
    }
  });
});
