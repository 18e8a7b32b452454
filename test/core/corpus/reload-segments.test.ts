import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateSyntheticCorpus } from '../../../bench/synthetic.js';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import type { Corpus } from '../../../src/core/corpus/model.js';
import { type LoadResult, loadInWorker } from '../../../src/core/corpus/reload.js';
import { createIndex } from '../../../src/core/search/corpus-index.js';
import type { CorpusIndex } from '../../../src/core/search/search.js';

/*
 * Issue 24: a reload in the worker reads only what changed. A file added, replaced or removed
 * is the only one parsed and indexed (the cache folder, empty at the start, gains that file's
 * parsed entry and segment and nothing else); every other file is the served corpus's own
 * object, its segment the served index's. What is served then is what a fresh load of the
 * folder gives: the same files, IDs and warnings, the same version, the same hits and scores.
 */

let work: string;
let texts: string[];
let labelled: string[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yinzheng-reload-segments-'));
  const bundled = await loadCorpus(BUNDLED_CORPUS_DIR);
  const bundledText = await readFile(join(BUNDLED_CORPUS_DIR, 'global-governance-symposium.txt'), 'utf8');
  const synthetic = generateSyntheticCorpus(bundled, { scale: 1, seed: 5, sourceBytes: Buffer.byteLength(bundledText), essays: 6, essaysPerFile: 2 });
  texts = [...synthetic.files.map((f) => f.text), bundledText, await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'corpus', 'conventions.txt'), 'utf8')];
  labelled = (JSON.parse(await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'queries.json'), 'utf8')) as Array<{ query: string }>).map((q) => q.query);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function ranking(index: CorpusIndex, query: string) {
  return index.search(query).map((h) => [h.paragraph.id, h.start, h.end, h.exact, h.score]);
}

/** What a start on the folder would serve: the files as they are, and one build of them all. */
async function expectAsFresh(dir: string, served: Corpus, index: CorpusIndex): Promise<void> {
  const fresh = await loadCorpus(dir);
  expect(served.version).toBe(fresh.version);
  expect(JSON.parse(JSON.stringify(served.files))).toEqual(JSON.parse(JSON.stringify(fresh.files)));
  const single = createIndex(fresh, { single: true });
  let hits = 0;
  for (const q of labelled) {
    const expected = ranking(single, q);
    expect(ranking(index, q), q).toEqual(expected);
    hits += expected.length;
  }
  expect(hits).toBeGreaterThan(100);
}

function loaded(result: LoadResult): { corpus: Corpus; index: CorpusIndex } {
  if (result.kind !== 'loaded') throw new Error(`expected a new library, got ${JSON.stringify(result)}`);
  return result.library;
}

describe('a reload in the worker', () => {
  test('parses and indexes only the file added, replaced or removed, and serves what a fresh load would', async () => {
    const dir = join(work, 'corpus');
    const cacheDir = join(work, 'cache');
    await mkdir(dir, { recursive: true });
    for (const [name, text] of [
      ['c.txt', texts[0]],
      ['g.txt', texts[1]],
      ['m.txt', texts[3]],
    ] as const) {
      await writeFile(join(dir, name), text as string);
    }
    const load = loadInWorker({ cacheDir });
    const entries = async () => (await readdir(cacheDir).catch(() => [])).sort();
    const segments = async () => (await entries()).filter((n) => n.startsWith('segment-'));
    const parsed = async () => (await entries()).filter((n) => n.startsWith('parsed-'));

    // Nothing served yet: every file parsed and indexed (the segments put together in the worker).
    const start = loaded(await load(dir, { dir, files: [], version: 'none' }));
    await expectAsFresh(dir, start.corpus, start.index);
    expect([(await segments()).length, (await parsed()).length]).toEqual([3, 3]);
    const { corpus } = start;

    // Added, sorting between two files: only it is parsed and indexed.
    await writeFile(join(dir, 'e.txt'), texts[2] as string);
    const added = loaded(await load(dir, corpus, start.index));
    expect([(await segments()).length, (await parsed()).length]).toEqual([4, 4]);
    expect(added.corpus.files.map((f) => f.file)).toEqual(['c.txt', 'e.txt', 'g.txt', 'm.txt']);
    // The files kept are the served corpus's own objects: not parsed, not copied.
    for (const [i, j] of [
      [0, 0],
      [2, 1],
      [3, 2],
    ] as const) {
      expect(added.corpus.files[i]).toBe(corpus.files[j]);
    }
    await expectAsFresh(dir, added.corpus, added.index);

    // Replaced: its new content alone.
    await writeFile(join(dir, 'g.txt'), texts[4] as string);
    const replaced = loaded(await load(dir, added.corpus, added.index));
    expect([(await segments()).length, (await parsed()).length]).toEqual([5, 5]);
    expect(replaced.corpus.files[2]).not.toBe(added.corpus.files[2]);
    expect(replaced.corpus.files[3]).toBe(added.corpus.files[3]);
    await expectAsFresh(dir, replaced.corpus, replaced.index);

    // Removed: nothing parsed or indexed at all.
    const before = await entries();
    await rm(join(dir, 'c.txt'));
    const removed = loaded(await load(dir, replaced.corpus, replaced.index));
    expect(await entries()).toEqual(before);
    expect(removed.corpus.files.map((f) => f.file)).toEqual(['e.txt', 'g.txt', 'm.txt']);
    await expectAsFresh(dir, removed.corpus, removed.index);

    // And nothing changed: nothing to do.
    expect(await load(dir, removed.corpus, removed.index)).toEqual({ kind: 'unchanged', version: removed.corpus.version });
  });

  test('a kept file whose essay IDs a new file claims changes in a copy, and gets its IDs back when that file goes', async () => {
    const dir = join(work, 'claims');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'm.txt'), texts[0] as string);
    await writeFile(join(dir, 'p.txt'), texts[1] as string);
    const corpus = await loadCorpus(dir);
    const ids = corpus.files[0]?.essays.map((e) => e.id);
    const load = loadInWorker({ cacheDir: null });

    // The same essays under a name that sorts first: they keep the IDs, m.txt's essays get a suffix.
    await writeFile(join(dir, 'a.txt'), texts[0] as string);
    const claimed = loaded(await load(dir, corpus, createIndex(corpus)));
    await expectAsFresh(dir, claimed.corpus, claimed.index);
    expect(claimed.corpus.files[0]?.essays.map((e) => e.id)).toEqual(ids);
    expect(claimed.corpus.files[1]?.essays.map((e) => e.id)).not.toEqual(ids);
    // The served corpus, still answering until the swap, is untouched.
    expect(corpus.files[0]?.essays.map((e) => e.id)).toEqual(ids);
    expect(claimed.corpus.files[2]).toBe(corpus.files[1]);

    await rm(join(dir, 'a.txt'));
    const back = loaded(await load(dir, claimed.corpus, claimed.index));
    await expectAsFresh(dir, back.corpus, back.index);
    expect(back.corpus.files[0]?.essays.map((e) => e.id)).toEqual(ids);
  });
});
