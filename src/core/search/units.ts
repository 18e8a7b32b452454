import type { Essay, Paragraph, Section } from '../corpus/model.js';
import { type SectionSpans, sectionSpans } from '../corpus/parsed-file.js';
import { foldText } from './fold.js';
import { createHashTable, hashUnits, sameUnits } from './hash-table.js';
import { createPostingsBuilder, grown, type PostingsArrays, type SharedBuild } from './postings.js';
import { runSteps, runStepsInTurns } from './steps.js';

/*
 * What the index is made of, as typed arrays and strings. The unit quoted is a sentence
 * occurrence; the unit indexed is a distinct sentence text of one file (a "doc"), so a
 * sentence a file prints in many places is indexed and scored once. Units are numbered in
 * corpus order, and so are docs: a file's docs follow the docs of the files before it.
 *
 * Docs are distinct within a file, not across the corpus, so that a file's part of the index
 * (a segment, `buildArrays` over that file's units alone) is the same whatever other files
 * there are, and segments put one after another (`composeArrays`) are what one build over all
 * the files gives. Telling sentences apart across files would save little: on the benchmark's
 * archive (sentences reshuffled from the bundled essays, so repeated far more than in real
 * essays) 101,866 docs instead of 90,279 of 109,353 sentences.
 *
 * The units themselves (paragraph, span) follow from the corpus alone and are worked out
 * again whenever an index is opened (`unitsOf`: a walk, no folding); what the build adds
 * (which doc each unit is, the docs' folded texts, the postings) is `IndexArrays`, which
 * the cache writes and a worker thread hands over as they are.
 */

/** The units of a corpus, from its essays. */
export interface Units {
  /** How many essays the units are of. */
  essays: number;
  /**
   * Per paragraph (in corpus order): its section, and its place among the section's
   * paragraphs. Not the paragraphs themselves: a section read from the parse cache makes its
   * paragraphs when first read (see parsed-file.ts), which the index leaves to the hits.
   */
  sections: Section[];
  inSection: Uint32Array;
  /** Per paragraph: its essay's number. */
  essayOf: Uint32Array;
  /** Per unit: its paragraph's number, and its span of the paragraph's text. */
  paragraph: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
}

/** Paragraph `p` of the units. */
export function paragraphAt(units: Units, p: number): Paragraph {
  return (units.sections[p] as Section).paragraphs[units.inSection[p] as number] as Paragraph;
}

/** What an index build adds to the units. */
export interface IndexArrays {
  /** Per unit: its distinct sentence text. */
  doc: Uint32Array;
  /** Doc `d`'s units are `docUnits[docUnitStart[d], docUnitStart[d + 1])`, in corpus order. */
  docUnitStart: Uint32Array;
  docUnits: Uint32Array;
  /**
   * Every doc's folded text with all but letters and digits dropped (the phrase test), each
   * followed by U+0001, as UTF-16 code units; doc `d`'s is `joined[docStarts[d], docStarts[d + 1] - 1)`.
   * Not a string: kept out of the JavaScript heap (whose garbage collector would otherwise
   * let four times the heap's live size pile up between collections), and searched natively
   * all the same (Buffer.indexOf in UTF-16).
   */
  joined: Uint16Array;
  docStarts: Uint32Array;
  /** Our tokenizer's postings over the docs; null for an index whose terms MiniSearch holds. */
  postings: PostingsArrays | null;
}

/** Between two docs' compact texts in `joined`: no compact text holds it. */
const SEPARATOR_CODE = 0x0001;

const WORD = /^[\p{L}\p{N}]$/u;

export function compactOf(folded: string): string {
  return folded.replace(/[^\p{L}\p{N}]/gu, '');
}

/** Per BMP code unit: 0 not yet known, 1 a letter or digit, 2 not. */
const wordState = new Uint8Array(0x10000);

/** Writes `compactOf(folded)` into `out` at `at`; gives where it ends. */
function writeCompact(folded: string, out: Uint16Array, at: number): number {
  let n = at;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < folded.length) {
      const d = folded.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        if (WORD.test(folded.slice(i, i + 2))) {
          out[n++] = c;
          out[n++] = d;
        }
        i++;
        continue;
      }
    }
    let state = wordState[c] as number;
    if (state === 0) {
      state = WORD.test(String.fromCharCode(c)) ? 1 : 2;
      wordState[c] = state;
    }
    if (state === 1) out[n++] = c;
  }
  return n;
}

/** How many paragraphs and units (as `unitsOf` counts them) the essays have, without making a cached section's paragraphs. */
export function countsOf(essays: Essay[]): { paragraphs: number; count: number } {
  let paragraphs = 0;
  let count = 0;
  for (const essay of essays) {
    for (const section of essay.sections) {
      const spans = sectionSpans(section);
      if (spans === undefined) {
        for (const p of section.paragraphs) count += Math.max(1, p.sentences.length);
        paragraphs += section.paragraphs.length;
        continue;
      }
      for (let k = spans.from; k < spans.to; k++) count += Math.max(1, (spans.sentences[k + 1] as number) - (spans.sentences[k] as number));
      paragraphs += spans.to - spans.from;
    }
  }
  return { paragraphs, count };
}

/** The units of the essays: one per sentence, or one for a paragraph the parser cut into none. */
export function unitsOf(essays: Essay[]): Units {
  const { paragraphs, count } = countsOf(essays);
  const units: Units = {
    essays: essays.length,
    sections: new Array(paragraphs),
    inSection: new Uint32Array(paragraphs),
    essayOf: new Uint32Array(paragraphs),
    paragraph: new Uint32Array(count),
    start: new Uint32Array(count),
    end: new Uint32Array(count),
  };
  let i = 0;
  let u = 0;
  essays.forEach((essay, e) => {
    for (const section of essay.sections) {
      const spans = sectionSpans(section);
      const n = spans === undefined ? section.paragraphs.length : spans.to - spans.from;
      for (let k = 0; k < n; k++, i++) {
        units.sections[i] = section;
        units.inSection[i] = k;
        units.essayOf[i] = e;
        u = spans === undefined ? unitsOfParagraph(units, i, u, section.paragraphs[k] as Paragraph) : unitsOfRow(units, i, u, spans, spans.from + k);
      }
    }
  });
  return units;
}

/** Writes paragraph `i`'s units from unit `u` on; gives the unit after them. */
function unitsOfParagraph(units: Units, i: number, u: number, p: Paragraph): number {
  if (p.sentences.length === 0) {
    units.paragraph[u] = i;
    units.end[u] = p.text.length;
    return u + 1;
  }
  for (const s of p.sentences) {
    units.paragraph[u] = i;
    units.start[u] = s.start;
    units.end[u++] = s.end;
  }
  return u;
}

/** The same for row `k` of a cached section's spans. */
function unitsOfRow(units: Units, i: number, u: number, spans: SectionSpans, k: number): number {
  const from = spans.sentences[k] as number;
  const to = spans.sentences[k + 1] as number;
  if (from === to) {
    units.paragraph[u] = i;
    units.end[u] = spans.textLength[k] as number;
    return u + 1;
  }
  for (let s = from; s < to; s++) {
    units.paragraph[u] = i;
    units.start[u] = spans.start[s] as number;
    units.end[u++] = spans.end[s] as number;
  }
  return u;
}

/**
 * The units of a corpus's files one after another (what `unitsOf` gives for all their essays):
 * a reload works out each file's units as the file arrives, so that nothing is left for the
 * end but to open the index.
 */
export function createUnitsBuilder(): { add(part: Units): void; finish(): Units } {
  const sections: Section[] = [];
  let inSection: Uint32Array = new Uint32Array(1024);
  let essayOf: Uint32Array = new Uint32Array(1024);
  let paragraph: Uint32Array = new Uint32Array(4096);
  let start: Uint32Array = new Uint32Array(4096);
  let end: Uint32Array = new Uint32Array(4096);
  let essays = 0;
  let units = 0;
  return {
    add(part) {
      const p0 = sections.length;
      const count = part.sections.length;
      inSection = grown(inSection, p0 + count);
      essayOf = grown(essayOf, p0 + count);
      inSection.set(part.inSection, p0);
      for (let i = 0; i < count; i++) {
        sections.push(part.sections[i] as Section);
        essayOf[p0 + i] = (part.essayOf[i] as number) + essays;
      }
      const n = part.paragraph.length;
      paragraph = grown(paragraph, units + n);
      start = grown(start, units + n);
      end = grown(end, units + n);
      for (let i = 0; i < n; i++) paragraph[units + i] = (part.paragraph[i] as number) + p0;
      start.set(part.start, units);
      end.set(part.end, units);
      essays += part.essays;
      units += n;
    },
    finish() {
      return {
        essays,
        sections,
        inSection: inSection.subarray(0, sections.length),
        essayOf: essayOf.subarray(0, sections.length),
        paragraph: paragraph.subarray(0, units),
        start: start.subarray(0, units),
        end: end.subarray(0, units),
      };
    },
  };
}

/** The unit after `u` in its paragraph, or -1. */
export function nextUnit(units: Units, u: number): number {
  return u + 1 < units.paragraph.length && units.paragraph[u + 1] === units.paragraph[u] ? u + 1 : -1;
}

/** The text of unit `u`. */
export function unitText(units: Units, u: number): string {
  return paragraphAt(units, units.paragraph[u] as number).text.slice(units.start[u], units.end[u]);
}

/**
 * Folds each distinct sentence once, for the phrase scan and (with `postings`) our tokenizer's
 * postings, without keeping the folded texts: a large corpus's are tens of megabytes.
 * `fileOfEssay` gives each essay's file, when the units are of several files: a sentence is a
 * doc of its own in each file it is in. `shared` is shared by the builds of several segments.
 */
export function buildArrays(units: Units, options: { postings: boolean; fileOfEssay?: ArrayLike<number>; shared?: SharedBuild }): IndexArrays {
  const count = units.paragraph.length;
  const doc = new Uint32Array(count);
  const { fileOfEssay } = options;
  // Sentences are told apart by their text, looked up in place (a hash of the paragraph's
  // code units in the span) rather than as a string key: see hash-table.ts. A table per file.
  let docOf = createHashTable(1 << 12);
  let file = 0;
  // Each doc's first unit, whose text a look-up compares with.
  const docUnit = new Uint32Array(count);
  const builder = options.postings ? createPostingsBuilder(options.shared ? { shared: options.shared } : {}) : null;
  // The compact texts are written one after another into one buffer, which becomes the
  // joined string at the end: a string per sentence, and their join, were most of a build's
  // garbage. Folding seldom makes a text longer, so the buffer starts the corpus's size.
  let capacity = count;
  for (let u = 0; u < count; u++) capacity += (units.end[u] as number) - (units.start[u] as number);
  const reused = options.shared?.text ?? null;
  let joined = reused === null ? new Uint16Array(capacity) : grown(reused, capacity);
  let length = 0;
  const starts: number[] = [];
  let text = '';
  let from = 0;
  let to = 0;
  const same = (d: number): boolean => {
    const v = docUnit[d] as number;
    return sameUnits(text, from, to, paragraphAt(units, units.paragraph[v] as number).text, units.start[v] as number, units.end[v] as number);
  };
  for (let u = 0; u < count; u++) {
    if (fileOfEssay !== undefined) {
      const f = fileOfEssay[units.essayOf[units.paragraph[u] as number] as number] as number;
      if (f !== file) {
        file = f;
        docOf = createHashTable(1 << 12);
      }
    }
    text = paragraphAt(units, units.paragraph[u] as number).text;
    from = units.start[u] as number;
    to = units.end[u] as number;
    let d = docOf.find(hashUnits(text, from, to), same);
    if (d < 0) {
      d = starts.length;
      docOf.add(d);
      docUnit[d] = u;
      starts.push(length);
      const folded = foldText(text.slice(from, to));
      joined = grown(joined, length + folded.length + 1);
      length = writeCompact(folded, joined, length);
      joined[length++] = SEPARATOR_CODE;
      builder?.add(folded);
    }
    doc[u] = d;
  }
  const docs = starts.length;
  const docUnitStart = new Uint32Array(docs + 1);
  for (let u = 0; u < count; u++) docUnitStart[(doc[u] as number) + 1] = (docUnitStart[(doc[u] as number) + 1] as number) + 1;
  for (let d = 0; d < docs; d++) docUnitStart[d + 1] = (docUnitStart[d + 1] as number) + (docUnitStart[d] as number);
  const cursor = docUnitStart.slice(0, docs);
  const docUnits = new Uint32Array(count);
  for (let u = 0; u < count; u++) {
    const d = doc[u] as number;
    docUnits[cursor[d] as number] = u;
    cursor[d] = (cursor[d] as number) + 1;
  }
  const docStarts = new Uint32Array(docs + 1);
  docStarts.set(starts);
  docStarts[docs] = length;
  // A view, not a copy: the copy would be one more corpus-sized array at the build's peak.
  // Over a shared buffer (see SharedBuild's `text`), valid until the next build with it.
  if (reused !== null && options.shared) options.shared.text = joined;
  return { doc, docUnitStart, docUnits, joined: joined.subarray(0, length), docStarts, postings: builder?.finish() ?? null };
}

/**
 * Where a segment's arrays are: the units, docs and text `[from, to)` of `arrays`, which are
 * either the segment's own (`buildArrays` over one file's units: everything) or an index's
 * composed arrays, whose part for that file is reused as it is.
 */
export interface SegmentSlice {
  arrays: IndexArrays;
  units: [number, number];
  docs: [number, number];
  text: [number, number];
}

/** All of a segment's own arrays. */
export function wholeSlice(arrays: IndexArrays): SegmentSlice {
  return { arrays, units: [0, arrays.doc.length], docs: [0, arrays.docStarts.length - 1], text: [0, arrays.joined.length] };
}

/**
 * Segments one after another, as one index's arrays: unit, doc and text offsets moved from
 * where each slice has them to past the segments before. The postings stay in their segments
 * (see `openPostings`); the result has none.
 */
export function composeArrays(slices: readonly SegmentSlice[]): IndexArrays {
  return runSteps(composeSteps(slices));
}

/**
 * `composeArrays` in turns of the event loop of about `turnMs` each: a reload puts an archive's
 * index together in the thread that serves, and answers go on between two turns (the slices
 * reused are the served index's, which never change).
 */
export function composeArraysInTurns(slices: readonly SegmentSlice[], turnMs: number): Promise<IndexArrays> {
  return runStepsInTurns(composeSteps(slices), turnMs);
}

/** Composes slice after slice, yielding after each. */
function* composeSteps(slices: readonly SegmentSlice[]): Generator<void, IndexArrays, void> {
  let units = 0;
  let docs = 0;
  let text = 0;
  for (const s of slices) {
    units += s.units[1] - s.units[0];
    docs += s.docs[1] - s.docs[0];
    text += s.text[1] - s.text[0];
  }
  const doc = new Uint32Array(units);
  const docUnitStart = new Uint32Array(docs + 1);
  const docUnits = new Uint32Array(units);
  const joined = new Uint16Array(text);
  const docStarts = new Uint32Array(docs + 1);
  let u0 = 0;
  let d0 = 0;
  let t0 = 0;
  for (const {
    arrays: a,
    units: [uFrom, uTo],
    docs: [dFrom, dTo],
    text: [tFrom, tTo],
  } of slices) {
    copyShifted(doc, u0, a.doc, uFrom, uTo, d0 - dFrom);
    copyShifted(docUnits, u0, a.docUnits, uFrom, uTo, u0 - uFrom);
    copyShifted(docUnitStart, d0, a.docUnitStart, dFrom, dTo, u0 - uFrom);
    copyShifted(docStarts, d0, a.docStarts, dFrom, dTo, t0 - tFrom);
    joined.set(a.joined.subarray(tFrom, tTo), t0);
    u0 += uTo - uFrom;
    d0 += dTo - dFrom;
    t0 += tTo - tFrom;
    yield;
  }
  docUnitStart[docs] = units;
  docStarts[docs] = text;
  return { doc, docUnitStart, docUnits, joined, docStarts, postings: null };
}

/**
 * Segments composed as they are built: each one's arrays are copied into arrays sized for the
 * whole corpus (units exactly, docs at most as many, text by an upper bound that grows if a
 * fold ever lengthens a text) and can be dropped at once, so that a build holds the composed
 * arrays and one segment's, never every segment's and the composed copy of them together.
 */
export function createComposer(
  unitCount: number,
  textBound: number,
): {
  add(segment: IndexArrays): void;
  finish(): { arrays: IndexArrays; starts: { units: Uint32Array; docs: Uint32Array; text: Uint32Array } };
} {
  const doc = new Uint32Array(unitCount);
  const docUnits = new Uint32Array(unitCount);
  const docUnitStart = new Uint32Array(unitCount + 1);
  const docStarts = new Uint32Array(unitCount + 1);
  let joined = new Uint16Array(textBound);
  const starts = { units: [0], docs: [0], text: [0] };
  let u0 = 0;
  let d0 = 0;
  let t0 = 0;
  return {
    add(a) {
      const units = a.doc.length;
      const docs = a.docStarts.length - 1;
      const text = a.joined.length;
      if (u0 + units > unitCount) throw new Error('createComposer: more units than the corpus has');
      copyShifted(doc, u0, a.doc, 0, units, d0);
      copyShifted(docUnits, u0, a.docUnits, 0, units, u0);
      copyShifted(docUnitStart, d0, a.docUnitStart, 0, docs, u0);
      copyShifted(docStarts, d0, a.docStarts, 0, docs, t0);
      if (t0 + text > joined.length) joined = grown(joined, t0 + text);
      joined.set(a.joined, t0);
      u0 += units;
      d0 += docs;
      t0 += text;
      starts.units.push(u0);
      starts.docs.push(d0);
      starts.text.push(t0);
    },
    finish() {
      docUnitStart[d0] = u0;
      docStarts[d0] = t0;
      return {
        // Views: the unused ends stay allocated (docs past the distinct ones, text a fold dropped), a few per cent.
        arrays: {
          doc: doc.subarray(0, u0),
          docUnitStart: docUnitStart.subarray(0, d0 + 1),
          docUnits: docUnits.subarray(0, u0),
          joined: joined.subarray(0, t0),
          docStarts: docStarts.subarray(0, d0 + 1),
          postings: null,
        },
        starts: { units: Uint32Array.from(starts.units), docs: Uint32Array.from(starts.docs), text: Uint32Array.from(starts.text) },
      };
    },
  };
}

/**
 * `src[from, to)` plus `delta` each, into `out` at `at`. A function of its own, small and
 * called once per segment, so that V8 optimizes it after the first few: a reload composes an
 * archive's index once, in the serving thread, where the same loops inline in one large
 * function ran unoptimized.
 */
function copyShifted(out: Uint32Array, at: number, src: Uint32Array, from: number, to: number, delta: number): void {
  if (delta === 0) {
    out.set(src.subarray(from, to), at);
    return;
  }
  for (let i = from, o = at; i < to; i++, o++) out[o] = (src[i] as number) + delta;
}

/** Throws unless `arrays` can be an index of `count` units (read from a cache, or sent by a worker). */
export function checkArrays(count: number, arrays: IndexArrays): void {
  const docs = arrays.docStarts.length - 1;
  const ok =
    docs >= 0 &&
    arrays.doc.length === count &&
    arrays.docUnits.length === count &&
    arrays.docUnitStart.length === docs + 1 &&
    arrays.docUnitStart[docs] === count &&
    arrays.docStarts[docs] === arrays.joined.length &&
    (arrays.postings === null || arrays.postings.fieldLength.length === docs) &&
    arrays.doc.every((d) => d < docs) &&
    arrays.docUnits.every((u) => u < count);
  if (!ok) throw new Error('the index is of another corpus, or damaged');
}

/** Every typed array of `arrays`, for a worker's transfer list. */
export function buffersOf(arrays: IndexArrays): ArrayBuffer[] {
  const list: Array<Uint32Array | Uint16Array> = [arrays.doc, arrays.docUnitStart, arrays.docUnits, arrays.docStarts, arrays.joined];
  if (arrays.postings) list.push(arrays.postings.termStarts, arrays.postings.offsets, arrays.postings.docs, arrays.postings.fieldLength);
  return list.map((a) => a.buffer as ArrayBuffer);
}
