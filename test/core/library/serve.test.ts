import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { type Corpus, essaysOf } from '../../../src/core/corpus/model.js';
import type { Bot, Library } from '../../../src/core/dispatch/bot.js';
import { createTeamLibraries, type ServedTeamLibraries } from '../../../src/core/library/serve.js';
import { createLibraryStore, type LibraryStore } from '../../../src/core/library/store.js';
import { createIndex, indexParts } from '../../../src/core/search/corpus-index.js';
import { botOver, quietLogger, requester } from '../../support/bot.js';

/*
 * Each team sees the operator's essays and its own additions, never another team's: the
 * operator's files and segments are the served library's own objects, and a team's essays
 * whose IDs the operator's have take a suffix, never the other way round.
 */

const A = { kind: 'discord-guild', id: '100000000000000001' } as const;
const B = { kind: 'discord-guild', id: '100000000000000002' } as const;
const KEY_A = 'discord-guild-100000000000000001';
const KEY_B = 'discord-guild-100000000000000002';
const SLACK = 'slack-team-T0TEAM';
const BY = { platform: 'discord' as const, userId: '111111111111111111', name: 'alice' };
const PHRASE = '量子外交试验';
const essayFile = (title: string, author: string, phrase: string) =>
  new TextEncoder().encode(`${title}\n\n${author}\n\n${phrase}已经在多个国家展开，其规则尚在形成之中。\n`);

let operator: Corpus;
let dir: string;
let store: LibraryStore;
let bot: Bot;
let libraries: ServedTeamLibraries;

beforeAll(async () => {
  operator = await loadCorpus(BUNDLED_CORPUS_DIR);
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yinzheng-serve-'));
  store = createLibraryStore({ dir });
  let served: Bot | undefined;
  const library: Library = { corpus: operator, index: createIndex(operator) };
  libraries = createTeamLibraries({ operator: () => served?.library() ?? library, store, logger: quietLogger });
  bot = botOver(operator, { libraries });
  served = bot;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const found = (team: string | null) => JSON.stringify(bot.runLine(`quote ${PHRASE} count:1`, { ...requester(), team }).results).includes(PHRASE);

describe("each team's library", () => {
  test("a team's file is quoted for that team only, over the operator's essays, whose objects and IDs it reuses", async () => {
    const ids = essaysOf(operator).flatMap((e) => e.sections.flatMap((s) => s.paragraphs.map((p) => p.id)));
    expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
    bot.libraryChanged(KEY_A);
    const library = await libraries.ready(KEY_A);
    expect(library.corpus.files.slice(0, operator.files.length)).toEqual(operator.files);
    expect(library.corpus.files[0]).toBe(operator.files[0]);
    // Its index reads the operator’s docs and text where they are, and has a part of its own for its
    // file: one sentence, one doc.
    const [shared, own, ...more] = indexParts(library.index);
    expect(shared).toBe(indexParts(bot.library().index)[0]);
    expect([own?.docStarts.length, more.length]).toEqual([2, 0]);
    expect(found(KEY_A)).toBe(true);
    for (const other of [KEY_B, SLACK, null]) {
      await (other ? libraries.ready(other) : Promise.resolve());
      expect(found(other), String(other)).toBe(false);
    }
    // The operator's own answers are as they were, from the operator's objects.
    expect(bot.runLine('quote 智能鸿沟', { ...requester(), team: KEY_A }).results).toEqual(bot.runLine('quote 智能鸿沟', requester()).results);
    expect(essaysOf(operator).flatMap((e) => e.sections.flatMap((s) => s.paragraphs.map((p) => p.id)))).toEqual(ids);

    // /essays marks the team's essay as the team's, in its library only.
    const listed = (team: string | null) => bot.runLine('essays 量子外交', { ...requester(), team }).results as Array<{ title: string; addedByTeam: boolean }>;
    expect(
      listed(KEY_A)
        .filter((e) => e.addedByTeam)
        .map((e) => e.title),
    ).toEqual(['量子外交的兴起']);
    expect(listed(KEY_B).some((e) => e.addedByTeam)).toBe(false);

    // Removed, it is gone for the team too.
    expect((await store.remove(A, 'quantum.txt')).ok).toBe(true);
    bot.libraryChanged(KEY_A);
    await libraries.ready(KEY_A);
    expect(found(KEY_A)).toBe(false);
  });

  test("a team's essay whose ID is the operator's takes a suffix; the operator's keeps its own", async () => {
    const first = essaysOf(operator).find((e) => e.kind === 'essay' && e.authors.length === 1);
    if (!first) throw new Error('the bundled corpus has no single-author essay');
    const bytes = essayFile(first.title, first.authors[0]?.name ?? '', PHRASE);
    expect((await store.add(B, { name: 'same.txt', bytes }, BY)).ok).toBe(true);
    const library = await libraries.ready(KEY_B);
    const team = library.corpus.files.at(-1)?.essays[0];
    expect(team?.id).not.toBe(first.id);
    expect(team?.id.startsWith(`${first.id}-`)).toBe(true);
    expect(first.id).toBe(essaysOf(operator).find((e) => e === first)?.id);
    expect(library.corpus.files.at(-1)?.warnings.some((w) => w.message.includes(first.id))).toBe(true);
  });

  test('a team asked for before its files are loaded is answered from the operator’s essays, then from its own', async () => {
    expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
    expect(found(KEY_A)).toBe(false);
    await libraries.ready(KEY_A);
    expect(found(KEY_A)).toBe(true);
  });

  test("after the operator's corpus is reloaded, a team's library is put together again over the new one", async () => {
    expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
    const before = await libraries.ready(KEY_A);
    const next: Corpus = { ...operator, version: 'reloaded-000' };
    bot.replaceLibrary({ corpus: next, index: createIndex(next) });
    // Until the team's library is put together again, the team sees the new operator's essays.
    expect(bot.libraryFor(KEY_A).corpus.version).toBe('reloaded-000');
    const after = await libraries.ready(KEY_A);
    expect(after.corpus.version).not.toBe(before.corpus.version);
    expect(after.corpus.files.slice(0, operator.files.length)).toEqual(next.files);
    expect(found(KEY_A)).toBe(true);
    // Over the new operator's index, read where it is: the old one is no longer held.
    expect(indexParts(after.index)[0]).toBe(indexParts(bot.library().index)[0]);
    expect(indexParts(after.index)[0]).not.toBe(indexParts(before.index)[0]);
  });

  test('a restart keeps every library: a new process on the same DATA_DIR serves each team its files', async () => {
    expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
    // What a second process (or the bot after a restart) makes of the same folder: its own store, libraries and bot.
    const library: Library = { corpus: operator, index: createIndex(operator) };
    let restarted: Bot | undefined;
    const again = createTeamLibraries({ operator: () => restarted?.library() ?? library, store: createLibraryStore({ dir }), logger: quietLogger });
    restarted = botOver(operator, { libraries: again });
    await again.preload();
    const ask = (team: string | null) => JSON.stringify(restarted?.runLine(`quote ${PHRASE} count:1`, { ...requester(), team }).results).includes(PHRASE);
    expect(ask(KEY_A)).toBe(true);
    expect(ask(KEY_B)).toBe(false);
  });

  test('says which teams an adapter should wait for: those with files whose library is not ready', async () => {
    expect(bot.libraryPending(KEY_B)).toBe(false);
    expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
    bot.libraryChanged(KEY_A);
    expect(bot.libraryPending(KEY_A)).toBe(true);
    await bot.libraryReady(KEY_A);
    expect(bot.libraryPending(KEY_A)).toBe(false);
    expect(found(KEY_A)).toBe(true);
  });

  test('a change while the team’s library is being put together is in what ready gives', async () => {
    expect((await store.add(A, { name: 'one.txt', bytes: essayFile('量子外交的兴起', '李四', '星际外交试验') }, BY)).ok).toBe(true);
    bot.libraryChanged(KEY_A);
    // The first load has begun with one file; the second file comes while it runs.
    expect((await store.add(A, { name: 'two.txt', bytes: essayFile('量子外交的未来', '王五', PHRASE) }, BY)).ok).toBe(true);
    bot.libraryChanged(KEY_A);
    const library = await bot.libraryReady(KEY_A);
    expect(library.corpus.files.map((f) => f.file).slice(-2)).toEqual(['one.txt', 'two.txt']);
    expect(found(KEY_A)).toBe(true);
  });

  test('a team’s files are parsed once, not again at each change of its library', async () => {
    const { createParseCache } = await import('../../../src/core/corpus/parse-cache.js');
    const { createCacheStore } = await import('../../../src/core/cache/store.js');
    const cache = createParseCache(createCacheStore(join(dir, 'cache')), 'build-test');
    const puts: string[] = [];
    const parseCache = {
      get: cache.get,
      put(f: Parameters<typeof cache.put>[0]) {
        puts.push(f.file);
        return cache.put(f);
      },
    };
    const library: Library = { corpus: operator, index: createIndex(operator) };
    const teams = createTeamLibraries({ operator: () => library, store, logger: quietLogger, parseCache });
    expect((await store.add(A, { name: 'one.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
    teams.changed(KEY_A);
    await teams.ready(KEY_A);
    expect((await store.add(A, { name: 'two.txt', bytes: essayFile('量子外交的未来', '王五', '星际外交试验') }, BY)).ok).toBe(true);
    teams.changed(KEY_A);
    const after = await teams.ready(KEY_A);
    expect(after.corpus.files.map((f) => f.file).slice(-2)).toEqual(['one.txt', 'two.txt']);
    expect(puts).toEqual(['one.txt', 'two.txt']);
  });

  test("a team's essays are found with the operator's essay index, shared, and its own essays' small one", async () => {
    const operatorIndex = bot.library().index;
    // One of the operator's authors writes in the team's file too: one author, with both essays.
    const shared = essaysOf(operator).find((e) => e.authors.length > 0)?.authors[0]?.name as string;
    expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', shared, PHRASE) }, BY)).ok).toBe(true);
    bot.libraryChanged(KEY_A);
    const served = await libraries.ready(KEY_A);
    const team = served.index;
    const mine = essaysOf(served.corpus).at(-1);

    // The team's own essay is found for the team, first, and nowhere else.
    expect(team.searchEssays('量子外交')[0]?.essay).toBe(mine);
    expect(operatorIndex.searchEssays('量子外交').some((h) => h.essay.title === '量子外交的兴起')).toBe(false);
    // The operator's essays rank and score for the team as for the operator, by the same index.
    for (const query of essaysOf(operator).map((e) => e.title.slice(0, 4))) {
      const ours = team.searchEssays(query, 6).filter((h) => h.essay !== mine);
      expect(ours.slice(0, 5), query).toEqual(operatorIndex.searchEssays(query, 5));
    }
    // An author in both parts is one hit, with the essays of both.
    const [hit, ...rest] = team.searchAuthors(shared, 5).filter((h) => h.author.name === shared);
    expect(rest).toEqual([]);
    expect(hit?.author.essays).toContain(mine);
    expect(hit?.author.essays.length).toBe((operatorIndex.searchAuthors(shared, 5).find((h) => h.author.name === shared)?.author.essays.length ?? 0) + 1);
  });

  test('preload loads every team with a library, so that its first question sees its files', async () => {
    expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
    await libraries.preload();
    expect(found(KEY_A)).toBe(true);
  });
});

describe("a team's reader links", () => {
  test('name the team’s library, open there, and open nowhere else', async () => {
    const { createReader } = await import('../../../src/web/reader.js');
    const { startReaderServer } = await import('../../../src/health.js');
    let reader: ReturnType<typeof createReader> | undefined;
    const server = await startReaderServer(0, (req, res) => reader?.handle(req, res) ?? false);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const library: Library = { corpus: operator, index: createIndex(operator) };
      let served: Bot | undefined;
      const teams = createTeamLibraries({ operator: () => served?.library() ?? library, store, logger: quietLogger });
      reader = createReader({ bot: () => served as Bot, publicUrl: base, access: 'signed', secret: 'a-secret-of-sixteen-or-more', linkDays: 1 });
      served = botOver(operator, { libraries: teams, links: reader });
      expect((await store.add(A, { name: 'quantum.txt', bytes: essayFile('量子外交的兴起', '李四', PHRASE) }, BY)).ok).toBe(true);
      await teams.ready(KEY_A);

      const block = served.runLine(`quote ${PHRASE} count:1`, { ...requester(), team: KEY_A }).blocks[0];
      const link = block?.kind === 'quote' ? (block.attribution.link as string) : '';
      expect(new URL(link).searchParams.get('lib')).toBe(KEY_A);
      const opened = await fetch(link);
      expect(opened.status).toBe(200);
      expect(await opened.text()).toContain('量子外交的兴起');
      // The same link for another team, or for none, is not the one signed: it opens nothing.
      for (const other of [KEY_B, null]) {
        const url = new URL(link);
        if (other) url.searchParams.set('lib', other);
        else url.searchParams.delete('lib');
        expect((await fetch(url)).status, String(other)).toBe(403);
      }
      // The operator's passages still open without a library.
      const own = served.runLine('quote 智能鸿沟 count:1', requester()).blocks[0];
      const ownLink = own?.kind === 'quote' ? (own.attribution.link as string) : '';
      expect(new URL(ownLink).searchParams.has('lib')).toBe(false);
      expect((await fetch(ownLink)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
