import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { essaysOf } from '../../../src/core/corpus/model.js';
import { parseCorpusFile } from '../../../src/core/corpus/parse.js';
import { resolve } from '../../../src/core/reply/excerpt.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * Random essays in the extracted format round-trip through the parser: any number of authors
 * (one to three) with their affiliations given in any of the styles journals print, headings
 * nested to any depth the four levels allow, and chains of 同上 with and without pages of
 * their own, one note a page so that every 同上 stands at the top of a page.
 */

const NAMES = ['王某', '李某', '赵某', '孙某', '周某', '吴某', '郑某', '钱某'];
const PLACES = ['北京大学国际关系学院', '清华大学国际关系学系', '复旦大学国际问题研究院'];
const CN = ['一', '二', '三', '四', '五'];

type Style = 'shared' | 'split' | 'comma';

interface Spec {
  authors: string[];
  separator: ' ' | '、' | '，';
  style: Style;
  /** Heading levels in order, each followed by that many paragraphs. */
  headings: Array<{ level: number; paragraphs: number }>;
  /** Per paragraph's note after the first: null for a bare 同上, else its page. */
  ibids: Array<number | null>;
}

const spec: fc.Arbitrary<Spec> = fc
  .record({
    count: fc.integer({ min: 1, max: 3 }),
    offset: fc.nat(NAMES.length - 1),
    separator: fc.constantFrom(' ' as const, '、' as const, '，' as const),
    style: fc.constantFrom<Style>('shared', 'split', 'comma'),
    steps: fc.array(fc.record({ deeper: fc.boolean(), back: fc.nat(3), paragraphs: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 6 }),
    ibids: fc.array(fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }), { maxLength: 8 }),
  })
  .map(({ count, offset, separator, style, steps, ibids }) => {
    let level = 1;
    const headings = steps.map((s, i) => {
      if (i > 0) level = s.deeper ? Math.min(4, level + 1) : Math.max(1, level - s.back);
      return { level, paragraphs: s.paragraphs };
    });
    // At least one paragraph, so that the essay is read as an essay.
    (headings[headings.length - 1] as { paragraphs: number }).paragraphs ||= 1;
    return { authors: Array.from({ length: count }, (_, i) => NAMES[(offset + i) % NAMES.length] as string), separator, style, headings, ibids };
  });

const affiliationOf = (s: Spec, i: number) => (s.style === 'split' ? (PLACES[i % PLACES.length] as string) : (PLACES[0] as string));

function starNote(s: Spec): string {
  if (s.authors.length === 1 || s.style === 'shared') return `* ${s.authors.join('、')}，${PLACES[0]}（北京 100871）。`;
  if (s.style === 'comma') return `* ${s.authors.join('，')}，${PLACES[0]}。`;
  return `* ${s.authors.map((a, i) => `${a}，${affiliationOf(s, i)}`).join('；')}。`;
}

/** The essay as extracted text, and what the parser must read back. */
function write(s: Spec): { text: string; paths: string[][]; notes: Array<{ printed: string; locator: string | null; inherited: boolean }> } {
  const blocks = ['随机专题', '随机生成的论文题目', s.authors.join(s.separator), '导言段落说明研究的问题。', starNote(s)];
  const counters = [0, 0, 0, 0];
  const stack: string[] = [];
  const paths: string[][] = [];
  const notes: Array<{ printed: string; locator: string | null; inherited: boolean }> = [];
  let page = 12;
  let paragraph = 0;
  for (const h of s.headings) {
    counters[h.level - 1] = (counters[h.level - 1] as number) + 1;
    for (let l = h.level; l < 4; l++) counters[l] = 0;
    const n = counters[h.level - 1] as number;
    const heading = [`${CN[(n - 1) % 5]}、主题${n}`, `（${CN[(n - 1) % 5]}）分题${n}`, `${n}. 小节${n}`, `(${n}) 细目${n}`][h.level - 1] as string;
    stack.length = h.level - 1;
    while (stack.length < h.level - 1) stack.push('');
    stack[h.level - 1] = heading;
    const path = stack.filter((x) => x !== '');
    blocks.push(heading);
    for (let k = 0; k < h.paragraphs; k++) {
      paragraph++;
      paths.push(path);
      blocks.push(`第${paragraph}段的论述在此展开。^①`);
      const index = notes.length;
      const ibid = index === 0 ? undefined : s.ibids[(index - 1) % Math.max(1, s.ibids.length)];
      if (index === 0 || ibid === undefined) {
        notes.push({
          printed: `《文献${paragraph}》，某出版社2020年版，第${page}页，https://example.org/w${paragraph}。`,
          locator: `第${page}页`,
          inherited: false,
        });
        blocks.push(`^① 《文献${paragraph}》，某出版社 2020 年版，第 ${page} 页，https://example.org/w${paragraph}。`);
      } else if (ibid === null) {
        const before = notes[index - 1] as { locator: string | null };
        notes.push({ printed: '同上。', locator: before.locator, inherited: true });
        blocks.push('^① 同上。');
      } else {
        page = ibid;
        notes.push({ printed: `同上，第${page}页。`, locator: `第${page}页`, inherited: false });
        blocks.push(`^① 同上，第 ${page} 页。`);
      }
    }
  }
  return { text: `${blocks.join('\n\n')}\n`, paths, notes };
}

describe('citation conventions, any combination', () => {
  test('authors and affiliations, nested headings and 同上 chains round-trip through the parser', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const { text, paths, notes } = write(s);
        const file = parseCorpusFile('random.txt', text);
        expect(file.warnings).toEqual([]);
        const [essay] = essaysOf({ dir: '', files: [file], version: '' });
        expect(essay?.authors.map(({ name, affiliation }) => ({ name, affiliation }))).toEqual(
          s.authors.map((name, i) => ({ name, affiliation: affiliationOf(s, i) })),
        );
        const paragraphs = essay?.sections.flatMap((sec) => sec.paragraphs.map(() => sec.path)) ?? [];
        expect(paragraphs.slice(1)).toEqual(paths);
        // Every 同上 reads back as printed, at its own page or the page of the note it repeats,
        // and stands for the full citation before it with that citation's URL.
        const full = (k: number) => {
          let j = k;
          while (j > 0 && (notes[j] as { printed: string }).printed.startsWith('同上')) j--;
          return j;
        };
        notes.forEach((note, k) => {
          const shown = resolve(essay as NonNullable<typeof essay>, k + 1, 'quote');
          const base = notes[full(k)] as { printed: string };
          expect(shown.printed).toBe(note.printed);
          expect(shown.locator ?? null).toBe(note.locator);
          expect(shown.locatorInherited ?? false).toBe(note.inherited);
          expect(shown.text).toBe(base.printed);
          expect(shown.urls).toEqual([/https:\/\/\S+?(?=。)/u.exec(base.printed)?.[0]]);
        });
      }),
      { seed: PROPERTY_SEED, numRuns: 150 },
    );
  });
});
