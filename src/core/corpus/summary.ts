import type { Essay, Paragraph, Section } from './model.js';
import { type ParagraphRows, paragraphRows } from './parsed-file.js';

/**
 * What `/author` says about an essay, all of it cut from the essay itself: its thesis
 * sentences are picked, never written, and its distinctive terms are words it uses.
 */

/** A sentence of the essay as printed, with the passage it stands in. */
export interface ThesisSentence {
  text: string;
  passageId: string;
}

/** Words that mark a sentence as carrying the argument rather than the evidence. */
const CUES = /本文|笔者|认为|应当|应该|主张|旨在|必须|亟需|亟待|关键|核心|引领|作用|意义|表明|可见|因此|总之|我们|argue|should|must|thesis/giu;
const CONCLUSION = /^(结\s*语|结\s*论|结束语|余\s*论|小\s*结|conclusions?)$/iu;
const COMPLETE = /[。！？!?.…][”’」』）)"'】\]]*$/u;
/** Shorter sentences are headings in disguise (`第一，聚焦…。`); longer ones are evidence, not claims. */
const MIN_SENTENCE = 12;
const MAX_SENTENCE = 160;

function sentencesOf(p: Paragraph): string[] {
  return p.sentences.map((s) => p.text.slice(s.start, s.end).trim());
}

/** Share of a sentence that stands inside quotation marks: someone else's words, not the author's thesis. */
function quotedShare(sentence: string): number {
  let depth = 0;
  let quoted = 0;
  for (const ch of sentence) {
    if (ch === '“' || ch === '「') depth++;
    else if ((ch === '”' || ch === '」') && depth > 0) {
      depth--;
      quoted++;
    }
    if (depth > 0) quoted++;
  }
  return quoted / Math.max(1, Array.from(sentence).length);
}

/** A sentence's weight as a thesis, or null when it cannot be one. */
function weigh(sentence: string, index: number, count: number): number | null {
  const length = Array.from(sentence).length;
  if (length < MIN_SENTENCE || length > MAX_SENTENCE || !COMPLETE.test(sentence) || quotedShare(sentence) > 0.5) return null;
  const cues = Math.min(2, sentence.match(CUES)?.length ?? 0);
  return cues + (index === 0 ? 1 : 0) + (index === count - 1 ? 1 : 0);
}

/** The best sentence of a paragraph; ties go to the later one, where Chinese prose puts its point. */
function best(p: Paragraph, exclude: ReadonlySet<string>, preferLast: boolean): string | null {
  const sentences = sentencesOf(p);
  let pick: string | null = null;
  let top = -1;
  sentences.forEach((s, i) => {
    const w = weigh(s, i, sentences.length);
    if (w === null || exclude.has(s)) return;
    const bonus = preferLast && i === sentences.length - 1 ? 1 : 0;
    if (w + bonus >= top) {
      top = w + bonus;
      pick = s;
    }
  });
  return pick;
}

/**
 * The essay's thesis sentences, in reading order: from the opening paragraph its first
 * sentence and its strongest claim; from each section the topic sentence of its first
 * paragraph; from a conclusion its closing claim. Sentences that are mostly quotation,
 * cut off, or too short or long to stand alone are passed over.
 */
export function thesisSentences(essay: Essay, max = 6): ThesisSentence[] {
  const picked: ThesisSentence[] = [];
  const seen = new Set<string>();
  const take = (text: string | null, p: Paragraph) => {
    if (text === null || seen.has(text)) return;
    seen.add(text);
    picked.push({ text, passageId: p.id });
  };
  // The author's argument is in the body: the journal's abstract is never taken for it.
  const sections = essay.sections.filter((s) => s.part === 'body' && s.paragraphs.length > 0);
  const [opening, ...rest] = sections;
  if (!opening) return [];
  const first = opening.paragraphs[0] as Paragraph;
  if (opening.heading === null) {
    const sentences = sentencesOf(first);
    const head = sentences.findIndex((s, i) => weigh(s, i, sentences.length) !== null);
    if (head === 0) take(sentences[0] as string, first);
    take(best(first, seen, true), first);
  } else {
    rest.unshift(opening);
  }
  for (const section of rest) take(topicSentence(section, seen), paragraphFor(section));
  return picked.slice(0, max);
}

function isConclusion(section: Section): boolean {
  return section.heading !== null && CONCLUSION.test(section.heading.trim());
}

function paragraphFor(section: Section): Paragraph {
  return (isConclusion(section) ? section.paragraphs.at(-1) : section.paragraphs[0]) as Paragraph;
}

function topicSentence(section: Section, exclude: ReadonlySet<string>): string | null {
  return best(paragraphFor(section), exclude, isConclusion(section));
}

// ---------------------------------------------------------------------------------------
// Distinctive terms

const words = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Two-character function words and discourse markers that are frequent in any essay and
 * say nothing about this one.
 */
const STOP = new Set(
  '我们 他们 它们 这些 那些 这个 那个 一个 以及 进行 通过 已经 可以 能够 不仅 而且 同时 其中 此外 另外 因此 为此 如今 目前 当前 方面 一方面 另一方面 相关 之间 等等 并且 之一 第一 第二 第三 第四 第五 其他 各种 一些 一系列 还是 或者 如何 什么 以来 之后 之前 由于 对于 关于 作为 成为 使得 如果 虽然 但是 然而 就是 也是 都是 所以 以及 主要 重要 不断 积极 更加 进一步 应当 应该 需要 必须 没有 持续 日益 已成 the and for with that this from are was were has have its their'.split(
    ' ',
  ),
);

function isContent(word: string): boolean {
  if (STOP.has(word.toLowerCase())) return false;
  if (/^[\p{N}\p{P}\s]+$/u.test(word)) return false;
  const han = /\p{Script=Han}/u.test(word);
  return han ? Array.from(word).length >= 2 : /\p{L}{2,}/u.test(word);
}

/**
 * Terms of one paragraph: content words, and compounds of two adjacent words (ICU cuts
 * 人工智能 into 人工|智能; the compound is the term a reader would name).
 */
function termsOf(text: string): { singles: string[]; pairs: Array<[string, string]> } {
  const singles: string[] = [];
  const pairs: Array<[string, string]> = [];
  let previous: { word: string; end: number } | null = null;
  for (const s of words.segment(text)) {
    const word = /\p{Script=Han}/u.test(s.segment) ? s.segment : s.segment.toLowerCase();
    if (!s.isWordLike || !isContent(word)) {
      previous = null;
      continue;
    }
    singles.push(word);
    if (previous && previous.end === s.index && /\p{Script=Han}/u.test(word) && /\p{Script=Han}/u.test(previous.word)) {
      pairs.push([previous.word, word]);
    }
    previous = { word, end: s.index + s.segment.length };
  }
  return { singles, pairs };
}

/** The author's own paragraphs: the body, without the journal's abstracts. */
function paragraphsOf(essay: Essay): Paragraph[] {
  return essay.sections.flatMap((s) => (s.part === 'body' ? s.paragraphs : []));
}

/** How often a compound must stand where its rarer half stands to count as one term. */
const COMPOUND_STICKINESS = 0.4;

function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * The essay's distinctive terms: frequency in the essay weighted by rarity in the rest of
 * the corpus (TF-IDF with the other essays' paragraphs as background). With no other
 * essays every term is equally rare and the ranking is by frequency, so it works on a
 * corpus of one essay too. A term occurs at least twice.
 */
export function distinctiveTerms(essay: Essay, corpus: readonly Essay[], max = 10): string[] {
  // The background is named by the sample's generation, which changes with the essay objects:
  // after a reload an unchanged essay may meet changed neighbours under the same IDs.
  const background = sampleOf(corpus).generation;
  const cached = termsCache.get(essay);
  if (cached && cached.max === max && cached.background === background) return cached.terms;
  const terms = computeDistinctiveTerms(essay, corpus, max);
  termsCache.set(essay, { max, background, terms });
  return terms;
}

const termsCache = new WeakMap<Essay, { max: number; background: number; terms: string[] }>();

/**
 * Paragraphs of the background at most. Document frequencies from an even sample of a few
 * thousand paragraphs rank terms as well as the whole corpus does, and keep /author fast on
 * a corpus of thousands of essays.
 */
const BACKGROUND_SAMPLE = 2000;

function documentFrequencies(texts: readonly string[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const text of texts) {
    const terms = termsOf(text);
    for (const t of new Set([...terms.singles, ...terms.pairs.map(([a, b]) => a + b)])) increment(df, t);
  }
  return df;
}

/** A counted paragraph of the background: its text, and whose it is. */
interface Sampled {
  essay: Essay;
  text: string;
}

/**
 * The counted paragraphs of the last corpus asked about, and their document frequencies: one
 * entry, named by its essay objects rather than their IDs, since a reload makes new essays
 * under the same IDs and the old counts would then be stale.
 */
let sampleCache: { essays: readonly Essay[]; generation: number; sample: Sampled[]; df: Map<string, number> } | null = null;
let generations = 0;

/** Where a body paragraph is, to be read only if sampled: row `k` of its section (paragraphRows). */
interface Place {
  essay: Essay;
  rows: ParagraphRows;
  k: number;
}

/**
 * The body paragraphs' places in corpus order, read as rows: on a warm start only the sampled
 * paragraphs' texts are cut from the parse cache; making every paragraph of an archive for a
 * sample of a twelfth of them tripled what a warm start holds.
 */
function bodyPlaces(corpus: readonly Essay[]): Place[] {
  const places: Place[] = [];
  for (const essay of corpus) {
    for (const section of essay.sections) {
      if (section.part !== 'body') continue;
      const rows = paragraphRows(section);
      for (let k = rows.from; k < rows.to; k++) places.push({ essay, rows, k });
    }
  }
  return places;
}

/** The sample of `corpus`, counted anew when it is not the corpus asked about last. */
function sampleOf(corpus: readonly Essay[]): NonNullable<typeof sampleCache> {
  if (!sampleCache || !sameEssays(sampleCache.essays, corpus)) {
    const all = bodyPlaces(corpus);
    const step = all.length / BACKGROUND_SAMPLE;
    const chosen = all.length <= BACKGROUND_SAMPLE ? all : Array.from({ length: BACKGROUND_SAMPLE }, (_, i) => all[Math.floor(i * step)] as Place);
    const sample = chosen.map((place) => ({ essay: place.essay, text: place.rows.text(place.k) }));
    sampleCache = { essays: [...corpus], generation: ++generations, sample, df: documentFrequencies(sample.map((p) => p.text)) };
  }
  return sampleCache;
}

function sameEssays(a: readonly Essay[], b: readonly Essay[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}

/**
 * Document frequencies of the other essays' paragraphs. They are counted once per corpus
 * (over every paragraph, or an even sample of a large corpus), and each essay's own counted
 * paragraphs are taken out again, which is exact whenever nothing was sampled out.
 */
function backgroundOf(essay: Essay, corpus: readonly Essay[]): { df: (term: string) => number; size: number } {
  const background = sampleOf(corpus);
  const mine = background.sample.filter((p) => p.essay === essay);
  const all = background.df;
  if (mine.length === 0) return { df: (term) => all.get(term) ?? 0, size: background.sample.length };
  // The essay's own counts taken out as terms are asked for: a copy of the whole map per
  // question was megabytes on a large corpus, kept alive long enough to reach the old generation.
  const own = documentFrequencies(mine.map((p) => p.text));
  return { df: (term) => (all.get(term) ?? 0) - (own.get(term) ?? 0), size: background.sample.length - mine.length };
}

function computeDistinctiveTerms(essay: Essay, corpus: readonly Essay[], max: number): string[] {
  const singles = new Map<string, number>();
  const pairs = new Map<string, { parts: [string, string]; n: number }>();
  const first = new Map<string, number>();
  const seen = (term: string) => {
    if (!first.has(term)) first.set(term, first.size);
  };
  for (const p of paragraphsOf(essay)) {
    const terms = termsOf(p.text);
    for (const w of terms.singles) {
      increment(singles, w);
      seen(w);
    }
    for (const [a, b] of terms.pairs) {
      const entry = pairs.get(a + b) ?? { parts: [a, b], n: 0 };
      entry.n++;
      pairs.set(a + b, entry);
      seen(a + b);
    }
  }
  const { df, size } = backgroundOf(essay, corpus);
  const idf = (term: string) => Math.log((size + 1) / (df(term) + 1)) + 1;

  // A compound is a term when its halves mostly stand together. Taken commonest first, a
  // word already bound as the right half of one compound cannot start another (人工|智能|技术
  // must not yield 智能技术), and a half counts as a term of its own only where it stands
  // outside its compounds, so 人工 does not repeat 人工智能.
  const residual = new Map(singles);
  const boundLeft = new Set<string>();
  const boundRight = new Set<string>();
  const stickiness = ({ parts: [a, b], n }: { parts: [string, string]; n: number }) => n / Math.min(singles.get(a) ?? n, singles.get(b) ?? n);
  const candidates = [...pairs.entries()]
    .filter(([term, p]) => p.n >= 2 && !singles.has(term) && stickiness(p) >= COMPOUND_STICKINESS)
    .sort(([ta, a], [tb, b]) => b.n - a.n || stickiness(b) - stickiness(a) || (first.get(ta) ?? 0) - (first.get(tb) ?? 0));
  const compounds: string[] = [];
  for (const [
    term,
    {
      parts: [a, b],
      n,
    },
  ] of candidates) {
    if (boundRight.has(a) || boundLeft.has(b)) continue;
    compounds.push(term);
    boundLeft.add(a);
    boundRight.add(b);
    increment(residual, a, -n);
    increment(residual, b, -n);
  }
  const scored: Array<{ term: string; score: number; at: number }> = [];
  for (const term of compounds) scored.push({ term, score: (pairs.get(term)?.n ?? 0) * idf(term), at: first.get(term) ?? 0 });
  for (const [term, n] of residual) {
    if (n >= 2) scored.push({ term, score: n * idf(term), at: first.get(term) ?? 0 });
  }
  scored.sort((a, b) => b.score - a.score || a.at - b.at);
  return scored.slice(0, max).map((s) => s.term);
}

/** Characters of the essay's display text, white space not counted. */
export function essayLength(essay: Essay): number {
  let n = 0;
  for (const p of paragraphsOf(essay)) n += Array.from(p.text.replace(/\s+/gu, '')).length;
  return n;
}

/** Every URL the essay's notes cite, each once, in the order first cited. */
export function essayUrls(essay: Essay): string[] {
  return [...new Set(essay.footnotes.flatMap((f) => f.urls))];
}
