import { toDisplay } from './text.js';

/*
 * The front and back matter of a journal article: what the journal prints around the
 * author's text and what is never the author's argument. Chinese journals label each part
 * (`【内容提要】`, `关键词：`, `【作者简介】` …), with or without the brackets, with full-width
 * or ASCII colons; the English block after the text is labelled `Abstract:`, `Key Words:`,
 * `About the Authors`. The labels, not positions, say what a block is: typesetters move
 * them about (the classification line on one line with the keywords, the author notes at
 * the foot of the first page or after the abstract).
 */

/** A labelled part of an article, named by what it holds. */
export type FrontField =
  | 'abstract'
  | 'keywords'
  | 'clc'
  | 'documentCode'
  | 'articleNumber'
  | 'doi'
  | 'bio'
  | 'funding'
  | 'received'
  | 'revised'
  | 'enAbstract'
  | 'enKeywords'
  | 'enAbout'
  /** The English title and author line before `Abstract:`, told by where they stand, not by a label. */
  | 'enTitle'
  | 'enAuthors';

/** Each field's labels as printed, commonest first. */
const LABELS: Array<[FrontField, string]> = [
  ['abstract', '内容提要|内容摘要|摘\\s*要|提\\s*要'],
  ['keywords', '关\\s*键\\s*词|关键字'],
  ['clc', '中图分类号|中图法分类号|中图分类'],
  ['documentCode', '文献标识码|文献标志码'],
  ['articleNumber', '文章编号'],
  ['doi', 'DOI|doi'],
  ['bio', '作者简介|作者信息|作者单位'],
  ['funding', '基金项目|项目基金|基金'],
  ['received', '收稿日期|收稿时间'],
  ['revised', '修回日期|修订日期|修改日期'],
];

const ENGLISH_LABELS: Array<[FrontField, string]> = [
  ['enAbstract', 'Abstract|ABSTRACT'],
  ['enKeywords', 'Key\\s*[Ww]ords|KEY\\s*WORDS|Keywords'],
  ['enAbout', 'About\\s+the\\s+Authors?|ABOUT\\s+THE\\s+AUTHORS?'],
];

const NAMES = LABELS.map(([, names]) => names).join('|');
/** A Chinese label: `【关键词】` (a colon after it allowed), or `关键词：` at a block's start. */
const BRACKETED = new RegExp(`[【［〔\\[]\\s*(${NAMES})\\s*[】］〕\\]]\\s*[：:]?\\s*`, 'gu');
const COLON = new RegExp(`^\\s*(${NAMES})\\s*[：:]\\s*`, 'u');
/** `摘　要　…`, `关键词　A　B`: the abstract's and keywords' label with a wide space and no colon, at a block's start. */
const SPACED = /^\s*(内容提要|内容摘要|摘\s*要|关\s*键\s*词|关键字)(?:\u3000+|\s{2,})(?=\S)/u;
/**
 * `关键词：` inside a block: `关键词：A；B　中图分类号：D8`, or with nothing between
 * (`D815文献标识码：A`). Only labels no sentence would write with a colon after them.
 */
const INNER_COLON = new RegExp(
  `(${['关\\s*键\\s*词', '中图分类号', '中图法分类号', '文献标识码', '文献标志码', '文章编号', '收稿日期', '修回日期', '修订日期', 'DOI'].join('|')})\\s*[：:]\\s*`,
  'gu',
);
const ENGLISH_NAMES = ENGLISH_LABELS.map(([, names]) => names).join('|');
/**
 * An English label: `Abstract:` after a sentence, or at a block's start also without its colon
 * (`About the Authors`, `Abstract The …`). Mid-block a word like "Abstract" is prose
 * ("the Abstract Principles of regimes") unless a colon makes it a label.
 */
const ENGLISH = new RegExp(`(?:(?<=[.。]\\s*)|(?<=^\\s*))(${ENGLISH_NAMES})\\s*[：:]\\s*|^\\s*(${ENGLISH_NAMES})(?:\\s+(?=[A-Z])|\\s*$)`, 'gu');

/** Something every label holds: a bracket, a colon, a wide space, or an English label's first word. */
const LABEL_HINT = /[【［〔[：:\u3000]|\s{2}|Abstract|ABSTRACT|Key|KEY|About|ABOUT/u;
const BRACKETED_AT_START = /^\s*[【［〔[]/u;

function fieldOf(label: string, table: Array<[FrontField, string]>): FrontField | null {
  for (const [field, names] of table) if (new RegExp(`^(?:${names})$`, 'u').test(label.trim())) return field;
  return null;
}

/** A labelled part found in a block: its field and its text after the label. */
export interface LabelledPart {
  field: FrontField;
  body: string;
}

/**
 * The labelled parts of a block, or null when it does not start with a label. A block
 * may hold several (`【关键词】…【中图分类号】D8【文献标识码】A`); the text before the
 * first label of a block that does not start with one is `lead`, left to the caller.
 */
export function splitLabels(block: string): { lead: string; parts: LabelledPart[] } {
  // Most blocks hold no label at all: a look for what every label has is far cheaper than the patterns.
  if (!LABEL_HINT.test(block)) return { lead: block.trim(), parts: [] };
  const cuts: Array<{ at: number; end: number; field: FrontField }> = [];
  const first = COLON.exec(block) ?? SPACED.exec(block);
  if (first) cuts.push({ at: first.index, end: first.index + first[0].length, field: fieldOf(first[1] as string, LABELS) as FrontField });
  // Inside a block a label cuts it only where it cannot be prose: in brackets anywhere, a colon
  // label (`关键词：`, `DOI:`) only in a block that starts as front matter.
  const inner = cuts.length > 0 || BRACKETED_AT_START.test(block) ? [BRACKETED, INNER_COLON, ENGLISH] : [BRACKETED, ENGLISH];
  for (const re of inner) {
    for (const m of block.matchAll(re)) {
      const field = fieldOf((m[1] ?? m[2]) as string, re === ENGLISH ? ENGLISH_LABELS : LABELS);
      const end = m.index + m[0].length;
      // Cuts are made in order and never overlap (labels found twice are one cut).
      if (field === null || cuts.some((c) => m.index < c.end && end > c.at)) continue;
      cuts.push({ at: m.index, end, field });
    }
  }
  cuts.sort((a, b) => a.at - b.at);
  const parts = cuts.map((c, i) => ({ field: c.field, body: block.slice(c.end, cuts[i + 1]?.at ?? block.length).trim() }));
  return { lead: block.slice(0, cuts[0]?.at ?? block.length).trim(), parts };
}

/** Whether a block starts with a label of the front or back matter. */
export function startsWithLabel(block: string): boolean {
  const { lead, parts } = splitLabels(block);
  return lead === '' && parts.length > 0;
}

/** Keywords as printed, split on `；` `，` `、`, full-width spaces or (in English) `;` `,`. */
export function splitKeywords(text: string): string[] {
  const display = toDisplay(text).text.replace(/[。.]\s*$/u, '');
  const latin = !/\p{Script=Han}/u.test(display);
  return display
    .split(latin ? /\s*[;,；，]\s*/u : /\s*[;；，,、]\s*|\u3000+|\s{2,}/u)
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

/** The issue a journal prints in its running header or masthead. */
export interface IssueFacts {
  journal: string | null;
  year: number | null;
  issue: string | null;
}

/*
 * A running header or masthead naming the issue: `某学刊　2026 年第 1 期`,
 * `《某学刊》2026年第1期`, `某学刊 2026(1)`, `No. 1, 2026`.
 */
const CHINESE_ISSUE = /^(?:《([^》]{2,30})》|([\p{Script=Han}]{2,20}))?\s*[，,]?\s*(\d{4})\s*年\s*第\s*(\d{1,3})\s*期/u;
const BRACKET_ISSUE = /^(?:《([^》]{2,30})》|([\p{Script=Han}]{2,20}))?\s*(\d{4})\s*[（(]\s*(\d{1,3})\s*[）)]/u;
const ENGLISH_ISSUE = /^(?:(.{2,60}?)[,，]?\s+)?(?:Vol\.\s*\d+\s*,\s*)?No\.\s*(\d{1,3})\s*,\s*(\d{4})/u;

/** A page number at a header's start, in its decorations: not a year (`2026年` goes on with 年). */
const LEADING_PAGE = /^[·•—–\-\s]*\d{1,4}[·•—–\-\s]+(?=\D)/u;

/** The journal, year and issue a header states, or null when it names no issue. */
export function readIssue(header: string): IssueFacts | null {
  // A running header may begin with the page number (`· 58 ·　某学刊　2026 年第 1 期`).
  const text = header.trim().replace(LEADING_PAGE, '');
  for (const re of [CHINESE_ISSUE, BRACKET_ISSUE]) {
    const m = re.exec(text);
    if (m) return { journal: (m[1] ?? m[2] ?? null)?.trim() || null, year: Number(m[3]), issue: String(Number(m[4])) };
  }
  const en = ENGLISH_ISSUE.exec(text);
  if (en) return { journal: en[1]?.trim() || null, year: Number(en[3]), issue: String(Number(en[2])) };
  return null;
}

/**
 * Whether a line says nothing but the issue (`某学刊　2026年第1期`, `International Outlook,
 * No. 3, 2025`, perhaps a page number after it): a masthead or a running header, not text.
 */
export function isIssueLine(line: string): boolean {
  const text = line.trim();
  if (text.length > 60 || readIssue(text) === null) return false;
  const rest = [CHINESE_ISSUE, BRACKET_ISSUE, ENGLISH_ISSUE].reduce((t, re) => t.replace(re, ''), text);
  return /^[\s\d·—–\-.,，。:：]*$/u.test(rest);
}

/** Year and issue from a 文章编号 (`1000-0000-（2026）01-0057-18`: ISSN, year, issue, first page, pages). */
export function issueOfArticleNumber(number: string): { year: number; issue: string } | null {
  const m = /[（(](\d{4})[）)]\s*(\d{1,2})\s*-/u.exec(number);
  return m ? { year: Number(m[1]), issue: String(Number(m[2])) } : null;
}

/** The most frequent issue among the headers, journal name included when any header prints it. */
export function commonIssue(headers: string[]): IssueFacts | null {
  const read = headers.map(readIssue).filter((f): f is IssueFacts => f !== null);
  if (read.length === 0) return null;
  const key = (f: IssueFacts) => `${f.year}/${f.issue}`;
  const counts = new Map<string, number>();
  for (const f of read) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const chosen = read.filter((f) => key(f) === best);
  return { ...(chosen[0] as IssueFacts), journal: chosen.find((f) => f.journal !== null)?.journal ?? null };
}

/*
 * What follows an author's affiliation in a note is not the affiliation: the postal address
 * in brackets (`（北京 100000）`) is for the journal's correspondence, and a remark after it
 * (`本文为…的阶段性成果`, `感谢…`) says where the work came from or whom the authors thank;
 * anything after the first sentence that is not funding is taken as thanks.
 */
const POSTCODE = /\s*[（(][^（）()]*\d{5,6}[^（）()]*[）)]/gu;
const FUNDING_REMARK = /^(?:本文(?:系|为|是)|基金项目|项目基金|本研究|本成果|This (?:article|paper|research|work) (?:is|was))/u;

/** An affiliation note's entry taken apart: the affiliation, the address, and remarks. */
export interface AffiliationParts {
  affiliation: string | null;
  address: string | null;
  funding: string | null;
  acknowledgements: string | null;
}

export function splitAffiliation(text: string): AffiliationParts {
  const sentences = text
    .split(/(?<=[。])/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const [first = '', ...rest] = sentences;
  const address = /[（(]([^（）()]*\d{5,6}[^（）()]*)[）)]/u.exec(first)?.[1]?.trim() ?? null;
  const affiliation = first
    .replace(POSTCODE, '')
    .replace(/[。.，,；;]\s*$/u, '')
    .trim();
  const funding = rest.filter((s) => FUNDING_REMARK.test(s));
  const thanks = rest.filter((s) => !FUNDING_REMARK.test(s));
  return {
    affiliation: affiliation === '' ? null : affiliation,
    address,
    funding: funding.length > 0 ? funding.join('') : null,
    acknowledgements: thanks.length > 0 ? thanks.join('') : null,
  };
}
