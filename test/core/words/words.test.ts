import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { registry } from '../../../commands/index.js';
import type { Command } from '../../../src/core/dispatch/command.js';
import type { Locale } from '../../../src/core/reply/model.js';
import { toTraditional } from '../../../src/core/reply/traditional.js';
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

  /** Every leaf of a catalogue with its key path. */
  function leaves(value: unknown, prefix = ''): Array<[string, unknown]> {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    }
    return [[prefix, value]];
  }

  /** How many parameters each function of the catalogue takes (Traditional's wrappers take them as rest parameters). */
  const arity = new Map(leaves(en).flatMap(([k, v]) => (typeof v === 'function' ? [[k, v.length] as const] : [])));

  /** What a word says: a string as it is, a function called with one value (text, number, list) for each parameter. */
  function text(key: string, value: unknown): unknown {
    // A one-item list stands for any parameter: it interpolates as its item, and has a length and join.
    return typeof value === 'function' ? value(...Array.from({ length: arity.get(key) ?? 0 }, () => ['甲'])) : value;
  }

  test.each(['en', 'zh-CN', 'zh-TW', 'zh-HK'] as Locale[])('every word of %s is a non-empty string, or a function that returns one', (locale) => {
    const words = leaves(wordsFor(locale));
    expect(words.length).toBe(leaves(en).length);
    const bad = words.filter(([, v]) => typeof v !== 'string' && typeof v !== 'function').map(([k]) => k);
    expect(bad).toEqual([]);
    const empty = words.filter(([k, v]) => {
      const said = text(k, v);
      return typeof said !== 'string' || said.trim() === '';
    });
    expect(empty.map(([k]) => k)).toEqual([]);
  });

  test('no Simplified Chinese word is the English one left untranslated, save marks and platform names', () => {
    const same = leaves(zhCN)
      .filter(([k, v]) => text(k, v) === text(k, leaves(en).find(([ek]) => ek === k)?.[1]))
      .map(([k]) => k);
    expect(same).toEqual([
      'labels.resolvedAs',
      'commands.author.none',
      'commands.essays.none',
      'commands.help.range',
      'operator.config.what.discord',
      'operator.config.what.slack',
    ]);
  });

  test('an option’s English name is the option’s own, as the schema spells it', () => {
    for (const command of registry.values()) {
      const options = command.words('en').options;
      expect(Object.keys(options).sort(), command.name).toEqual(Object.keys(command.options.shape).sort());
      for (const [key, words] of Object.entries(options)) expect(words.name, `${command.name} ${key}`).toBe(key);
    }
  });

  test('the command, option and operator words are derived in Traditional characters, arguments kept', () => {
    const zhTW = wordsFor('zh-TW');
    for (const [key, value] of leaves(zhCN)) {
      const derived = leaves(zhTW).find(([k]) => k === key)?.[1];
      const expected = typeof value === 'string' ? toTraditional(value, 'tw') : undefined;
      if (expected !== undefined) expect(derived, key).toBe(expected);
    }
    expect(zhTW.commands.quote.description).toBe('逐字引用文章段落，附作者、章節與腳註');
    expect(zhTW.commands.quote.options.count).toEqual({ name: '條數', description: '顯示幾段引文（1–5）' });
    expect(wordsFor('zh-HK').commands.sources.options.author.name).toBe('作者');
    expect(zhTW.operator.console.welcome).toBe('yinzheng — 輸入 /help 查看命令，輸入 exit 退出。');
    // Values are the operator's, kept verbatim: a folder's name in Simplified characters stays so.
    expect(zhTW.operator.corpus.noFiles('/srv/语料')).toBe('corpus：/srv/语料 中沒有 .txt 或 .pdf 文件。請把文章放進去，或設置 CORPUS_DIR 或 --corpus。');
    expect(zhTW.operator.config.needs(zhTW.operator.config.what.oauth, ['SLACK_CLIENT_ID', 'SLACK_STATE_SECRET'], '.env')).toBe(
      'config：安裝到多個工作區（OAuth） 需要 SLACK_CLIENT_ID 和 SLACK_STATE_SECRET。請在 .env 中設置（見 .env.example）。',
    );
  });
});
