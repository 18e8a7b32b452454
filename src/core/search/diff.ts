import { foldChar } from './fold.js';

/**
 * Character-level alignment of a sentence someone attributes to the essays against a
 * paragraph: where in the paragraph it fits best, and what differs. This is how a misquote
 * is caught, so one changed character must show.
 *
 * The alignment is semi-global (the sentence whole, the paragraph from any start to any end)
 * by edit distance. Characters compare folded (Traditional, full width and case do not count
 * as differences), and any two punctuation marks compare equal: a different comma or
 * quotation mark does not change what was said. For the same reason a punctuation mark
 * left out or added costs less than a letter, so the alignment prefers to explain a
 * difference by punctuation (`公平且透明` against `公平(a+b)*且透明`) over shifting words.
 */

export interface DiffOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface Alignment {
  /** The span of the paragraph text the sentence fits best, [start, end). */
  start: number;
  end: number;
  /** Weighted edit distance between the sentence and that span (see WORD_COST). */
  distance: number;
  /**
   * From the sentence as given to the essay's words: `delete` is text of the sentence that
   * the essay does not have, `insert` is text of the essay that the sentence left out.
   */
  ops: DiffOp[];
}

const WORD = /[\p{L}\p{N}]/u;
const CJK_SPACE = /\s+(?=\P{ASCII})|(?<=\P{ASCII})\s+/gu;

/**
 * Spaces next to a Chinese character are extraction or typing noise (`2025 年`), not words;
 * between Latin words they are kept.
 */
export function dropCjkSpaces(text: string): string {
  return text.replace(CJK_SPACE, '');
}

/**
 * Cost of adding or dropping a letter or digit, and of a punctuation mark or space. A
 * changed letter costs a little less than a dropped one, so that `缩小` for `扩大` at the end
 * of a sentence reads as a change rather than as two letters the essay does not have.
 */
const WORD_COST = 4;
const CHANGE_COST = 3;
const MARK_COST = 1;

function gapCost(ch: string): number {
  return WORD.test(foldChar(ch)) ? WORD_COST : MARK_COST;
}

// One table reused by every alignment: /verify aligns a sentence with several paragraphs per
// call, and fresh typed arrays of a few megabytes each are freed late by the collector.
let table = new Uint32Array(0);

function scratch(size: number): Uint32Array {
  if (table.length < size) table = new Uint32Array(Math.max(size, table.length * 2));
  return table;
}

// Long on purpose: one dynamic-programming table filled and traced back in place; the two
// halves share the table, its width and the per-character costs.
/**
 * Aligns `sentence` against `text`; null when either is empty. By default the sentence may
 * fit any span of the text (`local`); `whole` aligns it with all of the text, so that what
 * the text has beyond the sentence shows as inserted rather than being cut off.
 */
export function align(sentence: string, text: string, mode: 'local' | 'whole' = 'local'): Alignment | null {
  const a = Array.from(sentence);
  const b = Array.from(text);
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return null;
  // Code-unit offsets of b's code points, for mapping the span back into `text`.
  const offsets: number[] = [0];
  for (const ch of b) offsets.push((offsets[offsets.length - 1] as number) + ch.length);

  const width = n + 1;
  const d = scratch((m + 1) * width);
  // Row 0 is all zeros when the sentence may start anywhere in the paragraph.
  d.fill(0, 0, width);
  const gapB = b.map(gapCost);
  if (mode === 'whole') for (let j = 1; j <= n; j++) d[j] = (d[j - 1] as number) + (gapB[j - 1] as number);
  for (let i = 1; i <= m; i++) d[i * width] = (d[(i - 1) * width] as number) + gapCost(a[i - 1] as string);
  // Characters as numbers, folded, every punctuation mark the same number: the inner loop
  // below runs sentence × paragraph times and must not fold anything itself.
  const codes = new Map<string, number>();
  const codeOf = (ch: string) => {
    const f = foldChar(ch);
    if (!WORD.test(f)) return 0;
    let c = codes.get(f);
    if (c === undefined) {
      c = codes.size + 1;
      codes.set(f, c);
    }
    return c;
  };
  const ca = a.map(codeOf);
  const cb = b.map(codeOf);
  for (let i = 1; i <= m; i++) {
    const gapA = gapCost(a[i - 1] as string);
    const ci = ca[i - 1] as number;
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= n; j++) {
      const sub = (d[prev + j - 1] as number) + (ci === cb[j - 1] ? 0 : CHANGE_COST);
      const del = (d[prev + j] as number) + gapA;
      const ins = (d[row + j - 1] as number) + (gapB[j - 1] as number);
      d[row + j] = Math.min(sub, del, ins);
    }
  }
  // ... and end anywhere: the best end is the lowest cost in the last row (earliest on ties).
  let endJ = mode === 'whole' ? n : 0;
  if (mode === 'local') for (let j = 1; j <= n; j++) if ((d[m * width + j] as number) < (d[m * width + endJ] as number)) endJ = j;
  const distance = d[m * width + endJ] as number;

  const reversed: DiffOp[] = [];
  const push = (op: DiffOp['op'], ch: string) => {
    const last = reversed[reversed.length - 1];
    if (last && last.op === op) last.text = ch + last.text;
    else reversed.push({ op, text: ch });
  };
  let i = m;
  let j = endJ;
  while (i > 0) {
    const here = d[i * width + j] as number;
    const ai = a[i - 1] as string;
    const equal = j > 0 && ca[i - 1] === cb[j - 1];
    if (j > 0 && here === (d[(i - 1) * width + j - 1] as number) + (equal ? 0 : CHANGE_COST)) {
      if (equal) push('equal', b[j - 1] as string);
      else {
        push('insert', b[j - 1] as string);
        push('delete', ai);
      }
      i--;
      j--;
    } else if (here === (d[(i - 1) * width + j] as number) + gapCost(ai)) {
      push('delete', ai);
      i--;
    } else {
      push('insert', b[j - 1] as string);
      j--;
    }
  }
  // Aligned with the whole text, what precedes the sentence's first character is the text's too.
  if (mode === 'whole') while (j > 0) push('insert', b[--j] as string);
  const ops = reversed.reverse();
  return { start: offsets[j] as number, end: offsets[endJ] as number, distance, ops: mergeOps(ops) };
}

/**
 * Joins neighbouring ops of one kind; within a run of changes, the sentence's text comes
 * first and the essay's after it (`delete 甲乙, insert 丙丁`, not `甲, 丙, 乙, 丁`).
 */
function mergeOps(ops: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    if (deleted) out.push({ op: 'delete', text: deleted });
    if (inserted) out.push({ op: 'insert', text: inserted });
    deleted = '';
    inserted = '';
  };
  for (const op of ops) {
    if (op.op === 'delete') deleted += op.text;
    else if (op.op === 'insert') inserted += op.text;
    else {
      flush();
      const last = out[out.length - 1];
      if (last && last.op === 'equal') last.text += op.text;
      else out.push({ ...op });
    }
  }
  flush();
  return out;
}
