import { z } from 'zod';
import type { Essay, Section } from '../src/core/corpus/model.js';
import type { Command, CommandContext } from '../src/core/dispatch/command.js';
import { queryText } from '../src/core/dispatch/input.js';
import { affiliationLabel, authorLabel, excerpt, quoteBlock } from '../src/core/reply/excerpt.js';
import type { Reply } from '../src/core/reply/model.js';
import { WhoResult } from '../src/core/reply/results.js';
import { foldText } from '../src/core/search/fold.js';
import type { CorpusIndex, PassageHit } from '../src/core/search/search.js';
import { wordsFor } from '../src/core/words/index.js';

const options = z.object({
  text: queryText(200),
});

/** One answer: where the heading or phrase is, and the sentence shown for it. */
type Candidate = Pick<PassageHit, 'essay' | 'section' | 'paragraph' | 'start' | 'end' | 'matches'> & {
  /** What matched: a section heading, an essay title, or the words of a passage. */
  via: 'heading' | 'title' | 'phrase' | 'closest';
};

/** The most candidates listed for an ambiguous phrase. */
const CANDIDATES_MAX = 10;

/** Hits read to find the candidates; on a large corpus a phrase can occur thousands of times. */
const PHRASE_HITS_MAX = 200;

// Headings are numbered 一、 二、 … or （一）, 1. and so on; readers leave the number off.
const ORDINAL = /^\s*(?:第?[一二三四五六七八九十百零〇]+\s*[、.．,，:：]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[.．、]|[ivxlc]+\s*[.、])\s*/iu;

/** A heading or title as compared: folded, its ordinal dropped, letters and digits only. */
export function headingKey(text: string): string {
  return foldText(text)
    .replace(ORDINAL, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export default {
  name: 'who',
  words: (locale) => wordsFor(locale).commands.who,
  options,
  result: WhoResult,
  positional: 'text',
  run(input, ctx) {
    const candidates = findCandidates(input.text, ctx);
    const base: Reply<never> = {
      command: 'who',
      title: wordsFor(ctx.locale).commands.who.title,
      blocks: [],
      actions: [],
      results: [],
      corpusVersion: ctx.corpus.version,
    };
    if (candidates.length === 0) {
      return {
        ...base,
        message: wordsFor(ctx.locale).commands.who.nothing,
      };
    }
    const blocks = candidates.map((c) => quoteBlock(c.essay, c.section, c.paragraph, excerpt(c.paragraph, c.start, c.end, c.matches), ctx.locale));
    const results = candidates.map((c, i) => ({
      author: authorLabel(c.essay, ctx.locale),
      affiliation: affiliationLabel(c.essay),
      essay: c.essay.title,
      section: c.section.heading,
      sectionPath: c.section.path,
      quote: blocks[i]?.text ?? '',
      id: c.paragraph.id,
      match: c.via,
    }));
    const closest = candidates.every((c) => c.via === 'closest');
    const message = closest
      ? wordsFor(ctx.locale).commands.who.closest
      : candidates.length > 1
        ? wordsFor(ctx.locale).commands.who.many(candidates.length)
        : undefined;
    return {
      ...base,
      ...(message ? { message } : {}),
      blocks,
      actions: candidates.slice(0, 5).map((c) => ({ kind: 'context' as const, command: 'context', input: { id: c.paragraph.id } })),
      results,
    };
  },
} satisfies Command<typeof options, typeof WhoResult>;

function findCandidates(text: string, ctx: CommandContext): Candidate[] {
  const key = headingKey(text);
  const found: Candidate[] = [];
  const seen = new Set<string>();
  const add = (c: Candidate) => {
    const k = placeKey(c.essay, c.section);
    if (seen.has(k) || found.length >= CANDIDATES_MAX) return;
    seen.add(k);
    found.push(c);
  };
  const essays = ctx.index.findEssays('');

  if (key.length > 0) {
    for (const essay of essays) {
      if (found.length >= CANDIDATES_MAX) break;
      if (matchesName(ctx.index, essay.title, key)) {
        const opening = openingOf(
          essay,
          essay.sections.find((s) => s.paragraphs.length > 0),
        );
        if (opening) add({ ...opening, via: 'title' });
      }
      essay.sections.forEach((section, i) => {
        if (section.heading === null || !matchesName(ctx.index, section.heading, key)) return;
        // A heading with no paragraph of its own (`一、` directly followed by `（一）`) opens with
        // the first passage of the sections under it.
        const opening = openingOf(essay, firstWithText(essay.sections, i));
        if (opening) add({ ...opening, via: 'heading' });
      });
    }
  }
  // A heading or title names the place; a phrase is looked up in the text as well, since the
  // same words may be a heading in one essay and a sentence in another.
  // Passages holding the phrase only: on a large corpus that scores a few sentences, not
  // every one sharing a term with it. The closest passage is looked for only if none does.
  const hits = ctx.index.search(text, {}, { limit: PHRASE_HITS_MAX, exactOnly: true });
  for (const hit of hits) {
    if (found.length >= CANDIDATES_MAX) break;
    if (seen.has(placeKey(hit.essay, hit.section))) continue;
    add({ essay: hit.essay, section: hit.section, paragraph: hit.paragraph, start: hit.start, end: hit.end, matches: hit.matches, via: 'phrase' });
  }
  const closest = found.length === 0 ? ctx.index.search(text, {}, { limit: 1 })[0] : undefined;
  if (closest) {
    const hit = closest;
    add({ essay: hit.essay, section: hit.section, paragraph: hit.paragraph, start: hit.start, end: hit.end, matches: hit.matches, via: 'closest' });
  }
  return found;
}

/**
 * Keys of the corpus's headings and titles, worked out once per index: /who reads all of them
 * on every call. Kept beside the index built for each corpus version, so a reload starts
 * afresh and the old keys go with the old index; only names from the corpus are keyed (never
 * typed text), so each map is bounded by the corpus's headings and titles.
 */
const keysByIndex = new WeakMap<CorpusIndex, Map<string, string>>();

function cachedKey(index: CorpusIndex, name: string): string {
  let keys = keysByIndex.get(index);
  if (!keys) {
    keys = new Map();
    keysByIndex.set(index, keys);
  }
  let key = keys.get(name);
  if (key === undefined) {
    key = headingKey(name);
    keys.set(name, key);
  }
  return key;
}

/** One candidate per section of an essay. */
function placeKey(essay: Essay, section: Section): string {
  return `${essay.id}\u0000${section.heading ?? ''}`;
}

/** True when a heading or title and the typed key name each other: one holds the other. */
function matchesName(index: CorpusIndex, name: string, key: string): boolean {
  const own = cachedKey(index, name);
  if (own.length === 0) return false;
  // A key of one character would match half the headings of the corpus.
  return (key.length >= 2 && own.includes(key)) || (own.length >= 2 && key.includes(own) && own.length * 2 >= key.length);
}

/** The section at `i` if it has paragraphs, else the first under it (deeper, before the next of its level) that has. */
function firstWithText(sections: Section[], i: number): Section | undefined {
  const top = sections[i];
  if (!top) return undefined;
  for (let k = i; k < sections.length; k++) {
    const s = sections[k] as Section;
    if (k > i && s.level <= top.level) return undefined;
    if (s.paragraphs.length > 0) return s;
  }
  return undefined;
}

/** The first sentence under a heading, quoted for it. */
function openingOf(essay: Essay, section: Section | undefined): Omit<Candidate, 'via'> | null {
  const paragraph = section?.paragraphs[0];
  if (!section || !paragraph) return null;
  const first = paragraph.sentences[0] ?? { start: 0, end: paragraph.text.length };
  return { essay, section, paragraph, start: first.start, end: first.end, matches: [] };
}
