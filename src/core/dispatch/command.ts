import { z } from 'zod';
import type { Corpus, CorpusFile } from '../corpus/model.js';
import type { Locale, Reply } from '../reply/model.js';
import type { CorpusIndex } from '../search/search.js';

/** Everything a command may use. A command reads no clock, environment or platform API. */
export interface CommandContext {
  corpus: Corpus;
  index: CorpusIndex;
  locale: Locale;
  /** The registry the command was dispatched from (help lists it; no command imports it). */
  commands: ReadonlyMap<string, Command>;
  /** How a command is typed where the request came from: `/` (`/quote`), or on Slack `/yinzheng ` (`/yinzheng quote`). */
  invocation: string;
  /** In a team's library, the files the team added: `/essays` marks their essays. */
  teamFiles?: ReadonlySet<CorpusFile>;
}

/**
 * Per-option metadata, set with `.meta({...})` on each option schema. What an option is
 * called and what it takes are words, and live in the catalogue (see CommandWords).
 */
export interface OptionMeta {
  /** Offer autocomplete of this option's value (authors, essays). */
  autocomplete?: 'author' | 'essay';
}

/** An option's name and description in one language, as the catalogue gives them. */
export interface OptionWords {
  name: string;
  description: string;
}

/**
 * A command's words in one language: its description (at most 100 characters, Discord's
 * limit) and every option of its schema by name. Typed off the schema, so an option the
 * catalogue does not describe fails the typecheck.
 */
export interface CommandWords<S extends OptionsSchema = OptionsSchema> {
  description: string;
  options: { [K in keyof z.input<S> & string]-?: OptionWords };
}

export type OptionsSchema = z.ZodObject<Record<string, z.ZodType>>;

/** A chat command: one file in `commands/`, default-exported with `satisfies Command`. */
export interface Command<S extends OptionsSchema = OptionsSchema, R extends z.ZodType = z.ZodType> {
  name: string;
  /** The command's words from the catalogue, e.g. `(locale) => wordsFor(locale).commands.quote`. */
  words(locale: Locale): CommandWords<S>;
  options: S;
  /** The option that takes the free text typed after the command name, if any. */
  positional?: keyof z.infer<S> & string;
  /** Internal commands answer buttons (e.g. `context`) and are not registered on platforms. */
  hidden?: boolean;
  /** One result of the CLI's `--json` (see src/core/reply/results.ts): what `run` puts in `results`. */
  result: R;
  run(input: z.output<S>, ctx: CommandContext): Reply<z.output<R>>;
}

/** An option as the platforms need it, read off the zod schema once. */
export interface OptionSpec {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  required: boolean;
  /** The English description (Discord's default, and the usage's). */
  description: string;
  /** The Simplified Chinese name and description (Discord's localizations, the command line's aliases). */
  zh: OptionWords;
  autocomplete: 'author' | 'essay' | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  min: number | undefined;
  max: number | undefined;
  choices: string[] | undefined;
}

function metaOf(schema: z.ZodType): OptionMeta {
  return (schema.meta() ?? {}) as OptionMeta;
}

/** An option's words in a language. */
export function wordsOf(command: Command, locale: Locale, option: string): OptionWords {
  const words = command.words(locale).options[option];
  // The type rules this out for the registry's commands; a command built at run time may still lack one.
  if (!words) throw new Error(`command ${command.name}: option ${option} has no words in ${locale}`);
  return words;
}

/** Reads the options of a command's zod object in declaration order. */
export function optionSpecs(command: Command): OptionSpec[] {
  return Object.entries(command.options.shape).map(([name, outer]) => {
    let inner: z.ZodType = outer;
    let required = true;
    let meta: OptionMeta = metaOf(outer);
    while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) {
      required = false;
      inner = inner.def.innerType as z.ZodType;
      meta = { ...metaOf(inner), ...meta };
    }
    const base = {
      name,
      required,
      description: wordsOf(command, 'en', name).description,
      zh: wordsOf(command, 'zh-CN', name),
      autocomplete: meta.autocomplete,
      minLength: undefined,
      maxLength: undefined,
      min: undefined,
      max: undefined,
      choices: undefined,
    };
    if (inner instanceof z.ZodString) {
      return { ...base, type: 'string', minLength: inner.minLength ?? undefined, maxLength: inner.maxLength ?? undefined };
    }
    if (inner instanceof z.ZodNumber) {
      return {
        ...base,
        type: inner.isInt ? 'integer' : 'number',
        min: Number.isFinite(inner.minValue) ? (inner.minValue ?? undefined) : undefined,
        max: Number.isFinite(inner.maxValue) ? (inner.maxValue ?? undefined) : undefined,
      };
    }
    if (inner instanceof z.ZodBoolean) return { ...base, type: 'boolean' };
    if (inner instanceof z.ZodEnum) return { ...base, type: 'string', choices: inner.options.map(String) };
    throw new Error(`command ${command.name}: option ${name} has a type the platforms cannot express`);
  });
}
