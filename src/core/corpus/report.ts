import type { Locale } from '../reply/model.js';
import type { Words } from '../words/index.js';
import { wordsFor } from '../words/index.js';
import type { CorpusFile, Essay } from './model.js';

/*
 * What corpus:check says a file yields, for whoever added it to proof-read: per file its
 * counts, per essay what the parser recognised (authors with their affiliations, abstract,
 * keywords, classification, dates, English block, pages). What looks wrong is said by the
 * parser's warnings, printed after these lines.
 */

type T = Words['operator']['report'];

function counts(f: CorpusFile, t: T): string {
  const essays = f.essays.filter((e) => e.kind === 'essay');
  const authors = new Set(essays.flatMap((e) => e.authors.map((a) => a.name)));
  const body = f.essays.flatMap((e) => e.sections.filter((s) => s.part === 'body'));
  const sections = body.filter((s) => s.heading !== null).length;
  const paragraphs = body.reduce((n, s) => n + s.paragraphs.length, 0);
  const footnotes = f.essays.reduce((n, e) => n + e.footnotes.length, 0);
  const urls = new Set(f.essays.flatMap((e) => e.footnotes.flatMap((n) => n.urls)));
  const pages = f.essays.flatMap((e) => e.pages ?? []);
  const printed = pages.length > 0 ? t.pages(Math.min(...pages), Math.max(...pages)) : '';
  const editors = f.essays.some((e) => e.kind === 'editors-note') ? t.editorsNote : '';
  return `${t.counts({ essays: essays.length, authors: authors.size, sections, paragraphs, footnotes, urls: urls.size })}${editors}${printed}`;
}

function issueLine(f: CorpusFile, t: T): string | null {
  const meta = f.metadata;
  const journal = meta?.journal ?? f.issue?.journal ?? null;
  const year = meta?.year ?? f.issue?.year ?? null;
  const issue = meta?.issue ?? f.issue?.issue ?? null;
  if (journal === null && year === null && issue === null) return null;
  const fromMeta = Boolean(meta && (meta.journal || meta.year || meta.issue));
  return t.issue(journal, year, issue, fromMeta);
}

/** The parts of an article the parser recognised, one short line each. */
function essayLines(e: Essay, t: T): string[] {
  const pages = e.pages ? t.essayPages(e.pages[0], e.pages[1]) : '';
  const lines = [`《${e.title}》${pages} (${e.id})`];
  if (e.kind === 'editors-note') return [`${lines[0]}: ${t.editors}`];
  lines.push(`  ${t.authors(e.authors.map((a) => `${a.name} — ${a.affiliation ?? t.noAffiliation}`))}`);
  const front: string[] = [];
  if (e.abstract !== null) front.push(t.abstract(Array.from(e.abstract).length));
  if (e.keywords.length > 0) front.push(t.keywords(e.keywords.join('；')));
  const c = e.classification;
  if (c?.clc) front.push(`中图分类号 ${c.clc}`);
  if (c?.documentCode) front.push(`文献标识码 ${c.documentCode}`);
  if (c?.articleNumber) front.push(`文章编号 ${c.articleNumber}`);
  if (c?.doi) front.push(`DOI ${c.doi}`);
  if (front.length > 0) lines.push(`  ${front.join(' · ')}`);
  const other: string[] = [];
  if (e.funding !== null) other.push(t.funding);
  if (e.acknowledgements !== null) other.push(t.acknowledgements);
  if (e.received !== null) other.push(t.received(e.received));
  if (e.revised !== null) other.push(t.revised(e.revised));
  if (other.length > 0) lines.push(`  ${other.join(' · ')}`);
  if (e.english) {
    const en = e.english;
    const parts = [
      en.title !== null ? t.englishTitle : null,
      en.authors.length > 0 ? t.englishAuthors(en.authors.length) : null,
      en.abstract !== null ? t.englishAbstract(en.abstract.length) : null,
      en.keywords.length > 0 ? t.englishKeywords(en.keywords.length) : null,
    ].filter((p) => p !== null);
    lines.push(`  ${t.english(parts)}`);
  }
  return lines;
}

/** corpus:check's lines for one file: its counts, the issue it prints, and each essay's parts. */
export function fileReport(f: CorpusFile, locale: Locale = 'en'): string[] {
  const t = wordsFor(locale).operator.report;
  const issue = issueLine(f, t);
  return [`${f.file}: ${counts(f, t)}`, ...(issue ? [`  ${issue}`] : []), ...f.essays.flatMap((e) => essayLines(e, t).map((l) => `  ${l}`))];
}
