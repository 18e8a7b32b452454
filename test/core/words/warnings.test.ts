import { describe, expect, test } from 'vitest';
import { en } from '../../../src/core/words/en.js';
import { localizedWarning } from '../../../src/core/words/warnings.js';
import { zhCN } from '../../../src/core/words/zh-CN.js';

/*
 * Parser warnings are made in English where a file is parsed and kept in the parse cache; a
 * Chinese-speaking user reads them in Chinese, with the same values. Every template of the
 * catalogue is made with sample values and read back.
 */

const W = en.operator.warnings;
const Z = zhCN.operator.warnings;

describe('parser warnings in the reader’s language', () => {
  test('every template, made in English with sample values, is said in Chinese with the same values', () => {
    const samples: Array<[string, string]> = [];
    for (const key of Object.keys(W) as Array<keyof typeof W>) {
      const template = W[key] as string | ((...args: unknown[]) => string);
      const zh = Z[key] as string | ((...args: unknown[]) => string);
      if (typeof template === 'string') {
        samples.push([template, zh as string]);
        continue;
      }
      // Values a template could not hold as its own words: a number, a file name, a phrase.
      const values: unknown[] = Array.from({ length: template.length }, (_, i) =>
        key === 'metadataInvalid' && i === 1 ? ['year is not a number'] : `值${i}·x${i}`,
      );
      samples.push([template(...values), (zh as (...args: unknown[]) => string)(...values)]);
    }
    for (const [english, chinese] of samples) expect(localizedWarning(english, 'zh-CN'), english).toBe(chinese);
    expect(samples.length).toBe(Object.keys(W).length);
  });

  test('English stays as it is, and so does a message no template makes', () => {
    const message = W.noAffiliation('李四');
    expect(localizedWarning(message, 'en')).toBe(message);
    expect(localizedWarning('something pdf.js said', 'zh-CN')).toBe('something pdf.js said');
    // The more specific of two templates that both fit wins: "cannot be read (…): skipped", not "…: skipped".
    expect(localizedWarning(W.unreadable('EACCES'), 'zh-CN')).toBe(Z.unreadable('EACCES'));
  });

  test('Traditional Chinese is derived from the Simplified', () => {
    expect(localizedWarning(W.emptyFile, 'zh-TW')).not.toBe(W.emptyFile);
  });
});
