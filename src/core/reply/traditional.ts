import { createRequire } from 'node:module';
import type * as OpenCC from 'opencc-js';
import type { Locale } from './model.js';

/*
 * Traditional Chinese labels for zh-TW and zh-HK, converted from the Simplified ones by
 * opencc (Taiwan and Hong Kong standards). Only the bot's own words are converted: every
 * value a label interpolates (an author's name, a title, a user's query) is put back
 * verbatim, since a quote or a name in other characters than the essay's is a misquote.
 * opencc's Simplified → Traditional dictionaries take about 0.4 s to load, so they load on
 * the first Traditional label, never for a Simplified or English user.
 */

const require = createRequire(import.meta.url);
type Variant = 'tw' | 'hk';
const converters = new Map<Variant, (text: string) => string>();

/** Simplified Chinese text in the Traditional characters of Taiwan (`tw`) or Hong Kong (`hk`). */
export function toTraditional(text: string, variant: Variant): string {
  let convert = converters.get(variant);
  if (!convert) {
    const opencc = require('opencc-js/cn2t') as typeof OpenCC;
    const converter = opencc.Converter({ from: 'cn', to: variant });
    convert = (s: string) => converter(s);
    converters.set(variant, convert);
  }
  return convert(text);
}

/** Whether a locale shows Chinese labels (Simplified or Traditional). */
export function isChinese(locale: Locale): boolean {
  return locale !== 'en';
}

function variantOf(locale: Locale): Variant | null {
  return locale === 'zh-TW' ? 'tw' : locale === 'zh-HK' ? 'hk' : null;
}

/** Interpolated values stand in as private-use placeholders, which opencc leaves alone. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/** Converts the template text of `render`'s output, with `values` put back verbatim. */
function convertTemplate(variant: Variant, render: (slots: unknown[]) => string, values: unknown[]): string {
  const kept: string[] = [];
  const slot = (value: string) => {
    kept.push(value);
    return `${OPEN}${kept.length - 1}${CLOSE}`;
  };
  const slots = values.map((v) => (typeof v === 'string' ? slot(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? slot(x) : x)) : v));
  return toTraditional(render(slots), variant).replace(PLACEHOLDER, (_, i: string) => kept[Number(i)] ?? '');
}

function convertValue<T>(value: T, variant: Variant): T {
  if (typeof value === 'string') return toTraditional(value, variant) as T;
  if (typeof value === 'function') {
    // Every function in a label table returns its label's text.
    const fn = value as (...args: unknown[]) => string;
    return ((...args: unknown[]) => convertTemplate(variant, (slots) => fn(...slots), args)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => convertValue(v, variant)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertValue(v, variant)])) as T;
  return value;
}

/**
 * A table of labels in every locale, from its English and Simplified Chinese entries: the
 * zh-TW and zh-HK entries are the Simplified ones converted, on first use. Functions in the
 * table convert their own text and keep their arguments as given.
 */
export function localized<T>(table: { en: T; 'zh-CN': T }): Record<Locale, T> {
  const derived = new Map<Variant, T>();
  const traditional = (variant: Variant): T => {
    let entry = derived.get(variant);
    if (entry === undefined) {
      entry = convertValue(table['zh-CN'], variant);
      derived.set(variant, entry);
    }
    return entry;
  };
  return {
    en: table.en,
    'zh-CN': table['zh-CN'],
    get 'zh-TW'() {
      return traditional('tw');
    },
    get 'zh-HK'() {
      return traditional('hk');
    },
  };
}

/** Chinese text with interpolated values, made with the `zh` tag, so conversion leaves the values alone. */
export interface ZhTemplate {
  strings: readonly string[];
  values: unknown[];
}

/** `zh\`有 ${n} 处相符\``: a Chinese label whose values are kept verbatim in Traditional. */
export function zh(strings: TemplateStringsArray, ...values: unknown[]): ZhTemplate {
  return { strings, values };
}

function joinTemplate(t: ZhTemplate, values: readonly unknown[]): string {
  return t.strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
}

/** Picks the English or the Chinese text of a label, in Traditional characters for zh-TW and zh-HK. */
export function label(locale: Locale, en: string, zhText: string | ZhTemplate): string {
  if (locale === 'en') return en;
  const variant = variantOf(locale);
  if (typeof zhText === 'string') return variant ? toTraditional(zhText, variant) : zhText;
  if (!variant) return joinTemplate(zhText, zhText.values);
  return convertTemplate(variant, (slots) => joinTemplate(zhText, slots), zhText.values);
}
