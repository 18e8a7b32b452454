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

export function namePinyin(name: string): NamePinyin {
  const folded = foldText(name).replace(/\s+/gu, '');
  if (!HAN.test(folded)) return { surname: '', given: name.trim().toLowerCase() };
  const split = COMPOUND_SURNAMES.has(folded.slice(0, 2)) ? 2 : 1;
  // `surname: 'head'` reads the first characters as a surname (单 shàn, 曾 zēng).
  const syllables = pinyin(folded, { toneType: 'none', type: 'array', surname: 'head', v: true });
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
