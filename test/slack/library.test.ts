import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackConfig } from '../../src/config.js';
import { loadCorpus, parsePdfBytes } from '../../src/core/corpus/load.js';
import { fileReport } from '../../src/core/corpus/report.js';
import type { Library } from '../../src/core/dispatch/bot.js';
import { createLibraryDesk } from '../../src/core/library/desk.js';
import { createLibraryStore, type LibraryStore } from '../../src/core/library/store.js';
import { en } from '../../src/core/words/en.js';
import { type SlackAdapter, startSlack } from '../../src/slack/bot.js';
import { ADD_TO_LIBRARY_CALLBACK_ID } from '../../src/slack/manifest.js';
import { createTestLogger } from '../discord/support.js';
import { botOver, libraryOver, recordingLibraries } from '../support/bot.js';
import { appMention, FAKE_CHANNEL, FAKE_TEAM, FAST_SOCKET, FakeSlack, messageShortcut, type ResponsePost, slashCommand } from './fake-slack.js';

/*
 * A workspace's library from Slack, through the real Bolt app in Socket Mode against the
 * loopback fake: `/yinzheng library list|remove|check`, the message shortcut "Add to library"
 * and `@yinzheng add`, files fetched from url_private_download with the bot token, and who may
 * change a library (admins, owners, LIBRARY_ADMINS).
 */

const BOT_TOKEN = 'xoxb-1-library-bot-token';
const APP_TOKEN = 'xapp-1-library-app-token';
const PDF = readFileSync(new URL('../fixtures/articles/chromium-article.pdf', import.meta.url));
const TXT = readFileSync(new URL('../fixtures/corpus/conventions.txt', import.meta.url));
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(256, 0x90)]);
const CORPUS = new URL('../fixtures/corpus', import.meta.url).pathname;
const TEAM = { kind: 'slack-team', id: FAKE_TEAM.id } as const;
const KEY = `slack-team-${FAKE_TEAM.id}`;

/** Every text a Slack message holds (its fallback and its blocks'), with mrkdwn's entities undone. */
function textsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    k === 'text' && typeof v === 'string' ? [v.replace(/&lt;/gu, '<').replace(/&gt;/gu, '>').replace(/&amp;/gu, '&')] : textsOf(v),
  );
}
const textOf = (posts: Array<{ body: unknown } | { text: string; blocks: unknown }>) =>
  posts.flatMap((p) => ('body' in p ? textsOf(p.body) : textsOf(p))).join('\n');

let dir: string;
let fake: FakeSlack;
let adapter: SlackAdapter;
let store: LibraryStore;
let logs: ReturnType<typeof createTestLogger>;
let changed: string[];
let asked: Array<string | null>;
let n = 0;

/** Runs `/yinzheng <text>` as `user` and resolves with the posts to its response_url. */
async function slash(text: string, user: string, count = 1): Promise<ResponsePost[]> {
  const id = `library-${++n}`;
  await fake.sendEnvelope('slash_commands', slashCommand('/yinzheng', text, fake.responseUrl(id), user));
  return fake.responses.until(count, (r) => r.id === id);
}

describe('the library on Slack', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yinzheng-slack-library-'));
    await boot();
  });
  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The fake workspace (its bot token granted `scopes`), and the bot on it. */
  async function boot(scopes?: readonly string[]): Promise<void> {
    fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, ...(scopes ? { scopes } : {}) });
    fake.admins.add('U0ADMIN');
    fake.owners.add('U0OWNER');
    const corpus = await loadCorpus(CORPUS);
    const library: Library = libraryOver(corpus);
    logs = createTestLogger();
    const recorded = recordingLibraries(library);
    changed = recorded.changed;
    asked = recorded.asked;
    const bot = botOver(corpus, { logger: logs, libraries: recorded.libraries });
    store = createLibraryStore({ dir: join(dir, 'libraries') });
    const desk = createLibraryDesk({ store, maxBytes: 200 * 1024 * 1024, logger: logs, bot });
    const config: SlackConfig = { botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: undefined, apiUrl: fake.apiUrl, port: 0, command: '/yinzheng' };
    adapter = await startSlack(bot, config, logs, FAST_SOCKET, { desk, admins: ['U0LIBRARIAN'] });
  }

  it('without files:read, Slack sends its sign-in page: the add is refused as a web page, and nothing is kept', async () => {
    await adapter.stop();
    await fake.close();
    await boot(['app_mentions:read', 'chat:write', 'commands', 'users:read']);
    const file = fake.upload('conventions.txt', TXT, 'text/plain');
    const id = `shortcut-${++n}`;
    await fake.sendEnvelope('interactive', messageShortcut(ADD_TO_LIBRARY_CALLBACK_ID, '', fake.responseUrl(id), 'U0ADMIN', [file]));
    const [post] = await fake.responses.until(1, (r) => r.id === id);
    expect(post?.body).toMatchObject({ response_type: 'ephemeral', text: en.library.refusals.webPage });
    expect(fake.fileRequests.items.map((r) => [r.token, r.served])).toEqual([[BOT_TOKEN, false]]);
    expect(await readdir(join(dir, 'libraries')).catch(() => [])).toEqual([]);
  });

  it('adds a PDF through the "Add to library" shortcut, fetched with the bot token, and answers with its report', async () => {
    const file = fake.upload('chromium-article.pdf', PDF, 'application/pdf');
    const id = `shortcut-${++n}`;
    await fake.sendEnvelope('interactive', messageShortcut(ADD_TO_LIBRARY_CALLBACK_ID, 'the new issue', fake.responseUrl(id), 'U0ADMIN', [file]));
    const posts = await fake.responses.until(1, (r) => r.id === id);
    const text = textOf(posts);
    expect(text).toContain(en.library.chat.added('chromium-article.pdf'));
    for (const line of fileReport(await parsePdfBytes('chromium-article.pdf', PDF))) expect(text).toContain(line);
    expect(posts.every((p) => p.body.response_type === 'ephemeral' && p.accepted)).toBe(true);
    expect(fake.fileRequests.items).toEqual([{ path: new URL(file.url_private_download).pathname, token: BOT_TOKEN, served: true }]);
    const entries = await store.list(TEAM);
    expect(entries.map((e) => [e.file, e.addedBy])).toEqual([['chromium-article.pdf', { platform: 'slack', userId: 'U0ADMIN', name: 'u0admin' }]]);
    expect(changed).toEqual([KEY]);
    expect(logs.entries.items.find((e) => e.msg === 'library: added a file')?.obj).toMatchObject({
      library: KEY,
      change: 'add',
      user: 'U0ADMIN',
      where: FAKE_CHANNEL.id,
      file: 'chromium-article.pdf',
      sha256: entries[0]?.sha256,
    });
  });

  it('adds the file of a message that mentions @yinzheng add, answering the adder alone', async () => {
    const file = fake.upload('conventions.txt', TXT, 'text/plain');
    await fake.sendEnvelope('events_api', appMention('<@U0BOT> add', { ts: '1700000100.000100', userId: 'U0OWNER', files: [file] }));
    const [posted] = await fake.messages.until(1, (m) => m.method === 'chat.postEphemeral' && m.user === 'U0OWNER');
    expect(textOf([posted as { text: string; blocks: unknown }])).toContain(en.library.chat.added('conventions.txt'));
    expect(posted?.shown).toBe(true);
    expect(fake.messages.items.filter((m) => m.method === 'chat.postMessage')).toEqual([]);
    expect((await store.list(TEAM)).map((e) => e.file)).toEqual(['conventions.txt']);
  });

  it('lets a user named in LIBRARY_ADMINS add, and refuses anyone else privately, fetching nothing', async () => {
    const file = fake.upload('conventions.txt', TXT, 'text/plain');
    const refusedId = `shortcut-${++n}`;
    await fake.sendEnvelope('interactive', messageShortcut(ADD_TO_LIBRARY_CALLBACK_ID, '', fake.responseUrl(refusedId), 'U0MEMBER', [file]));
    const [refused] = await fake.responses.until(1, (r) => r.id === refusedId);
    expect(refused?.body).toMatchObject({ response_type: 'ephemeral', text: en.library.chat.whoMay.slack(true) });
    expect(fake.fileRequests.items).toEqual([]);
    expect(await readdir(join(dir, 'libraries')).catch(() => [])).toEqual([]);

    const allowedId = `shortcut-${++n}`;
    await fake.sendEnvelope('interactive', messageShortcut(ADD_TO_LIBRARY_CALLBACK_ID, '', fake.responseUrl(allowedId), 'U0LIBRARIAN', [file]));
    expect(textOf(await fake.responses.until(1, (r) => r.id === allowedId))).toContain(en.library.chat.added('conventions.txt'));
  });

  it('lists who added each file and when, removes one, and checks what is left', async () => {
    await store.add(
      TEAM,
      { name: 'conventions.txt', bytes: TXT },
      { platform: 'slack', userId: 'U0ADMIN', name: 'ada' },
      { now: new Date('2026-11-02T08:30:00Z') },
    );
    const listed = textOf(await slash('library list', 'U0MEMBER'));
    expect(listed).toContain(en.library.chat.entry('conventions.txt', (TXT.byteLength / 1024 / 1024).toFixed(1), 'ada', '2026-11-02 08:30 UTC'));
    const checked = textOf(await slash('library check', 'U0MEMBER'));
    expect(checked).toContain(en.library.chat.checked(1));

    const refused = await slash('library remove conventions.txt', 'U0MEMBER');
    expect(refused[0]?.body).toMatchObject({ response_type: 'ephemeral', text: en.library.chat.whoMay.slack(true) });
    expect(await store.list(TEAM)).toHaveLength(1);

    expect(textOf(await slash('library remove conventions.txt', 'U0ADMIN'))).toContain(en.library.chat.removed('conventions.txt'));
    expect(await store.list(TEAM)).toEqual([]);
    expect(changed).toEqual([KEY]);
    expect(textOf(await slash('library list', 'U0MEMBER'))).toContain(en.library.chat.empty);
  });

  it('says how to add a file when `library add` is typed, since a slash command carries none', async () => {
    const [post] = await slash('library add', 'U0ADMIN');
    expect(post?.body.response_type).toBe('ephemeral');
    expect(textsOf(post?.body)[0]).toBe(en.library.chat.slackUsage('/yinzheng'));
  });

  it('refuses an executable named .pdf with its reason, and leaves the library as it was', async () => {
    await store.add(TEAM, { name: 'conventions.txt', bytes: TXT }, { platform: 'slack', userId: 'U0ADMIN', name: 'ada' });
    const before = await store.list(TEAM);
    const file = fake.upload('issue.pdf', ELF, 'application/pdf');
    const id = `shortcut-${++n}`;
    await fake.sendEnvelope('interactive', messageShortcut(ADD_TO_LIBRARY_CALLBACK_ID, '', fake.responseUrl(id), 'U0ADMIN', [file]));
    const [post] = await fake.responses.until(1, (r) => r.id === id);
    expect(post?.body).toMatchObject({ response_type: 'ephemeral', text: en.library.refusals.notEssay });
    expect(await store.list(TEAM)).toEqual(before);
    expect(await readdir(join(dir, 'libraries', KEY))).toEqual(['conventions.txt', 'manifest.json']);
    expect(changed).toEqual([]);
  });

  it('says so when the shortcut is used on a message without a PDF or text file', async () => {
    const id = `shortcut-${++n}`;
    await fake.sendEnvelope('interactive', messageShortcut(ADD_TO_LIBRARY_CALLBACK_ID, 'no file', fake.responseUrl(id), 'U0ADMIN'));
    const [post] = await fake.responses.until(1, (r) => r.id === id);
    expect(post?.body).toMatchObject({ response_type: 'ephemeral', text: en.library.chat.noAttachment });
  });

  it('asks the libraries seam for the workspace’s library on every command', async () => {
    await slash('essays', 'U0MEMBER');
    expect(asked).toContain(KEY);
  });
});
