import type { Locale } from '../reply/model.js';
import { en } from './en.js';
import { wordsFor } from './index.js';

/*
 * The parser's warnings in a reader's language. A warning is made where a file is parsed
 * (often in a worker thread) and kept in the parse cache, so it is made once, in English, from
 * the catalogue's templates (`operator.warnings`). Shown to a Chinese-speaking user, it is read
 * back against those templates, what it interpolated taken out, and said again with the same
 * values in the user's language. A message no template makes (a reason pdf.js gave) stays as
 * it is.
 */

type Templates = typeof en.operator.warnings;
type Key = keyof Templates;

interface Pattern {
  key: Key;
  /** The template with its values as capture groups; null for a template without values. */
  regex: RegExp | null;
  text: string;
  /** How much of the template is its own words: the most specific template is tried first. */
  literal: number;
}

const MARK = (i: number) => `\u0000${i}\u0000`;

/**
 * A template of the catalogue as a regular expression's source that its text, made with any
 * values, matches: value `i` is the group `v<i>`, and a value the template says twice is the
 * same value both times. `wrap` gives the template a value of another shape (a list). Also the
 * template's text with marks for its values, and how long its own words are.
 */
export function templateSource(
  template: (...args: never[]) => string,
  arity: number = template.length,
  wrap: (mark: string, i: number) => unknown = (mark) => mark,
): { source: string; text: string; literal: number } {
  const marks = Array.from({ length: arity }, (_, i) => MARK(i));
  const text = (template as (...args: unknown[]) => string)(...marks.map(wrap));
  let source = text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  marks.forEach((m, i) => {
    let first = true;
    source = source.replaceAll(m, () => {
      const group = first ? `(?<v${i}>[\\s\\S]+?)` : `\\k<v${i}>`;
      first = false;
      return group;
    });
  });
  return { source, text, literal: marks.reduce((n, m) => n.split(m).join(''), text).length };
}

let patterns: Pattern[] | null = null;

function patternsOf(): Pattern[] {
  if (patterns) return patterns;
  const built: Pattern[] = [];
  for (const key of Object.keys(en.operator.warnings) as Key[]) {
    const template = en.operator.warnings[key] as string | ((...args: never[]) => string);
    if (typeof template === 'string') {
      built.push({ key, regex: null, text: template, literal: template.length });
      continue;
    }
    // A list parameter (metadataInvalid's problems) is joined by its template: marked as one value.
    const { source, text, literal } = templateSource(template, template.length, (m, i) => (key === 'metadataInvalid' && i === 1 ? [m] : m));
    built.push({ key, regex: new RegExp(`^${source}$`, 'u'), text, literal });
  }
  patterns = built.sort((a, b) => b.literal - a.literal);
  return patterns;
}

/** A parser warning's message in `locale`; English, and any message no template made, as it is. */
export function localizedWarning(message: string, locale: Locale): string {
  if (locale === 'en') return message;
  const words = wordsFor(locale).operator.warnings;
  for (const p of patternsOf()) {
    if (p.regex === null) {
      if (message === p.text) return words[p.key] as string;
      continue;
    }
    const m = p.regex.exec(message);
    if (!m) continue;
    const values: unknown[] = Array.from({ length: (en.operator.warnings[p.key] as (...args: never[]) => string).length }, (_, i) => m.groups?.[`v${i}`]);
    if (p.key === 'metadataInvalid') values[1] = [values[1]];
    return (words[p.key] as (...args: unknown[]) => string)(...values);
  }
  return message;
}
