import stringWidth from 'string-width';
import type { Command } from '../core/dispatch/command.js';
import { ATTRIBUTION_DASH, type Mark, type MarkedText, piecesOf } from '../core/reply/layout.js';
import { type LaidLine, layoutReply } from '../core/reply/layout-reply.js';
import type { Locale, Reply, ReplyAction } from '../core/reply/model.js';

/**
 * The terminal renderer: a Reply as the text a researcher reads in the console or from the
 * CLI. Pure: it knows nothing of the process, so the width and whether to colour are given.
 */

export interface RenderOptions {
  /** Terminal columns. Chinese characters take two. */
  width: number;
  /** ANSI colour and bold; only for a TTY when NO_COLOR is unset. */
  color: boolean;
  /** Language of the few labels the renderer adds itself. */
  locale?: Locale;
  /** The registry, so that action hints can give the positional option bare (`/quote 智能鸿沟`). */
  commands?: ReadonlyMap<string, Command>;
}

/** Below this a terminal cannot show a Chinese line plus its indent usefully; wrap as if it were this wide. */
const MIN_WIDTH = 20;

const ESC = '\u001b[';
const STYLE = {
  bold: '1',
  dim: '2',
  underline: '4',
  strike: '9',
  red: '31',
  green: '32',
  yellow: '33',
  cyan: '36',
} as const;
type Style = keyof typeof STYLE;

// ---------------------------------------------------------------------------------------
// Width of text in terminal columns

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/*
 * Widths come from string-width, which follows Unicode's East Asian Width (UAX #11) and
 * emoji data. Ambiguous-width characters such as “ ” and … count one column, as in the
 * terminals of non-CJK locales and in the defaults of most terminal emulators.
 */

/** Columns one grapheme cluster takes. */
function clusterWidth(cluster: string): number {
  return stringWidth(cluster);
}

/** A cluster two columns wide: Chinese, Japanese, Korean, fullwidth forms, most emoji. */
function isWide(cluster: string): boolean {
  return cluster !== '' && stringWidth(cluster) === 2;
}

/** Columns a string takes in a terminal (ANSI escapes excluded). */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

// ---------------------------------------------------------------------------------------
// Line breaking

/** May not begin a line (Chinese 避头: closing marks and sentence punctuation). */
const NO_LINE_START = /^[。，、；：？！）》」』”’】〉〕…—·%,.;:!?)\]}'"]/u;
/** May not end a line (避尾: opening marks). */
const NO_LINE_END = /[（《「『“‘【〈〔([{]$/u;
const URL = /https?:\/\/[\x21-\x3b\x3d\x3f-\x7e]+/gu;

interface Piece {
  start: number;
  end: number;
  width: number;
  space: boolean;
  /** A URL is never broken, even when it is wider than the line: a broken link stops working. */
  unbreakable: boolean;
}

function toPieces(text: string, glue: ReadonlySet<number>): Piece[] {
  const urls: Array<[number, number]> = [...text.matchAll(URL)].map((m) => [m.index, m.index + m[0].length]);
  const inUrl = (i: number) => urls.some(([s, e]) => i > s && i < e);
  const pieces: Piece[] = [];
  let word: Piece | null = null;
  let previous = '';
  for (const { segment, index } of graphemes.segment(text)) {
    const width = clusterWidth(segment);
    if (/^\s+$/u.test(segment)) {
      if (word) pieces.push(word);
      word = null;
      // A run of spaces is as wide as its spaces (an ideographic space takes two columns).
      const spaceWidth = Math.max(1, width);
      const last = pieces.at(-1);
      if (last?.space) {
        last.end = index + segment.length;
        last.width += spaceWidth;
      } else pieces.push({ start: index, end: index + segment.length, width: spaceWidth, space: true, unbreakable: false });
      previous = segment;
      continue;
    }
    // Chinese may break between any two characters; Latin only at spaces.
    const mayBreak =
      word !== null &&
      (isWide(segment) || isWide(previous)) &&
      !NO_LINE_START.test(segment) &&
      !NO_LINE_END.test(previous) &&
      !glue.has(index) &&
      !inUrl(index);
    if (word && !mayBreak) {
      word.end = index + segment.length;
      word.width += width;
    } else {
      if (word) pieces.push(word);
      word = { start: index, end: index + segment.length, width, space: false, unbreakable: false };
    }
    previous = segment;
  }
  if (word) pieces.push(word);
  for (const piece of pieces) {
    if (urls.some(([s, e]) => piece.start < e && piece.end > s)) piece.unbreakable = true;
  }
  return pieces;
}

/*
 * Why not wrap-ansi: it wraps Chinese only with `hard: true`, cutting at the column whatever
 * stands there. On the bundled essays at 40, 60 and 80 columns it started 56 of 699 lines with
 * a closing mark (。，》 …, which Chinese typesetting never puts at a line start) and broke 26
 * of 30 URLs; this wrapper, 0 and 0. Widths still come from string-width.
 */

/**
 * Wraps text to `width` columns, returning each line as a [start, end) span of `text`.
 * Line breaks in the text are kept; spaces at a wrap are dropped. A word wider than the
 * line is cut between grapheme clusters (never inside a surrogate pair); a URL is not cut.
 * `glue` holds offsets before which no line may break (footnote markers).
 */
export function wrapSpans(text: string, width: number, glue: ReadonlySet<number> = new Set()): Array<[number, number]> {
  const lines: Array<[number, number]> = [];
  let offset = 0;
  for (const paragraph of text.split('\n')) {
    wrapParagraph(paragraph, offset, Math.max(1, width), glue, lines);
    offset += paragraph.length + 1;
  }
  return lines;
}

function wrapParagraph(text: string, base: number, width: number, glue: ReadonlySet<number>, lines: Array<[number, number]>): void {
  const shifted = new Set([...glue].map((g) => g - base).filter((g) => g > 0 && g < text.length));
  let start = -1;
  let end = -1;
  let used = 0;
  let pendingSpace = 0;
  const flush = () => {
    if (start >= 0) lines.push([base + start, base + end]);
    start = -1;
    used = 0;
    pendingSpace = 0;
  };
  const open = (p: { start: number; end: number; width: number }) => {
    start = p.start;
    end = p.end;
    used = p.width;
  };
  for (const piece of toPieces(text, shifted)) {
    if (piece.space) {
      if (start >= 0) pendingSpace = piece.width;
      // Indentation at the start of a line is layout the text means (BibTeX fields, lists).
      else if (piece.start === 0) open({ start: 0, end: piece.end, width: piece.end });
      continue;
    }
    if (start >= 0 && used + pendingSpace + piece.width <= width) {
      end = piece.end;
      used += pendingSpace + piece.width;
      pendingSpace = 0;
      continue;
    }
    flush();
    if (piece.width <= width || piece.unbreakable) {
      open(piece);
      if (piece.width > width) flush();
      continue;
    }
    let chunk = { start: piece.start, end: piece.start, width: 0 };
    for (const { segment, index } of graphemes.segment(text.slice(piece.start, piece.end))) {
      const w = clusterWidth(segment);
      if (chunk.width + w > width && chunk.end > chunk.start) {
        lines.push([base + chunk.start, base + chunk.end]);
        chunk = { start: piece.start + index, end: piece.start + index, width: 0 };
      }
      chunk.end = piece.start + index + segment.length;
      chunk.width += w;
    }
    open(chunk);
  }
  if (start >= 0) flush();
  else if (text.length === 0) lines.push([base, base]);
}

// ---------------------------------------------------------------------------------------
// Styled text

interface Span {
  start: number;
  end: number;
  styles: Style[];
}

/** Text with styled spans, built up piece by piece so that offsets stay right. */
class Styled {
  text = '';
  spans: Span[] = [];
  glue = new Set<number>();

  add(text: string, ...styles: Style[]): this {
    if (styles.length > 0 && text.length > 0) this.spans.push({ start: this.text.length, end: this.text.length + text.length, styles });
    this.text += text;
    return this;
  }
}

function paint(text: string, styles: Style[], color: boolean): string {
  if (!color || styles.length === 0 || text.length === 0) return text;
  return `${ESC}${styles.map((s) => STYLE[s]).join(';')}m${text}${ESC}0m`;
}

/**
 * Lays out styled text in lines of `width` columns. The first line starts with `first`, the
 * others with `rest` (both counted in the width); every line closes its own styles so that
 * a cut-off line never bleeds colour into the next.
 */
function layout(styled: Styled, opts: { width: number; color: boolean; first?: string; rest?: string; prefixStyles?: Style[] }): string[] {
  const first = opts.first ?? '';
  const rest = opts.rest ?? ' '.repeat(displayWidth(first));
  const room = Math.max(1, opts.width - Math.max(displayWidth(first), displayWidth(rest)));
  return wrapSpans(styled.text, room, styled.glue).map(([start, end], i) => {
    const prefix = paint(i === 0 ? first : rest, opts.prefixStyles ?? [], opts.color);
    return (prefix + styleLine(styled, start, end, opts.color)).replace(/\s+$/u, '');
  });
}

function styleLine(styled: Styled, start: number, end: number, color: boolean): string {
  const line = styled.text.slice(start, end);
  if (!color) return line;
  const cuts = new Set([start, end]);
  for (const s of styled.spans) {
    if (s.end > start && s.start < end) {
      cuts.add(Math.max(s.start, start));
      cuts.add(Math.min(s.end, end));
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as number;
    const b = points[i + 1] as number;
    const styles = styled.spans.filter((s) => s.start <= a && s.end >= b).flatMap((s) => s.styles);
    out += paint(styled.text.slice(a, b), [...new Set(styles)], color);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Blocks

/** Terminal styles for each mark. */
const MARK_STYLES: Record<Mark, Style[]> = {
  highlight: ['bold', 'yellow'],
  insert: ['green', 'underline'],
  delete: ['red', 'strike'],
  link: ['cyan', 'underline'],
  name: ['bold'],
  aside: ['dim'],
  code: ['dim'],
  user: ['bold'],
};

/**
 * Marked text as styled text, and the labelled links it holds: a terminal cannot hide a URL
 * behind a label, so those are printed on lines of their own (`Open in reader: https://…`)
 * where a terminal can open them. Without colour a diff's changes show in the text itself,
 * as wdiff's [-…-] {+…+}.
 */
function styledOf(m: MarkedText, color: boolean): { styled: Styled; links: Array<{ label: string; url: string }> } {
  const styled = new Styled();
  const links: Array<{ label: string; url: string }> = [];
  for (const p of piecesOf(m)) {
    if (p.kind === 'marker') {
      styled.glue.add(styled.text.length);
      styled.add(p.label, 'cyan');
    } else if (p.mark === 'link' && p.ref !== undefined && p.text !== p.ref && p.text !== `<${p.ref}>`) links.push({ label: p.text, url: p.ref });
    else if (p.mark === null) styled.add(p.text);
    else if (!color && p.mark === 'delete') styled.add(`[-${p.text}-]`);
    else if (!color && p.mark === 'insert') styled.add(`{+${p.text}+}`);
    else styled.add(p.text, ...MARK_STYLES[p.mark]);
  }
  // A line that only led to a link leaves no separator hanging at its end.
  styled.text = styled.text.replace(/ · $/u, '');
  return { styled, links };
}

function linkLine(label: string, url: string, color: boolean, indent = ''): string {
  return `${indent}${label}: ${paint(url, ['cyan', 'underline'], color)}`;
}

/** A laid-out line in terminal lines: indented by its depth, quotes behind a bar, notes hung under their label. */
function lineLines(line: LaidLine, width: number, color: boolean): string[] {
  if (line.kind === 'fields') {
    return line.fields.flatMap(({ label, value }) => {
      const head = `${label}: `;
      const hanging = displayWidth(head) <= Math.floor(width / 3) ? ' '.repeat(displayWidth(head)) : '  ';
      const lines = layout(new Styled().add(value), { width, color, first: head, rest: hanging });
      // Paint the label after layout: `first` is measured without escapes.
      return lines.map((l, i) => (i === 0 && color ? paint(label, ['bold'], color) + l.slice(label.length) : l));
    });
  }
  const indent = '  '.repeat(line.depth);
  const { styled, links } = styledOf(line.text, color);
  const first =
    line.kind === 'quote' ? `${indent}│ ` : line.kind === 'attribution' ? indent + ATTRIBUTION_DASH : line.kind === 'note' ? `${indent}${line.label} ` : indent;
  const rest = indent + ' '.repeat(displayWidth(first) - indent.length);
  const out =
    styled.text === '' && links.length > 0 ? [] : layout(styled, { width, color, first, rest, ...(line.kind === 'quote' ? { prefixStyles: ['dim'] } : {}) });
  for (const l of links) out.push(linkLine(l.label, l.url, color, styled.text !== '' ? rest : indent));
  return out;
}

/** A typed value for a hint: quoted when it holds spaces, so that it reads back as one option. */
function hintValue(value: string | number | boolean): string {
  const text = String(value);
  if (text !== '' && !/[\s"“”]/u.test(text)) return text;
  return text.includes('"') ? `“${text}”` : `"${text}"`;
}

/** The command line that repeats an action, e.g. `/quote 智能鸿沟 page:2`. */
export function actionCommandLine(action: ReplyAction, commands?: ReadonlyMap<string, Command>): string {
  const positional = commands?.get(action.command)?.positional;
  const words = [`/${action.command}`];
  const value = positional === undefined ? undefined : action.input[positional];
  if (value !== undefined) words.push(hintValue(value));
  for (const [name, v] of Object.entries(action.input)) {
    if (name !== positional) words.push(`${name}:${hintValue(v)}`);
  }
  return words.join(' ');
}

/** Renders a reply as terminal text, ending without a newline. */
export function renderReply(reply: Reply, opts: RenderOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(opts.width));
  const { color } = opts;
  // A console has no channel to share to.
  const laid = layoutReply(reply, { locale: opts.locale ?? 'en', offerShare: false });
  const sections: string[][] = [];
  if (laid.error) return layout(new Styled().add(laid.error.text, 'red'), { width, color }).join('\n');
  if (laid.title !== '') sections.push(layout(new Styled().add(laid.title, 'bold'), { width, color }));
  if (laid.notice) sections.push(layout(new Styled().add(laid.notice.text, 'yellow'), { width, color }));
  for (const block of laid.blocks) sections.push(block.lines.flatMap((line) => lineLines(line, width, color)));
  // The buttons a chat shows become the command lines that do the same.
  const buttons = laid.buttons.flatMap((b) => (b.action ? [{ action: b.action, label: b.label }] : []));
  if (buttons.length > 0) {
    sections.push(
      buttons.flatMap(({ action, label }) =>
        layout(new Styled().add(actionCommandLine(action, opts.commands), 'cyan'), { width, color, first: `${label}: `, prefixStyles: ['dim'] }),
      ),
    );
  }
  return sections.map((s) => s.join('\n')).join('\n\n');
}
