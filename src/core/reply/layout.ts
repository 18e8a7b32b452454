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

/**
 * A button as laid out. `action` is what it runs; a Share button the adapter offers for a
 * reply with no share action of its own carries the adapter's state instead (`fallback`), so
 * that the layout places and labels it like every other button.
 */
export type ButtonLayout<Fallback = never> =
  | { kind: ActionKind; label: string; action: ReplyAction; fallback?: undefined }
  | { kind: 'share'; label: string; action?: undefined; fallback: Fallback };

export interface ShareOffer<Fallback> {
  /** The reply is private, and the requester may post it where they asked: offer Share. */
  private: boolean;
  /** What Share reruns when the reply has no share action of its own. */
  fallback?: Fallback;
}

/**
 * The buttons of a reply, in order, labelled. Several of one kind (a Context button for
 * each of three quotes) are numbered in the order of the quotes; the same action twice is
 * shown once. A share button only on a private reply: the reply's own share action wins,
 * since the command knows its canonical input best, then the adapter's fallback.
 */
export function buttonLayout<Fallback = never>(actions: readonly ReplyAction[], locale: Locale, share: ShareOffer<Fallback>): Array<ButtonLayout<Fallback>> {
  const own = actions.find((a) => a.kind === 'share');
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
  const labels = labelsFor(locale).actions;
  const laid: Array<ButtonLayout<Fallback>> = unique.map((action) => {
    const n = (numbers.get(action.kind) ?? 0) + 1;
    numbers.set(action.kind, n);
    const label = labels[action.kind];
    return { kind: action.kind, action, label: (counts.get(action.kind) ?? 0) > 1 ? `${label} ${n}` : label };
  });
  if (share.private && !own && share.fallback !== undefined) laid.push({ kind: 'share', label: labels.share, fallback: share.fallback });
  return laid;
}

// ── marked text: quotes and diffs ────────────────────────────────────────────

/**
 * How a run of text is marked, for a renderer to map to its markup:
 * - `highlight`: a quote's searched words; `insert` and `delete`: a diff's changes;
 * - `link`: a link, its URL in `ref` (the run shows the URL itself or a label for it);
 * - `name`: an author's name; `aside`: words beside the source's (an affiliation, `→`, a remark);
 * - `code`: an identifier a reader copies (a passage ID);
 * - `user`: a chat user's display name, their platform ID in `ref` when the platform has one.
 */
export type Mark = 'highlight' | 'insert' | 'delete' | 'link' | 'name' | 'aside' | 'code' | 'user';

/** A marked run: half-open, with the URL of a link or the ID of a user. */
export interface MarkRun {
  start: number;
  end: number;
  mark: Mark;
  ref?: string;
}

/** Text with marked runs and footnote markers, all as offsets into `text`. */
export interface MarkedText {
  text: string;
  /** Non-overlapping, sorted, half-open runs. */
  marks: MarkRun[];
  /** A marker stands after `text[offset - 1]`. */
  markers: ReplyMarker[];
}

/** What a renderer draws, in reading order. */
export type Piece = { kind: 'text'; text: string; mark: Mark | null; ref?: string } | { kind: 'marker'; number: number; label: string };

/** Builds marked text run by run, so that offsets stay right. */
export class MarkedBuilder {
  private readonly built: MarkedText = { text: '', marks: [], markers: [] };

  add(text: string, mark?: Mark, ref?: string): this {
    const start = this.built.text.length;
    this.built.text += text;
    if (mark && text !== '')
      this.built.marks.push(ref === undefined ? { start, end: start + text.length, mark } : { start, end: start + text.length, mark, ref });
    return this;
  }

  get length(): number {
    return this.built.text.length;
  }

  done(): MarkedText {
    return this.built;
  }
}

/** The lines of marked text, one per line of its text, each with its own runs and markers. */
export function markedLines(m: MarkedText): MarkedText[] {
  if (!m.text.includes('\n')) return [m];
  let offset = 0;
  return m.text.split('\n').map((line) => {
    const from = offset;
    offset += line.length + 1;
    return {
      text: line,
      marks: m.marks
        .filter((r) => r.end > from && r.start < from + line.length)
        .map((r) => ({ ...r, start: Math.max(0, r.start - from), end: Math.min(line.length, r.end - from) })),
      markers: m.markers.map((k) => ({ ...k, offset: k.offset - from })).filter((k) => k.offset >= 0 && k.offset <= line.length),
    };
  });
}

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
    const text = m.text.slice(at, next);
    pieces.push(run?.ref !== undefined ? { kind: 'text', text, mark: run.mark, ref: run.ref } : { kind: 'text', text, mark: run?.mark ?? null });
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

/**
 * Who wrote it, in groups that share an affiliation: co-authors of one institution share it
 * (`王某、李某（北京大学）`), others each show their own (`王某（北京大学）、李某（清华大学）`).
 */
function whoGroups(a: Attribution): Array<{ names: string; affiliation: string | null }> {
  const distinct = new Set(a.authors?.map((x) => x.affiliation));
  if (a.authors && a.authors.length > 1 && distinct.size > 1) return a.authors.map((x) => ({ names: x.name, affiliation: x.affiliation }));
  return [{ names: a.author, affiliation: a.affiliation }];
}

/** What an attribution line starts with, before its marked text. */
export const ATTRIBUTION_DASH = '— ';

/**
 * The attribution as marked text: `作者（单位） · 《题目》 · 一、… › （一）… · 第19页 · id`,
 * the names marked as names, affiliations aside, the passage ID as code, and the reader's
 * link last when the bot serves one.
 */
export function attributionMarked(a: Attribution, locale: Locale): MarkedText {
  const b = new MarkedBuilder();
  whoGroups(a).forEach((g, i) => {
    if (i > 0) b.add('、');
    b.add(g.names, 'name');
    if (g.affiliation) b.add('（').add(g.affiliation, 'aside').add('）');
  });
  const section = a.sectionPath && a.sectionPath.length > 1 ? a.sectionPath.join(' › ') : a.section;
  for (const part of [titleMarks(a.essay), section, pageText(a.pages, locale)]) if (part) b.add(' · ').add(part);
  b.add(' · ').add(a.passageId, 'code');
  if (a.link) b.add(' · ').add(labelsFor(locale).openInReader, 'link', a.link);
  return b.done();
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

/**
 * Adds `text` with each of `urls` it shows marked as a link (a URL printed in angle brackets
 * is linked with its brackets, which the link's markup replaces).
 */
function addLinked(b: MarkedBuilder, text: string, urls: readonly string[]): void {
  const wanted = [...new Set(urls)].filter((u) => u !== '').sort((x, y) => y.length - x.length);
  let rest = text;
  while (rest !== '') {
    let best: { at: number; length: number; url: string } | null = null;
    for (const url of wanted) {
      const bracketed = rest.indexOf(`<${url}>`);
      const bare = rest.indexOf(url);
      if (bracketed !== -1 && (best === null || bracketed < best.at)) best = { at: bracketed, length: url.length + 2, url };
      else if (bare !== -1 && (best === null || bare < best.at)) best = { at: bare, length: url.length, url };
    }
    if (!best) {
      b.add(rest);
      return;
    }
    b.add(rest.slice(0, best.at)).add(rest.slice(best.at, best.at + best.length), 'link', best.url);
    rest = rest.slice(best.at + best.length);
  }
}

/**
 * A footnote's text as every renderer shows it: the note as printed, then `→` and the full
 * citation it stands for; each URL linked where the text prints it, and a URL neither prints
 * (a short form resolved to a cited URL) linked after them, so every URL shows exactly once
 * as a link; the remark last.
 */
export function noteMarked(f: FootnoteLayout, locale: Locale): MarkedText {
  const b = new MarkedBuilder();
  addLinked(b, f.printed, f.urls);
  if (f.resolved) {
    b.add(` ${labelsFor(locale).resolvedAs} `, 'aside');
    addLinked(b, f.resolved, f.urls);
  }
  for (const url of f.extraUrls) b.add(' ').add(url, 'link', url);
  if (f.remark) b.add(' ').add(f.remark, 'aside');
  return b.done();
}
