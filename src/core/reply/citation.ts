import type { PublicationFacts } from '../corpus/metadata.js';

/**
 * Reference formats for an essay. A field the corpus and its metadata do not state is left
 * out, never guessed: a citation with a wrong year is worse than one with a gap the reader
 * can see and fill.
 */

export interface CitableWork {
  /** Stable ID, used as the BibTeX key. */
  id: string;
  title: string;
  /** Author names in print order; empty for an editor's note. */
  authors: string[];
  facts: PublicationFacts;
}

/** The facts a complete journal citation has; those missing are named so the user can add them. */
export const CITATION_FIELDS = ['journal', 'year', 'volume', 'issue', 'pages'] as const;
export type CitationField = (typeof CITATION_FIELDS)[number];

export function missingFields(facts: PublicationFacts): CitationField[] {
  return CITATION_FIELDS.filter((f) => facts[f] === undefined);
}

/** GB/T 7714 lists at most three authors, then 等 (Chinese) or et al. */
const GBT_MAX_AUTHORS = 3;

const HAN = /\p{Script=Han}/u;

function gbtPages(pages: string): string {
  return pages.replace(/\s*[-–—]+\s*/gu, '-');
}

/**
 * GB/T 7714-2015 (顺序编码制, without the [n] sequence number, which depends on the citing
 * work): `作者. 题名[J]. 刊名, 年, 卷(期): 页码. DOI:…`.
 *
 * Without a journal the type is [Z] (其他未说明文献类型): calling it [J] would state what
 * the corpus does not know. An editor's note has no personal author, and 佚名 would claim
 * the opposite of an unsigned note by known editors, so its reference starts at the title.
 * The standard's 引用日期 of an online resource is the date the citer read it; it is left
 * for them to add.
 */
export function formatGbt7714(work: CitableWork): string {
  const f = work.facts;
  const parts: string[] = [];
  if (work.authors.length > 0) {
    const shown = work.authors.slice(0, GBT_MAX_AUTHORS);
    const chinese = work.authors.some((a) => HAN.test(a));
    const more = work.authors.length > GBT_MAX_AUTHORS ? (chinese ? ', 等' : ', et al') : '';
    parts.push(`${shown.join(', ')}${more}`);
  }
  const online = f.url !== undefined;
  const type = f.journal === undefined ? 'Z' : 'J';
  parts.push(`${work.title}[${type}${online ? '/OL' : ''}]`);
  if (f.journal !== undefined) {
    let source = f.journal;
    if (f.year !== undefined) source += `, ${f.year}`;
    if (f.volume !== undefined) source += `, ${f.volume}`;
    if (f.issue !== undefined) source += f.volume !== undefined || f.year !== undefined ? `(${f.issue})` : `, (${f.issue})`;
    if (f.pages !== undefined) source += `: ${gbtPages(f.pages)}`;
    parts.push(source);
  } else if (f.year !== undefined) {
    parts.push(f.pages !== undefined ? `${f.year}: ${gbtPages(f.pages)}` : String(f.year));
  } else if (f.pages !== undefined) {
    // Pages with no journal or year stated: the cited pages still go after the title (引文页码).
    parts[parts.length - 1] += `: ${gbtPages(f.pages)}`;
  }
  if (f.url !== undefined) parts.push(f.url);
  if (f.doi !== undefined) parts.push(`DOI:${f.doi}`);
  // A URL may itself end in `.`; GB/T ends the reference with a full stop only after text.
  return parts.map((p, i) => (i < parts.length - 1 || !/[.]$/u.test(p) ? `${p}.` : p)).join(' ');
}

/** Characters BibTeX treats as commands or grouping; escaped so a title prints as it reads. */
function bibEscape(text: string): string {
  return text
    .replace(/[\\{}]/gu, (c) => (c === '\\' ? '\\textbackslash{}' : `\\${c}`))
    .replace(/[&%$#_]/gu, (c) => `\\${c}`)
    .replace(/~/gu, '\\textasciitilde{}')
    .replace(/\^/gu, '\\textasciicircum{}');
}

/** BibTeX keys may not hold spaces, commas or braces. */
function bibKey(id: string): string {
  return id.replace(/[^A-Za-z0-9_.:-]+/gu, '-') || 'essay';
}

/**
 * A BibTeX entry: `@article` when the journal is known, `@misc` otherwise. Only stated
 * fields appear. URLs and DOIs are not escaped: the url and doi fields are read verbatim
 * by biblatex and the url package.
 */
export function formatBibtex(work: CitableWork): string {
  const f = work.facts;
  const fields: Array<[string, string]> = [];
  if (work.authors.length > 0) fields.push(['author', work.authors.map(bibEscape).join(' and ')]);
  fields.push(['title', bibEscape(work.title)]);
  if (f.journal !== undefined) fields.push(['journal', bibEscape(f.journal)]);
  if (f.year !== undefined) fields.push(['year', String(f.year)]);
  if (f.volume !== undefined) fields.push(['volume', bibEscape(f.volume)]);
  if (f.issue !== undefined) fields.push(['number', bibEscape(f.issue)]);
  if (f.pages !== undefined) fields.push(['pages', f.pages.replace(/\s*[-–—]+\s*/gu, '--')]);
  if (f.doi !== undefined) fields.push(['doi', f.doi]);
  if (f.url !== undefined) fields.push(['url', f.url]);
  const type = f.journal === undefined ? 'misc' : 'article';
  return `@${type}{${bibKey(work.id)},\n${fields.map(([k, v]) => `  ${k} = {${v}},`).join('\n')}\n}`;
}
