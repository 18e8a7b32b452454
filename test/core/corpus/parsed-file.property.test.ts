import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CorpusFile } from '../../../src/core/corpus/model.js';
import { parseCorpusFile } from '../../../src/core/corpus/parse.js';
import { decodeParsed, editsOf, encodeParsed } from '../../../src/core/corpus/parsed-file.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * The parse cache keeps a raw text as what it adds to its display text (editsOf), or whole
 * where it is not that: every raw text, of either kind, reads back exactly as it was.
 */

/** Characters a raw text is made of: Han, Latin, markers, layout spaces, a surrogate pair. */
const CHARS = ['中', '国', '际', '关', '系', 'a', 'B', ' ', '\u3000', '\n', '①', '[', '1', ']', '-', '𠀀'];
const piece = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((cs) => cs.join(''));

/** A display text and a raw text: the text with insertions (as the parser gives them), or any string. */
const pair = fc.oneof(
  fc.record({ parts: fc.array(fc.tuple(piece, piece), { maxLength: 6 }), tail: piece }).map(({ parts, tail }) => ({
    text: parts.map(([kept]) => kept).join(''),
    raw: parts.map(([kept, added]) => added + kept).join('') + tail,
  })),
  fc.record({ text: piece, raw: piece }),
);

/** An entry's numbers: where column `name`'s row `row` is (after the head, the text and its padding). */
function numberAt(bytes: Buffer, name: string, row: number): number {
  const textUnits = bytes.readUInt32LE(12);
  const headerAt = bytes.readUInt32LE(20);
  const header = JSON.parse(bytes.toString('utf16le', 32 + headerAt * 2, 32 + (headerAt + bytes.readUInt32LE(24)) * 2)) as {
    columns: Record<string, [number, number]>;
  };
  return 32 + Math.ceil((textUnits * 2) / 4) * 4 + ((header.columns[name] as [number, number])[0] + row) * 4;
}

describe('a raw text in the parse cache', () => {
  test('editsOf rebuilds the raw text whenever it gives edits, and gives them when the text is a subsequence', () => {
    fc.assert(
      fc.property(pair, ({ text, raw }) => {
        const edits = editsOf(text, raw);
        if (edits === null) return;
        let rebuilt = '';
        let at = 0;
        for (const [offset, inserted] of edits) {
          expect(offset).toBeGreaterThanOrEqual(at);
          rebuilt += text.slice(at, offset) + inserted;
          at = offset;
        }
        expect(rebuilt + text.slice(at)).toBe(raw);
      }),
      { seed: PROPERTY_SEED, numRuns: 500 },
    );
    expect(editsOf('国际', '①国 际 ')).toEqual([
      [0, '①'],
      [1, ' '],
      [2, ' '],
    ]);
    expect(editsOf('国际', '国')).toBeNull();
  });

  test('a raw text whose edits would take more room than itself is kept whole', async () => {
    const source = parseCorpusFile('conventions.txt', await readFile('test/fixtures/corpus/conventions.txt', 'utf8'));
    const spaced = (text: string, raw: string): CorpusFile => ({
      ...source,
      essays: source.essays.map((e, i) =>
        i > 0
          ? e
          : { ...e, sections: e.sections.map((s, j) => (j > 0 ? s : { ...s, paragraphs: s.paragraphs.map((p, k) => (k > 0 ? p : { ...p, text, raw })) })) },
      ),
    });
    const text = '国际关系'.repeat(100);
    // A line spaced out character by character, and one with a marker in it.
    const everyOther = encodeParsed(spaced(text, Array.from(text).join(' ')));
    const once = encodeParsed(spaced(text, `${text.slice(0, 10)}①${text.slice(10)}`));
    const alike = encodeParsed(spaced(text, text));
    expect(decodeParsed(everyOther).essays[0]?.sections[0]?.paragraphs[0]?.raw).toBe(Array.from(text).join(' '));
    expect(everyOther.byteLength - alike.byteLength).toBeLessThanOrEqual(2 * (2 * text.length - 1) + 8);
    expect(once.byteLength - alike.byteLength).toBeLessThan(40);
  });

  test('an entry whose edits insert one long string again and again is refused on reading, not made later', async () => {
    const source = parseCorpusFile('conventions.txt', await readFile('test/fixtures/corpus/conventions.txt', 'utf8'));
    const n = 2000;
    const file: CorpusFile = {
      ...source,
      essays: source.essays.map((e, i) =>
        i > 0
          ? e
          : {
              ...e,
              sections: e.sections.map((s, j) =>
                j > 0
                  ? s
                  : { ...s, paragraphs: s.paragraphs.map((p, k) => (k > 0 ? p : { ...p, text: 'aaaaaaaaaa'.repeat(n), raw: 'baaaaaaaaaa'.repeat(n) })) },
              ),
            },
      ),
    };
    const bytes = Buffer.from(encodeParsed(file));
    expect(decodeParsed(bytes).essays[0]?.sections[0]?.paragraphs[0]?.raw).toBe('baaaaaaaaaa'.repeat(n));
    // Every one of the paragraph's n edits made to insert its whole display text: 10 n × n characters.
    const textAt = bytes.readUInt32LE(numberAt(bytes, 'pText', 0));
    for (let e = 0; e < n; e++) {
      bytes.writeUInt32LE(textAt, numberAt(bytes, 'peText', e));
      bytes.writeUInt32LE(10 * n, numberAt(bytes, 'peTextLength', e));
    }
    expect(() => decodeParsed(bytes)).toThrow('a damaged parsed file');
  });

  test('every paragraph’s and note’s raw text reads back from an entry as it was', async () => {
    const source = parseCorpusFile('conventions.txt', await readFile('test/fixtures/corpus/conventions.txt', 'utf8'));
    const paragraphs = source.essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs)).length;
    const notes = source.essays.flatMap((e) => e.footnotes).length;
    fc.assert(
      fc.property(fc.array(pair, { minLength: paragraphs + notes, maxLength: paragraphs + notes }), (pairs) => {
        let next = 0;
        const take = () => pairs[next++] as { text: string; raw: string };
        const file: CorpusFile = {
          ...source,
          essays: source.essays.map((e) => ({
            ...e,
            sections: e.sections.map((s) => ({ ...s, paragraphs: s.paragraphs.map((p) => ({ ...p, ...take() })) })),
            footnotes: e.footnotes.map((f) => ({ ...f, ...take() })),
          })),
        };
        const read = decodeParsed(encodeParsed(file));
        const raws = (f: CorpusFile) =>
          f.essays.flatMap((e) => [...e.sections.flatMap((s) => s.paragraphs.map((p) => [p.text, p.raw])), ...e.footnotes.map((n) => [n.text, n.raw])]);
        expect(raws(read)).toEqual(raws(file));
      }),
      { seed: PROPERTY_SEED, numRuns: 100 },
    );
  });
});
