import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { formatWarning } from '../../../src/core/corpus/model.js';
import { fileReport } from '../../../src/core/corpus/report.js';
import { addBytes, addFromUrl } from '../../../src/core/library/add.js';
import { checkFile } from '../../../src/core/library/check.js';
import type { IntakeLimits } from '../../../src/core/library/intake.js';
import { type AddedBy, createLibraryStore, type FileLibraryStore } from '../../../src/core/library/store.js';
import type { Team } from '../../../src/core/library/team.js';
import { type FakeFiles, startFakeFiles } from './fake-files.js';
import { snapshot } from './snapshot.js';

/*
 * An add from chat through the core, against the loopback file hosts: a good PDF and a good
 * text are kept with corpus:check's report; every hostile upload is refused with its reason and
 * leaves the data folder byte for byte as it was.
 */

const PDF = readFileSync(new URL('../../fixtures/articles/chromium-article.pdf', import.meta.url));
const TXT = readFileSync(new URL('../../fixtures/corpus/conventions.txt', import.meta.url));
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(256, 0x90)]);

const GUILD: Team = { kind: 'discord-guild', id: '123456789012345678' };
const WORKSPACE: Team = { kind: 'slack-team', id: 'T0FAKE' };
const ALICE: AddedBy = { platform: 'discord', userId: '111111111111111111', name: 'alice' };
const BOB: AddedBy = { platform: 'slack', userId: 'U0BOB', name: 'bob' };
/** The PDF fixture (229 KiB) fits; 300 kB does not. */
const LIMITS: IntakeLimits = { pdfBytes: 300_000, txtBytes: 100_000, timeoutMs: 5_000 };
const NOW = new Date('2026-12-04T12:00:00.000Z');

const PDF_REPORT = [
  '中国外交.pdf: 1 essays, 2 authors, 4 sections, 13 paragraphs, 13 footnotes, 8 URLs, pages 57–61',
  '  issue: 国际展望, 2026, no. 1 (as the pages print it)',
  '  《国家管辖范围以外区域海洋保护区的规则竞争——兼论中国的参与路径》 pp. 57–61 (lin-haizhou-gjgx)',
  '    authors: 林海舟 — 东海大学国际关系学院副教授; 苏映雪 — 海川大学海洋法研究中心助理研究员',
  '    abstract: 197 characters · keywords: 海洋保护区；国家管辖范围以外区域；BBNJ协定；规则竞争；全球海洋治理 · 中图分类号 D993.5 · 文献标识码 A · 文章编号 1006-1568-（2026）01-0057-05 · DOI 10.13851/j.cnki.gjzw.202601006',
  '    funding note · received 2025-10-12 · revised 2025-12-01',
  '    English block: title, 2 authors, abstract (654 characters), 5 keywords',
];

let fake: FakeFiles;
let dataDir: string;
let store: FileLibraryStore;

beforeAll(async () => {
  fake = await startFakeFiles();
});
afterAll(() => fake.close());
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'yz-library-add-'));
  store = createLibraryStore({ dir: join(dataDir, 'libraries'), maxBytes: 400_000 });
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const fromDiscord = (name: string, bytes: Uint8Array, options: Parameters<FakeFiles['discordAttachment']>[2] = {}, limits = LIMITS) =>
  addFromUrl(store, GUILD, { url: fake.discordAttachment(name, bytes, options), name, limits }, ALICE, { now: NOW });

describe('a good file is kept, answered with corpus:check’s report', () => {
  test('a PDF attached on Discord', async () => {
    const added = await fromDiscord('中国外交.pdf', PDF);
    expect(added.ok && { entry: added.entry, report: added.report, essays: added.file.essays.length }).toEqual({
      entry: { file: '中国外交.pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/u), bytes: PDF.byteLength, addedBy: ALICE, addedAt: NOW.toISOString() },
      report: PDF_REPORT,
      essays: 1,
    });
    expect(Buffer.from((await store.read(GUILD, '中国外交.pdf')) ?? [])).toEqual(PDF);
  });

  test('a text file on Slack, fetched with the bot token', async () => {
    const url = fake.slackFile('conventions.txt', TXT);
    const added = await addFromUrl(
      store,
      WORKSPACE,
      { url, headers: { Authorization: `Bearer ${fake.slackToken}` }, name: 'conventions.txt', limits: LIMITS },
      BOB,
      {
        locale: 'zh-CN',
      },
    );
    expect(added.ok && added.report).toEqual([
      'conventions.txt: 文章 2 篇，作者 2 位，章节 2 个，段落 7 段，脚注 10 条，网址 6 个，含编者按',
      '  《编者按》 (editors-szzl): 编者',
      '  《数据跨境流动的规则竞争》 (zhang-san-sjkj)',
      '    作者：张三 — 某大学国际关系学院副教授',
      '  《平台经济的治理逻辑》 (li-si-ptjj)',
      '    作者：李四 — 某研究院研究员',
    ]);
    expect((await store.list(WORKSPACE)).map((e) => [e.file, e.addedBy])).toEqual([['conventions.txt', BOB]]);
    expect(await store.list(GUILD)).toEqual([]);
  });

  test('the report is what corpus:check prints for the same file in a corpus folder', async () => {
    const folder = join(dataDir, 'corpus');
    await mkdir(folder);
    const warned = Buffer.concat([TXT, Buffer.from('\n这一段没有写完，')]);
    await writeFile(join(folder, 'warned.txt'), warned);
    const corpus = await loadCorpus(folder);
    const file = corpus.files[0];
    if (!file) throw new Error('the corpus has no file');
    const checked = await checkFile({ name: 'warned.txt', type: 'txt', bytes: warned });
    expect(checked.ok && checked.report).toEqual([...fileReport(file), ...file.warnings.map((w) => formatWarning(w))]);
    expect(file.warnings.length).toBeGreaterThan(0);
  });

  test('a name with ../ and control characters is cleaned, and the file stays in its team’s folder', async () => {
    const added = await fromDiscord('../../../evil\u0007\u001b\u202e.txt', TXT);
    expect(added.ok && added.entry.file).toBe('evil.txt');
    expect(await snapshot(dataDir)).toEqual({
      libraries: 'folder',
      'libraries/discord-guild-123456789012345678': 'folder',
      'libraries/discord-guild-123456789012345678/evil.txt': expect.any(String),
      'libraries/discord-guild-123456789012345678/manifest.json': expect.any(String),
    });
  });
});

describe('a hostile or broken upload is refused and the library is exactly as it was', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeEach(async () => {
    // A library with a file in it, so that "as it was" has something to keep.
    expect(await addBytes(store, GUILD, 'conventions.txt', TXT, ALICE, { now: NOW })).toMatchObject({ ok: true });
    before = await snapshot(dataDir);
  });
  afterEach(async () => {
    expect(await snapshot(dataDir)).toEqual(before);
    expect((await store.list(GUILD)).map((e) => e.file)).toEqual(['conventions.txt']);
  });

  test('over the size limit by Content-Length', async () => {
    const refused = await fromDiscord('big.pdf', PDF, { delivery: { declared: 1_000_000 } });
    expect(refused).toEqual({
      ok: false,
      code: 'tooLarge',
      message: 'This file is over the 0.3 MB a file may have. Split it into issues or essays and add each.',
    });
  });

  test('over the size limit with no Content-Length: the streamed cap', async () => {
    const refused = await fromDiscord('big.pdf', Buffer.concat([PDF, PDF]), { delivery: 'chunked' });
    expect(refused).toEqual({
      ok: false,
      code: 'tooLarge',
      message: 'This file is over the 0.3 MB a PDF may have. Split it into issues or essays and add each.',
    });
  });

  test('over the library’s quota', async () => {
    const small = createLibraryStore({ dir: store.dir, maxBytes: 150_000 });
    const url = fake.discordAttachment('中国外交.pdf', PDF);
    const refused = await addFromUrl(small, GUILD, { url, name: '中国外交.pdf', limits: LIMITS }, ALICE);
    expect(refused).toEqual({
      ok: false,
      code: 'quota',
      message:
        'The library holds 0.0 MB of its 0.1 MB, and this file is 0.2 MB. Remove files the team no longer needs (list shows them), or ask the bot’s operator to raise LIBRARY_MAX_MB.',
    });
  });

  test('an executable named .pdf', async () => {
    const refused = await fromDiscord('issue.pdf', ELF);
    expect(refused).toMatchObject({ ok: false, code: 'notEssay' });
  });

  test('a corrupt PDF (cut short): corpus:check’s message', async () => {
    const refused = await fromDiscord('cut.pdf', PDF.subarray(0, PDF.byteLength >> 1));
    expect(refused).toEqual({
      ok: false,
      code: 'unreadable',
      message:
        'Not added: the bot cannot quote anything in this file.\ncorpus: cut.pdf: is not a readable PDF (Invalid PDF structure.): the file may be damaged or cut short; download it again: skipped',
      file: expect.objectContaining({ file: 'cut.pdf', essays: [] }),
    });
  });

  test('a corrupt PDF past the quota is told the quota: the store is asked before the parse', async () => {
    const small = createLibraryStore({ dir: store.dir, maxBytes: 10_000 });
    const url = fake.discordAttachment('cut.pdf', PDF.subarray(0, 20_000));
    expect(await addFromUrl(small, GUILD, { url, name: 'cut.pdf', limits: LIMITS }, ALICE)).toMatchObject({ ok: false, code: 'quota' });
  });

  test('a text with no essay in it', async () => {
    const refused = await fromDiscord('notes.txt', Buffer.from('just some words\n'));
    expect(refused.ok ? null : refused.message).toBe(
      'Not added: the bot cannot quote anything in this file.\ncorpus: notes.txt:0: no essay found (a title followed by an author line)',
    );
  });

  test('a download that never ends: the time limit', async () => {
    const refused = await fromDiscord('slow.pdf', PDF, { delivery: 'stall' }, { ...LIMITS, timeoutMs: 200 });
    expect(refused).toEqual({ ok: false, code: 'timeout', message: 'The file did not finish downloading within 0.2 s. Try again, or add a smaller file.' });
  });

  test('the same content twice, under another name', async () => {
    const refused = await fromDiscord('again.txt', TXT);
    expect(refused).toEqual({ ok: false, code: 'duplicate', message: 'This file is already in the library, as conventions.txt. Nothing was added.' });
  });

  test('Slack’s file fetched without the bot token', async () => {
    const refused = await addFromUrl(store, GUILD, { url: fake.slackFile('a.txt', Buffer.from('x')), name: 'a.txt', limits: LIMITS }, BOB);
    expect(refused).toMatchObject({ ok: false, code: 'webPage' });
  });
});

describe('after an add', () => {
  test('remove takes it away, and a second store on the same DATA_DIR sees both', async () => {
    const other = createLibraryStore({ dir: join(dataDir, 'libraries') });
    await fromDiscord('conventions.txt', TXT);
    expect((await other.list(GUILD)).map((e) => e.file)).toEqual(['conventions.txt']);
    expect(await other.remove(GUILD, 'conventions.txt')).toMatchObject({ ok: true, entry: { file: 'conventions.txt' } });
    expect(await store.list(GUILD)).toEqual([]);
    expect(await snapshot(store.folder(GUILD))).toEqual({ 'manifest.json': expect.any(String) });
    // Once removed, the same content may be added again.
    expect(await fromDiscord('conventions.txt', TXT)).toMatchObject({ ok: true });
  });
});
