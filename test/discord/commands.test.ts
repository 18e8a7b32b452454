import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { errorReply } from '../../src/core/dispatch/bot.js';
import type { Command } from '../../src/core/dispatch/command.js';
import { ADD_TO_LIBRARY, discordCommands, FIND_SOURCE, LIBRARY_COMMAND } from '../../src/discord/commands.js';
import { restOptions } from '../../src/discord/rest.js';
import { fixtureWords } from '../support/words.js';

/** Words a fixture command's options take: the English description, and the Chinese name and description. */
type Described = Record<string, [string, string, string]>;

function command(name: string, options: z.ZodObject<Record<string, z.ZodType>>, extra: Partial<Command> = {}, described: Described = {}): Command {
  const words = (pick: (d: [string, string, string], option: string) => { name: string; description: string }) =>
    Object.fromEntries(Object.keys(options.shape).map((o) => [o, pick(described[o] ?? [o, o, o], o)]));
  return {
    name,
    words: fixtureWords(
      { description: `${name} things`, options: words(([en], o) => ({ name: o, description: en })) },
      { description: '说明', options: words(([, zhName, zh]) => ({ name: zhName, description: zh })) },
    ),
    options,
    result: z.unknown(),
    run: () => errorReply(name, 'x', 'x', 'v'),
    ...extra,
  };
}

const verify = command('find', z.object({ text: z.string() }), { positional: 'text', hidden: true }, { text: ['A message', '消息', '消息'] });

function registryOf(...commands: Command[]): ReadonlyMap<string, Command> {
  return new Map([...commands, verify].map((c) => [c.name, c]));
}

describe('discordCommands', () => {
  it('puts required options first, maps types, bounds, choices and autocomplete, and skips hidden commands', () => {
    const search = command(
      'search',
      z.object({
        mode: z.enum(['exact', 'loose']).optional(),
        author: z.string().optional().meta({ autocomplete: 'author' }),
        words: z.string().min(2).max(50),
        count: z.number().int().min(1).max(9).default(3),
        ratio: z.number().min(0).max(1).optional(),
      }),
      {},
      {
        mode: ['How to match', '方式', '匹配方式'],
        author: ['Author', '作者', '作者'],
        words: ['Words', '词语', '词语'],
        count: ['How many', '条数', '多少条'],
        ratio: ['Ratio', '比例', '比例'],
      },
    );
    const hidden = command('inner', z.object({}), { hidden: true });
    const [json] = discordCommands(registryOf(search, hidden), 'guild');
    expect(json).toEqual({
      type: 1,
      name: 'search',
      description: 'search things',
      description_localizations: { 'zh-CN': '说明', 'zh-TW': '說明' },
      options: [
        {
          type: 3,
          name: 'words',
          description: 'Words',
          required: true,
          name_localizations: { 'zh-CN': '词语', 'zh-TW': '詞語' },
          description_localizations: { 'zh-CN': '词语', 'zh-TW': '詞語' },
          min_length: 2,
          max_length: 50,
        },
        {
          type: 3,
          name: 'mode',
          description: 'How to match',
          required: false,
          name_localizations: { 'zh-CN': '方式', 'zh-TW': '方式' },
          description_localizations: { 'zh-CN': '匹配方式', 'zh-TW': '匹配方式' },
          choices: [
            { name: 'exact', value: 'exact' },
            { name: 'loose', value: 'loose' },
          ],
        },
        {
          type: 3,
          name: 'author',
          description: 'Author',
          required: false,
          name_localizations: { 'zh-CN': '作者', 'zh-TW': '作者' },
          description_localizations: { 'zh-CN': '作者', 'zh-TW': '作者' },
          autocomplete: true,
        },
        {
          type: 4,
          name: 'count',
          description: 'How many',
          required: false,
          name_localizations: { 'zh-CN': '条数', 'zh-TW': '條數' },
          description_localizations: { 'zh-CN': '多少条', 'zh-TW': '多少條' },
          min_value: 1,
          max_value: 9,
        },
        {
          type: 10,
          name: 'ratio',
          description: 'Ratio',
          required: false,
          name_localizations: { 'zh-CN': '比例', 'zh-TW': '比例' },
          description_localizations: { 'zh-CN': '比例', 'zh-TW': '比例' },
          min_value: 0,
          max_value: 1,
        },
        {
          type: 5,
          name: 'private',
          name_localizations: { 'zh-CN': '私密', 'zh-TW': '私密' },
          description: 'Only you see the answer',
          description_localizations: { 'zh-CN': '仅自己可见', 'zh-TW': '僅自己可見' },
          required: false,
        },
      ],
    });
    expect(discordCommands(registryOf(search, hidden)).map((c) => c.name)).toEqual(['search', FIND_SOURCE, LIBRARY_COMMAND, ADD_TO_LIBRARY]);
  });

  it('registers /library with its subcommands and "Add to library", for Manage Server by default', () => {
    const [library, addTo] = discordCommands(registry).slice(-2) as unknown as Array<Record<string, unknown>>;
    expect(library).toMatchObject({ type: 1, name: 'library', default_member_permissions: '32', integration_types: [0, 1], contexts: [0, 1, 2] });
    const subs = library?.options as Array<{ type: number; name: string; options?: Array<Record<string, unknown>> }>;
    expect(subs.map((o) => [o.type, o.name])).toEqual([
      [1, 'add'],
      [1, 'list'],
      [1, 'remove'],
      [1, 'check'],
    ]);
    expect(subs[0]?.options).toEqual([expect.objectContaining({ type: 11, name: 'file', required: true })]);
    expect(subs[2]?.options).toEqual([expect.objectContaining({ type: 3, name: 'file', required: true, autocomplete: true })]);
    expect(addTo).toEqual({
      type: 3,
      name: 'Add to library',
      name_localizations: { 'zh-CN': '加入文库', 'zh-TW': '加入文庫' },
      default_member_permissions: '32',
      integration_types: [0, 1],
      contexts: [0, 1, 2],
    });
    expect(() => discordCommands(new Map([...registry, ['library', command('library', z.object({}))]]))).toThrow(
      "discord: /library is the adapter's own (the team's library); rename the command",
    );
  });

  it('refuses names and descriptions Discord would refuse, naming the command and option', () => {
    expect(() => discordCommands(registryOf(command('Quote', z.object({}))))).toThrow(
      `discord: /Quote: name "Quote" breaks Discord's rule (1-32 lowercase letters, digits, -, _ or ')`,
    );
    expect(() => discordCommands(registryOf(command('q', z.object({ 'two words': z.string() }))))).toThrow(
      `discord: /q two words: name "two words" breaks Discord's rule`,
    );
    expect(() => discordCommands(registryOf(command('q', z.object({}), { words: fixtureWords({ description: 'x'.repeat(101), options: {} }) })))).toThrow(
      'discord: /q: description must be 1-100 characters, is 101',
    );
    expect(() => discordCommands(registryOf(command('q', z.object({ private: z.boolean() }))))).toThrow(
      `discord: /q: option "private" is the adapter's own; rename the command's option`,
    );
    expect(() => discordCommands(new Map([['q', command('q', z.object({}))]]))).toThrow('discord: "Find source" needs the find command in the registry');
    // Two options of 25 choices of 100 characters each: 10,000 characters of choices alone.
    const choices = Array.from({ length: 25 }, (_, i) => `${i}`.padEnd(100, 'c')) as [string, ...string[]];
    const big = z.object({ a: z.enum(choices), b: z.enum(choices) });
    expect(() => discordCommands(registryOf(command('big', big)))).toThrow(/^discord: \/big is \d+ characters, over Discord's 8000$/u);
  });

  it('accepts the real registry', () => {
    const json = discordCommands(registry);
    // Each visible command, "Find source", /library and "Add to library".
    expect(json.length).toBe([...registry.values()].filter((c) => !c.hidden).length + 3);
  });
});

describe('restOptions', () => {
  it('splits the version off DISCORD_API_BASE, since discord.js appends it', () => {
    expect(restOptions({ apiBase: undefined })).toEqual({});
    expect(restOptions({ apiBase: 'https://proxy.example/api/v10' })).toEqual({ api: 'https://proxy.example/api', version: '10' });
    expect(restOptions({ apiBase: 'https://proxy.example/api/v9/' })).toEqual({ api: 'https://proxy.example/api', version: '9' });
    expect(restOptions({ apiBase: 'http://127.0.0.1:8080/discord' })).toEqual({ api: 'http://127.0.0.1:8080/discord' });
  });
});
