import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHashTable, hashUnits, mix, sameUnits } from '../../../src/core/search/hash-table.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * The index build's hash table (hash-table.ts) against a Map, on the way the build uses it:
 * find, and add after a miss. Keys are strings the test keeps; the table is given their hash
 * (or, to force collisions, a hash of few bits) and asked to compare only on a matching hash.
 */

function check(keys: string[], hashOf: (key: string) => number): void {
  const table = createHashTable(2);
  const reference = new Map<string, number>();
  const stored: string[] = [];
  for (const key of keys) {
    const found = table.find(hashOf(key), (v) => stored[v] === key);
    expect(found).toBe(reference.get(key) ?? -1);
    if (found < 0) {
      table.add(stored.length);
      reference.set(key, stored.length);
      stored.push(key);
    }
  }
  expect(table.size).toBe(reference.size);
  for (const [key, value] of reference) expect(table.find(hashOf(key), (v) => stored[v] === key)).toBe(value);
}

describe('hash table', () => {
  const keys = fc.array(fc.string({ unit: fc.constantFrom('智', '能', '鸿', '沟', 'a', 'B', '𠀀') as fc.Arbitrary<string>, maxLength: 4 }), { maxLength: 300 });

  it('finds what was added, and only that, as a Map does (growing from two slots)', () => {
    fc.assert(
      fc.property(keys, (ks) => check(ks, (k) => hashUnits(k, 0, k.length))),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  it('tells keys apart by the caller’s comparison when their hashes collide', () => {
    fc.assert(
      fc.property(keys, (ks) => check(ks, (k) => hashUnits(k, 0, k.length) & 3)),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  it('is empty after clear, and refuses an add with no miss before it', () => {
    const table = createHashTable(4);
    table.find(mix(7), () => true);
    table.add(0);
    expect(table.find(mix(7), () => true)).toBe(0);
    expect(() => table.add(1)).toThrow(/no missed find/u);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.find(mix(7), () => true)).toBe(-1);
  });

  it('mixes a bigram key one-to-one, so a matching hash is the bigram itself', () => {
    const seen = new Map<number, number>();
    for (let a = 0x4e00; a < 0x4e00 + 300; a++) {
      for (let b = 0x4e00; b < 0x4e00 + 300; b++) {
        const key = (a << 16) | b;
        const h = mix(key);
        expect(seen.get(h) ?? key).toBe(key);
        seen.set(h, key);
      }
    }
  });

  it('hashes and compares a span of a text as the span’s own string', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (before, span, after) => {
        const text = before + span + after;
        const from = before.length;
        const to = from + span.length;
        expect(hashUnits(text, from, to)).toBe(hashUnits(span, 0, span.length));
        expect(sameUnits(text, from, to, span, 0, span.length)).toBe(true);
        expect(sameUnits(text, from, to, `${span}x`, 0, span.length + 1)).toBe(false);
      }),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });
});
