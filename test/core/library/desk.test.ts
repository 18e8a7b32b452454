import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { fileReport } from '../../../src/core/corpus/report.js';
import type { Bot } from '../../../src/core/dispatch/bot.js';
import { type Changer, createLibraryDesk, type LibraryDesk } from '../../../src/core/library/desk.js';
import { createLibraryStore, type FileLibraryStore } from '../../../src/core/library/store.js';
import { en } from '../../../src/core/words/en.js';
import { zhCN } from '../../../src/core/words/zh-CN.js';
import { createTestLogger } from '../../discord/support.js';
import { botOver } from '../../support/bot.js';
import { type FakeFiles, startFakeFiles } from './fake-files.js';

/*
 * The chat commands' core: each answer is a Reply in the asker's language, every change is
 * logged with who, where, the file and its hash, and the bot hears of it.
 */

const TXT = readFileSync(new URL('../../fixtures/corpus/conventions.txt', import.meta.url));
const CAST = readFileSync(new URL('../../fixtures/citation/conventions-symposium.txt', import.meta.url));
const KEY = 'discord-guild-123456789012345678';
const TEAM = { kind: 'discord-guild', id: '123456789012345678' } as const;
const ALICE: Changer = { platform: 'discord', userId: '111111111111111111', name: 'alice', where: '300000000000000001' };
const MB = (n: number) => (n / 1024 / 1024).toFixed(1);

let files: FakeFiles;
let dir: string;
let store: FileLibraryStore;
let desk: LibraryDesk;
let logs: ReturnType<typeof createTestLogger>;
let changed: string[];
let bot: Bot;

beforeAll(async () => {
  files = await startFakeFiles();
  bot = botOver(await loadCorpus('test/fixtures/corpus'));
});
afterAll(async () => {
  await files.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yinzheng-desk-'));
  store = createLibraryStore({ dir });
  logs = createTestLogger();
  changed = [];
  desk = createLibraryDesk({ store, maxBytes: 1024 * 1024, logger: logs, bot: { libraryFor: bot.libraryFor, libraryChanged: (t) => changed.push(t) } });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the library desk', () => {
  test('an add answers with corpus:check’s lines, logs the change with its hash, and tells the bot', async () => {
    const reply = await desk.add(KEY, { url: files.discordAttachment('conventions.txt', TXT), name: 'conventions.txt' }, ALICE, 'en');
    expect(reply.error).toBeUndefined();
    expect(reply.message).toBe(en.library.chat.added('conventions.txt'));
    const { parseCorpusBytes } = await import('../../../src/core/corpus/load.js');
    expect(reply.blocks).toEqual([{ kind: 'text', text: fileReport(parseCorpusBytes('conventions.txt', TXT)).join('\n') }]);
    expect(reply.corpusVersion).toBe(bot.library().corpus.version);
    const [entry] = await store.list(TEAM);
    expect(logs.entries.items.filter((e) => e.msg === 'library: added a file').map((e) => e.obj)).toEqual([
      {
        library: KEY,
        change: 'add',
        platform: 'discord',
        user: ALICE.userId,
        userName: 'alice',
        where: ALICE.where,
        file: 'conventions.txt',
        sha256: entry?.sha256,
        bytes: TXT.byteLength,
      },
    ]);
    expect(changed).toEqual([KEY]);
  });

  test('a refused add is an error reply with intake’s reason, logged by code, and the bot hears nothing', async () => {
    const reply = await desk.add(
      KEY,
      { url: files.discordAttachment('x.pdf', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])), name: 'x.pdf' },
      ALICE,
      'zh-CN',
    );
    expect(reply.error).toEqual({ code: 'notEssay', message: zhCN.library.refusals.notEssay });
    expect(logs.entries.items.find((e) => e.msg === 'library: a change was refused')?.obj).toMatchObject({ library: KEY, refused: 'notEssay' });
    expect(changed).toEqual([]);
  });

  test('list says who added each file and when, in UTC, and the space used of the quota', async () => {
    await store.add(TEAM, { name: 'conventions.txt', bytes: TXT }, ALICE, { now: new Date('2026-03-04T05:06:07Z') });
    await store.add(TEAM, { name: 'symposium.txt', bytes: CAST }, { ...ALICE, name: '王五' }, { now: new Date('2026-03-05T23:59:00Z') });
    const reply = await desk.list(KEY, 'zh-CN');
    const t = zhCN.library.chat;
    expect(reply.message).toBe(t.total(2, MB(TXT.byteLength + CAST.byteLength), '1.0'));
    expect(reply.blocks).toEqual([
      {
        kind: 'text',
        text: [
          t.entry('conventions.txt', MB(TXT.byteLength), 'alice', t.at('2026-03-04', '05:06')),
          t.entry('symposium.txt', MB(CAST.byteLength), '王五', t.at('2026-03-05', '23:59')),
        ].join('\n'),
      },
    ]);
    expect((await desk.list('discord-guild-999999999999999999', 'en')).message).toBe(en.library.chat.empty);
  });

  test('files are offered for autocomplete by prefix first, then by any part of the name', async () => {
    await store.add(TEAM, { name: 'symposium.txt', bytes: CAST }, ALICE);
    await store.add(TEAM, { name: 'conventions.txt', bytes: TXT }, ALICE);
    expect(await desk.files(KEY, 'CON')).toEqual(['conventions.txt']);
    expect(await desk.files(KEY, 'o')).toEqual(['symposium.txt', 'conventions.txt']);
    expect(await desk.files(KEY, 's')).toEqual(['symposium.txt', 'conventions.txt']);
  });

  test('remove logs the change and tells the bot; a name the library lacks is refused with its files', async () => {
    await store.add(TEAM, { name: 'conventions.txt', bytes: TXT }, ALICE);
    expect((await desk.remove(KEY, 'nope.txt', ALICE, 'en')).error).toEqual({
      code: 'notFound',
      message: en.library.refusals.notFound('nope.txt', ['conventions.txt']),
    });
    const reply = await desk.remove(KEY, ' conventions.txt ', ALICE, 'en');
    expect(reply.message).toBe(en.library.chat.removed('conventions.txt'));
    expect(await store.list(TEAM)).toEqual([]);
    expect(changed).toEqual([KEY]);
    expect(logs.entries.items.filter((e) => e.msg === 'library: removed a file').map((e) => e.obj.file)).toEqual(['conventions.txt']);
  });

  test('check reports every file as corpus:check does, and says which could not be read', async () => {
    await store.add(TEAM, { name: 'conventions.txt', bytes: TXT }, ALICE);
    await store.add(TEAM, { name: 'symposium.txt', bytes: CAST }, ALICE);
    await writeFile(join(store.folder(TEAM), 'symposium.txt'), new Uint8Array([0xff, 0x00]));
    const reply = await desk.check(KEY, 'en');
    const { parseCorpusBytes } = await import('../../../src/core/corpus/load.js');
    expect(reply.message).toBe(en.library.chat.checked(2));
    expect(reply.blocks).toEqual([
      { kind: 'text', text: [...fileReport(parseCorpusBytes('conventions.txt', TXT)), en.library.chat.missing('symposium.txt')].join('\n') },
    ]);
  });
});
