import type { z } from 'zod';
import { citationOf, type Essay, type Footnote, type Paragraph, pagesOf, type Section } from '../corpus/model.js';
import { wordsFor } from '../words/index.js';
import type { Attribution, Locale, ReplyBlock, ReplyFootnote, ReplyMarker } from './model.js';
import type { FootnoteResult } from './results.js';

/**
 * Cutting quotes out of paragraphs, and what goes with a quote: its attribution, its footnote
 * markers and the notes that cite it. Shared by the passage commands so that /quote,
 * /sources, /verify and the Context button show a passage the same way.
 */

/** The longest quote a reply shows, ellipses included. */
export const QUOTE_MAX = 300;

const ELLIPSIS = '…';

/** How far past a cut a quote may start instead, to begin at a clause. */
const CLAUSE_SNAP = 24;

/** How an editor's note, which has no author, is attributed. */
export function editorsLabel(locale: Locale): string {
  return wordsFor(locale).labels.editors;
}

export function authorLabel(essay: Essay, locale: Locale): string {
  if (essay.kind === 'editors-note' || essay.authors.length === 0) return editorsLabel(locale);
  return essay.authors.map((a) => a.name).join('、');
}

/** The authors' affiliations, each once: co-authors of one institution share it. */
export function affiliationLabel(essay: Essay): string | null {
  const list = [...new Set(essay.authors.map((a) => a.affiliation).filter((a): a is string => a !== null))];
  return list.length > 0 ? list.join('；') : null;
}

/** Who wrote a passage and where it stands; `span` (of its display text) gives the quoted words' pages. */
export function attributionOf(essay: Essay, section: Section, paragraph: Paragraph, locale: Locale, span?: [number, number]): Attribution {
  const pages = pagesOf(paragraph, span?.[0], span?.[1]);
  return {
    author: authorLabel(essay, locale),
    affiliation: affiliationLabel(essay),
    ...(essay.authors.length > 1 ? { authors: essay.authors.map((a) => ({ name: a.name, affiliation: a.affiliation })) } : {}),
    essay: essay.title,
    section: section.heading,
    ...(section.path.length > 1 ? { sectionPath: section.path } : {}),
    passageId: paragraph.id,
    ...(section.part !== 'body' ? { part: section.part } : {}),
    ...(pages.length > 0 ? { pages } : {}),
  };
}

/** The headings over an attributed passage, outermost first (`[]` before any heading). */
export function sectionPathOf(a: Attribution): string[] {
  return a.sectionPath ?? (a.section === null ? [] : [a.section]);
}

/** A quote cut from a paragraph: the shown text and the source span it stands for. */
export interface Excerpt {
  text: string;
  /** The span of `paragraph.text` shown, without the ellipses. */
  start: number;
  end: number;
  highlights: Array<[number, number]>;
  markers: ReplyMarker[];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Cuts [start, end) of a paragraph to at most `max` characters around the first match, with
 * `…` where it was cut, and carries the matches and footnote markers over to the cut text.
 */
export function excerpt(p: Paragraph, start: number, end: number, matches: Array<[number, number]>, max = QUOTE_MAX): Excerpt {
  let from = start;
  let to = end;
  if (to - from > max) {
    const budget = max - 2;
    const focus = matches.find(([a, b]) => a >= start && b <= end) ?? [start, start];
    // Some words before the match give it its context; the rest of the budget follows it.
    const lead = Math.max(0, Math.floor((budget - (focus[1] - focus[0])) / 3));
    from = Math.min(Math.max(start, focus[0] - lead), end - budget);
    // Start at a clause rather than mid-phrase, when a clause mark is near and before the match.
    const clause = p.text.slice(from, Math.min(focus[0], from + CLAUSE_SNAP)).search(/[，；：、,;:]/u);
    if (from > start && clause !== -1) from += clause + 1;
    to = Math.min(end, from + budget);
    if (from > start && isHighSurrogate(p.text.charCodeAt(from - 1))) from += 1;
    if (isHighSurrogate(p.text.charCodeAt(to - 1))) to -= 1;
  }
  const before = from > start ? ELLIPSIS : '';
  const after = to < end ? ELLIPSIS : '';
  const shift = before.length - from;
  const highlights = matches.filter(([a, b]) => a < to && b > from).map(([a, b]) => [Math.max(a, from) + shift, Math.min(b, to) + shift] as [number, number]);
  const markers = markersIn(p, from, to).map((m) => ({ offset: m.offset + shift, number: m.footnote as number }));
  return { text: before + p.text.slice(from, to) + after, start: from, end: to, highlights, markers };
}

/**
 * The markers of a paragraph that belong to the words [from, to): a marker stands after
 * `text[offset - 1]`, so one right after the last quoted character is in, one right before
 * the first is not.
 */
export function markersIn(p: Paragraph, from: number, to: number) {
  return p.markers.filter((m) => m.footnote !== null && m.offset > from && m.offset <= to);
}

/**
 * The notes that cite the words [from, to) of a paragraph. In this citation style a note
 * placed after a run of sentences covers all of them, so when no marker falls inside the
 * words, the next marker later in the paragraph is taken, labelled as covering the passage.
 */
export function footnotesFor(essay: Essay, p: Paragraph, from: number, to: number): ReplyFootnote[] {
  const inside = markersIn(p, from, to);
  if (inside.length > 0) return unique(inside.map((m) => resolve(essay, m.footnote as number, 'quote')));
  const next = p.markers.find((m) => m.footnote !== null && m.offset > to);
  return next ? [resolve(essay, next.footnote as number, 'passage')] : [];
}

/**
 * A note as shown: its own number, its printed text and locator, and the full citation it
 * stands for with that citation's URLs. `同上，第36页。` keeps its own page: the full
 * citation's text is shown after it, never instead of it.
 */
export function resolve(essay: Essay, number: number, covers: ReplyFootnote['covers']): ReplyFootnote {
  const note = essay.footnotes.find((f) => f.number === number);
  if (!note) return { number, text: '', printed: '', urls: [], covers };
  const citation = citationOf(essay, note);
  const located = locatorOf(essay, note);
  return {
    number,
    text: citation.text,
    printed: note.text,
    ...(note.page !== null ? { page: note.page } : {}),
    ...(located ? { locator: located.locator, ...(located.note !== note ? { locatorInherited: true } : {}) } : {}),
    urls: citation.urls,
    covers,
  };
}

/**
 * The page a note points to: its own, or for a bare 同上 (same source, same page) the page of
 * the note it repeats, as far back as the chain of 同上 goes.
 */
function locatorOf(essay: Essay, note: Footnote): { locator: string; note: Footnote } | null {
  const seen = new Set<number>();
  for (let current: Footnote | undefined = note; current && !seen.has(current.number); ) {
    if (current.locator) return { locator: current.locator, note: current };
    if (current.form !== 'ibid') return null;
    seen.add(current.number);
    const previous: number | null = current.refersTo;
    current = essay.footnotes.find((f) => f.number === previous);
  }
  return null;
}

/** A reply footnote as the `--json` results give it. */
export function footnoteResult(f: ReplyFootnote): z.output<typeof FootnoteResult> {
  return {
    number: f.number,
    text: f.text,
    printed: f.printed,
    ...(f.locator ? { locator: f.locator } : {}),
    ...(f.locatorInherited ? { locatorInherited: true } : {}),
    urls: f.urls,
    page: f.page ?? null,
    covers: f.covers,
  };
}

function unique(notes: ReplyFootnote[]): ReplyFootnote[] {
  const seen = new Set<number>();
  return notes.filter((n) => !seen.has(n.number) && seen.add(n.number));
}

/** Marks that open and close a quotation, title or aside: a quote never shows one without the other. */
const PAIRS: ReadonlyArray<[string, string]> = [
  ['“', '”'],
  ['‘', '’'],
  ['《', '》'],
  ['〈', '〉'],
  ['（', '）'],
  ['(', ')'],
  ['「', '」'],
  ['『', '』'],
  ['【', '】'],
];
/** Punctuation that ends what it follows: a quote ending right before it takes it along. */
const CLOSING = /^[。！？!?；;…]+/u;
/** How far a pair's other side is looked for outside the span. */
const PAIR_REACH = 80;

/**
 * The span [start, end) of `text` widened until it is whole: every 《 has its 》 and every ”
 * its “ (looked for up to PAIR_REACH characters out, within the text), and sentence
 * punctuation right after it is kept. A quote cut from an exact match is then what a reader
 * would copy: `“智能鸿沟”的…`, never `智能鸿沟”的…`.
 */
export function wholeSpan(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [open, close] of PAIRS) {
      let depth = 0;
      let unmatchedClose = 0;
      for (const ch of text.slice(from, to)) {
        if (ch === open && open !== close) depth++;
        else if (ch === close) {
          if (depth > 0) depth--;
          else unmatchedClose++;
        }
      }
      if (unmatchedClose > 0) {
        const at = text.lastIndexOf(open, from - 1);
        if (at !== -1 && from - at <= PAIR_REACH) {
          from = at;
          changed = true;
        }
      }
      if (depth > 0) {
        let at = to;
        for (let need = depth; need > 0 && at !== -1; need--) at = text.indexOf(close, at === to ? to : at + 1);
        if (at !== -1 && at - to <= PAIR_REACH) {
          to = at + close.length;
          changed = true;
        }
      }
    }
  }
  const closing = CLOSING.exec(text.slice(to));
  if (closing) to += closing[0].length;
  return [from, to];
}

/** The sentence of a paragraph that a marker at `offset` stands in or right after. */
export function sentenceAt(p: Paragraph, offset: number): { start: number; end: number } {
  const found = p.sentences.find((s) => s.start < offset && offset <= s.end) ?? [...p.sentences].reverse().find((s) => s.start < offset);
  return found ?? { start: 0, end: p.text.length };
}

/** A quote block of a reply, with its attribution and notes. */
export function quoteBlock(essay: Essay, section: Section, p: Paragraph, cut: Excerpt, locale: Locale): Extract<ReplyBlock, { kind: 'quote' }> {
  return {
    kind: 'quote',
    text: cut.text,
    highlights: cut.highlights,
    markers: cut.markers,
    attribution: attributionOf(essay, section, p, locale, [cut.start, cut.end]),
    footnotes: footnotesFor(essay, p, cut.start, cut.end),
    span: [cut.start, cut.end],
  };
}

/** Finds a paragraph by its passage ID. */
export function findPassage(essays: Essay[], id: string): { essay: Essay; section: Section; paragraph: Paragraph } | null {
  for (const essay of essays) {
    // A passage ID begins with its essay's: the other essays' paragraphs, which a cached file
    // makes only when read (parsed-file.ts), are left unmade.
    if (!id.startsWith(`${essay.id}.`)) continue;
    for (const section of essay.sections) {
      for (const paragraph of section.paragraphs) if (paragraph.id === id) return { essay, section, paragraph };
    }
  }
  return null;
}
