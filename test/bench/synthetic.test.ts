import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateSyntheticCorpus, type SyntheticCorpus, writeSyntheticCorpus } from '../../bench/synthetic.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import { type Corpus, essaysOf } from '../../src/core/corpus/model.js';

const BUNDLED = 'data/essays/global-governance-symposium.txt';

let source: Corpus;
let sourceBytes: number;
let generated: SyntheticCorpus;
let dir: string;
let parsed: Corpus;

beforeAll(async () => {
  source = await loadCorpus('data/essays');
  sourceBytes = (await readFile(BUNDLED)).length;
  generated = generateSyntheticCorpus(source, { scale: 2, seed: 7, sourceBytes });
  dir = await mkdtemp(join(tmpdir(), 'yinzheng-synthetic-'));
  await writeSyntheticCorpus(dir, generated);
  parsed = await loadCorpus(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the synthetic corpus generator', () => {
  test('gives byte-identical files for the same seed, and other text for another seed', () => {
    const again = generateSyntheticCorpus(source, { scale: 2, seed: 7, sourceBytes });
    expect(again.files).toEqual(generated.files);
    const other = generateSyntheticCorpus(source, { scale: 2, seed: 8, sourceBytes });
    expect(other.files.map((f) => f.text).join('')).not.toBe(generated.files.map((f) => f.text).join(''));
  });

  test('writes about twice the source corpus', () => {
    const written = generated.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    expect(written).toBe(generated.bytes);
    expect(written).toBeGreaterThanOrEqual(2 * sourceBytes);
    expect(written).toBeLessThan(4 * sourceBytes);
  });

  test('is read by the real parser with the essays, paragraphs and footnotes it wrote, and no warning', () => {
    expect(parsed.files.flatMap((f) => f.warnings)).toEqual([]);
    expect(parsed.files).toHaveLength(generated.files.length);
    const essays = essaysOf(parsed);
    expect(essays.filter((e) => e.kind === 'essay')).toHaveLength(generated.essays);
    expect(essays.filter((e) => e.kind === 'editors-note')).toHaveLength(generated.editorsNotes);
    expect(essays.reduce((n, e) => n + e.footnotes.length, 0)).toBe(generated.footnotes);
    expect(essays.reduce((n, e) => n + e.sections.reduce((m, s) => m + s.paragraphs.length, 0), 0)).toBe(generated.paragraphs);
  });

  test('gives every essay its own author, with an affiliation, and its own ID', () => {
    const essays = essaysOf(parsed).filter((e) => e.kind === 'essay');
    expect(essays.map((e) => e.authors.map((a) => a.name))).toEqual(generated.authors.map((a) => [a]));
    expect(new Set(generated.authors).size).toBe(generated.authors.length);
    expect(essays.every((e) => e.authors.every((a) => a.affiliation !== null && a.affiliation.length > 0))).toBe(true);
    const ids = essaysOf(parsed).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(essays.map((e) => e.title)).size).toBe(essays.length);
  });

  test('uses the print conventions: both note forms, markers bound to notes, paragraphs cut by a page break', () => {
    const essays = essaysOf(parsed);
    const notes = essays.flatMap((e) => e.footnotes);
    expect(notes.some((n) => n.raw.startsWith('^'))).toBe(true);
    expect(notes.some((n) => !n.raw.startsWith('^'))).toBe(true);
    expect(notes.every((n) => n.urls.length > 0)).toBe(true);
    const paragraphs = essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs));
    const markers = paragraphs.flatMap((p) => p.markers);
    expect(markers).toHaveLength(generated.footnotes);
    expect(markers.every((m) => m.footnote !== null)).toBe(true);
    expect(paragraphs.some((p) => p.lines.length > 1)).toBe(true);
    expect(essays.some((e) => e.sections.some((s) => s.heading !== null))).toBe(true);
  });
});
