import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { createParseCache } from '../../../src/core/corpus/parse-cache.js';

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
    const cache = createParseCache(cacheDir, 'build-a');
    const first = await loadCorpus(dir, { parseCache: cache });
    const entries = await readdir(join(cacheDir, 'parsed'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^build-a-[0-9a-f]{32}-conventions\.txt\.json$/u);

    // Mark the entry, so that the second load shows it came from the cache and not a parse.
    const path = join(cacheDir, 'parsed', entries[0] as string);
    const cached = JSON.parse(await readFile(path, 'utf8')) as { symposium: string | null };
    await writeFile(path, JSON.stringify({ ...cached, symposium: 'FROM CACHE' }));
    const second = await loadCorpus(dir, { parseCache: cache });
    expect(second.files[0]?.symposium).toBe('FROM CACHE');
    expect({ ...second.files[0], symposium: first.files[0]?.symposium }).toEqual(first.files[0]);
    expect(await loadCorpus(dir)).toEqual(first);
  });

  test('another build, or changed bytes, parse afresh and drop the entries that can no longer be read', async () => {
    await loadCorpus(dir, { parseCache: createParseCache(cacheDir, 'build-a') });
    await writeFile(join(dir, 'conventions.txt'), `${await readFile(join(dir, 'conventions.txt'), 'utf8')}\n补记。\n`);
    const changed = await loadCorpus(dir, { parseCache: createParseCache(cacheDir, 'build-b') });
    const entries = await readdir(join(cacheDir, 'parsed'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^build-b-/u);
    expect(changed).toEqual(await loadCorpus(dir));
  });

  test('an entry that is not valid JSON means a parse, not a failure', async () => {
    const cache = createParseCache(cacheDir, 'build-a');
    const fresh = await loadCorpus(dir, { parseCache: cache });
    const [entry] = await readdir(join(cacheDir, 'parsed'));
    await writeFile(join(cacheDir, 'parsed', entry as string), '{"truncated');
    expect(await loadCorpus(dir, { parseCache: cache })).toEqual(fresh);
  });
});
