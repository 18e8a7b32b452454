import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { Command } from '../../../src/core/dispatch/command.js';
import { en, type Words } from '../../../src/core/words/en.js';
import { wordsFor } from '../../../src/core/words/index.js';
import { zhCN } from '../../../src/core/words/zh-CN.js';

/** Every key path of a catalogue, functions and strings alike, sorted. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
  }
  return [`${prefix}:${typeof value}`];
}

describe('the catalogue of words', () => {
  test('Simplified Chinese has exactly the English keys, each of the same kind', () => {
    expect(keysOf(zhCN).sort()).toEqual(keysOf(en).sort());
  });

  test('a catalogue missing a key fails the typecheck', () => {
    const { genericFailure: _, ...errors } = zhCN.errors;
    // @ts-expect-error errors.genericFailure is missing
    const broken: Words = { ...zhCN, errors };
    expect(broken.errors).not.toHaveProperty('genericFailure');
  });

  test('a command whose catalogue entry lacks one of its options fails the typecheck', () => {
    const options = z.object({ query: z.string(), extra: z.string() });
    const command = {
      name: 'quote',
      // @ts-expect-error the catalogue's quote has no words for the option `extra`
      words: (locale) => wordsFor(locale).commands.quote,
      options,
      result: z.unknown(),
      run: () => {
        throw new Error('not run');
      },
    } satisfies Command<typeof options>;
    expect(command.words('en').options).not.toHaveProperty('extra');
  });

  test('zh-TW and zh-HK are the Simplified words in Traditional characters, arguments kept verbatim', () => {
    expect(wordsFor('zh-CN').errors.genericFailure).toBe('回答时出错，已记录。请重试。');
    expect(wordsFor('zh-TW').errors.genericFailure).toBe('回答時出錯，已記錄。請重試。');
    expect(wordsFor('zh-HK').errors.title).toBe('錯誤');
    // An author's name is quoted as the corpus writes it, never converted.
    expect(wordsFor('zh-TW').errors.unknownAuthorClosest('张三')).toBe('語料中沒有這位作者。最接近的：张三。');
    expect(wordsFor('zh-TW').commands.sources.uncited(['国-1', '国-2'])).toBe('相符的段落沒有引用任何來源：国-1、国-2。可用 /quote 查看這些段落。');
    expect(wordsFor('en').errors.rateLimited(7)).toBe('You are asking faster than the bot answers everyone fairly. Please try again in 7 s.');
  });
});
