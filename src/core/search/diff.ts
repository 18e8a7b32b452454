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

/**
 * What the alignment compares a code point as: 0 for a punctuation mark or space (any two
 * compare equal, and adding or dropping one costs MARK_COST), else a number of its folded
 * form, the same for every code point that folds alike. Learnt on first sight, as fold.ts
 * learns its tables: /verify aligns a sentence with several paragraphs per call, and folding
 * each of their characters again, into strings of one character, was most of the time and
 * garbage of an alignment. Bounded by the code points there are and depending on no corpus,
 * so a reload keeps them; made on the first alignment, not by every process that loads this.
 */
const UNSEEN = -1;
let unitClass: Int32Array | null = null;
const astralClass = new Map<number, number>();
const foldedClass = new Map<string, number>();

function classOf(code: number): number {
  unitClass ??= new Int32Array(0x10000).fill(UNSEEN);
  const known = code < 0x10000 ? (unitClass[code] as number) : (astralClass.get(code) ?? UNSEEN);
  if (known !== UNSEEN) return known;
  const folded = foldChar(String.fromCodePoint(code));
  let c = 0;
  if (WORD.test(folded)) {
    c = foldedClass.get(folded) ?? foldedClass.size + 1;
    foldedClass.set(folded, c);
  }
  if (code < 0x10000) unitClass[code] = c;
  else astralClass.set(code, c);
  return c;
}

function gapOf(c: number): number {
  return c === 0 ? MARK_COST : WORD_COST;
}

/** A text's code points as `classOf` numbers them, and where each starts (one more entry: the end). */
interface Coded {
  count: number;
  classes: Int32Array;
  starts: Uint32Array;
}

function coded(text: string, into: Coded): Coded {
  if (into.classes.length < text.length) {
    into.classes = new Int32Array(text.length * 2);
    into.starts = new Uint32Array(text.length * 2 + 1);
  }
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) as number;
    into.starts[n] = i;
    into.classes[n++] = classOf(code);
    i += code > 0xffff ? 2 : 1;
  }
  into.starts[n] = text.length;
  into.count = n;
  return into;
}

// Scratch reused by every alignment: /verify aligns a sentence with several paragraphs per
// call, and fresh typed arrays of a few megabytes each are freed late by the collector.
let table = new Uint32Array(0);
const sentenceCodes: Coded = { count: 0, classes: new Int32Array(0), starts: new Uint32Array(1) };
const textCodes: Coded = { count: 0, classes: new Int32Array(0), starts: new Uint32Array(1) };

function scratch(size: number): Uint32Array {
  if (table.length < size) table = new Uint32Array(Math.max(size, table.length * 2));
  return table;
}

// Long on purpose: one dynamic-programming table filled and traced back in place; the two
// halves share the table, its width and the per-character classes.
/**
 * Aligns `sentence` against `text`; null when either is empty. By default the sentence may
 * fit any span of the text (`local`); `whole` aligns it with all of the text, so that what
 * the text has beyond the sentence shows as inserted rather than being cut off.
 */
export function align(sentence: string, text: string, mode: 'local' | 'whole' = 'local'): Alignment | null {
  const { count: m, classes: ca, starts: sa } = coded(sentence, sentenceCodes);
  const { count: n, classes: cb, starts: sb } = coded(text, textCodes);
  if (m === 0 || n === 0) return null;
  const charA = (i: number) => sentence.slice(sa[i] as number, sa[i + 1] as number);
  const charB = (j: number) => text.slice(sb[j] as number, sb[j + 1] as number);

  const width = n + 1;
  const d = scratch((m + 1) * width);
  // Row 0 is all zeros when the sentence may start anywhere in the paragraph.
  d.fill(0, 0, width);
  if (mode === 'whole') for (let j = 1; j <= n; j++) d[j] = (d[j - 1] as number) + gapOf(cb[j - 1] as number);
  for (let i = 1; i <= m; i++) d[i * width] = (d[(i - 1) * width] as number) + gapOf(ca[i - 1] as number);
  for (let i = 1; i <= m; i++) {
    const ci = ca[i - 1] as number;
    const gapA = gapOf(ci);
    const row = i * width;
    const prev = row - width;
    // The cell to the upper left and the one to the left, carried along the row.
    let diagonal = d[prev] as number;
    let left = d[row] as number;
    for (let j = 1; j <= n; j++) {
      const cj = cb[j - 1] as number;
      const up = d[prev + j] as number;
      const sub = diagonal + (ci === cj ? 0 : CHANGE_COST);
      const del = up + gapA;
      const ins = left + (cj === 0 ? MARK_COST : WORD_COST);
      left = Math.min(sub, del, ins);
      d[row + j] = left;
      diagonal = up;
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
    const equal = j > 0 && ca[i - 1] === cb[j - 1];
    if (j > 0 && here === (d[(i - 1) * width + j - 1] as number) + (equal ? 0 : CHANGE_COST)) {
      if (equal) push('equal', charB(j - 1));
      else {
        push('insert', charB(j - 1));
        push('delete', charA(i - 1));
      }
      i--;
      j--;
    } else if (here === (d[(i - 1) * width + j] as number) + gapOf(ca[i - 1] as number)) {
      push('delete', charA(i - 1));
      i--;
    } else {
      push('insert', charB(j - 1));
      j--;
    }
  }
  // Aligned with the whole text, what precedes the sentence's first character is the text's too.
  if (mode === 'whole') while (j > 0) push('insert', charB(--j));
  const ops = reversed.reverse();
  return { start: sb[j] as number, end: sb[endJ] as number, distance, ops: mergeOps(ops) };
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
