import { type AffiliationParts, type FrontField, splitAffiliation, splitKeywords } from './front-matter.js';
import type { FrontItem, Item } from './items.js';
import type { Author, Classification, Essay } from './model.js';
import { pinyin } from './pinyin.js';
import { rejoinUrls, toDisplay } from './text.js';

/*
 * An article's own matter, read from its labelled items: who its authors are (from `*`
 * notes, `【作者简介】` and About the Authors), its abstract and keywords, classification,
 * funding, dates and English block. None of it is the author's text.
 */

/** Names listed together before one affiliation: `王某、李某、赵某`, `王某 李某`, `王某和李某`, `John Smith and Jane Doe`. */
function splitNames(names: string): string[] {
  return names
    .split(/\s*(?:[、，,／/&]|\band\b)\s*|(?<=\p{Script=Han})\s+(?=\p{Script=Han})|(?<=^\p{Script=Han}{2,4})[和与及](?=\p{Script=Han}{2,4}$)/u)
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

/** The names of an English author line: `Lin Haizhou and Su Yingxue`, `A, B and C`. */
export function englishNames(line: string): string[] {
  return splitNames(toDisplay(line).text);
}

/** `（1985—）`, `(1978-2020)`: the years after a name in a CNKI author note. */
const BIRTH_YEARS = /\s*[（(]\s*\d{4}\s*[—–\-~～]+\s*(?:\d{4})?\s*[）)]\s*/gu;
/** `男，`, `汉族，`, `福建福州人，` at the start of a CNKI note's rest: the author's, not the affiliation. */
const PERSONAL_FIELDS = /^(?:(?:男|女|[\p{Script=Han}]{1,4}族|[\p{Script=Han}]{2,8}人)\s*[，,]\s*)+/u;

/** One author as an author note gives them: the name, the note's entry as printed, and its parts. */
export interface NoteEntry {
  name: string;
  entry: string;
  parts: AffiliationParts;
}

/**
 * Splits an author note into names and affiliations. One entry per `；`, each a name (or
 * names) and the affiliation they share: `张三，某大学…教授（北京 100000）。`,
 * `王某、李某、赵某，北京大学…`, `王某，北京大学…；李某，清华大学…`. `known` holds the file's
 * author names, so that `王某，李某，北京大学…` reads as two authors and one affiliation.
 */
export function readAffiliations(body: string, known: ReadonlySet<string> = new Set()): NoteEntry[] {
  const display = toDisplay(body).text;
  const none: AffiliationParts = { affiliation: null, address: null, funding: null, acknowledgements: null };
  return display
    .split(/[；;]/u)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .flatMap((entry) => {
      const head = /^([^，,：:]+)[，,：:]\s*/u.exec(entry);
      if (!head) return [{ name: entry, entry, parts: none }];
      // CNKI's form: `张一鸣（1985—），男，福建福州人，某大学…副教授`: the birth year is not the
      // name, and sex, nationality and native place are not the affiliation.
      const names = splitNames((head[1] as string).replace(BIRTH_YEARS, ''));
      let rest = entry.slice(head[0].length);
      // `王某，李某，北京大学…`: a part that is only known author names is more authors, not the affiliation.
      for (let more = /^([^，,：:]+)[，,：:]\s*/u.exec(rest); more; more = /^([^，,：:]+)[，,：:]\s*/u.exec(rest)) {
        const listed = splitNames(more[1] as string);
        if (!listed.every((n) => known.has(n))) break;
        names.push(...listed);
        rest = rest.slice(more[0].length);
      }
      const parts = splitAffiliation(rest.replace(PERSONAL_FIELDS, ''));
      // The note as printed up to its first full stop: a remark after it is the article's.
      const bio = (entry.split(/(?<=。)/u)[0] as string).replace(/[。.]\s*$/u, '');
      return names.map((name) => ({ name, entry: bio, parts }));
    });
}

/** Letters of a romanised name, in either order: `Lin Haizhou` and `Haizhou Lin` both `linhaizhou`. */
function romanKeys(name: string): string[] {
  const words = name
    .toLowerCase()
    .split(/[\s-]+/u)
    .map((w) => w.replace(/[^a-z]/gu, ''))
    .filter((w) => w !== '');
  return [words.join(''), [...words.slice(1), ...words.slice(0, 1)].join('')];
}

/** The author an English name stands for, by the pinyin of the Chinese name. */
export function matchRomanised(english: string, authors: readonly string[]): string | null {
  const keys = romanKeys(english);
  return (
    authors.find((a) => {
      if (!/\p{Script=Han}/u.test(a)) return romanKeys(a).some((k) => keys.includes(k));
      const syllables = pinyin(a, { toneType: 'none', type: 'array', v: true }).join('').toLowerCase();
      return keys.includes(syllables);
    }) ?? null
  );
}

/** What an article's labelled items say, as the essay's fields. */
export type ArticleMatter = Pick<Essay, 'abstract' | 'keywords' | 'classification' | 'funding' | 'acknowledgements' | 'received' | 'revised' | 'english'> & {
  /** Items of the abstracts, kept for the sections made of them. */
  abstractItem: FrontItem | null;
  englishAbstractItem: FrontItem | null;
};

const display = (text: string) => rejoinUrls(toDisplay(text).text).replace(/^[：:]\s*/u, '');

/** A date as printed (`2025-10-12`, `2025年10月12日`), trailing punctuation dropped. */
function date(text: string): string {
  return display(text).replace(/[。.，,；;]+$/u, '');
}

/** The essay's front and back matter from its labelled items. */
export function articleMatter(front: readonly FrontItem[]): ArticleMatter {
  const first = (field: FrontField) => front.find((f) => f.field === field) ?? null;
  const text = (field: FrontField) => {
    const item = first(field);
    return item ? display(item.body).replace(/[。.；;]+$/u, '') || null : null;
  };
  const classification: Classification = {
    clc: text('clc'),
    documentCode: text('documentCode'),
    articleNumber: text('articleNumber'),
    doi: text('doi'),
  };
  const enTitle = front.filter((f) => f.field === 'enTitle').map((f) => display(f.body));
  const enAuthors = first('enAuthors');
  const enAbstract = first('enAbstract');
  const enKeywords = first('enKeywords');
  const abstract = first('abstract');
  const english =
    enTitle.length > 0 || enAbstract || enKeywords
      ? {
          title: enTitle.length > 0 ? enTitle.join(' ') : null,
          authors: enAuthors ? englishNames(enAuthors.body) : [],
          abstract: enAbstract ? display(enAbstract.body) : null,
          keywords: enKeywords ? splitKeywords(enKeywords.body) : [],
        }
      : null;
  const received = first('received');
  const revised = first('revised');
  const keywords = first('keywords');
  return {
    abstract: abstract ? display(abstract.body) : null,
    keywords: keywords ? splitKeywords(keywords.body) : [],
    classification: Object.values(classification).some((v) => v !== null) ? classification : null,
    funding: first('funding') ? display((first('funding') as FrontItem).body) : null,
    acknowledgements: null,
    received: received ? date(received.body) : null,
    revised: revised ? date(revised.body) : null,
    english,
    abstractItem: abstract,
    englishAbstractItem: enAbstract,
  };
}

/** The English About the Authors entries: `Lin Haizhou, Associate Professor, …`, one per `；`. */
export function aboutAuthors(front: readonly FrontItem[]): Array<{ name: string; affiliation: string | null }> {
  return front
    .filter((f) => f.field === 'enAbout')
    .flatMap((f) => display(f.body).split(/[；;]\s*/u))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [name = '', ...rest] = entry.split(/\s*,\s*/u);
      const affiliation = rest
        .join(', ')
        .replace(/[.。]\s*$/u, '')
        .trim();
      return { name: name.trim(), affiliation: affiliation === '' ? null : affiliation };
    });
}

/** The authors of an essay with what the file's notes say of them. */
export function authorsOf(
  names: readonly string[],
  notes: ReadonlyMap<string, NoteEntry>,
  about: ReadonlyArray<{ name: string; affiliation: string | null }>,
): Author[] {
  return names.map((name) => {
    const note = notes.get(name);
    const english = about.find((a) => matchRomanised(a.name, [name]) !== null);
    return {
      name,
      affiliation: note?.parts.affiliation ?? english?.affiliation ?? null,
      bio: note?.entry ?? null,
      address: note?.parts.address ?? null,
    };
  });
}

/** Whether an item is one of an article's labelled parts. */
export function isFront(item: Item): item is FrontItem {
  return item.kind === 'front';
}
