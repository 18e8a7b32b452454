import { beforeAll, describe, expect, test } from 'vitest';
// The registry first: help.ts reads it, and index.ts must be the module that loads the commands.
import { registry } from '../../commands/index.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot, Requester } from '../../src/core/dispatch/bot.js';
import { optionSpecs } from '../../src/core/dispatch/command.js';
import { botOver, requester } from '../support/bot.js';

const en = requester('en', 'console', 'test');
const zh: Requester = { ...en, locale: 'zh-CN' };

interface HelpResult {
  name: string;
  description: string;
  usage: string;
  options?: Array<{ name: string; type: string; required: boolean; description: string; min?: number; max?: number; maxLength?: number }>;
}

let bot: Bot;
beforeAll(async () => {
  const corpus = await loadCorpus('data/essays');
  bot = botOver(corpus);
});

describe('/help', () => {
  test('lists every visible command of the registry, in its order, with its description', () => {
    const reply = bot.runLine('/help', en);
    expect(reply.error).toBeUndefined();
    const visible = [...registry.values()].filter((c) => !c.hidden);
    expect((reply.results as HelpResult[]).map((r) => [r.name, r.description])).toEqual(visible.map((c) => [c.name, c.words('en').description]));
    for (const name of ['quote', 'who', 'author', 'sources', 'essays', 'cite', 'verify', 'help'])
      expect((reply.results as HelpResult[]).map((r) => r.name)).toContain(name);
    expect(reply.message).toBe('Type /help followed by a command name for its options, e.g. /help quote. Options are given as name:value.');
  });

  test('hidden commands answer buttons and are not listed', () => {
    const hidden = [...registry.values()].filter((c) => c.hidden).map((c) => c.name);
    const listed = (bot.runLine('/help', en).results as HelpResult[]).map((r) => r.name);
    for (const name of hidden) expect(listed).not.toContain(name);
  });

  test('explains one command from its zod schema: usage, options, limits', () => {
    const reply = bot.runLine('/help author', en);
    expect(reply.title).toBe('/author');
    expect(reply.results).toEqual([
      {
        name: 'author',
        description: 'An author: affiliation, essays, outline, length, notes and sources, thesis and terms',
        usage: '/author <name>',
        options: [
          {
            name: 'name',
            type: 'string',
            required: true,
            description: 'Author name in Chinese, pinyin (either order) or Traditional characters',
            maxLength: 100,
          },
        ],
      },
    ]);
  });

  test('the usage of every command names each of its options', () => {
    for (const command of registry.values()) {
      if (command.hidden) continue;
      const [result] = bot.run('help', { command: command.name }, en).results as HelpResult[];
      for (const spec of optionSpecs(command)) {
        expect(result?.usage).toContain(spec.name === command.positional ? `<${spec.name}>` : `${spec.name}:`);
      }
      expect(result?.options?.map((o) => o.name)).toEqual(optionSpecs(command).map((s) => s.name));
    }
  });

  test('accepts the command with its slash and in any case', () => {
    expect((bot.runLine('/help /CITE', en).results as HelpResult[])[0]?.usage).toBe('/cite <target>');
  });

  test('speaks Chinese for zh-CN, with the options’ Chinese names', () => {
    const reply = bot.runLine('/help cite', zh);
    expect((reply.results as HelpResult[])[0]?.description).toBe('按 GB/T 7714-2015 与 BibTeX 格式引用文章或段落');
    const fields = reply.blocks.flatMap((b) => (b.kind === 'fields' ? b.fields : []));
    expect(fields).toContainEqual({ label: '用法', value: '/cite <target>' });
    expect(fields).toContainEqual({ label: 'target（对象）', value: '文章编号、标题（或其一部分）或段落编号，如 essay-id.4（必填，最多 200 字）' });
  });

  test('an unknown command is not an error: the message lists the commands', () => {
    const reply = bot.runLine('/help frobnicate', en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toMatch(/^There is no such command\. The commands are: \/quote, \/who, \/author, /u);
  });

  test('every command and option description fits Discord’s 100 characters', () => {
    for (const command of registry.values()) {
      expect(command.words('en').description.length, command.name).toBeLessThanOrEqual(100);
      expect(command.words('zh-CN').description.length, command.name).toBeLessThanOrEqual(100);
      for (const spec of optionSpecs(command)) {
        expect(spec.description.length, `${command.name} ${spec.name}`).toBeLessThanOrEqual(100);
        expect(spec.zh.description.length, `${command.name} ${spec.name}`).toBeLessThanOrEqual(100);
      }
    }
  });
});
