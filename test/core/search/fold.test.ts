import fc from 'fast-check';
import * as OpenCC from 'opencc-js/t2cn';
import { describe, expect, it } from 'vitest';
import { type Folded, fold, foldChar, foldText } from '../../../src/core/search/fold.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * fold.ts folds a code unit at a time through tables it learns, and returns the text itself
 * when nothing in it changes. These tests hold it to the plain definition: each code point
 * folded by foldChar, one after another, with the offsets each folded code unit came from.
 */

const WORD_CHAR = /[\p{L}\p{N}]/u;

function reference(text: string, compact: boolean): Folded {
  let out = '';
  const origin: number[] = [];
  const originEnd: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const next = offset + ch.length;
    for (const unit of foldChar(ch)) {
      if (compact && !WORD_CHAR.test(unit)) continue;
      out += unit;
      for (let k = 0; k < unit.length; k++) {
        origin.push(offset);
        originEnd.push(next);
      }
    }
    offset = next;
  }
  origin.push(text.length);
  return { text: out, origin: Int32Array.from(origin), originEnd: Int32Array.from(originEnd) };
}

// Chinese of both scripts, full-width forms, ligatures, characters outside the BMP and lone surrogates.
const pieces = fc.constantFrom(
  '智能鸿沟',
  '數據安全',
  '，',
  '。',
  'ＡＢＣ',
  '２０２５',
  'ﬁ',
  '㈱',
  '𠀀',
  '\ud800',
  '\udc00',
  'MAZU',
  ' ',
  '（一）',
  '張三',
  'é',
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(pieces, { maxLength: 20 }).map((p) => p.join('')),
);

describe('folding', () => {
  it('gives what folding each code point in turn gives, offsets included', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (t, compact) => {
        const got = fold(t, { compact });
        const want = reference(t, compact);
        expect(got.text).toBe(want.text);
        expect([...got.origin]).toEqual([...want.origin]);
        expect([...got.originEnd]).toEqual([...want.originEnd]);
        expect(foldText(t)).toBe(reference(t, false).text);
      }),
      { seed: PROPERTY_SEED, numRuns: 500 },
    );
  });

  it('gives a text with nothing to fold back unchanged', () => {
    const simplified = '智能鸿沟的存在。';
    expect(foldText(simplified)).toBe(simplified);
    expect(foldText('數據，ＡＩ')).toBe('数据,ai');
  });

  // The table fold.ts converts by was written from opencc (scripts/simplified-table.ts); this
  // is the converter it stands for, on every code point, as foldChar called it before the table.
  it("folds every code point as NFKC, lower case and opencc's 't' → 'cn' fold it", () => {
    const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
    const differ: string[] = [];
    let han = 0;
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      const nfkc = ch.normalize('NFKC').toLowerCase();
      if (!/\p{Script=Han}/u.test(nfkc)) continue;
      han++;
      const want = toSimplified(nfkc);
      if (foldChar(ch) !== want) differ.push(`U+${code.toString(16).toUpperCase()} ${ch}: ${foldChar(ch)}, opencc ${want}`);
    }
    expect(han).toBeGreaterThan(90_000);
    expect(differ.slice(0, 10)).toEqual([]);
  });
});
