import { type Words, wordsFor } from '../words/index.js';
import type { ActionKind, Attribution, Locale, ReplyAction, ReplyBlock, ReplyFootnote, ReplyMarker } from './model.js';

/**
 * What every renderer shows, decided once: labels, button numbering, the pieces of a quote
 * (plain, highlighted, footnote markers), the pieces of a diff, the attribution line and the
 * footnote layout. The Discord, Slack and console renderers only map these pieces to their
 * markup and enforce their own limits; three renderers that each re-derived a label drifted
 * apart (the Sources button was 出处 on Discord and 来源 elsewhere, and Discord dropped the
 * affiliation).
 */

/** The labels the renderers add themselves, from the catalogue of words. */
export type Labels = Words['labels'];

export function labelsFor(locale: Locale): Labels {
  return wordsFor(locale).labels;
}

/**
 * A platform's language tag (`zh-CN`, `zh-TW`, `zh-HK`, `zh-Hant`, `en-US`, …) as the bot's:
 * Traditional Chinese for Taiwan, Hong Kong, Macau and `Hant`, Simplified for any other
 * Chinese, English otherwise.
 */
export function localeFromTag(tag: string | null | undefined): Locale {
  const parts = (tag ?? '').toLowerCase().split(/[-_]/);
  if (parts[0] !== 'zh') return 'en';
  if (parts.includes('hk') || parts.includes('mo')) return 'zh-HK';
  if (parts.includes('tw') || parts.includes('hant')) return 'zh-TW';
  return 'zh-CN';
}

// ── buttons ──────────────────────────────────────────────────────────────────

/** The order buttons are shown in, whatever order a command listed them. */
const ACTION_ORDER: ActionKind[] = ['more', 'context', 'sources', 'share'];

export interface ButtonLayout {
  action: ReplyAction;
  label: string;
}

/**
 * The buttons of a reply, in order, labelled. Several of one kind (a Context button for
 * each of three quotes) are numbered in the order of the quotes; the same action twice is
 * shown once. `share` is the share action to offer when the reply is private (the reply's
 * own share action wins, since the command knows its canonical input best); a public reply
 * gets no share button.
 */
export function buttonLayout(actions: readonly ReplyAction[], locale: Locale, share: { private: boolean; fallback?: ReplyAction }): ButtonLayout[] {
  const own = actions.find((a) => a.kind === 'share') ?? share.fallback;
  const shown = actions.filter((a) => a.kind !== 'share');
  if (share.private && own) shown.push(own);
  const seen = new Set<string>();
  const unique = shown
    .filter((a) => {
      const key = JSON.stringify([a.kind, a.command, a.input]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => ACTION_ORDER.indexOf(a.kind) - ACTION_ORDER.indexOf(b.kind));
  const counts = new Map<ActionKind, number>();
  for (const a of unique) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const numbers = new Map<ActionKind, number>();
  return unique.map((action) => {
    const n = (numbers.get(action.kind) ?? 0) + 1;
    numbers.set(action.kind, n);
    const label = labelsFor(locale).actions[action.kind];
    return { action, label: (counts.get(action.kind) ?? 0) > 1 ? `${label} ${n}` : label };
  });
}

// ── marked text: quotes and diffs ────────────────────────────────────────────

/** How a run of text is marked: a quote's highlighted words, or a diff's changes. */
export type Mark = 'highlight' | 'insert' | 'delete';

/** Text with marked runs and footnote markers, all as offsets into `text`. */
export interface MarkedText {
  text: string;
  /** Non-overlapping, sorted, half-open runs. */
  marks: Array<{ start: number; end: number; mark: Mark }>;
  /** A marker stands after `text[offset - 1]`. */
  markers: ReplyMarker[];
}

/** What a renderer draws, in reading order. */
export type Piece = { kind: 'text'; text: string; mark: Mark | null } | { kind: 'marker'; number: number; label: string };

/** The label a footnote marker shows in running text. */
export function markerLabel(number: number): string {
  return `[${number}]`;
}

/** Sorted, with overlapping or touching spans joined. */
function mergeRuns(spans: Array<[number, number]>, length: number): Array<[number, number]> {
  const sorted = spans
    .map(([s, e]) => [Math.max(0, s), Math.min(length, e)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** A quote's text, its highlighted words and its markers. */
export function quoteMarked(block: { text: string; highlights: Array<[number, number]>; markers: ReplyMarker[] }): MarkedText {
  return {
    text: block.text,
    marks: mergeRuns(block.highlights, block.text.length).map(([start, end]) => ({ start, end, mark: 'highlight' as const })),
    markers: [...block.markers].sort((a, b) => a.offset - b.offset),
  };
}

/** A diff as one text: what both share, what the sentence adds (insert) and what it lacks (delete). */
export function diffMarked(block: Extract<ReplyBlock, { kind: 'diff' }>): MarkedText {
  let text = '';
  const marks: MarkedText['marks'] = [];
  for (const op of block.ops) {
    if (op.op !== 'equal' && op.text !== '') marks.push({ start: text.length, end: text.length + op.text.length, mark: op.op });
    text += op.text;
  }
  return { text, marks, markers: [] };
}

/** Plain text: no marks, no markers. */
export function plainMarked(text: string): MarkedText {
  return { text, marks: [], markers: [] };
}

/**
 * The pieces of `m.text[start, end)`: runs of equal marking, and the markers that fall in the
 * range. A marker at the range's start belongs to the range before (it follows the character
 * before it), except at the very start of the text; so a text cut into ranges shows each
 * marker exactly once.
 */
export function piecesOf(m: MarkedText, start = 0, end = m.text.length): Piece[] {
  const cuts = new Set<number>([start, end]);
  for (const r of m.marks) {
    if (r.start > start && r.start < end) cuts.add(r.start);
    if (r.end > start && r.end < end) cuts.add(r.end);
  }
  const markers = m.markers.filter((k) => (k.offset > start || (k.offset === 0 && start === 0)) && k.offset <= end);
  for (const k of markers) cuts.add(Math.min(Math.max(k.offset, start), end));
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i < points.length; i++) {
    const at = points[i] as number;
    for (const k of markers) if (Math.min(k.offset, end) === at) pieces.push({ kind: 'marker', number: k.number, label: markerLabel(k.number) });
    const next = points[i + 1];
    if (next === undefined || next <= at) continue;
    const run = m.marks.find((r) => r.start <= at && r.end >= next);
    pieces.push({ kind: 'text', text: m.text.slice(at, next), mark: run?.mark ?? null });
  }
  return pieces;
}

// ── attribution ──────────────────────────────────────────────────────────────

const HAN = /\p{Script=Han}/u;

/** A title as its language cites it: 《…》 for Chinese, quotation marks otherwise. */
export function titleMarks(title: string): string {
  return HAN.test(title) ? `《${title}》` : `“${title}”`;
}

/** Printed pages as a reader cites them: `19`, `19—20` (Chinese) or `19–20`. */
export function pageText(pages: readonly number[] | undefined, locale: Locale): string | null {
  if (!pages || pages.length === 0) return null;
  const first = pages[0] as number;
  const last = pages[pages.length - 1] as number;
  return first === last ? labelsFor(locale).page(first) : labelsFor(locale).pages(first, last);
}

/** The parts of an attribution line, in order; `who` carries the affiliation. */
export interface AttributionLayout {
  /** `陈某（某大学教授）`, or the name alone when no affiliation is printed. */
  who: string;
  author: string;
  affiliation: string | null;
  /** The title with its marks: `《…》`. */
  essay: string;
  /** The headings over the passage, `二、… › （一）…`, or the one heading. */
  section: string | null;
  pages: string | null;
  passageId: string;
}

/**
 * Who wrote it, with the affiliation: `王某（北京大学）`; co-authors of one institution share
 * it (`王某、李某（北京大学）`), others each show their own (`王某（北京大学）、李某（清华大学）`).
 */
function whoOf(a: Attribution): string {
  const distinct = new Set(a.authors?.map((x) => x.affiliation));
  if (a.authors && a.authors.length > 1 && distinct.size > 1) {
    return a.authors.map((x) => (x.affiliation ? `${x.name}（${x.affiliation}）` : x.name)).join('、');
  }
  return a.affiliation ? `${a.author}（${a.affiliation}）` : a.author;
}

export function attributionLayout(a: Attribution, locale: Locale): AttributionLayout {
  return {
    who: whoOf(a),
    author: a.author,
    affiliation: a.affiliation,
    essay: titleMarks(a.essay),
    section: a.sectionPath && a.sectionPath.length > 1 ? a.sectionPath.join(' › ') : a.section,
    pages: pageText(a.pages, locale),
    passageId: a.passageId,
  };
}

/** The attribution as one line of plain text: `— 作者（单位） · 《题目》 · 一、… · 第19页 · id`. */
export function attributionText(a: Attribution, locale: Locale): string {
  const l = attributionLayout(a, locale);
  return `— ${[l.who, l.essay, l.section, l.pages, l.passageId].filter((p): p is string => p !== null && p !== '').join(' · ')}`;
}

// ── footnotes ────────────────────────────────────────────────────────────────

export interface FootnoteLayout {
  /** `[5]` */
  label: string;
  /** The note as printed on its page (display-normalised). */
  printed: string;
  /** The full citation a short form or 同上 stands for, when it is not what was printed. */
  resolved: string | null;
  /** URLs the printed and resolved texts do not show already (a short form resolved to a cited URL). */
  extraUrls: string[];
  urls: string[];
  /** `(note covers the passage)`, for a note whose marker stands after the quoted words. */
  remark: string | null;
}

/**
 * A footnote as every renderer lays it out: the printed note first, then the full citation
 * it stands for, marked with `→`, so nothing is shown as printed that the page did not print.
 */
export function footnoteLayout(
  f: Pick<ReplyFootnote, 'number' | 'text' | 'urls'> & Partial<Pick<ReplyFootnote, 'printed' | 'covers' | 'locator' | 'locatorInherited'>>,
  locale: Locale,
): FootnoteLayout {
  const printed = f.printed ?? f.text;
  // A bare 同上 cites the page of the note it repeats, while the full citation shows the first
  // note's page: the page meant is said after the arrow, marked as the resolved source is.
  const at = f.locatorInherited && f.locator ? labelsFor(locale).citedAt(f.locator) : '';
  const resolved = f.printed !== undefined && f.printed !== f.text && f.text !== '' ? `${f.text}${at}` : null;
  const shownText = `${printed} ${resolved ?? ''}`;
  return {
    label: markerLabel(f.number),
    printed,
    resolved,
    extraUrls: f.urls.filter((u) => !shownText.includes(u)),
    urls: f.urls,
    remark: f.covers === 'passage' ? labelsFor(locale).coversPassage : null,
  };
}

/** The note's text as shown, before any markup: `同上，第36页。 → 某部：《…》…`. */
export function noteBody(f: FootnoteLayout, locale: Locale): string {
  return f.resolved ? `${f.printed} ${labelsFor(locale).resolvedAs} ${f.resolved}` : f.printed;
}

/** The footnote as one line of plain text: `[5] 同上，第36页 → 某部：《…》… https://…（此注涵盖整段）`. */
export function footnoteText(f: FootnoteLayout, locale: Locale): string {
  const parts = [f.label, noteBody(f, locale), ...f.extraUrls];
  if (f.remark) parts.push(f.remark);
  return parts.filter((p) => p !== '').join(' ');
}
