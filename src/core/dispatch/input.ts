import { z } from 'zod';
import type { Locale } from '../reply/model.js';
import { en } from '../words/en.js';
import { type Words, wordsFor } from '../words/index.js';
import { type Command, type OptionSpec, optionSpecs, wordsOf } from './command.js';
import { UserError } from './errors.js';

/**
 * Control characters, zero-width characters and bidi overrides are removed from every
 * text a user types: they are invisible in chat, break matching, and can disguise text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips from user input
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/gu;

/** Cleans user text: NFC, invisible characters removed, runs of white space folded to one space. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/** True when the text holds at least one letter or digit (of any script). */
export function hasWordCharacters(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * A free-text query option: bounded, and refusing text of only spaces or punctuation. What
 * is wrong is said by describeIssue in the requester's language; the refine's message is the
 * key it looks up, so the bounds need none.
 */
export function queryText(maxLength: number) {
  return z.string().min(1).max(maxLength).refine(hasWordCharacters, { message: en.errors.details.noWords });
}

const FULLWIDTH_DIGITS = /[\uFF10-\uFF19]/gu;

function coerce(spec: OptionSpec, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = cleanText(value);
  if (spec.type === 'integer' || spec.type === 'number') {
    const ascii = text.replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    return /^[-+]?\d+(\.\d+)?$/u.test(ascii) ? Number(ascii) : text;
  }
  if (spec.type === 'boolean') {
    const lower = text.toLowerCase();
    if (['true', 'yes', 'y', '1', 'on', '是'].includes(lower) || text === '') return true;
    if (['false', 'no', 'n', '0', 'off', '否'].includes(lower)) return false;
    return text;
  }
  return text;
}

/**
 * Validates raw option values (from a slash command, a Slack text or the CLI) against a
 * command's schema. Strings are cleaned first; numbers and booleans typed as text are
 * read. Failure is a UserError naming the option, never echoing what was typed.
 */
export function parseInput<C extends Command>(command: C, raw: Record<string, unknown>, locale: Locale = 'en'): z.output<C['options']> {
  const specs = optionSpecs(command);
  const known = new Set(specs.map((s) => s.name));
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    const words = wordsFor(locale).errors;
    const allowed = specs.map((s) => s.name).join(', ') || words.noOptions;
    throw new UserError('unknown_option', words.unknownOption(command.name, allowed));
  }
  const values: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = raw[spec.name];
    if (value === undefined || value === null) continue;
    const coerced = coerce(spec, value);
    if (typeof coerced === 'string' && coerced === '' && !spec.required) continue;
    values[spec.name] = coerced;
  }
  const result = command.options.safeParse(values);
  if (result.success) return result.data as z.output<C['options']>;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? '');
  const spec = specs.find((s) => s.name === name);
  throw new UserError('invalid_input', describeIssue(command, spec, issue, locale));
}

function describeIssue(command: Command, spec: OptionSpec | undefined, issue: z.core.$ZodIssue | undefined, locale: Locale): string {
  const words = wordsFor(locale).errors;
  if (!spec || !issue) return words.invalidInput(command.name);
  const label = `/${command.name} ${spec.name}`;
  const description = wordsOf(command, locale, spec.name).description;
  if (issue.code === 'invalid_type' && (issue.input === undefined || issue.input === null)) {
    return words.required(label, description);
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    if (spec.type === 'string') {
      if (issue.code === 'too_small') return words.required(label, description);
      return words.tooLong(label, spec.maxLength ?? 0);
    }
    return words.wholeNumber(label, spec.min ?? 0, spec.max ?? 0);
  }
  if (issue.code === 'invalid_type') {
    if (spec.type === 'integer' || spec.type === 'number') return words.number(label, spec.min ?? 0, spec.max ?? 0);
    if (spec.type === 'boolean') return words.boolean(label);
  }
  if (issue.code === 'invalid_value' && spec.choices) return words.oneOf(label, spec.choices.join(', '));
  return words.invalidValue(label, detailIn(words, issue.message));
}

/** A schema's refine message in the catalogue's language; one the catalogue lacks is kept as written. */
function detailIn(words: Words['errors'], message: string): string {
  const key = (Object.keys(en.errors.details) as (keyof Words['errors']['details'])[]).find((k) => en.errors.details[k] === message);
  return key ? words.details[key] : message;
}

/**
 * Splits a typed command line (`智能鸿沟 author:张三 --count 3`, as in Slack or the console)
 * into raw option values. `name:value`, `name：value` and `--name value` set an option;
 * double quotes keep spaces together; all other words form the positional option.
 */
export function parseCommandLine(command: Command, text: string, locale: Locale = 'en'): Record<string, string> {
  const specs = optionSpecs(command);
  const names = new Map<string, string>();
  for (const s of specs) {
    names.set(s.name.toLowerCase(), s.name);
    names.set(s.zh.name, s.name);
  }
  const tokens = tokenize(text);
  const raw: Record<string, string> = {};
  const free: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const flag = /^--?([\p{L}_-]+)(?:=(.*))?$/u.exec(token);
    if (flag && names.has((flag[1] as string).toLowerCase())) {
      const name = names.get((flag[1] as string).toLowerCase()) as string;
      const spec = specs.find((s) => s.name === name) as OptionSpec;
      if (flag[2] !== undefined) raw[name] = flag[2];
      else if (spec.type === 'boolean' && !/^(true|false|yes|no)$/iu.test(tokens[i + 1] ?? '')) raw[name] = 'true';
      else raw[name] = tokens[++i] ?? '';
      continue;
    }
    const pair = /^([\p{L}_-]+)[:：](.*)$/su.exec(token);
    if (pair && names.has((pair[1] as string).toLowerCase())) {
      raw[names.get((pair[1] as string).toLowerCase()) as string] = pair[2] as string;
      continue;
    }
    free.push(token);
  }
  if (free.length > 0) {
    if (command.positional) raw[command.positional] = free.join(' ');
    else throw new UserError('unexpected_text', wordsFor(locale).errors.unexpectedText(command.name));
  }
  return raw;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /([\p{L}_-]+[:：])?(?:"([^"]*)"|“([^”]*)”|(\S+))/gu;
  for (const m of text.matchAll(re)) {
    const prefix = m[1] ?? '';
    tokens.push(prefix + (m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return tokens;
}
