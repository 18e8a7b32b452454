import type { MarkedText } from './layout.js';
import { splitText, truncate } from './split.js';

/*
 * The one fit-and-split routine every platform renderer applies its limits with. Escapes and
 * markup make a rendered line longer than its plain text, and by how much depends on the
 * text, so the plain text is cut at its best points (splitText: sentence ends first) and each
 * piece rendered on its own: no cut falls inside an escape, a bold span or a character, and
 * none inside a link, a name or code, since a link cut in two stops working.
 */

/** Marks a cut must not fall inside, unless one run alone is longer than the limit. */
const WHOLE = new Set(['link', 'user', 'code']);

/** The cut nearest before `cut` (or after, when none is) that falls outside every whole run. */
function outsideRuns(m: MarkedText, from: number, cut: number, end: number): number {
  const run = m.marks.find((r) => WHOLE.has(r.mark) && r.start < cut && r.end > cut);
  if (!run) return cut;
  if (run.start > from) return run.start;
  return Math.min(run.end, end);
}

/**
 * `render(start, end)` of `m.text[start, end)`, as one string or, when that is longer than
 * `max`, as several, each within it. `render` renders a whole range: escapes, marks, markers
 * and whatever prefix each piece should start with. An empty text is one empty line.
 */
export function fitMarked(m: MarkedText, max: number, render: (start: number, end: number) => string, start = 0, end = m.text.length): string[] {
  const out: string[] = [];
  const place = (from: number, to: number): void => {
    const rendered = render(from, to);
    if (rendered.length <= max || to - from <= 1) {
      out.push(rendered.length <= max ? rendered : truncate(rendered, max));
      return;
    }
    const length = to - from;
    // Aim below the limit by the ratio markup adds; a piece that still overflows is cut again.
    const target = Math.max(2, Math.min(length - 1, Math.floor((length * max) / rendered.length)));
    let at = from;
    while (at < to) {
      const first = splitText(m.text.slice(at, to), target)[0] as string;
      let cut = at + first.length;
      const whole = outsideRuns(m, at, cut, to);
      // A run longer than the limit on its own is cut like any text rather than never.
      if (!(whole === to && at === from)) cut = whole;
      place(at, cut);
      at = cut;
    }
  };
  place(start, end);
  return out;
}

/** Lines joined into as few texts of at most `max` as they fill, a line never split (fit them first). */
export function packLines(lines: readonly string[], max: number): string[] {
  const out: string[] = [];
  let current: string | null = null;
  for (const line of lines) {
    if (current !== null && current.length + 1 + line.length > max) {
      out.push(current);
      current = line;
    } else current = current === null ? line : `${current}\n${line}`;
  }
  if (current !== null && current !== '') out.push(current);
  return out;
}
