import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import type { Corpus, CorpusFile } from '../../../src/core/corpus/model.js';
import { loadOrBuildIndex, segmentEntry } from '../../../src/core/search/cache.js';
import { decodeIndex, encodeIndex } from '../../../src/core/search/index-file.js';

describe('loadOrBuildIndex', () => {
  let corpus: Corpus;
  let dir: string;
  beforeAll(async () => {
    corpus = await loadCorpus(join(PROJECT_ROOT, 'test', 'fixtures', 'search'));
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yinzheng-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const ids = (index: { search(q: string): Array<{ paragraph: { id: string } }> }) => index.search('数据共享').map((h) => h.paragraph.id);

  const entry = () => segmentEntry(corpus.files[0] as CorpusFile);

  test('builds and writes the file’s segment once, then reads it, named by the file’s content', async () => {
    const first = await loadOrBuildIndex(corpus, dir);
    expect(first.source).toBe('built');
    expect(await readdir(dir)).toEqual([`segment-chinese-v5-source-${(corpus.files[0] as CorpusFile).hash.slice(0, 40)}.bin`]);
    const second = await loadOrBuildIndex(corpus, dir);
    expect([second.source, second.reused, second.built]).toEqual(['hit', 1, 0]);
    expect(ids(second.index)).toEqual(['ou-yangming-kjhl.2', 'zhang-wei-sqyf.1', 'ou-yangming-kjhl.1']);
    expect(ids(second.index)).toEqual(ids(first.index));
  });

  test('rebuilds over a damaged cache file, and leaves other corpora’s entries to the size bound', async () => {
    await writeFile(join(dir, entry()), '{"documentCount": 3, "trunc');
    await writeFile(join(dir, 'index-chinese-v2-source-000000000000.json'), '{}');
    await writeFile(join(dir, 'index-chinese-v1-0123456789abcdef-000000000000.json'), '{}');
    await writeFile(join(dir, 'index-v2-chinese-000000000000.json'), '{}');
    await writeFile(join(dir, 'index-minisearch-default-v2-source-000000000000.json'), '{}');
    const result = await loadOrBuildIndex(corpus, dir);
    expect(result.source).toBe('built');
    // Another corpus's index may be wanted again by another process sharing the folder: the
    // folder's size bound, least recently used first, decides when it goes (cache/store.ts).
    expect((await readdir(dir)).sort()).toEqual(
      [
        entry(),
        'index-chinese-v1-0123456789abcdef-000000000000.json',
        'index-chinese-v2-source-000000000000.json',
        'index-minisearch-default-v2-source-000000000000.json',
        'index-v2-chinese-000000000000.json',
      ].sort(),
    );
    expect((await loadOrBuildIndex(corpus, dir)).source).toBe('hit');
  });

  test('rebuilds a segment whose postings name a sentence it does not have, one that reads back whole otherwise', async () => {
    const built = await loadOrBuildIndex(corpus, dir);
    const { arrays, stamp } = decodeIndex(await readFile(join(dir, entry())));
    const postings = arrays.postings as NonNullable<typeof arrays.postings>;
    postings.docs[0] = postings.fieldLength.length;
    await writeFile(join(dir, entry()), encodeIndex(arrays, stamp));
    const again = await loadOrBuildIndex(corpus, dir);
    expect([again.source, again.built]).toEqual(['built', 1]);
    expect(ids(again.index)).toEqual(ids(built.index));
  });

  test('still answers when the cache cannot be written', async () => {
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, 'not a folder');
    const result = await loadOrBuildIndex(corpus, join(blocked, 'cache'));
    expect(result.source).toBe('unwritable');
    expect(ids(result.index)).toEqual(['ou-yangming-kjhl.2', 'zhang-wei-sqyf.1', 'ou-yangming-kjhl.1']);
  });
});
