import type { Locale } from '../reply/model.js';
import { localized } from '../reply/traditional.js';
import { en, type Words } from './en.js';
import { zhCN } from './zh-CN.js';

export type { Words } from './en.js';

/*
 * One catalogue per language the bot is written in; zh-TW and zh-HK are the Simplified
 * words converted by opencc on first use, with interpolated values kept verbatim.
 */
const WORDS = localized<Words>({ en, 'zh-CN': zhCN });

/** The bot's own words in a user's language. */
export function wordsFor(locale: Locale): Words {
  return WORDS[locale];
}
