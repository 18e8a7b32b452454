import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { essaysOf } from '../../../src/core/corpus/model.js';
import { createUnitsBuilder, unitsOf } from '../../../src/core/search/units.js';

describe('the units of a corpus', () => {
  it('are the same worked out file by file, as a reload does, as for all the essays at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-units-'));
    await copyFile('data/essays/global-governance-symposium.txt', join(dir, 'a.txt'));
    await copyFile('test/fixtures/corpus/conventions.txt', join(dir, 'b.txt'));
    const corpus = await loadCorpus(dir);
    expect(corpus.files.filter((f) => f.essays.length > 0).length).toBeGreaterThan(1);
    const builder = createUnitsBuilder();
    for (const file of corpus.files) builder.add(unitsOf(file.essays));
    const parts = builder.finish();
    const whole = unitsOf(essaysOf(corpus));
    expect(parts.essays).toBe(whole.essays);
    expect(parts.sections).toHaveLength(whole.sections.length);
    expect(parts.sections.every((s, i) => s === whole.sections[i])).toBe(true);
    for (const key of ['inSection', 'essayOf', 'paragraph', 'start', 'end'] as const) expect([...parts[key]]).toEqual([...whole[key]]);
  });
});
