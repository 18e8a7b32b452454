import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createCacheStore, evict } from '../../../src/core/cache/store.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { type CorpusFile, essaysOf } from '../../../src/core/corpus/model.js';
import { createParseCache } from '../../../src/core/corpus/parse-cache.js';
import { decodeParsed, encodeParsed } from '../../../src/core/corpus/parsed-file.js';
import { loadOrBuildIndex, segmentEntry } from '../../../src/core/search/cache.js';
import { paragraphAt, unitsOf } from '../../../src/core/search/units.js';
import { runCliProcess } from '../../support/cli.js';

/* The cache folder (issue 24): entries keyed by content, shared by corpora, bounded, never a failure. */

/** Rewrites a parse cache entry with another symposium: read back, it shows it came from the cache. */
async function markEntry(path: string): Promise<void> {
  await writeFile(path, encodeParsed({ ...decodeParsed(await readFile(path)), symposium: 'FROM CACHE' }));
}

describe('parse cache', () => {
  let dir: string;
  let cacheDir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yz-corpus-'));
    cacheDir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
    await copyFile('test/fixtures/corpus/conventions.txt', join(dir, 'conventions.txt'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('a file parsed once is read back from the cache, equal to a fresh parse', async () => {
    const cache = createParseCache(createCacheStore(cacheDir), 'build-a');
    const first = await loadCorpus(dir, { parseCache: cache });
    const entries = await readdir(cacheDir);
    expect(entries).toHaveLength(1);
    // Keyed by the build and the content, not by the file's name.
    expect(entries[0]).toMatch(/^parsed-build-a-[0-9a-f]{40}\.yzp$/u);

    // Mark the entry, so that the second load shows it came from the cache and not a parse.
    await markEntry(join(cacheDir, entries[0] as string));
    const second = await loadCorpus(dir, { parseCache: cache });
    expect(second.files[0]?.symposium).toBe('FROM CACHE');
    expect({ ...second.files[0], symposium: first.files[0]?.symposium }).toEqual(first.files[0]);
    expect(await loadCorpus(dir)).toEqual(first);
  });

  test('the same bytes in another corpus, under another name, are read from the entry the first wrote', async () => {
    const cache = createParseCache(createCacheStore(cacheDir), 'build-a');
    await loadCorpus(dir, { parseCache: cache });
    const [entry] = await readdir(cacheDir);
    await markEntry(join(cacheDir, entry as string));
    const other = await mkdtemp(join(tmpdir(), 'yz-corpus-'));
    await copyFile('test/fixtures/corpus/conventions.txt', join(other, 'renamed.txt'));
    const read = await loadCorpus(other, { parseCache: cache });
    expect(read.files[0]?.symposium).toBe('FROM CACHE');
    const fresh = (await loadCorpus(other)).files[0];
    expect({ ...read.files[0], symposium: fresh?.symposium }).toEqual(fresh);
    expect(read.files[0]?.essays.every((e) => e.file === 'renamed.txt')).toBe(true);
    expect(await readdir(cacheDir)).toHaveLength(1);
    await rm(other, { recursive: true, force: true });
  });

  test('another build, or changed bytes, parse afresh and leave the other entries to the bound', async () => {
    await loadCorpus(dir, { parseCache: createParseCache(createCacheStore(cacheDir), 'build-a') });
    await writeFile(join(dir, 'conventions.txt'), `${await readFile(join(dir, 'conventions.txt'), 'utf8')}\n补记。\n`);
    const changed = await loadCorpus(dir, { parseCache: createParseCache(createCacheStore(cacheDir), 'build-b') });
    expect((await readdir(cacheDir)).sort().map((e) => e.slice(0, 14))).toEqual(['parsed-build-a', 'parsed-build-b']);
    expect(changed).toEqual(await loadCorpus(dir));
  });

  test('a truncated or corrupt entry means a parse, not a failure', async () => {
    const cache = createParseCache(createCacheStore(cacheDir), 'build-a');
    const fresh = await loadCorpus(dir, { parseCache: cache });
    const [entry] = await readdir(cacheDir);
    const path = join(cacheDir, entry as string);
    const whole = await readFile(path);
    await writeFile(path, whole.subarray(0, whole.length >> 1));
    expect(await loadCorpus(dir, { parseCache: cache })).toEqual(fresh);
    // Cut inside a UTF-16 code unit, and written as UTF-8 by something else.
    await writeFile(path, whole.subarray(0, whole.length - 1));
    expect(await loadCorpus(dir, { parseCache: cache })).toEqual(fresh);
    await writeFile(path, whole.toString('utf16le'), 'utf8');
    expect(await loadCorpus(dir, { parseCache: cache })).toEqual(fresh);
    await writeFile(path, '{"hash": 42, "essays": "no"}', 'utf16le');
    expect(await loadCorpus(dir, { parseCache: cache })).toEqual(fresh);
    // An entry of the JSON form before it, under the new name.
    await writeFile(path, JSON.stringify(fresh.files[0]), 'utf16le');
    expect(await loadCorpus(dir, { parseCache: cache })).toEqual(fresh);
  });

  test('an entry whose numbers point past its text, or whose rows do not add up, means a parse', async () => {
    const cache = createParseCache(createCacheStore(cacheDir), 'build-a');
    const fresh = await loadCorpus(dir, { parseCache: cache });
    const [entry] = await readdir(cacheDir);
    const path = join(cacheDir, entry as string);
    const whole = await readFile(path);
    // After a 32-byte head and the text come the numbers: the first is where the first
    // paragraph's ID starts in the text, the last where the last note's URLs end.
    const numbersAt = 32 + Math.ceil((whole.readUInt32LE(12) * 2) / 4) * 4;
    for (const [at, what] of [
      [numbersAt, 'a string past the text'],
      [whole.length - 4, 'rows that do not end where they should'],
      [16, 'a count of numbers the entry does not hold'],
    ] as const) {
      const damaged = Buffer.from(whole);
      damaged.writeUInt32LE(0x7fffffff, at);
      await writeFile(path, damaged);
      expect(await loadCorpus(dir, { parseCache: cache }), what).toEqual(fresh);
    }
  });

  test('a cached file makes its paragraphs and notes when first read, and the index needs neither', async () => {
    const cache = createParseCache(createCacheStore(cacheDir), 'build-a');
    const fresh = await loadCorpus(dir, { parseCache: cache });
    const cached = await loadCorpus(dir, { parseCache: cache });
    const essays = essaysOf(cached);
    const made = () =>
      essays
        .flatMap((e) => [e, ...e.sections])
        .filter((o) => Object.getOwnPropertyDescriptor(o, 'paragraphs' in o ? 'paragraphs' : 'footnotes')?.get === undefined);
    expect(made()).toEqual([]);
    const units = unitsOf(essays);
    expect(made()).toEqual([]);
    const whole = unitsOf(essaysOf(fresh));
    for (const key of ['inSection', 'essayOf', 'paragraph', 'start', 'end'] as const) expect([...units[key]]).toEqual([...whole[key]]);
    expect(paragraphAt(units, 3)).toEqual(paragraphAt(whole, 3));
    expect(made()).toEqual([units.sections[3]]);
    expect(cached).toEqual(fresh);
    expect(made()).toHaveLength(essays.length + essays.reduce((n, e) => n + e.sections.length, 0));
  });
});

describe('index cache', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('two corpora sharing a folder keep each other’s index: alternating queries rebuild nothing', async () => {
    const a = await loadCorpus('data/essays');
    const b = await loadCorpus('test/fixtures/corpus');
    expect((await loadOrBuildIndex(a, cacheDir)).source).toBe('built');
    expect((await loadOrBuildIndex(b, cacheDir)).source).toBe('built');
    for (let i = 0; i < 2; i++) {
      expect((await loadOrBuildIndex(a, cacheDir)).source).toBe('hit');
      expect((await loadOrBuildIndex(b, cacheDir)).source).toBe('hit');
    }
  });

  test('a truncated index entry is rebuilt, answering as before', async () => {
    const corpus = await loadCorpus('test/fixtures/corpus');
    const built = await loadOrBuildIndex(corpus, cacheDir);
    const entry = join(cacheDir, segmentEntry(corpus.files[0] as CorpusFile));
    const whole = await readFile(entry);
    await writeFile(entry, whole.subarray(0, 100));
    const again = await loadOrBuildIndex(corpus, cacheDir);
    expect(again.source).toBe('built');
    expect(again.built).toBe(1);
    expect(again.index.search('规则', {}, { limit: 3 }).map((h) => h.paragraph.id)).toEqual(
      built.index.search('规则', {}, { limit: 3 }).map((h) => h.paragraph.id),
    );
  });
});

describe('the bound', () => {
  test('evicts the least recently used entries past the size, sparing the one just written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
    const store = createCacheStore(dir, 3500);
    for (const name of ['a', 'b', 'c']) {
      await store.write(`${name}.bin`, Buffer.alloc(1000));
      // mtimes a second apart: the order of use, whatever the file system's resolution.
      const t = new Date(Date.UTC(2026, 0, 1, 0, 0, ['a', 'b', 'c'].indexOf(name)));
      await utimes(join(dir, `${name}.bin`), t, t);
    }
    // Three fit; reading a marks it used now, so the fourth evicts b, the least recently used.
    expect(await store.read('a.bin')).toHaveLength(1000);
    await store.write('d.bin', Buffer.alloc(1000));
    expect((await readdir(dir)).sort()).toEqual(['a.bin', 'c.bin', 'd.bin']);
    await rm(dir, { recursive: true, force: true });
  });

  test('many small entries: the folder stays within its bound and a thirty-second of it, evicted now and then', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
    const store = createCacheStore(dir, 32_000);
    for (let i = 0; i < 200; i++) {
      await store.write(`e${String(i).padStart(3, '0')}.bin`, Buffer.alloc(300));
      const names = await readdir(dir);
      expect(names.length * 300, `after ${i + 1} writes`).toBeLessThanOrEqual(32_000 + 1000 + 300);
    }
    // The newest entries are the ones kept.
    expect((await readdir(dir)).sort().at(-1)).toBe('e199.bin');
    expect((await readdir(dir)).length).toBeLessThan(200);
    await rm(dir, { recursive: true, force: true });
  });

  test('entries read into one buffer: each read gives that entry’s bytes, the buffer grown for a larger one, and marks it used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
    const store = createCacheStore(dir);
    const small = Buffer.from('small entry');
    const large = Buffer.from('a larger entry than the first, read into the same buffer');
    await store.write('small.bin', small);
    await store.write('large.bin', large);
    const old = new Date(Date.UTC(2026, 0, 1));
    await utimes(join(dir, 'small.bin'), old, old);
    const into = { bytes: Buffer.alloc(4) };
    expect(await store.read('small.bin', into)).toEqual(small);
    expect(into.bytes.byteLength).toBeGreaterThanOrEqual(small.byteLength);
    expect((await stat(join(dir, 'small.bin'))).mtimeMs).toBeGreaterThan(old.getTime());
    const read = await store.read('large.bin', into);
    expect(read).toEqual(large);
    expect(read?.buffer).toBe(into.bytes.buffer);
    expect(await store.read('small.bin', into)).toEqual(small);
    expect(await store.read('missing.bin', into)).toBeNull();
    await rm(dir, { recursive: true, force: true });
  });

  test('a partial write a dead process left is removed once stale; a fresh one is not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'x.bin.1.partial'), 'half');
    await writeFile(join(dir, 'y.bin.2.partial'), 'half');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(dir, 'x.bin.1.partial'), old, old);
    await evict(dir, 1024);
    expect(await readdir(dir)).toEqual(['y.bin.2.partial']);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('one cache folder, two processes, two corpora', () => {
  test('each process reads what the other cached: nothing cached is built again', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
    const env = { CACHE_DIR: cacheDir };
    const a = await runCliProcess(['quote', '智能鸿沟', '--json', '--corpus', 'data/essays'], env);
    const b = await runCliProcess(['quote', '水文数据', '--json', '--corpus', 'test/fixtures/corpus'], env);
    expect([a.code, b.code]).toEqual([0, 0]);
    // An entry rewritten would be a new file (written beside, then renamed): the inodes tell.
    const inodes = async () =>
      Object.fromEntries(await Promise.all((await readdir(cacheDir)).sort().map(async (n) => [n, (await stat(join(cacheDir, n))).ino] as const)));
    const before = await inodes();
    expect(Object.keys(before).filter((n) => n.startsWith('segment-'))).toHaveLength(2);
    expect(Object.keys(before).filter((n) => n.startsWith('parsed-')).length).toBeGreaterThanOrEqual(2);
    const again = await runCliProcess(['quote', '智能鸿沟', '--json', '--corpus', 'data/essays'], env);
    const other = await runCliProcess(['quote', '水文数据', '--json', '--corpus', 'test/fixtures/corpus'], env);
    expect([again.stdout, other.stdout]).toEqual([a.stdout, b.stdout]);
    expect(await inodes()).toEqual(before);
    await rm(cacheDir, { recursive: true, force: true });
  });
});

describe('a warm start and pinyin', () => {
  test('finds an author by pinyin, and lists essays, without loading pinyin-pro', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'yz-cache-'));
    // Tells on pinyin-pro whenever the child process loads it (its dictionaries: 24 MB of RSS).
    const watch = join(cacheDir, 'watch-pinyin.cjs');
    await writeFile(
      watch,
      "const M = require('node:module'); const load = M._load; M._load = function (r, ...a) { if (r === 'pinyin-pro') process.stderr.write('[pinyin-pro loaded]\\n'); return load.call(this, r, ...a); };\n",
    );
    const env = { CACHE_DIR: join(cacheDir, 'cache'), NODE_OPTIONS: `--require ${watch}` };
    try {
      const cold = await runCliProcess(['author', 'chen zhimin', '--json', '--corpus', 'data/essays'], env);
      expect(cold.code).toBe(0);
      // The first run parses the file, and passage IDs are made with pinyin-pro.
      expect(cold.stderr).toContain('[pinyin-pro loaded]');
      for (const args of [
        ['author', 'chen zhimin', '--json'],
        ['essays', 'zhimin', '--json'],
      ]) {
        const warm = await runCliProcess([...args, '--corpus', 'data/essays'], env);
        expect(warm.code, warm.stderr).toBe(0);
        expect(warm.stdout).toContain('陈志敏');
        expect(warm.stderr).not.toContain('[pinyin-pro loaded]');
      }
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
