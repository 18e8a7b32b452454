import { foldChar } from './fold.js';

/**
 * Character-level alignment of a sentence someone attributes to the essays against a
 * paragraph: where in the paragraph it fits best, and what differs. This is how a misquote
 * is caught, so one changed character must show.
 *
 * The alignment is semi-global (the sentence whole, the paragraph from any start to any end)
 * by edit distance. Characters compare folded (Traditional, full width and case do not count
 * as differences), and any two punctuation marks compare equal: a different comma or
 * quotation mark does not change what was said.
 */

export interface DiffOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface Alignment {
  /** The span of the paragraph text the sentence fits best, [start, end). */
  start: number;
  end: number;
  /** Edit distance between the sentence and that span. */
  distance: number;
  /**
   * From the sentence as given to the essay's words: `delete` is text of the sentence that
   * the essay does not have, `insert` is text of the essay that the sentence left out.
   */
  ops: DiffOp[];
}

const WORD = /[\p{L}\p{N}]/u;
const CJK_SPACE = /\s+(?=[^\x00-\x7F])|(?<=[^\x00-\x7F])\s+/gu;

/**
 * Spaces next to a Chinese character are extraction or typing noise (`2025 年`), not words;
 * between Latin words they are kept.
 */
export function dropCjkSpaces(text: string): string {
  return text.replace(CJK_SPACE, '');
}

function same(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = foldChar(a);
  const fb = foldChar(b);
  if (fa === fb) return true;
  return !WORD.test(fa) && !WORD.test(fb);
}

/** Aligns `sentence` against `text`; null when either is empty. */
export function align(sentence: string, text: string): Alignment | null {
  const a = Array.from(sentence);
  const b = Array.from(text);
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return null;
  // Code-unit offsets of b's code points, for mapping the span back into `text`.
  const offsets: number[] = [0];
  for (const ch of b) offsets.push((offsets[offsets.length - 1] as number) + ch.length);

  const width = n + 1;
  const d = new Uint32Array((m + 1) * width);
  for (let i = 1; i <= m; i++) d[i * width] = i;
  // Row 0 is all zeros: the sentence may start anywhere in the paragraph.
  for (let i = 1; i <= m; i++) {
    const ai = a[i - 1] as string;
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= n; j++) {
      const sub = (d[prev + j - 1] as number) + (same(ai, b[j - 1] as string) ? 0 : 1);
      const del = (d[prev + j] as number) + 1;
      const ins = (d[row + j - 1] as number) + 1;
      d[row + j] = Math.min(sub, del, ins);
    }
  }
  // ... and end anywhere: the best end is the lowest cost in the last row (earliest on ties).
  let endJ = 0;
  for (let j = 1; j <= n; j++) if ((d[m * width + j] as number) < (d[m * width + endJ] as number)) endJ = j;
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
    if (j > 0 && here === (d[(i - 1) * width + j - 1] as number) + (same(ai, b[j - 1] as string) ? 0 : 1)) {
      if (same(ai, b[j - 1] as string)) push('equal', b[j - 1] as string);
      else {
        push('insert', b[j - 1] as string);
        push('delete', ai);
      }
      i--;
      j--;
    } else if (here === (d[(i - 1) * width + j] as number) + 1) {
      push('delete', ai);
      i--;
    } else {
      push('insert', b[j - 1] as string);
      j--;
    }
  }
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
