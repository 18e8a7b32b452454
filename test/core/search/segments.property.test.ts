import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateSyntheticCorpus } from '../../../bench/synthetic.js';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../../src/config.js';
import { createCacheStore } from '../../../src/core/cache/store.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { type Corpus, essaysOf, sentenceText } from '../../../src/core/corpus/model.js';
import { createParseCache, type ParseCache } from '../../../src/core/corpus/parse-cache.js';
import { loadOrBuildIndex, segmentEntry } from '../../../src/core/search/cache.js';
import { buildSegment, createIndex, openAfter, openSegments } from '../../../src/core/search/corpus-index.js';
import type { CorpusIndex, SearchFilters } from '../../../src/core/search/search.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * Issue 24: the index in segments, one per corpus file, must rank exactly as one build over
 * all the live files at once. Random sequences of files added, replaced and removed in a
 * corpus folder; after each step the index made of cached segments (loadOrBuildIndex, one
 * cache folder for the whole sequence), the index built without a cache (createIndex: each
 * file's segment composed as it is built) and a fresh single build (createIndex with `single`)
 * give the same passages in the same order with the same scores, to the last bit, on every
 * labelled query and on queries drawn from the live files' text. Only the file that changed
 * is indexed: every other segment is read from the cache. A file's passage IDs are the ones
 * it has alone, whatever other files come and go.
 *
 * Issue 25: a team's index is the operator's, read where it is, and a part of its own for the
 * team's files after it (openAfter). At each step the live files are cut in two at a random
 * point, the first the operator's (an index of their own) and the rest a team's, and the index
 * opened after the operator's ranks as the single build too.
 *
 * Seeded (PROPERTY_SEED, `FC_SEED=<seed>` to replay; a failure prints the seed and the
 * sequence); `SEGMENT_RUNS` sets the number of sequences (12).
 */

const RUNS = Number(process.env.SEGMENT_RUNS ?? 12);
/** File names; a sequence draws from them, so a file added may sort before, between or after the live ones. */
const NAMES = ['a.txt', 'c.txt', 'e.txt', 'g.txt', 'k.txt', 'm.txt'];

interface Labelled {
  query: string;
  author?: string;
  essay?: string;
}

type Op = { kind: 'put'; name: number; text: number } | { kind: 'remove'; name: number };

/** Where in the live corpus a random query is cut from: fractions, so that it fits whatever files are live. */
interface QuerySpec {
  sentence: number;
  from: number;
  length: number;
  other: number;
  shape: 'sentence' | 'fragment' | 'pair' | 'two';
}

let work: string;
/** Texts a file may hold: synthetic symposia, the bundled essays, the fixture files. */
let texts: string[];
let labelled: Labelled[];
let parseCache: ParseCache;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yinzheng-segments-'));
  const bundled = await loadCorpus(BUNDLED_CORPUS_DIR);
  const bundledTexts = await Promise.all(bundled.files.map((f) => readFile(join(BUNDLED_CORPUS_DIR, f.file), 'utf8')));
  const sourceBytes = bundledTexts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  // Sentences reshuffled from the bundled essays: the same sentence in several files, and so
  // a term's postings in several segments.
  const synthetic = generateSyntheticCorpus(bundled, { scale: 1, seed: PROPERTY_SEED, sourceBytes, essays: 10, essaysPerFile: 2 });
  texts = [
    ...synthetic.files.map((f) => f.text),
    ...bundledTexts,
    await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'search', 'water-symposium.txt'), 'utf8'),
    await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'corpus', 'conventions.txt'), 'utf8'),
  ];
  labelled = JSON.parse(await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'queries.json'), 'utf8')) as Labelled[];
  // Parsed once per text and name, read back fresh for every step (a step's corpus is its own objects).
  parseCache = createParseCache(createCacheStore(join(work, 'parsed')), 'segments-test');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function sentencesOf(corpus: Corpus): string[] {
  return essaysOf(corpus).flatMap((e) => e.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.sentences.map((x) => sentenceText(p, x)))));
}

function queryOf(sentences: string[], q: QuerySpec): string {
  const s = sentences[Math.floor(q.sentence * sentences.length)] ?? '';
  const from = Math.floor(q.from * Math.max(1, s.length - 4));
  if (q.shape === 'sentence') return s;
  if (q.shape === 'fragment') return s.slice(from, from + q.length);
  if (q.shape === 'two') return s.slice(from, from + 2);
  const other = sentences[Math.floor(q.other * sentences.length)] ?? '';
  return `${s.slice(from, from + 6)}${other.slice(0, 6)}`;
}

/** Every hit, whole: passage, span, phrase or not, and the score as it is. */
function ranking(index: CorpusIndex, query: string, filters: SearchFilters) {
  return index.search(query, filters).map((h) => [h.paragraph.id, h.start, h.end, h.exact, h.score]);
}

/** Each file's passage IDs, by name. */
function idsByFile(corpus: Corpus): Map<string, string[]> {
  return new Map(corpus.files.map((f) => [f.file, f.essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs.map((p) => p.id)))]));
}

const putArb = fc.record({ kind: fc.constant('put' as const), name: fc.nat(NAMES.length - 1), text: fc.nat(1000) });
// Puts (an add, or a replace when the name is live) three times as often as removals, so that most steps have several files.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: putArb, weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), name: fc.nat(NAMES.length - 1) }), weight: 1 },
);
/** A sequence: a few files to start with, then random steps. */
const sequenceArb = fc
  .tuple(fc.array(putArb, { minLength: 2, maxLength: 4 }), fc.array(opArb, { minLength: 1, maxLength: 8 }))
  .map(([start, steps]) => [...start, ...steps]);
// Fractions spread evenly (fc.double favours the ends of its range, which would be the first sentence each time).
const fraction = fc.integer({ min: 0, max: 9999 }).map((n) => n / 10_000);
const queryArb: fc.Arbitrary<QuerySpec> = fc.record({
  sentence: fraction,
  from: fraction,
  length: fc.integer({ min: 2, max: 14 }),
  other: fraction,
  shape: fc.constantFrom('sentence' as const, 'fragment' as const, 'pair' as const, 'two' as const),
});

/** Applies `op` to the folder and to `live` (name → text); false when it changes nothing. */
async function apply(dir: string, live: Map<string, number>, op: Op): Promise<boolean> {
  const name = NAMES[op.name] as string;
  if (op.kind === 'remove') {
    if (!live.delete(name)) return false;
    await rm(join(dir, name));
    return true;
  }
  // A text at most once in the folder: two files of the same essays would claim the same IDs.
  const used = new Set([...live].filter(([n]) => n !== name).map(([, t]) => t));
  const free = texts.map((_, i) => i).filter((i) => !used.has(i) && i !== live.get(name));
  if (free.length === 0) return false;
  const text = free[op.text % free.length] as number;
  live.set(name, text);
  await writeFile(join(dir, name), texts[text] as string);
  return true;
}

/** The labelled queries and the random ones cut from the live text. */
function queriesFor(corpus: Corpus, specs: QuerySpec[]): Array<{ text: string; filters: SearchFilters }> {
  const sentences = sentencesOf(corpus);
  return [
    ...labelled.map((q) => ({ text: q.query, filters: { ...(q.author ? { author: q.author } : {}), ...(q.essay ? { essay: q.essay } : {}) } })),
    ...specs.map((q) => ({ text: queryOf(sentences, q), filters: {} })),
  ];
}

/** Passage IDs of a file alone in a folder, by its name and text (worked out once each). */
const aloneIds = new Map<string, string[]>();
async function idsAlone(file: string, text: number): Promise<string[]> {
  const key = `${file}\0${text}`;
  let ids = aloneIds.get(key);
  if (ids === undefined) {
    const own = join(work, 'alone');
    await rm(own, { recursive: true, force: true });
    await mkdir(own, { recursive: true });
    await writeFile(join(own, file), texts[text] as string);
    ids = idsByFile(await loadCorpus(own, { parseCache })).get(file) ?? [];
    aloneIds.set(key, ids);
  }
  return ids;
}

/**
 * The index of `corpus` as a team's: its first `operatorFiles` files the operator's, an index of
 * their own (their segments reused from `all`'s, as a reload does: not built again), and the
 * rest a team's, built and opened after them.
 */
async function teamIndex(corpus: Corpus, all: CorpusIndex, operatorFiles: number): Promise<{ operator: CorpusIndex; team: CorpusIndex }> {
  const operatorCorpus = { dir: corpus.dir, files: corpus.files.slice(0, operatorFiles), version: 'operator' };
  const operator = openSegments(
    operatorCorpus,
    operatorCorpus.files.map((_, file) => ({ from: all, file })),
  );
  const segments = corpus.files.slice(operatorFiles).map((f) => buildSegment(f));
  return { operator, team: await openAfter(operator, corpus, segments, 10) };
}

describe('an index in segments, one per file', () => {
  test('ranks as one build of the live files, exactly, after random adds, replaces and removals; and so does a team’s after the operator’s', async () => {
    let sequence = 0;
    const stats = { steps: 0, files: 0, hits: 0, teamFiles: 0 };
    await fc.assert(
      fc.asyncProperty(
        sequenceArb,
        fc.array(queryArb, { minLength: 10, maxLength: 10 }),
        fc.array(fraction, { minLength: 12, maxLength: 12 }),
        async (ops, specs, cuts) => {
          const dir = join(work, `corpus-${sequence}`);
          // One cache folder for the whole sequence: the segments evolve with the folder.
          const cacheDir = join(work, `segments-${sequence++}`);
          await mkdir(dir, { recursive: true });
          const live = new Map<string, number>();
          // Content indexed before in this sequence: its segment must be read, not built.
          const indexed = new Set<string>();
          for (const op of ops) {
            if (!(await apply(dir, live, op))) continue;
            const corpus = await loadCorpus(dir, { parseCache });
            if (corpus.files.length === 0) continue;
            const fresh = corpus.files.filter((f) => !indexed.has(f.hash)).length;
            const segmented = await loadOrBuildIndex(corpus, cacheDir);
            expect([segmented.built, segmented.reused], 'segments built, and read from the cache').toEqual([fresh, corpus.files.length - fresh]);
            for (const f of corpus.files) indexed.add(f.hash);
            const single = createIndex(corpus, { single: true });
            // Built without a cache: each file's segment composed as soon as it is built.
            const composed = createIndex(corpus);
            // The operator's files are one at least; the team's may be none.
            const operatorFiles = 1 + Math.floor((cuts[stats.steps % cuts.length] as number) * corpus.files.length);
            const { operator, team } = await teamIndex(corpus, segmented.index, operatorFiles);
            const operatorCorpus = { ...corpus, files: corpus.files.slice(0, operatorFiles) };
            // A reload reuses the segments of the index it replaces: a team's parts as well.
            const reopened = openSegments(
              corpus,
              corpus.files.map((_, file) => ({ from: team, file })),
            );
            for (const q of queriesFor(corpus, specs)) {
              const expected = ranking(single, q.text, q.filters);
              expect(ranking(segmented.index, q.text, q.filters), q.text).toEqual(expected);
              expect(ranking(composed, q.text, q.filters), `${q.text}, built without a cache`).toEqual(expected);
              expect(
                ranking(team, q.text, q.filters),
                `${q.text}, a team's index of ${corpus.files.length - operatorFiles} files after ${operatorFiles}`,
              ).toEqual(expected);
              expect(ranking(reopened, q.text, q.filters), `${q.text}, reopened from a team's index`).toEqual(expected);
              stats.hits += expected.length;
            }
            // The operator's index answers for its own files alone, as it did before the team's was opened.
            const operatorSingle = createIndex(operatorCorpus, { single: true });
            for (const q of queriesFor(operatorCorpus, specs.slice(0, 3)))
              expect(ranking(operator, q.text, q.filters)).toEqual(ranking(operatorSingle, q.text, q.filters));
            stats.teamFiles += corpus.files.length - operatorFiles;
            for (const [file, ids] of idsByFile(corpus)) expect(ids, `passage IDs of ${file}`).toEqual(await idsAlone(file, live.get(file) as number));
            stats.steps++;
            stats.files += corpus.files.length;
          }
        },
      ),
      { seed: PROPERTY_SEED, numRuns: RUNS, endOnFailure: true },
    );
    // Worth something only if the steps had several segments, and hits to compare.
    expect(stats.files / stats.steps).toBeGreaterThan(2);
    expect(stats.hits).toBeGreaterThan(1000 * RUNS);
    // And a team's index had files of its own, most steps.
    expect(stats.teamFiles / stats.steps).toBeGreaterThan(0.5);
  });
});

describe('the segment cache', () => {
  test('an unchanged file’s segment is read, not built again, when another file comes, changes or goes', async () => {
    const dir = join(work, 'reuse');
    const cacheDir = join(work, 'reuse-cache');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'b.txt'), texts[0] as string);
    await writeFile(join(dir, 'd.txt'), texts[1] as string);
    const first = await loadOrBuildIndex(await loadCorpus(dir, { parseCache }), cacheDir);
    expect([first.source, first.built, first.reused]).toEqual(['built', 2, 0]);
    const entries = async () =>
      Object.fromEntries(await Promise.all((await readdir(cacheDir)).map(async (n) => [n, (await stat(join(cacheDir, n))).ino] as const)));
    const before = await entries();

    // Added before both in name order, then replaced, then removed: the two others are read each time.
    await writeFile(join(dir, 'a.txt'), texts[2] as string);
    const added = await loadOrBuildIndex(await loadCorpus(dir, { parseCache }), cacheDir);
    expect([added.source, added.built, added.reused]).toEqual(['built', 1, 2]);
    await writeFile(join(dir, 'a.txt'), texts[3] as string);
    const replaced = await loadOrBuildIndex(await loadCorpus(dir, { parseCache }), cacheDir);
    expect([replaced.built, replaced.reused]).toEqual([1, 2]);
    await rm(join(dir, 'a.txt'));
    const corpus = await loadCorpus(dir, { parseCache });
    const removed = await loadOrBuildIndex(corpus, cacheDir);
    expect([removed.source, removed.built, removed.reused]).toEqual(['hit', 0, 2]);

    // The two first entries were never written again (a rewrite is a new file: renamed into place).
    const after = await entries();
    for (const [name, ino] of Object.entries(before)) expect(after[name], name).toBe(ino);
    // Four entries: the two kept files' and both versions of the one that came and went.
    expect(Object.keys(after)).toHaveLength(4);
    for (const f of corpus.files) expect(Object.keys(after)).toContain(segmentEntry(f));
    // And the index read back answers as a fresh single build.
    const single = createIndex(corpus, { single: true });
    for (const q of labelled.slice(0, 20)) expect(ranking(removed.index, q.query, {})).toEqual(ranking(single, q.query, {}));
  });
});
