import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Alignment, align, type DiffOp } from '../../../src/core/search/diff.js';
import { foldChar } from '../../../src/core/search/fold.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * diff.ts compares code points by numbers it learns once per code point, in reused typed
 * arrays. These tests hold it to the plain definition: the edit distance over the texts' code
 * points, each folded (foldChar) and compared as its folded form, any two punctuation marks
 * alike, a letter or digit added or dropped costing 4, a mark 1, a change 3, traced back
 * preferring a change, then a deletion; neighbouring ops joined, deletions before insertions.
 */

const WORD = /[\p{L}\p{N}]/u;
const cost = (ch: string) => (WORD.test(foldChar(ch)) ? 4 : 1);
const key = (ch: string) => {
  const f = foldChar(ch);
  return WORD.test(f) ? f : '';
};

/** The ops in runs: each run of equal text joined, each run between two of them one deletion then one insertion. */
function merged(ops: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  for (let i = 0; i < ops.length; ) {
    const equal = ops[i]?.op === 'equal';
    let j = i;
    while (j < ops.length && (ops[j]?.op === 'equal') === equal) j++;
    const run = ops.slice(i, j);
    const text = (kind: DiffOp['op']) =>
      run
        .filter((o) => o.op === kind)
        .map((o) => o.text)
        .join('');
    for (const kind of equal ? (['equal'] as const) : (['delete', 'insert'] as const)) if (text(kind) !== '') out.push({ op: kind, text: text(kind) });
    i = j;
  }
  return out;
}

function reference(sentence: string, text: string, mode: 'local' | 'whole'): Alignment | null {
  const a = Array.from(sentence);
  const b = Array.from(text);
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return null;
  const offsets = [0];
  for (const ch of b) offsets.push((offsets.at(-1) as number) + ch.length);
  const d = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  const row = (i: number) => d[i] as number[];
  if (mode === 'whole') for (let j = 1; j <= n; j++) row(0)[j] = (row(0)[j - 1] as number) + cost(b[j - 1] as string);
  for (let i = 1; i <= m; i++) row(i)[0] = (row(i - 1)[0] as number) + cost(a[i - 1] as string);
  const same = (i: number, j: number) => key(a[i] as string) === key(b[j] as string);
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      row(i)[j] = Math.min(
        (row(i - 1)[j - 1] as number) + (same(i - 1, j - 1) ? 0 : 3),
        (row(i - 1)[j] as number) + cost(a[i - 1] as string),
        (row(i)[j - 1] as number) + cost(b[j - 1] as string),
      );
    }
  }
  let endJ = mode === 'whole' ? n : 0;
  if (mode === 'local') for (let j = 1; j <= n; j++) if ((row(m)[j] as number) < (row(m)[endJ] as number)) endJ = j;
  const ops: DiffOp[] = [];
  let i = m;
  let j = endJ;
  while (i > 0) {
    const here = row(i)[j] as number;
    const equal = j > 0 && same(i - 1, j - 1);
    if (j > 0 && here === (row(i - 1)[j - 1] as number) + (equal ? 0 : 3)) {
      if (equal) ops.unshift({ op: 'equal', text: b[j - 1] as string });
      else ops.unshift({ op: 'insert', text: b[j - 1] as string }, { op: 'delete', text: a[i - 1] as string });
      i--;
      j--;
    } else if (here === (row(i - 1)[j] as number) + cost(a[i - 1] as string)) {
      ops.unshift({ op: 'delete', text: a[--i] as string });
    } else {
      ops.unshift({ op: 'insert', text: b[--j] as string });
    }
  }
  if (mode === 'whole') while (j > 0) ops.unshift({ op: 'insert', text: b[--j] as string });
  // A run of changes reads as traced back: within it, each change's deletion before its insertion.
  return { start: offsets[j] as number, end: offsets[endJ] as number, distance: row(m)[endJ] as number, ops: merged(ops) };
}

// Chinese of both scripts, punctuation of both widths, ligatures, characters outside the BMP and lone surrogates.
const pieces = fc.constantFrom(
  '智能',
  '鸿沟',
  '鴻溝',
  '数据',
  '數據',
  '，',
  ',',
  '。',
  '“',
  ' ',
  'ＡＩ',
  'ai',
  'ﬁ',
  'fi',
  '𠀀',
  '\ud800',
  '2025',
  '年',
  '扩大',
  '缩小',
);
const text = fc.array(pieces, { maxLength: 14 }).map((p) => p.join(''));

describe('align', () => {
  it('gives what the plain edit distance over folded code points gives, both ways', () => {
    fc.assert(
      fc.property(text, text, fc.constantFrom('local' as const, 'whole' as const), (sentence, paragraph, mode) => {
        expect(align(sentence, paragraph, mode)).toEqual(reference(sentence, paragraph, mode));
      }),
      { seed: PROPERTY_SEED, numRuns: 1000 },
    );
  });
});
