import type { CorpusFile, Essay } from './model.js';

/*
 * What corpus:check says a file yields, for whoever added it to proof-read: per file its
 * counts, per essay what the parser recognised (authors with their affiliations, abstract,
 * keywords, classification, dates, English block, pages). What looks wrong is said by the
 * parser's warnings, printed after these lines.
 */

function counts(f: CorpusFile): string {
  const essays = f.essays.filter((e) => e.kind === 'essay');
  const authors = new Set(essays.flatMap((e) => e.authors.map((a) => a.name)));
  const body = f.essays.flatMap((e) => e.sections.filter((s) => s.part === 'body'));
  const sections = body.filter((s) => s.heading !== null).length;
  const paragraphs = body.reduce((n, s) => n + s.paragraphs.length, 0);
  const footnotes = f.essays.reduce((n, e) => n + e.footnotes.length, 0);
  const urls = new Set(f.essays.flatMap((e) => e.footnotes.flatMap((n) => n.urls)));
  const pages = f.essays.flatMap((e) => e.pages ?? []);
  const printed = pages.length > 0 ? `, pages ${Math.min(...pages)}–${Math.max(...pages)}` : '';
  const editors = f.essays.some((e) => e.kind === 'editors-note') ? ", editor's note" : '';
  return `${essays.length} essays, ${authors.size} authors, ${sections} sections, ${paragraphs} paragraphs, ${footnotes} footnotes, ${urls.size} URLs${editors}${printed}`;
}

function issueLine(f: CorpusFile): string | null {
  const meta = f.metadata;
  const journal = meta?.journal ?? f.issue?.journal ?? null;
  const year = meta?.year ?? f.issue?.year ?? null;
  const issue = meta?.issue ?? f.issue?.issue ?? null;
  if (journal === null && year === null && issue === null) return null;
  const from = meta && (meta.journal || meta.year || meta.issue) ? 'from the .meta.json' : 'as the pages print it';
  return `issue: ${journal ?? 'journal not printed'}, ${year ?? 'year not printed'}, no. ${issue ?? '?'} (${from})`;
}

/** The parts of an article the parser recognised, one short line each. */
function essayLines(e: Essay): string[] {
  const pages = e.pages ? ` pp. ${e.pages[0]}–${e.pages[1]}` : '';
  const lines = [`《${e.title}》${pages} (${e.id})`];
  if (e.kind === 'editors-note') return [`${lines[0]}: the editors`];
  const authors = e.authors.map((a) => `${a.name} — ${a.affiliation ?? 'no affiliation found'}`);
  lines.push(`  authors: ${authors.length > 0 ? authors.join('; ') : 'none found'}`);
  const front: string[] = [];
  if (e.abstract !== null) front.push(`abstract: ${Array.from(e.abstract).length} characters`);
  if (e.keywords.length > 0) front.push(`keywords: ${e.keywords.join('；')}`);
  const c = e.classification;
  if (c?.clc) front.push(`中图分类号 ${c.clc}`);
  if (c?.documentCode) front.push(`文献标识码 ${c.documentCode}`);
  if (c?.articleNumber) front.push(`文章编号 ${c.articleNumber}`);
  if (c?.doi) front.push(`DOI ${c.doi}`);
  if (front.length > 0) lines.push(`  ${front.join(' · ')}`);
  const other: string[] = [];
  if (e.funding !== null) other.push('funding note');
  if (e.acknowledgements !== null) other.push('acknowledgements');
  if (e.received !== null) other.push(`received ${e.received}`);
  if (e.revised !== null) other.push(`revised ${e.revised}`);
  if (other.length > 0) lines.push(`  ${other.join(' · ')}`);
  if (e.english) {
    const en = e.english;
    const parts = [
      en.title !== null ? 'title' : null,
      en.authors.length > 0 ? `${en.authors.length} authors` : null,
      en.abstract !== null ? `abstract (${en.abstract.length} characters)` : null,
      en.keywords.length > 0 ? `${en.keywords.length} keywords` : null,
    ].filter((p) => p !== null);
    lines.push(`  English block: ${parts.join(', ')}`);
  }
  return lines;
}

/** corpus:check's lines for one file: its counts, the issue it prints, and each essay's parts. */
export function fileReport(f: CorpusFile): string[] {
  const issue = issueLine(f);
  return [`${f.file}: ${counts(f)}`, ...(issue ? [`  ${issue}`] : []), ...f.essays.flatMap((e) => essayLines(e).map((l) => `  ${l}`))];
}
