import type { CommandWords } from '../../src/core/dispatch/command.js';
import type { Locale } from '../../src/core/reply/model.js';

/**
 * A fixture command's words, standing in for its catalogue entry: the English ones, and the
 * Chinese ones for every Chinese locale (the English ones again when none are given).
 */
export function fixtureWords(en: CommandWords, zh: CommandWords = en): (locale: Locale) => CommandWords {
  return (locale) => (locale === 'en' ? en : zh);
}
