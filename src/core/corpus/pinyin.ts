import { createRequire } from 'node:module';
import type * as PinyinPro from 'pinyin-pro';

/*
 * pinyin-pro, loaded on first use. Its dictionaries take about a tenth of a second to load,
 * as long as everything else a CLI answer needs, and only parsing (passage IDs) and author
 * lookup by pinyin use them: a corpus read from the parse cache never loads them at all.
 * A synchronous require keeps the parser synchronous.
 */
const require = createRequire(import.meta.url);
let loaded: typeof PinyinPro.pinyin | undefined;

function load(): typeof PinyinPro.pinyin {
  loaded ??= (require('pinyin-pro') as typeof PinyinPro).pinyin;
  return loaded;
}

export const pinyin = ((...args: Parameters<typeof PinyinPro.pinyin>) => load()(...args)) as typeof PinyinPro.pinyin;
