import { foldText } from '../search/fold.js';
import { pinyin } from './pinyin.js';

/**
 * Author names, matched in Chinese, Traditional characters or pinyin in either order
 * (`chen zhimin`, `Zhimin Chen`, `chenzhimin`, `Chén Zhìmǐn`). A reader who writes the
 * given name first is following the English convention, so both orders are accepted.
 */

// Two-character surnames, which pinyin order must keep together (`ouyang xiu`, `xiu ouyang`).
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '长孙',
  '宇文',
  '夏侯',
  '端木',
  '司徒',
  '澹台',
  '轩辕',
  '呼延',
  '南宫',
  '西门',
  '独孤',
  '百里',
]);

const HAN = /\p{Script=Han}/u;

/** A name's pinyin parts, surname first; `surname` is '' for a name not in Han characters. */
export interface NamePinyin {
  surname: string;
  given: string;
}

/** Lower-case Latin letters only, tone marks removed, ü written v. */
export function latinKey(text: string): string {
  return text
    .normalize('NFD')
    .toLowerCase()
    .replace(/u\u0308/gu, 'v')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z]/gu, '');
}

/**
 * Each Han name's syllables, once per process. A file read from the parse cache brings its
 * authors' own (parsed-file.ts), so that a warm start's essay index and author look-ups never
 * load pinyin-pro's dictionaries: 9 MB of heap and 24 MB of RSS, a tenth of a second. Only
 * authors' names come here, never typed text, so the map is bounded by the corpora's authors.
 */
const syllablesByName = new Map<string, string[]>();

/** The name folded as its syllables are keyed. */
function nameFold(name: string): string {
  return foldText(name).replace(/\s+/gu, '');
}

function syllablesOf(folded: string): string[] {
  let syllables = syllablesByName.get(folded);
  if (syllables === undefined) {
    // `surname: 'head'` reads the first characters as a surname (单 shàn, 曾 zēng).
    syllables = pinyin(folded, { toneType: 'none', type: 'array', surname: 'head', v: true });
    syllablesByName.set(folded, syllables);
  }
  return syllables;
}

/** The syllables of these names (Han ones only), as a parse cache entry keeps them. */
export function nameSyllables(names: Iterable<string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const folded = nameFold(name);
    if (HAN.test(folded)) out[folded] = syllablesOf(folded);
  }
  return out;
}

/** Syllables read back from a parse cache entry: what `nameSyllables` gave when it was written. */
export function rememberSyllables(known: Record<string, string[]>): void {
  for (const [folded, syllables] of Object.entries(known)) if (!syllablesByName.has(folded)) syllablesByName.set(folded, syllables);
}

export function namePinyin(name: string): NamePinyin {
  const folded = nameFold(name);
  if (!HAN.test(folded)) return { surname: '', given: name.trim().toLowerCase() };
  const split = COMPOUND_SURNAMES.has(folded.slice(0, 2)) ? 2 : 1;
  const syllables = syllablesOf(folded);
  return { surname: syllables.slice(0, split).join(''), given: syllables.slice(split).join('') };
}

/** Toneless pinyin, surname first, e.g. `chen zhimin`; the name itself for a Latin name. */
export function pinyinLabel(name: string): string {
  const p = namePinyin(name);
  return p.surname ? `${p.surname} ${p.given}` : p.given;
}

/** The Latin keys a name answers to: both orders, letters only, with ü as v and as u. */
export function nameKeys(name: string): string[] {
  const p = namePinyin(name);
  const keys = p.surname ? [p.surname + p.given, p.given + p.surname] : latinOrders(p.given);
  return [...new Set(keys.flatMap((k) => [latinKey(k), latinKey(k).replace(/v/gu, 'u')]))];
}

function latinOrders(name: string): string[] {
  const words = name.split(/\s+/u).filter(Boolean);
  return [words.join(''), [...words].reverse().join('')];
}

/** Names under which a reader asks for an editor's note, which has no author. */
const EDITOR_NAMES = new Set(['编者', '编者按', '编辑部', '本刊编辑部', 'editors', 'theeditors', 'editor', 'editorsnote', 'theeditorsnote']);

/** True when `text` means the editors (`the editors`, `编者`, `編者按`), not a person. */
export function isEditorsName(text: string): boolean {
  return EDITOR_NAMES.has(foldText(text).replace(/[^\p{L}\p{N}]/gu, ''));
}
