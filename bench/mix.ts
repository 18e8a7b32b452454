import { type Corpus, essaysOf, sentenceText } from '../src/core/corpus/model.js';
import { type Command, optionSpecs } from '../src/core/dispatch/command.js';
import type { CorpusIndex } from '../src/core/search/search.js';
import type { LabelledQuery } from './quality.js';

/**
 * The query mix each command is timed on, built from the corpus at hand so that it means the
 * same on the bundled and the synthetic corpora. Inputs go through `bot.run` as raw option
 * values, the way a slash command delivers them. Which text goes into which option is read off
 * the command's zod schema by option name, so a command whose options change still gets a mix
 * (and one whose option is unknown gets the labelled queries).
 */

export interface MixMaterial {
  queries: Array<{ query: string; author?: string }>;
  authors: string[];
  headings: string[];
  passageIds: string[];
  essayTargets: string[];
  sentences: string[];
  commandNames: string[];
}

/** Every `step`-th element, up to `max`: a deterministic spread over the whole list. */
function spread<T>(list: readonly T[], max: number): T[] {
  if (list.length <= max) return [...list];
  const step = list.length / max;
  return Array.from({ length: max }, (_, i) => list[Math.floor(i * step)] as T);
}

export function mixMaterial(corpus: Corpus, index: CorpusIndex, labelled: LabelledQuery[], commandNames: string[]): MixMaterial {
  const essays = essaysOf(corpus);
  const authorEntries = index.findAuthors('');
  const authorNames = new Set(authorEntries.map((a) => a.name));
  const paragraphs = essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs));
  const sentences = spread(
    paragraphs.flatMap((p) => p.sentences.map((s) => sentenceText(p, s))).filter((s) => s.length >= 10 && s.length <= 150),
    20,
  );
  // A filter on an author this corpus lacks would only time the "no such author" reply.
  const substitutes = spread(authorEntries, 10).map((a) => a.name);
  const queries = labelled.map((q, i) => {
    if (q.author === undefined) return { query: q.query };
    const author = authorNames.has(q.author) || index.findAuthors(q.author).length > 0 ? q.author : substitutes[i % substitutes.length];
    return author === undefined ? { query: q.query } : { query: q.query, author };
  });
  return {
    queries,
    authors: spread(authorEntries, 10).flatMap((a) => [a.name, a.pinyin]),
    headings: spread(
      essays.flatMap((e) => e.sections.flatMap((s) => (s.heading === null ? [] : [s.heading]))),
      10,
    )
      // The heading whole, and a piece of it without its numbering (`一、`), as one recalls it.
      .flatMap((h) => [h, h.slice(2, 10)])
      .filter((h) => h.length >= 2),
    passageIds: spread(paragraphs, 20).map((p) => p.id),
    essayTargets: spread(essays, 10).flatMap((e) => [e.id, e.title.slice(0, 8)]),
    // Verbatim, with other punctuation, and with one character changed: /verify's three outcomes.
    sentences: sentences.flatMap((s) => [s, s.replace(/[，。]/gu, (c) => (c === '，' ? ',' : '.')), `${s.slice(0, 4)}大${s.slice(5)}`]),
    commandNames,
  };
}

/** Raw inputs for one command. */
export function commandMix(command: Command, m: MixMaterial): Array<Record<string, unknown>> {
  const specs = optionSpecs(command);
  const main = specs.find((s) => s.name === command.positional) ?? specs.find((s) => s.required);
  if (!main) return [{}];
  const has = (name: string) => specs.some((s) => s.name === name);
  const values = (): Array<Record<string, unknown>> => {
    switch (main.name) {
      case 'name':
        return m.authors.map((v) => ({ name: v }));
      case 'target':
        return [...m.passageIds, ...m.essayTargets].map((v) => ({ target: v }));
      case 'sentence':
        return m.sentences.map((v) => ({ sentence: v }));
      case 'command':
        return m.commandNames.map((v) => ({ command: v }));
      case 'id':
        return m.passageIds.map((v) => ({ id: v }));
      case 'text':
        return [...m.queries.map((q) => ({ text: q.query })), ...m.headings.map((h) => ({ text: h }))];
      default:
        return m.queries.map((q) => ({ [main.name]: q.query, ...(q.author !== undefined && has('author') ? { author: q.author } : {}) }));
    }
  };
  const list = values();
  // An optional main option is also timed absent (/help alone, /sources of everything).
  return main.required ? list : [{}, ...list];
}

/**
 * Seeded draws for a load mix: a phrase of 2–6 characters from inside a sentence (away from
 * its punctuation), and an author by name or by pinyin.
 */
export function loadDraws(next: () => number, sentences: readonly string[], authors: ReadonlyArray<{ name: string; pinyin: string }>) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const phrase = (from: readonly string[] = sentences): string => {
    const s = pick(from.length > 0 ? from : sentences).replace(/[\p{P}\s\d]/gu, '');
    const length = 2 + Math.floor(next() * 5);
    const start = Math.floor(next() * Math.max(1, s.length - length));
    return s.slice(start, start + length);
  };
  const author = (): string => {
    const a = pick(authors);
    return next() < 0.5 ? a.name : a.pinyin;
  };
  return { pick, phrase, author };
}
