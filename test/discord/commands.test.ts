import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { errorReply } from '../../src/core/dispatch/bot.js';
import type { Command } from '../../src/core/dispatch/command.js';
import { discordCommands, FIND_SOURCE } from '../../src/discord/commands.js';
import { restOptions } from '../../src/discord/rest.js';

function command(name: string, options: z.ZodObject<Record<string, z.ZodType>>, extra: Partial<Command> = {}): Command {
  return { name, description: `${name} things`, descriptionZh: '说明', options, result: z.unknown(), run: () => errorReply(name, 'x', 'x', 'v'), ...extra };
}

const verify = command('find', z.object({ text: z.string().meta({ description: 'A message' }) }), { positional: 'text', hidden: true });

function registryOf(...commands: Command[]): ReadonlyMap<string, Command> {
  return new Map([...commands, verify].map((c) => [c.name, c]));
}

describe('discordCommands', () => {
  it('puts required options first, maps types, bounds, choices and autocomplete, and skips hidden commands', () => {
    const search = command(
      'search',
      z.object({
        mode: z.enum(['exact', 'loose']).optional().meta({ description: 'How to match', zh: '匹配方式', zhName: '方式' }),
        author: z.string().optional().meta({ description: 'Author', autocomplete: 'author' }),
        words: z.string().min(2).max(50).meta({ description: 'Words', zh: '词语', zhName: '词语' }),
        count: z.number().int().min(1).max(9).default(3).meta({ description: 'How many' }),
        ratio: z.number().min(0).max(1).optional().meta({ description: 'Ratio' }),
      }),
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
        { type: 3, name: 'author', description: 'Author', required: false, autocomplete: true },
        { type: 4, name: 'count', description: 'How many', required: false, min_value: 1, max_value: 9 },
        { type: 10, name: 'ratio', description: 'Ratio', required: false, min_value: 0, max_value: 1 },
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
    expect(discordCommands(registryOf(search, hidden)).map((c) => c.name)).toEqual(['search', FIND_SOURCE]);
  });

  it('refuses names and descriptions Discord would refuse, naming the command and option', () => {
    expect(() => discordCommands(registryOf(command('Quote', z.object({}))))).toThrow(
      `discord: /Quote: name "Quote" breaks Discord's rule (1-32 lowercase letters, digits, -, _ or ')`,
    );
    expect(() => discordCommands(registryOf(command('q', z.object({ 'two words': z.string().meta({ description: 'x' }) }))))).toThrow(
      `discord: /q two words: name "two words" breaks Discord's rule`,
    );
    expect(() => discordCommands(registryOf(command('q', z.object({}), { description: 'x'.repeat(101) })))).toThrow(
      'discord: /q: description must be 1-100 characters, is 101',
    );
    expect(() => discordCommands(registryOf(command('q', z.object({ private: z.boolean().meta({ description: 'x' }) }))))).toThrow(
      `discord: /q: option "private" is the adapter's own; rename the command's option`,
    );
    expect(() => discordCommands(new Map([['q', command('q', z.object({}))]]))).toThrow('discord: "Find source" needs the find command in the registry');
    // Two options of 25 choices of 100 characters each: 10,000 characters of choices alone.
    const choices = Array.from({ length: 25 }, (_, i) => `${i}`.padEnd(100, 'c')) as [string, ...string[]];
    const big = z.object({ a: z.enum(choices).meta({ description: 'a' }), b: z.enum(choices).meta({ description: 'b' }) });
    expect(() => discordCommands(registryOf(command('big', big)))).toThrow(/^discord: \/big is \d+ characters, over Discord's 8000$/u);
  });

  it('accepts the real registry', () => {
    const json = discordCommands(registry);
    expect(json.length).toBe([...registry.values()].filter((c) => !c.hidden).length + 1);
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
