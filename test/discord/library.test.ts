import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { fileReport } from '../../src/core/corpus/report.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { createLibraryDesk } from '../../src/core/library/desk.js';
import type { IntakeLimits } from '../../src/core/library/intake.js';
import { createTeamLibraries, type ServedTeamLibraries } from '../../src/core/library/serve.js';
import { createLibraryStore, type LibraryStore } from '../../src/core/library/store.js';
import { en } from '../../src/core/words/en.js';
import { templateSource } from '../../src/core/words/warnings.js';
import { zhCN } from '../../src/core/words/zh-CN.js';
import { startDiscord } from '../../src/discord/bot.js';
import { ADD_TO_LIBRARY } from '../../src/discord/commands.js';
import { botOver, libraryOver, recordingLibraries } from '../support/bot.js';
import { type FakeAttachment, FakeDiscord, PERMISSIONS } from './fake-discord.js';
import { answered, EPHEMERAL, embedsOf, type Sent } from './harness.js';
import { alice, createTestLogger } from './support.js';

/*
 * The team's library from Discord, through the real discord.js client against the loopback
 * fake: /library add|list|remove|check, the message command "Add to library", who may change
 * a library, and hostile uploads refused with the library left as it was.
 */

const PDF = readFileSync(new URL('../fixtures/articles/chromium-article.pdf', import.meta.url));
const TXT = readFileSync(new URL('../fixtures/corpus/conventions.txt', import.meta.url));
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(256, 0x90)]);
const CORPUS = new URL('../fixtures/corpus', import.meta.url).pathname;

const GUILD = 'discord-guild-200000000000000001';
const MANAGER = { memberPermissions: String((1n << 5n) | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.VIEW_CHANNEL) };
const MEMBER = { memberPermissions: String(PERMISSIONS.SEND_MESSAGES | PERMISSIONS.VIEW_CHANNEL) };
const ROLE = 'Librarians';
const carol = { id: '500000000000000003', username: 'carol' };

/** Everything the bot sent for an interaction, as one text with the renderer's escapes undone. */
function textOf(sent: Sent[]): string {
  return sent
    .filter((s) => s.via !== 'callback' || s.type === 4)
    .flatMap((s) => [String(s.body.content ?? ''), ...embedsOf(s).flatMap((e) => [e.title ?? '', e.description ?? ''])])
    .join('\n')
    .replace(/\\(.)/gu, '$1');
}

/** Whether every message the bot sent for the interaction was private. */
function allPrivate(sent: Sent[]): boolean {
  return sent.filter((s) => s.via !== 'delete').every((s) => s.via === 'edit' || ((s.body.flags as number) & EPHEMERAL) !== 0);
}

interface Setup {
  fake: FakeDiscord;
  client: Client;
  bot: Bot;
  store: LibraryStore;
  logs: ReturnType<typeof createTestLogger>;
  changed: string[];
  asked: Array<string | null>;
  stop(): Promise<void>;
}

let dir: string;
let s: Setup;

async function setup(held: { quota?: number; limits?: IntakeLimits } = {}): Promise<Setup> {
  const corpus = await loadCorpus(CORPUS);
  const logs = createTestLogger();
  const { libraries, asked, changed } = recordingLibraries(libraryOver(corpus));
  const bot = botOver(corpus, { commands: registry, logger: logs, libraries });
  const quota = held.quota ?? 200 * 1024 * 1024;
  const store = createLibraryStore({ dir: join(dir, 'libraries'), maxBytes: quota });
  const desk = createLibraryDesk({ store, maxBytes: quota, logger: logs, bot, ...(held.limits ? { limits: held.limits } : {}) });
  const fake = await FakeDiscord.start();
  fake.guildRoles = [{ id: '600000000000000001', name: ROLE }];
  const { client, stop } = await startDiscord(
    bot,
    { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase },
    logs,
    {},
    { desk, role: ROLE },
  );
  return {
    fake,
    client,
    bot,
    store,
    logs,
    changed,
    asked,
    async stop() {
      await stop();
      await fake.close();
    },
  };
}

async function add(file: FakeAttachment, where: object = MANAGER, user = alice): Promise<Sent[]> {
  const i = s.fake.slashCommand({ name: 'library', subcommand: 'add', attachments: { file }, user, where });
  return answered(s, i);
}

const answeredBy = (i: { id: string; token: string }) => answered(s, i);
const guildTeam = { kind: 'discord-guild', id: '200000000000000001' } as const;

describe('/library on Discord', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yinzheng-discord-library-'));
    s = await setup();
  });
  afterEach(async () => {
    await s?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a PDF for a member with Manage Server and answers with its corpus:check report, privately', async () => {
    const sent = await add(s.fake.attachment('chromium-article.pdf', PDF, 'application/pdf'));
    expect(sent[0]).toMatchObject({ via: 'callback', type: 5, body: { flags: EPHEMERAL } });
    const text = textOf(sent);
    expect(text).toContain(en.library.chat.added('chromium-article.pdf'));
    const { parsePdfBytes } = await import('../../src/core/corpus/load.js');
    for (const line of fileReport(await parsePdfBytes('chromium-article.pdf', PDF))) expect(text).toContain(line);
    expect(allPrivate(sent)).toBe(true);
    const entries = await s.store.list(guildTeam);
    expect(entries.map((e) => [e.file, e.bytes, e.addedBy])).toEqual([
      ['chromium-article.pdf', PDF.byteLength, { platform: 'discord', userId: alice.id, name: 'alice' }],
    ]);
    expect(s.changed).toEqual([GUILD]);
    const log = s.logs.entries.items.find((e) => e.msg === 'library: added a file');
    expect(log?.obj).toMatchObject({
      library: GUILD,
      change: 'add',
      user: alice.id,
      where: '300000000000000001',
      file: 'chromium-article.pdf',
      sha256: entries[0]?.sha256,
    });
  });

  it('refuses a member without Manage Server or the role, privately, saying who may, and fetches nothing', async () => {
    const file = s.fake.attachment('chromium-article.pdf', PDF, 'application/pdf');
    const sent = await add(file, MEMBER, carol);
    expect(sent).toEqual([{ via: 'callback', type: 4, body: expect.objectContaining({ flags: EPHEMERAL }) }]);
    expect(textOf(sent)).toBe(en.library.chat.whoMay.discord(ROLE));
    expect(s.fake.cdnRequests.items).toEqual([]);
    expect(await readdir(join(dir, 'libraries')).catch(() => [])).toEqual([]);
    expect(s.changed).toEqual([]);
  });

  it('refuses a member whose roles are named otherwise, in their language', async () => {
    s.fake.guildRoles.push({ id: '600000000000000002', name: 'Readers' });
    const file = s.fake.attachment('conventions.txt', TXT, 'text/plain');
    const i = s.fake.slashCommand({
      name: 'library',
      subcommand: 'add',
      attachments: { file },
      user: carol,
      locale: 'zh-CN',
      where: { ...MEMBER, roles: ['600000000000000002'] },
    });
    expect(textOf(await answeredBy(i))).toBe(zhCN.library.chat.whoMay.discord(ROLE));
    expect(s.fake.requests.items.filter((q) => q.route === '/guilds/200000000000000001/roles')).toHaveLength(1);
    expect(s.fake.cdnRequests.items).toEqual([]);
  });

  it('lets a member with the LIBRARY_ROLE role add, by the role named in the member object', async () => {
    const sent = await add(s.fake.attachment('conventions.txt', TXT, 'text/plain'), { ...MEMBER, roles: ['600000000000000001'] }, carol);
    expect(textOf(sent)).toContain(en.library.chat.added('conventions.txt'));
    expect((await s.store.list(guildTeam)).map((e) => e.addedBy.name)).toEqual(['carol']);
  });

  it('lists who added each file and when, then removes one, autocompleted from the manifest', async () => {
    await add(s.fake.attachment('chromium-article.pdf', PDF, 'application/pdf'));
    const [entry] = await s.store.list(guildTeam);
    const listed = textOf(await answeredBy(s.fake.slashCommand({ name: 'library', subcommand: 'list', user: alice, where: MANAGER })));
    const at = en.library.chat.at((entry?.addedAt ?? '').slice(0, 10), (entry?.addedAt ?? '').slice(11, 16));
    expect(listed).toContain(en.library.chat.entry('chromium-article.pdf', (PDF.byteLength / 1024 / 1024).toFixed(1), 'alice', at));
    expect(listed).toContain(en.library.chat.total(1, (PDF.byteLength / 1024 / 1024).toFixed(1), '200.0'));

    const complete = s.fake.autocomplete({ name: 'library', subcommand: 'remove', options: { file: 'chrom' }, focused: 'file', user: alice, where: MANAGER });
    const [callback] = await answeredBy(complete);
    expect(callback?.body.choices).toEqual([{ name: 'chromium-article.pdf', value: 'chromium-article.pdf' }]);

    const removed = await answeredBy(
      s.fake.slashCommand({ name: 'library', subcommand: 'remove', options: { file: 'chromium-article.pdf' }, user: alice, where: MANAGER }),
    );
    expect(textOf(removed)).toContain(en.library.chat.removed('chromium-article.pdf'));
    expect(await s.store.list(guildTeam)).toEqual([]);
    expect(s.changed).toEqual([GUILD, GUILD]);
    expect(s.logs.entries.items.find((e) => e.msg === 'library: removed a file')?.obj).toMatchObject({ library: GUILD, file: 'chromium-article.pdf' });
  });

  it('adds the .txt a message carries through "Add to library"', async () => {
    const file = s.fake.attachment('conventions.txt', TXT, 'text/plain; charset=utf-8');
    const i = s.fake.messageCommand({ name: ADD_TO_LIBRARY, content: 'the new issue', attachments: [file], author: carol, user: alice, where: MANAGER });
    expect(textOf(await answeredBy(i))).toContain(en.library.chat.added('conventions.txt'));
    expect((await s.store.list(guildTeam)).map((e) => e.file)).toEqual(['conventions.txt']);
  });

  it('says so when "Add to library" is used on a message without a PDF or text file', async () => {
    const i = s.fake.messageCommand({ name: ADD_TO_LIBRARY, content: 'no file here', author: carol, user: alice, where: MANAGER });
    expect(textOf(await answeredBy(i))).toBe(en.library.chat.noAttachment);
  });

  it('refuses an executable named .pdf with its reason, and leaves the library as it was', async () => {
    await add(s.fake.attachment('conventions.txt', TXT, 'text/plain'));
    const before = await s.store.list(guildTeam);
    const sent = await add(s.fake.attachment('issue.pdf', ELF, 'application/pdf'));
    expect(textOf(sent)).toContain(en.library.refusals.notEssay);
    expect(allPrivate(sent)).toBe(true);
    expect(await s.store.list(guildTeam)).toEqual(before);
    expect(await readdir(join(dir, 'libraries', GUILD))).toEqual(['conventions.txt', 'manifest.json']);
    expect(s.changed).toEqual([GUILD]);
  });

  it('keeps a user-installed bot’s DM additions in that user’s own library', async () => {
    const sent = await add(s.fake.attachment('conventions.txt', TXT, 'text/plain'), { context: 'bot-dm', install: 'user' }, carol);
    expect(textOf(sent)).toContain(en.library.chat.added('conventions.txt'));
    expect((await s.store.list({ kind: 'discord-user', id: carol.id })).map((e) => e.file)).toEqual(['conventions.txt']);
    expect(await s.store.list(guildTeam)).toEqual([]);
  });

  it('asks the libraries seam for the requester’s team on every command and autocomplete', async () => {
    await answeredBy(s.fake.slashCommand({ name: 'essays', user: alice }));
    await answeredBy(s.fake.slashCommand({ name: 'essays', user: carol, where: { context: 'bot-dm', install: 'user' } }));
    expect(s.asked).toContain(GUILD);
    expect(s.asked).toContain(`discord-user-${carol.id}`);
    s.asked.length = 0;
    await answeredBy(
      s.fake.autocomplete({
        name: 'quote',
        options: { query: '语', author: '' },
        focused: 'author',
        user: carol,
        where: { context: 'bot-dm', install: 'user' },
      }),
    );
    expect(s.asked).toEqual([`discord-user-${carol.id}`]);
  });
});

describe("a team's files served to that team only", () => {
  let served: { fake: FakeDiscord; bot: Bot; libraries: ServedTeamLibraries; logs: ReturnType<typeof createTestLogger>; stop(): Promise<void> };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yinzheng-discord-served-'));
    const corpus = await loadCorpus(CORPUS);
    const logs = createTestLogger();
    const store = createLibraryStore({ dir: join(dir, 'libraries') });
    let bot: Bot | undefined;
    const operator = libraryOver(corpus);
    const libraries = createTeamLibraries({ operator: () => bot?.library() ?? operator, store, logger: logs });
    bot = botOver(corpus, { commands: registry, logger: logs, libraries });
    const desk = createLibraryDesk({ store, maxBytes: 200 * 1024 * 1024, logger: logs, bot });
    const fake = await FakeDiscord.start();
    const { stop } = await startDiscord(
      bot,
      { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase },
      logs,
      {},
      { desk, role: ROLE },
    );
    served = {
      fake,
      bot,
      libraries,
      logs,
      async stop() {
        await stop();
        await fake.close();
      },
    };
  });
  afterEach(async () => {
    await served?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a manager in server A adds a PDF; /quote in A finds its words with their page, server B and Slack do not', async () => {
    const { parsePdfBytes } = await import('../../src/core/corpus/load.js');
    const essay = (await parsePdfBytes('chromium-article.pdf', PDF)).essays[0];
    const paragraph = essay?.sections.flatMap((x) => x.paragraphs).find((p) => p.text.length > 40 && p.pages.length > 0);
    if (!essay || !paragraph) throw new Error('the PDF fixture has no paragraph with a page');
    const words = paragraph.text.replace(/[\s“”《》（）()，。、：；]/gu, '').slice(6, 16);
    const page = paragraph.pages[0]?.page as number;

    const i = served.fake.slashCommand({
      name: 'library',
      subcommand: 'add',
      attachments: { file: served.fake.attachment('chromium-article.pdf', PDF, 'application/pdf') },
      user: alice,
      where: MANAGER,
    });
    // The add's answer ends, once the team is served the file, with the passage IDs it brought.
    const added = textOf(await answered(served, i));
    const parsed = await parsePdfBytes('chromium-article.pdf', PDF);
    const ranges = parsed.essays.flatMap((e) => {
      const ids = e.sections.flatMap((x) => x.paragraphs.map((p) => p.id));
      return ids.length === 0 ? [] : [ids.length === 1 ? ids[0] : `${ids[0]} – ${ids.at(-1)}`];
    });
    expect(added).toContain(en.library.chat.passages(ranges.join('; ')));
    await served.libraries.ready(GUILD);

    const quote = (where: object) => served.fake.slashCommand({ name: 'quote', options: { query: words, count: 1 }, user: alice, where });
    const inA = textOf(await answered(served, quote({})));
    expect(inA).toContain(words.slice(0, 4));
    expect(inA).toContain(essay.title);
    expect(inA).toMatch(new RegExp(`p\\. ${page}\\b|pp\\. ${page}–`, 'u'));

    const B = 'discord-guild-200000000000000002';
    await served.libraries.ready(B);
    const inB = textOf(await answered(served, quote({ guildId: '200000000000000002' })));
    expect(inB).not.toContain(essay.title);
    const slack = served.bot.runLine(`quote ${words}`, { platform: 'slack', userId: 'U0ALICE', locale: 'en', team: 'slack-team-T0TEAM' });
    expect(JSON.stringify(slack.results)).not.toContain(essay.title);
  });
});

/** A catalogue phrase with its parameters left out, as a pattern any values match. */
const phrase = (words: (...args: never[]) => string, count: number) => new RegExp(templateSource(words, count).source, 'u');

describe('hostile uploads through Discord, refused with their reasons, the library left as it was', () => {
  // Small limits, so that the fixtures cross them: a text file may be 3 KB, a library 4 KB, a download 300 ms.
  const limits: IntakeLimits = { pdfBytes: 50 * 1024 * 1024, txtBytes: 3 * 1024, timeoutMs: 300 };
  const QUOTA = 4 * 1024;
  const SMALL = Buffer.from(`${TXT.toString('utf8').slice(0, 600)}\n`);
  /** The fixture's essay cut where its bytes reach `bytes`, at a line's end. */
  const cut = (bytes: number) => {
    const text = TXT.toString('utf8');
    let end = text.length;
    while (Buffer.byteLength(text.slice(0, end)) > bytes) end = text.lastIndexOf('\n', end - 1);
    return Buffer.from(`${text.slice(0, end)}\n`);
  };
  const FIRST = cut(2600);
  const SECOND = Buffer.concat([cut(1200), Buffer.from('量子外交试验已经在多个国家展开。\n'.repeat(30))]);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yinzheng-discord-hostile-'));
    s = await setup({ quota: QUOTA, limits });
  });
  afterEach(async () => {
    await s?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Adds `file`, then checks the refusal says `reason`, privately, and the library is as it was. */
  async function refused(file: FakeAttachment, reason: RegExp | string): Promise<void> {
    const before = await s.store.list(guildTeam);
    const files = await readdir(join(dir, 'libraries', GUILD)).catch(() => []);
    const sent = await add(file);
    const text = textOf(sent);
    if (typeof reason === 'string') expect(text).toContain(reason);
    else expect(text).toMatch(reason);
    expect(allPrivate(sent)).toBe(true);
    expect(await s.store.list(guildTeam)).toEqual(before);
    expect(await readdir(join(dir, 'libraries', GUILD)).catch(() => [])).toEqual(files);
  }

  it('a text file over the size limit', async () => {
    await refused(s.fake.attachment('long.txt', Buffer.alloc(4 * 1024, 0x41), 'text/plain'), phrase(en.library.refusals.tooLarge, 2));
  });

  it('a file past the library’s quota', async () => {
    // Each under the 3 KB a text file may be, the two over the library's 4 KB.
    expect(FIRST.byteLength).toBeLessThan(limits.txtBytes);
    expect(SECOND.byteLength).toBeLessThan(limits.txtBytes);
    expect(FIRST.byteLength + SECOND.byteLength).toBeGreaterThan(QUOTA);
    expect(textOf(await add(s.fake.attachment('first.txt', FIRST, 'text/plain')))).toContain(en.library.chat.added('first.txt'));
    await refused(s.fake.attachment('second.txt', SECOND, 'text/plain'), phrase(en.library.refusals.quota, 3));
  });

  it('a corrupt PDF, with corpus:check’s reason', async () => {
    // A PDF's header and its first objects, under the quota: the parse is what refuses it.
    await refused(s.fake.attachment('broken.pdf', PDF.subarray(0, QUOTA >> 1), 'application/pdf'), en.library.refusals.unreadable([]).split('\n')[0] as string);
  });

  it('a download that never ends', async () => {
    await refused(s.fake.attachment('slow.txt', SMALL, 'text/plain', { stall: true }), phrase(en.library.refusals.timeout, 1));
  });

  it('a name with ../ and control characters is kept under a clean name inside the library', async () => {
    const sent = await add(s.fake.attachment('../../etc/\u0007notes.txt', SMALL, 'text/plain'));
    expect(textOf(sent)).toContain(en.library.chat.added('notes.txt'));
    expect((await s.store.list(guildTeam)).map((e) => e.file)).toEqual(['notes.txt']);
    expect(await readdir(join(dir, 'libraries', GUILD))).toEqual(['manifest.json', 'notes.txt']);
    expect(await readdir(dir)).toEqual(['libraries']);
  });
});
