import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Corpus, essaysOf, sentenceText } from '../src/core/corpus/model.js';
import { endsSentence, isHan } from '../src/core/corpus/text.js';

/*
 * Synthetic corpora for the benchmark: N times the bundled corpus, written in the corpus text
 * format so that the real parser reads them (a benchmark of a parser that skips the parsing
 * would measure nothing). Every word is a sentence, heading, title, note or affiliation of the
 * source corpus, reshuffled by a seeded PRNG, so the text has the real corpus's vocabulary and
 * term frequencies, and the same seed always gives byte-identical files.
 *
 * Each file is one symposium: a title, an editor's note (编者按), then essays. Each essay has a
 * unique title and a unique author (distinct pinyin too, so essay IDs never collide), numbered
 * sections, and "pages": a page is a few paragraphs followed by its notes block, with note
 * numbering restarting at ① on every page, `^①` and bare `①` note lines alternating, the `*`
 * affiliation note at the essay's first page break, and now and then a paragraph cut by the
 * page break in the middle of a sentence and continued after the notes.
 */

/** Deterministic PRNG (mulberry32): tiny, fast and good enough to shuffle text. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  /** Size as a multiple of the source corpus's bytes. */
  scale: number;
  seed?: number;
  /** Bytes of the source corpus; the output holds about `scale` times as many. */
  sourceBytes: number;
  /** Essays per file (one symposium per file). */
  essaysPerFile?: number;
  /** Generate this many essays instead of `scale` times the bytes (the archive size). */
  essays?: number;
  /**
   * New words as the corpus grows (default on): each essay brings new terms of its own, as a
   * real archive's names, places and topics do, so distinct terms keep growing with the size
   * instead of stopping at the source's vocabulary.
   */
  growVocabulary?: boolean;
}

/** New words each essay brings, and how often a sentence uses one (of its own essay's mostly). */
const NEW_WORDS_PER_ESSAY = 150;
const SENTENCES_WITH_NEW_WORDS = 0.7;
const RECENT_WORDS = 120;

export interface SyntheticFile {
  name: string;
  text: string;
}

/** What the generator wrote, so that a test can hold the parser to it. */
export interface SyntheticCorpus {
  files: SyntheticFile[];
  /** Essays, not counting the editor's notes (one per file). */
  essays: number;
  editorsNotes: number;
  footnotes: number;
  paragraphs: number;
  bytes: number;
  /** Author names in generation order, all distinct. */
  authors: string[];
}

interface Pools {
  sentences: string[];
  /** Sentences with a comma to cut a head and a tail at. */
  spliceable: string[];
  /** Clauses between two commas of a sentence, spliced into the middle of others. */
  clauses: string[];
  headings: string[];
  titles: string[];
  notes: string[];
  affiliations: string[];
}

// Consonant-initial syllables only: concatenated, they cannot be read as another pair of
// syllables (`xi an` / `xian`), so distinct names give distinct essay IDs.
const SURNAMES = Array.from('王李张刘陈杨黄赵周徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭肖田董潘袁蔡蒋杜叶程魏苏丁任卢姚沈钟');
const GIVEN = Array.from('志敏成文华明建国平伟丽强军杰涛斌辉鹏宇峰磊洋勇红新海东波超芳娜霞琳燕刚凯瑞翔振龙');
const CITIES: Array<[string, string]> = [
  ['北京', '100871'],
  ['上海', '200433'],
  ['南京', '210023'],
  ['广州', '510275'],
  ['武汉', '430072'],
  ['天津', '300071'],
];
/** Share of sentences copied whole; the rest are spliced from two. */
const VERBATIM_SHARE = 0.1;
const NUMERALS = Array.from('一二三四五六七八九');
const CIRCLED_MARKS = Array.from('①②③④⑤⑥⑦⑧⑨⑩');

function pools(source: Corpus): Pools {
  const essays = essaysOf(source);
  const sentences = new Set<string>();
  const headings = new Set<string>();
  const notes = new Set<string>();
  const affiliations = new Set<string>();
  for (const essay of essays) {
    for (const section of essay.sections) {
      const heading = section.heading?.replace(/^[一二三四五六七八九十]+、/u, '').trim();
      if (heading && heading.length >= 4) headings.add(heading);
      for (const p of section.paragraphs) {
        for (const s of p.sentences) {
          const text = sentenceText(p, s).trim();
          // Only whole sentences: a paragraph built from them must end a sentence, or the
          // parser would rightly join it to the next block as a page-split paragraph.
          if (text.length >= 8 && endsSentence(text) && !text.startsWith('编者按') && /^[\p{Script=Han}“《]/u.test(text)) sentences.add(text);
        }
      }
    }
    // Full citations only: a short form needs its full citation earlier in the same essay.
    for (const note of essay.footnotes) if (note.urls.length > 0 && note.refersTo === null) notes.add(note.text);
    for (const author of essay.authors) if (author.affiliation) affiliations.add(author.affiliation);
  }
  const titles = essays.filter((e) => e.kind === 'essay').map((e) => e.title.replace(/[：:].*$/u, ''));
  const list = (set: Set<string>, what: string) => {
    if (set.size === 0) throw new Error(`synthetic: the source corpus has no ${what} to build from`);
    return [...set];
  };
  const clauses = new Set<string>();
  for (const s of sentences) {
    const parts = s.split('，');
    // Inner clauses only: the first may open a quotation, the last ends the sentence.
    for (const part of parts.slice(1, -1)) if (part.length >= 4 && !/[“”《》]/u.test(part)) clauses.add(part);
  }
  return {
    sentences: list(sentences, 'whole sentences'),
    spliceable: list(new Set([...sentences].filter((t) => heads(t).length > 0 && tails(t).length > 0)), 'sentences with commas'),
    clauses: list(clauses, 'clauses between commas'),
    headings: list(headings, 'section headings'),
    titles: list(new Set(titles), 'essay titles'),
    notes: list(notes, 'full citations with URLs'),
    affiliations: list(affiliations, 'author affiliations'),
  };
}

// Long on purpose: one seeded random walk writes the files, essays, notes and headings in
// order; split, each step would take and hand back the random state and the pools.
/** Builds a synthetic corpus about `scale` times the size of `source`. Pure and deterministic. */
export function generateSyntheticCorpus(source: Corpus, options: SyntheticOptions): SyntheticCorpus {
  const random = createRandom(options.seed ?? 20251130);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const p = pools(source);
  const perFile = options.essaysPerFile ?? 10;
  const target = options.essays !== undefined ? Number.POSITIVE_INFINITY : Math.round(options.scale * options.sourceBytes);
  const enough = () => (options.essays !== undefined ? result.essays >= options.essays : result.bytes >= target);
  const grow = options.growVocabulary ?? true;
  // The Han characters of the source: new words are made of them, two or three at a time.
  const characters = [...new Set(p.sentences.join('').match(/\p{Script=Han}/gu) ?? [])];
  const lexicon: string[] = [];
  const newWords = () => {
    for (let i = 0; i < NEW_WORDS_PER_ESSAY; i++) lexicon.push(Array.from({ length: between(2, 3) }, () => pick(characters)).join(''));
  };
  const word = () => (random() < 0.6 ? (lexicon[lexicon.length - 1 - Math.floor(random() * Math.min(RECENT_WORDS, lexicon.length))] as string) : pick(lexicon));
  /** A sentence with a new word or two put between two of its Han characters. */
  const withNewWords = (s: string): string => {
    if (!grow || lexicon.length === 0 || random() >= SENTENCES_WITH_NEW_WORDS) return s;
    let out = s;
    for (let k = between(1, 2); k > 0; k--) {
      const at = between(1, Math.max(1, out.length - 2));
      if (isHan(out[at - 1]) && isHan(out[at])) out = out.slice(0, at) + word() + out.slice(at);
    }
    return out;
  };
  const encoder = new TextEncoder();

  const usedNames = new Set<string>();
  const newName = (): string => {
    if (usedNames.size >= SURNAMES.length * GIVEN.length * GIVEN.length) throw new Error('synthetic: out of author names');
    for (;;) {
      const name = pick(SURNAMES) + pick(GIVEN) + pick(GIVEN);
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };

  const result: SyntheticCorpus = { files: [], essays: 0, editorsNotes: 0, footnotes: 0, paragraphs: 0, bytes: 0, authors: [] };
  // Most sentences are spliced from two source sentences at a comma, so that the corpus has
  // about as many distinct sentences as a real one of its size: an index that stores each
  // distinct sentence once would otherwise be measured on a few hundred sentences repeated.
  const sentence = (): string => {
    if (random() < VERBATIM_SHARE) return pick(p.sentences);
    const a = pick(p.spliceable);
    const b = pick(p.spliceable);
    const middle = Array.from({ length: between(1, 3) }, () => `${pick(p.clauses)}，`).join('');
    return withNewWords(a.slice(0, pick(heads(a)) + 1) + middle + b.slice(pick(tails(b)) + 1));
  };
  const paragraph = (min: number, max: number) => Array.from({ length: between(min, max) }, sentence);

  while (!enough()) {
    const fileNumber = result.files.length + 1;
    const blocks: string[] = [];
    // The number leads: an editor's note's ID comes from the first characters of the symposium title.
    blocks.push(`第${fileNumber}组笔谈：${pick(p.headings)}`);
    blocks.push(`编者按：${paragraph(3, 6).join('')}`);
    result.editorsNotes++;
    result.paragraphs++;

    for (let e = 0; e < perFile && result.bytes + byteLength(blocks) < target && !enough(); e++) {
      const n = result.essays + 1;
      const author = newName();
      result.authors.push(author);
      if (grow) newWords();
      blocks.push(`${pick(p.titles)}${grow ? word() : ''}：${pick(p.headings)}（${n}）`);
      blocks.push(author);

      const paragraphCount = between(8, 16);
      const sectionEvery = between(3, 5);
      let affiliationPrinted = false;
      let page: string[] = [];
      let pageNotes = 0;
      let sectionNumber = 0;

      const breakPage = (continuation: string | null) => {
        if (!affiliationPrinted) {
          const [city, code] = pick(CITIES);
          blocks.push(`* ${author}，${pick(p.affiliations)}（${city} ${code}）。`);
          affiliationPrinted = true;
        }
        // Notes printed as `^①` on some pages and bare `①` on others, as the PDF extraction does.
        const caret = random() < 0.5 ? '^' : '';
        for (let k = 0; k < pageNotes; k++) blocks.push(`${caret}${CIRCLED_MARKS[k] as string} ${pick(p.notes)}`);
        result.footnotes += pageNotes;
        if (continuation !== null) blocks.push(continuation);
        page = [];
        pageNotes = 0;
      };

      for (let k = 0; k < paragraphCount; k++) {
        if (k > 0 && k % sectionEvery === 0 && sectionNumber < NUMERALS.length) {
          blocks.push(`${NUMERALS[sectionNumber] as string}、${pick(p.headings)}`);
          sectionNumber++;
        }
        const sentences = paragraph(2, 6);
        // A note marker after a sentence, as printed: `…风险挑战。^①这是…`. Up to three per page.
        const withMarkers = sentences.map((s) => {
          if (pageNotes < 3 && random() < 0.25) return `${s}^${CIRCLED_MARKS[pageNotes++] as string}`;
          return s;
        });
        const text = withMarkers.join('');
        page.push(text);
        result.paragraphs++;

        // A page ends after a few paragraphs; the first page of an essay ends after its first.
        const endOfPage = (k === 0 || page.length >= 3 || k === paragraphCount - 1) && pageNotes > 0;
        if (!endOfPage) {
          blocks.push(text);
          continue;
        }
        const cut = k < paragraphCount - 1 && random() < 0.3 ? cutPoint(text, random) : -1;
        if (cut === -1) {
          blocks.push(text);
          breakPage(null);
        } else {
          blocks.push(text.slice(0, cut));
          breakPage(text.slice(cut));
        }
      }
      if (!affiliationPrinted || pageNotes > 0) breakPage(null);
      result.essays++;
      if (result.bytes + byteLength(blocks) >= target) break;
    }

    const text = `${blocks.join('\n\n')}\n`;
    result.files.push({ name: `synthetic-${String(fileNumber).padStart(4, '0')}.txt`, text });
    result.bytes += encoder.encode(text).length;
  }
  return result;
}

function commas(text: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '，') at.push(i);
  return at;
}

/** Commas a sentence may be cut after, keeping its head. */
function heads(text: string): number[] {
  return commas(text).filter((i) => i >= 4);
}

/** Commas a sentence may be cut at, keeping its tail. */
function tails(text: string): number[] {
  return commas(text).filter((i) => i < text.length - 4);
}

function byteLength(blocks: string[]): number {
  return Buffer.byteLength(blocks.join('\n\n'));
}

/**
 * Where a page break may cut a paragraph mid-sentence: between two Han characters after the
 * paragraph's last marker (a marker belongs to the notes printed after it, so one in the
 * continuation would belong to the next page), leaving at least ten characters on each side
 * (so neither piece can be read as a title or an author line). -1 when there is no such place.
 */
function cutPoint(text: string, random: () => number): number {
  const candidates: number[] = [];
  for (let i = Math.max(10, text.lastIndexOf('^') + 2); i < text.length - 10; i++) {
    if (isHan(text[i - 1]) && isHan(text[i])) candidates.push(i);
  }
  if (candidates.length === 0) return -1;
  return candidates[Math.floor(random() * candidates.length)] as number;
}

/** Writes a synthetic corpus into `dir` (emptied first). */
export async function writeSyntheticCorpus(dir: string, corpus: SyntheticCorpus): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const f of corpus.files) await writeFile(join(dir, f.name), f.text);
}
