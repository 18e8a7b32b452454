/**
 * Splitting long text for platforms with length limits. Limits are counted in UTF-16 code
 * units (what Discord and Slack count), and a cut never falls inside a surrogate pair.
 * Preferred cut points, best first: after a Chinese or Latin sentence end (。！？.!? and any
 * closing quotes or brackets after it), after a line break, after a clause mark (；，、;,),
 * after white space; only when none exists is the text cut at the limit itself.
 */

const SENTENCE_END = /[。！？!?…]+[”’」』）)\]]*|\.(?=\s)[”’"')\]]*/gu;
const CLAUSE_END = /[；，、;,：:]/gu;

function lastCut(text: string, pattern: RegExp, max: number): number {
  let cut = -1;
  for (const m of text.slice(0, max).matchAll(pattern)) {
    const end = (m.index ?? 0) + m[0].length;
    if (end <= max && end > 0) cut = end;
  }
  return cut;
}

function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** Splits `text` into pieces of at most `max` code units each, cutting at the best point available. */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('splitText: max must be at least 2');
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    // A cut in the first third would leave pieces too short to read; look further first.
    const floor = Math.floor(max / 3);
    let cut = lastCut(window, SENTENCE_END, max);
    if (cut < floor) cut = Math.max(cut, window.lastIndexOf('\n') + 1);
    if (cut < floor) cut = Math.max(cut, lastCut(window, CLAUSE_END, max));
    if (cut < floor) cut = Math.max(cut, window.lastIndexOf(' ') + 1);
    if (cut < floor) cut = max;
    cut = safeCut(rest, cut);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Shortens `text` to at most `max` code units, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCut(text, max - 1))}…`;
}
