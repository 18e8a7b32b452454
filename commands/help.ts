import { z } from 'zod';
import { type Command, type OptionSpec, optionSpecs, wordsOf } from '../src/core/dispatch/command.js';
import type { Locale, ReplyBlock } from '../src/core/reply/model.js';
import { HelpResult } from '../src/core/reply/results.js';
import { wordsFor } from '../src/core/words/index.js';

function describe(command: Command, locale: Locale): string {
  return command.words(locale).description;
}

function optionDescription(command: Command, spec: OptionSpec, locale: Locale): string {
  return wordsOf(command, locale, spec.name).description;
}

/** A usage line generated from the schema, e.g. `/quote <query> [author:…] [count:1–5]`. */
function usageOf(command: Command, invocation: string): string {
  const words = [`${invocation}${command.name}`];
  for (const spec of optionSpecs(command)) {
    const value =
      spec.choices?.join('|') ??
      (spec.type === 'integer' || spec.type === 'number' ? `${spec.min ?? ''}–${spec.max ?? ''}` : spec.type === 'boolean' ? 'true|false' : '…');
    const word = spec.name === command.positional ? `<${spec.name}>` : `${spec.name}:${value}`;
    words.push(spec.required ? word : `[${word}]`);
  }
  return words.join(' ');
}

function constraints(spec: OptionSpec, locale: Locale): string[] {
  const t = wordsFor(locale).commands.help;
  const notes: string[] = [];
  if (spec.required) notes.push(t.required);
  if (spec.choices) notes.push(t.oneOf(spec.choices));
  else if (spec.type === 'integer' || spec.type === 'number') notes.push(t.range(spec.min, spec.max));
  else if (spec.type === 'string' && spec.maxLength !== undefined) notes.push(t.upTo(spec.maxLength));
  return notes;
}

const options = z.object({
  command: z.string().max(32).optional(),
});

export default {
  name: 'help',
  words: (locale) => wordsFor(locale).commands.help,
  options,
  result: HelpResult,
  positional: 'command',
  run(input, ctx) {
    const t = wordsFor(ctx.locale).commands.help;
    const visible = [...ctx.commands.values()].filter((c) => !c.hidden);
    const base = { command: 'help', actions: [], corpusVersion: ctx.corpus.version };
    const wanted = input.command
      ?.replace(/^[/／]/u, '')
      .trim()
      .toLowerCase();
    if (!wanted) {
      return {
        ...base,
        title: t.title,
        message: t.more(`${ctx.invocation}help`),
        blocks: [{ kind: 'fields', fields: visible.map((c) => ({ label: `${ctx.invocation}${c.name}`, value: describe(c, ctx.locale) })) }],
        results: visible.map((c) => ({ name: c.name, description: describe(c, ctx.locale), usage: usageOf(c, ctx.invocation) })),
      };
    }
    const command = visible.find((c) => c.name === wanted);
    if (!command) {
      return { ...base, title: t.title, message: t.unknown(visible.map((c) => `${ctx.invocation}${c.name}`).join(', ')), blocks: [], results: [] };
    }
    const specs = optionSpecs(command);
    const blocks: ReplyBlock[] = [
      { kind: 'text', text: describe(command, ctx.locale) },
      { kind: 'fields', fields: [{ label: t.usage, value: usageOf(command, ctx.invocation) }] },
      specs.length > 0
        ? {
            kind: 'fields',
            fields: specs.map((s) => {
              const notes = constraints(s, ctx.locale);
              const label = t.option(s.name, wordsOf(command, ctx.locale, s.name).name);
              const suffix = notes.length === 0 ? '' : t.notes(notes);
              return { label, value: `${optionDescription(command, s, ctx.locale)}${suffix}` };
            }),
          }
        : { kind: 'text', text: t.none },
    ];
    return {
      ...base,
      title: `${ctx.invocation}${command.name}`,
      blocks,
      results: [
        {
          name: command.name,
          description: describe(command, ctx.locale),
          usage: usageOf(command, ctx.invocation),
          options: specs.map((s) => ({
            name: s.name,
            type: s.type,
            required: s.required,
            description: optionDescription(command, s, ctx.locale),
            ...(s.min !== undefined ? { min: s.min } : {}),
            ...(s.max !== undefined ? { max: s.max } : {}),
            ...(s.maxLength !== undefined ? { maxLength: s.maxLength } : {}),
            ...(s.choices ? { choices: s.choices } : {}),
          })),
        },
      ],
    };
  },
} satisfies Command<typeof options, typeof HelpResult>;
