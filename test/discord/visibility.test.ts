import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/config.js';
import type { Command } from '../../src/core/dispatch/command.js';
import type { Reply } from '../../src/core/reply/model.js';
import { escapeMarkdown } from '../../src/discord/render.js';
import { requester } from '../support/bot.js';
import { fixtureWords } from '../support/words.js';
import { type FakeUser, PERMISSIONS, type StoredMessage } from './fake-discord.js';
import { answered, bob, buttonsOf, EPHEMERAL, embedsOf, type Running, start } from './harness.js';
import { alice } from './support.js';

/**
 * Who sees an answer, end to end through discord.js against the strict fake: errors reach only
 * the one who asked, whatever was deferred; a page that fails leaves the owner's answer alone;
 * the answer takes the form the channel allows (receiving-and-responding.mdx, `app_permissions`).
 */

const boom = {
  name: 'boom',
  words: fixtureWords({ description: 'Always fails', options: {} }, { description: '总是失败', options: {} }),
  options: z.object({}),
  result: z.unknown(),
  run(): never {
    throw new Error('kaboom: a bug');
  },
} satisfies Command;

/** An answer of twenty messages, more than any interaction may send. */
const many = {
  name: 'many',
  words: fixtureWords({ description: 'A very long answer', options: {} }, { description: '很长的回答', options: {} }),
  options: z.object({}),
  result: z.unknown(),
  run: (_input: unknown, ctx: { corpus: { version: string } }): Reply => ({
    command: 'many',
    title: 'Many',
    blocks: Array.from({ length: 40 }, (_, n) => ({ kind: 'text' as const, text: `${n} ${'长句。'.repeat(1000)}` })),
    actions: [],
    results: [],
    corpusVersion: ctx.corpus.version,
  }),
} satisfies Command;

const FAILED = 'Something went wrong while answering. It has been logged; please try again.';
const GUILD = 2248473465835073n;
const without = (...bits: bigint[]) => String(bits.reduce((p, b) => p & ~b, GUILD));
/** What everyone in the channel sees of an interaction's messages. */
const publicly = (messages: StoredMessage[]) => messages.filter((m) => !m.ephemeral && !m.deleted);
const old = () => Date.now() - 2500;

let r: Running;
beforeAll(async () => {
  r = await start(
    join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'),
    new Map([...registry, ['boom', boom as unknown as Command], ['many', many as unknown as Command]]),
  );
});
afterAll(async () => {
  await r?.stop();
});

describe('an error after a public deferral', () => {
  it('reaches only its user: the placeholder is edited, the error follows privately, the placeholder goes', async () => {
    const i = r.fake.slashCommand({ name: 'boom', user: alice, createdAt: old() });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([
      ['callback', 5, 0],
      ['edit', undefined, undefined],
      ['followup', undefined, EPHEMERAL],
      ['delete', undefined, undefined],
    ]);
    const shown = r.fake.shown(i);
    expect(publicly(shown)).toEqual([]);
    expect(shown.filter((m) => m.ephemeral).map((m) => m.content)).toEqual([FAILED]);
  });

  it('reaches only its user when Discord refuses the answer itself', async () => {
    const i = r.fake.slashCommand({ name: 'essays', user: alice, createdAt: old() });
    r.fake.failNext({ match: (q) => q.method === 'PATCH' && q.route.includes(i.token), status: 400 });
    await r.logs.entries.next((e) => e.msg === 'discord: answered' && e.obj.interaction === i.id);
    const shown = r.fake.shown(i);
    expect(publicly(shown)).toEqual([]);
    expect(shown.filter((m) => m.ephemeral && !m.deleted).map((m) => m.content)).toEqual([FAILED]);
  });
});

describe('a More click that fails', () => {
  async function ownersAnswer(): Promise<StoredMessage> {
    const i = r.fake.slashCommand({ name: 'essays', user: alice });
    await answered(r, i);
    const [answer] = r.fake.shown(i);
    expect(answer?.ephemeral).toBe(false);
    return answer as StoredMessage;
  }

  it.each([
    ['answered at once', Date.now],
    ['deferred', old],
  ])('leaves the owner’s answer as it was and tells only the clicker (%s)', async (_how, createdAt) => {
    const answer = await ownersAnswer();
    const click = r.fake.button({ customId: `y1|m|p|${alice.id}|boom|`, user: alice, message: r.fake.messagePayload(answer.id), createdAt: createdAt() });
    await answered(r, click);
    expect(r.fake.message(answer.id)).toEqual(answer);
    const mine = r.fake.shown(click).filter((m) => m.id !== answer.id);
    expect(mine.map((m) => [m.ephemeral, m.deleted, m.content])).toEqual([[true, false, FAILED]]);
  });
});

describe('a More click whose page is an error, on a private answer', () => {
  it('leaves the private answer as it was and tells the clicker in a message of its own', async () => {
    const where = { install: 'user' as const, memberPermissions: without(PERMISSIONS.USE_EXTERNAL_APPS) };
    const i = r.fake.slashCommand({ name: 'essays', user: alice, where });
    await answered(r, i);
    const [answer] = r.fake.shown(i);
    expect(answer?.ephemeral).toBe(true);
    // A page whose input is refused: a user-facing error, not an exception.
    const click = r.fake.button({ customId: `y1|m|e|${alice.id}|quote|`, user: alice, message: r.fake.messagePayload(answer?.id ?? ''), where });
    await answered(r, click);
    expect(r.fake.message(answer?.id ?? '')).toEqual(answer);
    const mine = r.fake.shown(click).filter((m) => m.id !== answer?.id);
    expect(mine.map((m) => [m.ephemeral, m.deleted])).toEqual([[true, false]]);
  });
});

describe('where the app is installed and what it may do there', () => {
  const carol: FakeUser = { id: '500000000000000003', username: 'carol' };

  it.each([
    ['a DM with the bot', 'bot-dm'],
    ['a group DM', 'private-channel'],
  ] as const)('answers a user-installed app in %s, publicly, with embeds', async (_where, context) => {
    const i = r.fake.slashCommand({ name: 'essays', user: carol, where: { context, install: 'user' } });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, undefined]]);
    expect(embedsOf(sent[0]).length).toBeGreaterThan(0);
    expect(publicly(r.fake.shown(i))).toHaveLength(1);
  });

  it('answers in plain content where a user-installed app may not embed links', async () => {
    const i = r.fake.slashCommand({ name: 'essays', user: alice, where: { install: 'user', appPermissions: without(PERMISSIONS.EMBED_LINKS) } });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, undefined]]);
    expect(embedsOf(sent[0])).toEqual([]);
    const title = r.bot.run('essays', {}, requester('en', 'discord', alice.id)).title;
    expect(String(sent[0]?.body.content).split('\n')[0]).toBe(`**${escapeMarkdown(title)}**`);
  });

  it.each([
    ['a user-installed app may not send messages there', { install: 'user' as const, appPermissions: without(PERMISSIONS.SEND_MESSAGES) }],
    [
      'the server turned off Use External Apps for a user-installed app',
      { install: 'user' as const, memberPermissions: without(PERMISSIONS.USE_EXTERNAL_APPS) },
    ],
  ])('answers privately, says so, and offers no Share, where %s', async (_why, where) => {
    const i = r.fake.slashCommand({ name: 'quote', options: { query: '治理' }, user: alice, where });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, EPHEMERAL]]);
    expect(String(sent[0]?.body.content).split('\n')[0]).toBe(escapeMarkdown('Only you can see this: the bot may not post in this channel.'));
    const buttons = buttonsOf(sent[0]);
    expect(buttons.map((b) => b.label)).not.toContain('Share in channel');
    // The buttons follow the answer's visibility: More pages privately.
    for (const b of buttons) expect(b.custom_id.split('|')[2]).toBe('e');
    expect(publicly(r.fake.shown(i))).toEqual([]);
  });

  it('refuses Share privately where the app may not post publicly', async () => {
    const i = r.fake.button({
      customId: `y1|p|e|${alice.id}|essays|`,
      user: alice,
      message: {},
      where: { install: 'user', appPermissions: without(PERMISSIONS.SEND_MESSAGES) },
    });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags, s.body.content])).toEqual([
      ['callback', 4, EPHEMERAL, 'The bot may not post in this channel, so the answer cannot be shared here.'],
    ]);
  });
});

describe('a bot the server installed', () => {
  // Only MENTION_EVERYONE, SEND_TTS_MESSAGES and USE_EXTERNAL_EMOJIS are checked for interaction
  // responses (change-log "Changes to Bot Permissions for Interactions and Webhooks").
  it('answers publicly, with embeds, whatever its role may post or embed in the channel', async () => {
    const i = r.fake.slashCommand({ name: 'essays', user: alice, where: { appPermissions: without(PERMISSIONS.SEND_MESSAGES, PERMISSIONS.EMBED_LINKS) } });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, undefined]]);
    expect(embedsOf(sent[0]).length).toBeGreaterThan(0);
  });
});

describe('in a thread', () => {
  it('a user-installed app posts publicly where Send Messages in Threads allows it, without Send Messages', async () => {
    const i = r.fake.slashCommand({
      name: 'essays',
      user: alice,
      where: { install: 'user', thread: true, appPermissions: without(PERMISSIONS.SEND_MESSAGES) },
    });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, undefined]]);
  });

  it('and answers privately where it lacks Send Messages in Threads', async () => {
    const i = r.fake.slashCommand({
      name: 'essays',
      user: alice,
      where: { install: 'user', thread: true, appPermissions: without(PERMISSIONS.SEND_MESSAGES_IN_THREADS) },
    });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, EPHEMERAL]]);
  });
});

describe('Share', () => {
  const john: FakeUser = { id: '500000000000000004', username: 'john_doe' };

  it('posts the longest answer publicly, within every limit, with the sharer’s name escaped once', async () => {
    const paragraph = r.bot.library().corpus.files[0]?.essays[0]?.sections[0]?.paragraphs[0];
    // Context of the longest paragraph: more than one message, privately, with Share.
    const context = await answered(r, r.fake.button({ customId: `y1|c|p|${john.id}|context|id=${paragraph?.id}`, user: john, message: {} }));
    expect(context.length).toBeGreaterThan(1);
    const share = buttonsOf(context.at(-1)).find((b) => b.label === 'Share in channel');
    expect(share).toBeDefined();
    const i = r.fake.button({ customId: share?.custom_id ?? '', user: john, message: {} });
    const posted = await answered(r, i);
    expect(posted.map((s) => [s.via, s.body.flags])).toEqual([
      ['callback', undefined],
      ['followup', undefined],
    ]);
    expect(posted[0]?.body.content).toBe('Shared by john\\_doe');
    expect(posted.flatMap(embedsOf)).toEqual(context.flatMap(embedsOf));
    expect(publicly(r.fake.shown(i))).toHaveLength(2);
  });

  it('keeps an answer of a user-installed app to five follow-ups, and says the rest did not fit', async () => {
    const i = r.fake.slashCommand({ name: 'many', user: bob, where: { install: 'user' } });
    const sent = await answered(r, i);
    expect(sent.map((s) => s.via)).toEqual(['callback', 'followup', 'followup', 'followup', 'followup', 'followup']);
    expect(sent.at(-1)?.body.content).toBe('The rest of this answer did not fit in Discord. Narrow the query to see it.');
    expect(publicly(r.fake.shown(i))).toHaveLength(6);
  });
});
