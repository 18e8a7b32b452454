import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AddedBy, createLibraryStore, DEFAULT_LIBRARY_MAX_MB } from '../../../src/core/library/store.js';
import { parseTeamKey, type Team, teamKey } from '../../../src/core/library/team.js';
import { snapshot } from './snapshot.js';

const GUILD: Team = { kind: 'discord-guild', id: '123456789012345678' };
const OTHER_GUILD: Team = { kind: 'discord-guild', id: '876543210987654321' };
const ALICE: AddedBy = { platform: 'discord', userId: '111111111111111111', name: 'alice' };
const NOW = new Date('2026-12-04T12:00:00.000Z');

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dataDir: string;
let dir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'yz-library-'));
  dir = join(dataDir, 'libraries');
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('team keys', () => {
  test.each([
    [{ kind: 'discord-guild', id: '123456789012345678' }, 'discord-guild-123456789012345678'],
    [{ kind: 'discord-user', id: '98765432109876543' }, 'discord-user-98765432109876543'],
    [{ kind: 'slack-team', id: 'T0123ABCD' }, 'slack-team-T0123ABCD'],
    [{ kind: 'slack-team', id: 'E0GRID42' }, 'slack-team-E0GRID42'],
  ] as const)('%j → %s, and back', (team, key) => {
    expect(teamKey(team)).toBe(key);
    expect(parseTeamKey(key)).toEqual(team);
  });

  test.each([
    { kind: 'discord-guild', id: '../../etc' },
    { kind: 'discord-guild', id: '1234' },
    { kind: 'discord-user', id: '123456789012345678/..' },
    { kind: 'slack-team', id: 't0123abcd' },
    { kind: 'slack-team', id: 'T01/../X' },
    { kind: 'slack-team', id: '' },
  ] as const)('%j is no team', (team) => {
    expect(teamKey(team)).toBeNull();
    expect(parseTeamKey(`${team.kind}-${team.id}`)).toBeNull();
  });

  test('the store refuses to make a folder for an ID the platform does not issue', async () => {
    const store = createLibraryStore({ dir });
    expect(() => store.folder({ kind: 'slack-team', id: '..' })).toThrow('library: slack-team ID ".." is not one the platform issues');
  });
});

describe('a team’s library on disk', () => {
  test('an add keeps the file as uploaded and a manifest of who added it and when', async () => {
    const store = createLibraryStore({ dir });
    const added = await store.add(GUILD, { name: '数字治理.txt', bytes: bytes('文章') }, ALICE, { now: NOW });
    const entry = { file: '数字治理.txt', sha256: sha256('文章'), bytes: 6, addedBy: ALICE, addedAt: '2026-12-04T12:00:00.000Z' };
    expect(added).toEqual({ ok: true, entry });
    const folder = join(dir, 'discord-guild-123456789012345678');
    expect(store.folder(GUILD)).toBe(folder);
    expect(await readFile(join(folder, '数字治理.txt'), 'utf8')).toBe('文章');
    expect(JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'))).toEqual({ version: 1, files: [entry] });
    expect(Object.keys((await snapshot(folder)) ?? {})).toEqual(['manifest.json', '数字治理.txt']);
    expect(await store.list(GUILD)).toEqual([entry]);
    expect(Buffer.from((await store.read(GUILD, '数字治理.txt')) ?? [])).toEqual(Buffer.from('文章'));
  });

  test('a team that added nothing has an empty library and no folder', async () => {
    const store = createLibraryStore({ dir });
    expect(await store.list(GUILD)).toEqual([]);
    expect(await store.read(GUILD, 'a.txt')).toBeNull();
    expect(await snapshot(dir)).toBeNull();
  });

  test('each team sees only its own files', async () => {
    const store = createLibraryStore({ dir });
    await store.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE);
    expect(await store.list(OTHER_GUILD)).toEqual([]);
    expect(await store.read(OTHER_GUILD, 'a.txt')).toBeNull();
    // The same content is no duplicate in another team's library.
    expect(await store.add(OTHER_GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE)).toMatchObject({ ok: true });
  });

  test('the same content twice is refused, naming the file that has it, and nothing changes', async () => {
    const store = createLibraryStore({ dir });
    await store.add(GUILD, { name: 'first.txt', bytes: bytes('same') }, ALICE);
    const before = await snapshot(dir);
    expect(await store.add(GUILD, { name: 'second.txt', bytes: bytes('same') }, ALICE)).toEqual({
      ok: false,
      code: 'duplicate',
      message: 'This file is already in the library, as first.txt. Nothing was added.',
    });
    expect(await snapshot(dir)).toEqual(before);
  });

  test('another file under a name the library has is refused, and nothing changes', async () => {
    const store = createLibraryStore({ dir });
    await store.add(GUILD, { name: 'a.txt', bytes: bytes('one') }, ALICE);
    const before = await snapshot(dir);
    expect(await store.add(GUILD, { name: 'a.txt', bytes: bytes('two') }, ALICE)).toEqual({
      ok: false,
      code: 'nameTaken',
      message: 'The library already has another file named a.txt. Rename yours, or remove that one first to replace it.',
    });
    expect(await snapshot(dir)).toEqual(before);
  });

  test('over the quota is refused with the space used, and nothing changes', async () => {
    const store = createLibraryStore({ dir, maxBytes: 1024 * 1024 });
    await store.add(GUILD, { name: 'a.txt', bytes: new Uint8Array(700 * 1024).fill(0x61) }, ALICE);
    const before = await snapshot(dir);
    expect(await store.add(GUILD, { name: 'b.txt', bytes: new Uint8Array(400 * 1024).fill(0x62) }, ALICE)).toEqual({
      ok: false,
      code: 'quota',
      message:
        'The library holds 0.7 MB of its 1.0 MB, and this file is 0.4 MB. Remove files the team no longer needs (list shows them), or ask the bot’s operator to raise LIBRARY_MAX_MB.',
    });
    expect(await snapshot(dir)).toEqual(before);
    // Exactly at the quota is within it.
    expect(await store.add(GUILD, { name: 'c.txt', bytes: new Uint8Array(324 * 1024).fill(0x63) }, ALICE)).toMatchObject({ ok: true });
  });

  test('a first file over the quota leaves no folder behind', async () => {
    const store = createLibraryStore({ dir, maxBytes: 10 });
    expect(await store.add(GUILD, { name: 'a.txt', bytes: bytes('eleven byte') }, ALICE)).toMatchObject({ ok: false, code: 'quota' });
    expect(await snapshot(dir)).toBeNull();
  });

  test('admit says what add would refuse, and writes nothing', async () => {
    const store = createLibraryStore({ dir, maxBytes: 10 });
    expect(await store.admit(GUILD, { name: 'a.txt', bytes: bytes('a') })).toBeNull();
    expect(await snapshot(dir)).toBeNull();
    await store.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE);
    const before = await snapshot(dir);
    expect(await store.admit(GUILD, { name: 'b.txt', bytes: bytes('a') })).toMatchObject({ ok: false, code: 'duplicate' });
    expect(await store.admit(GUILD, { name: 'a.txt', bytes: bytes('b') })).toMatchObject({ ok: false, code: 'nameTaken' });
    expect(await store.admit(GUILD, { name: 'c.txt', bytes: bytes('ten bytes!') }, { locale: 'zh-CN' })).toEqual({
      ok: false,
      code: 'quota',
      message: '文库已占用 0.0 MB（上限 0.0 MB），此文件为 0.0 MB。请删除团队不再需要的文件（list 可列出），或请机器人的运维者调高 LIBRARY_MAX_MB。',
    });
    expect(await snapshot(dir)).toEqual(before);
  });

  test('the default quota is LIBRARY_MAX_MB’s default', () => {
    expect(DEFAULT_LIBRARY_MAX_MB).toBe(200);
  });

  test('remove takes the file and its manifest line away', async () => {
    const store = createLibraryStore({ dir });
    await store.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE, { now: NOW });
    await store.add(GUILD, { name: 'b.txt', bytes: bytes('b') }, ALICE, { now: NOW });
    expect(await store.remove(GUILD, 'a.txt')).toEqual({
      ok: true,
      entry: { file: 'a.txt', sha256: sha256('a'), bytes: 1, addedBy: ALICE, addedAt: NOW.toISOString() },
    });
    expect((await store.list(GUILD)).map((e) => e.file)).toEqual(['b.txt']);
    expect(Object.keys((await snapshot(store.folder(GUILD))) ?? {})).toEqual(['b.txt', 'manifest.json']);
    // Its content may come back once removed.
    expect(await store.add(GUILD, { name: 'again.txt', bytes: bytes('a') }, ALICE)).toMatchObject({ ok: true });
  });

  test('removing a file the library lacks names the files it has, and changes nothing', async () => {
    const store = createLibraryStore({ dir });
    expect(await store.remove(GUILD, 'x.txt')).toEqual({ ok: false, code: 'notFound', message: 'The library has no file named x.txt: it is empty.' });
    expect(await snapshot(dir)).toBeNull();
    await store.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE);
    await store.add(GUILD, { name: 'b.txt', bytes: bytes('b') }, ALICE);
    const before = await snapshot(dir);
    expect(await store.remove(GUILD, '../a.txt', { locale: 'zh-CN' })).toEqual({
      ok: false,
      code: 'notFound',
      message: '文库中没有名为 ../a.txt 的文件。现有文件：a.txt、b.txt。',
    });
    expect(await snapshot(dir)).toEqual(before);
  });

  test('a second store on the same DATA_DIR (another process, or after a restart) sees every change', async () => {
    const one = createLibraryStore({ dir });
    const two = createLibraryStore({ dir });
    await one.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE, { now: NOW });
    expect((await two.list(GUILD)).map((e) => e.file)).toEqual(['a.txt']);
    expect(await two.add(GUILD, { name: 'copy.txt', bytes: bytes('a') }, ALICE)).toMatchObject({ ok: false, code: 'duplicate' });
    await two.add(GUILD, { name: 'b.txt', bytes: bytes('b') }, ALICE);
    await two.remove(GUILD, 'a.txt');
    expect((await one.list(GUILD)).map((e) => e.file)).toEqual(['b.txt']);
    expect(await one.read(GUILD, 'a.txt')).toBeNull();
  });

  test('adds at once to one library are taken one at a time: none is lost', async () => {
    const one = createLibraryStore({ dir });
    const two = createLibraryStore({ dir });
    const names = Array.from({ length: 8 }, (_, i) => `f${i}.txt`);
    const results = await Promise.all(names.map((name, i) => (i % 2 ? one : two).add(GUILD, { name, bytes: bytes(name) }, ALICE)));
    expect(results.map((r) => r.ok)).toEqual(names.map(() => true));
    expect((await one.list(GUILD)).map((e) => e.file).sort()).toEqual(names);
    // The same content from two places at once: one is kept, the other told it is there.
    const both = await Promise.all([one, two].map((s, i) => s.add(GUILD, { name: `same${i}.txt`, bytes: bytes('same') }, ALICE)));
    expect(both.map((r) => (r.ok ? 'added' : r.code)).sort()).toEqual(['added', 'duplicate']);
  });

  test('a lock left by a process that died does not block the library for good', async () => {
    const store = createLibraryStore({ dir });
    await mkdir(store.folder(GUILD), { recursive: true });
    const lock = join(store.folder(GUILD), '.lock');
    await writeFile(lock, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await store.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE)).toMatchObject({ ok: true });
  });

  test('what a process that died mid-change left is swept by the next change, and never served', async () => {
    const store = createLibraryStore({ dir });
    await store.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE);
    const folder = store.folder(GUILD);
    // A partial write, and a file renamed into place whose manifest never followed.
    await writeFile(join(folder, '.b.txt.999.abc.partial'), 'half');
    await writeFile(join(folder, 'orphan.txt'), 'orphan');
    expect(await store.read(GUILD, 'orphan.txt')).toBeNull();
    expect((await store.list(GUILD)).map((e) => e.file)).toEqual(['a.txt']);
    await store.add(GUILD, { name: 'b.txt', bytes: bytes('b') }, ALICE);
    expect(Object.keys((await snapshot(folder)) ?? {})).toEqual(['a.txt', 'b.txt', 'manifest.json']);
    await writeFile(join(folder, 'orphan.txt'), 'orphan');
    await store.remove(GUILD, 'a.txt');
    expect(Object.keys((await snapshot(folder)) ?? {})).toEqual(['b.txt', 'manifest.json']);
  });

  test('a manifest that is not the store’s is never written over: the change is refused as unsaved', async () => {
    const store = createLibraryStore({ dir });
    await mkdir(store.folder(GUILD), { recursive: true });
    await writeFile(join(store.folder(GUILD), 'manifest.json'), '{"files": "edited by hand"');
    const before = await snapshot(dir);
    const added = await store.add(GUILD, { name: 'a.txt', bytes: bytes('a') }, ALICE);
    expect(added).toMatchObject({
      ok: false,
      code: 'unsaved',
      message: 'The library could not be saved, so nothing was changed. Try again later; the bot’s operator has the details in the log.',
    });
    expect(!added.ok && added.cause).toBeInstanceOf(SyntaxError);
    expect(await store.remove(GUILD, 'a.txt')).toMatchObject({ ok: false, code: 'unsaved' });
    expect(await snapshot(dir)).toEqual(before);
    await expect(store.list(GUILD)).rejects.toThrow(SyntaxError);
  });

  test('only names intake makes are kept', async () => {
    const store = createLibraryStore({ dir });
    await expect(store.add(GUILD, { name: '../escape.txt', bytes: bytes('x') }, ALICE)).rejects.toThrow('is not a cleaned name');
    expect(await snapshot(dir)).toBeNull();
  });
});
