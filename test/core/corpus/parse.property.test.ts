import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCorpusBytes, parseCorpusFile } from '../../../src/core/corpus/load.js';
import { type CorpusFile, citationOf, type Essay } from '../../../src/core/corpus/model.js';
import { CIRCLED } from '../../../src/core/corpus/text.js';
import { PROPERTY_SEED } from '../../support/property.js';

/*
 * Round trip: essays are generated as a model (paragraphs of real corpus sentences with
 * footnote markers), printed in the corpus format with page breaks at random places (inside
 * paragraphs, mid-word), notes numbered per page, the affiliation note at a page break and the
 * last page's notes printed after the next essay has begun; then parsed. The parser must give
 * back every paragraph whole and every marker's own note.
 */

const bundled = parseCorpusFile('bundled.txt', readFileSync('data/essays/global-governance-symposium.txt', 'utf8'));
const SENTENCES = bundled.essays
  .flatMap((e) => e.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.sentences.map((x) => p.text.slice(x.start, x.end)))))
  // A paragraph opening with 编者按： is an editor's note, not an essay's paragraph.
  .filter((s) => /[。！？”]$/u.test(s) && !s.startsWith('编者按'))
  .concat(['DeepSeek-R1模型降低了门槛。', 'The index is built from sentences, one paragraph at a time.', '“MAZU”系统已投入使用。']);
const CIRCLED_MARKS = Array.from({ length: 20 }, (_, i) => String.fromCodePoint(0x2460 + i));

interface ModelParagraph {
  sentences: string[];
  /** Indices of sentences followed by a footnote marker. */
  noted: boolean[];
}
interface ModelEssay {
  title: string;
  author: string;
  paragraphs: ModelParagraph[];
}

const hanName = fc
  .constantFrom('王', '李', '张', '刘', '陈', '杨', '赵', '黄')
  .chain((surname) =>
    fc
      .array(fc.constantFrom('伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '杰', '涛'), { minLength: 1, maxLength: 2 })
      .map((given) => surname + given.join('')),
  );
const title = fc
  .array(fc.constantFrom(...'全球治理数字经济人工智能国际合作规则秩序发展安全'.split('')), { minLength: 6, maxLength: 16 })
  .map((cs) => cs.join(''));
const paragraph: fc.Arbitrary<ModelParagraph> = fc
  .array(fc.tuple(fc.constantFrom(...SENTENCES), fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((pairs) => ({ sentences: pairs.map((p) => p[0]), noted: pairs.map((p) => p[1]) }));
const essay: fc.Arbitrary<ModelEssay> = fc.record({ title, author: hanName, paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 5 }) });
/** Per paragraph, the fractions of its length where a page breaks it (possibly none). */
const breaks = fc.array(fc.array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { maxLength: 2 }), { minLength: 5, maxLength: 5 });

const PAGE_MIN = 60;

interface Printed {
  text: string;
  /** For each essay, for each paragraph, the ids of the notes its markers cite, in order. */
  notes: number[][][];
}

/**
 * Prints essays as a PDF extraction does. The page runs on across an essay boundary, so the
 * last page of one essay and the first of the next share one block of notes, numbered on.
 */
function print(essays: ModelEssay[], cuts: number[][][]): Printed {
  const out: string[] = [];
  const notes: number[][][] = [];
  let noteId = 0;
  let page: number[] = [];
  let stars: string[] = [];
  const block = (s: string) => out.push(s, '');
  // Markers are placeholders until printed: their mark depends on the page they land on.
  const printPiece = (piece: string) =>
    block(
      piece.replace(/\uE001(\d+)\uE002/gu, (_, id: string) => {
        page.push(Number(id));
        return `^${CIRCLED_MARKS[page.length - 1]}`;
      }),
    );
  const closePage = () => {
    for (const [i, id] of page.entries())
      block(`${i % 2 === 0 ? '^' : ''}${CIRCLED_MARKS[i]} 《文献${id}》，2024 年 ${1 + (id % 12)} 月，https://example.org/n${id}。`);
    for (const star of stars) block(star);
    page = [];
    stars = [];
  };
  essays.forEach((e, k) => {
    block(e.title);
    block(e.author);
    stars.push(`* ${e.author}，某大学教授（北京 100000）。`);
    notes.push([]);
    e.paragraphs.forEach((p, pi) => {
      let raw = '';
      const ids: number[] = [];
      p.sentences.forEach((s, si) => {
        raw += s;
        if (p.noted[si]) {
          ids.push(++noteId);
          raw += `\uE001${noteId}\uE002`;
        }
      });
      notes[k]?.push(ids);
      // Cut only after a Chinese character or a comma: there a page break leaves the
      // paragraph visibly unfinished (after 。 it would read as the paragraph's end).
      const positions = [...new Set((cuts[k]?.[pi] ?? []).map((f) => Math.floor(f * raw.length)))]
        // (A break at a space swallows it, as print does, so none is made there.)
        .filter((at) => /[\p{Script=Han}，]/u.test(raw[at - 1] ?? '') && raw[at] !== '\uE001' && !/\s/u.test(raw[at] ?? ''))
        .sort((a, b) => a - b)
        // A printed page holds far more than a line: two breaks are never a few characters apart.
        .filter((at, i, all) => i === 0 || at - (all[i - 1] as number) >= PAGE_MIN);
      let start = 0;
      for (const at of positions) {
        printPiece(raw.slice(start, at));
        closePage();
        start = at;
      }
      printPiece(raw.slice(start));
    });
  });
  closePage();
  return { text: out.join('\n'), notes };
}

function paragraphsOf(e: Essay) {
  return e.sections.flatMap((s) => s.paragraphs);
}

describe('parser properties', () => {
  test('page breaks anywhere and notes printed late: paragraphs come back whole, markers find their own notes', () => {
    fc.assert(
      fc.property(fc.array(essay, { minLength: 1, maxLength: 2 }), fc.array(breaks, { minLength: 2, maxLength: 2 }), (essays, cuts) => {
        fc.pre(new Set(essays.map((e) => e.author)).size === essays.length && new Set(essays.map((e) => e.title)).size === essays.length);
        const printed = print(essays, cuts);
        const file = parseCorpusFile('generated.txt', printed.text);
        expect(file.essays).toHaveLength(essays.length);
        file.essays.forEach((parsed, k) => {
          const model = essays[k] as ModelEssay;
          expect(parsed.authors).toEqual([
            { name: model.author, affiliation: '某大学教授', bio: `${model.author}，某大学教授（北京100000）`, address: '北京100000' },
          ]);
          expect(paragraphsOf(parsed).map((p) => p.text)).toEqual(model.paragraphs.map((p) => p.sentences.join('')));
          paragraphsOf(parsed).forEach((p, pi) => {
            const expectedIds = printed.notes[k]?.[pi] ?? [];
            const urls = p.markers.map((m) => {
              const note = parsed.footnotes.find((n) => n.number === m.footnote);
              return note ? citationOf(parsed, note).urls[0] : 'none';
            });
            expect(urls).toEqual(expectedIds.map((id) => `https://example.org/n${id}`));
          });
        });
        expect(file.warnings.filter((w) => !w.message.startsWith('paragraph ends mid-sentence'))).toEqual([]);
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });

  const source = readFileSync('data/essays/global-governance-symposium.txt');

  /**
   * Letters and digits of the text blocks, which must all reappear in the model. A note runs
   * on over the lines after it until a blank line, as a hard-wrapped note does.
   */
  function letters(text: string): number {
    let n = 0;
    let inNote = false;
    for (const line of text.replace(/^\uFEFF/u, '').split(/\r\n?|\n/u)) {
      if (line.trim() === '') inNote = false;
      if (new RegExp(`^\\s*\\^?[${CIRCLED}]`, 'u').test(line) || /^\s*[*＊]\s*\S/u.test(line)) inNote = true;
      if (inNote) continue;
      n += (line.replace(new RegExp(`\\^[${CIRCLED}]`, 'gu'), '').match(/[\p{L}\p{N}]/gu) ?? []).length;
    }
    return n;
  }
  function modelLetters(f: CorpusFile): number {
    const count = (s: string | null) => (s ?? '').match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    let n = count(f.symposium);
    for (const e of f.essays) {
      if (e.kind === 'essay' && e.authors.length > 0) n += count(e.title) + e.authors.reduce((m, a) => m + count(a.name), 0);
      for (const s of e.sections) n += count(s.heading) + s.paragraphs.reduce((m, p) => m + count(p.text), 0);
    }
    return n;
  }

  test('any bytes: truncated anywhere, random, with a BOM or CRLF: never throws, never loses a letter of text', () => {
    const mutated = fc.oneof(
      fc.nat({ max: source.length }).map((at) => source.subarray(0, at)),
      fc.uint8Array({ maxLength: 2000 }),
      fc.string({ unit: 'grapheme', maxLength: 500 }).map((s) => Buffer.from(s)),
      fc.constant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(source.toString('utf8').replace(/\n/gu, '\r\n'))])),
      fc.array(fc.constantFrom(...source.toString('utf8').split('\n')), { maxLength: 60 }).map((lines) => Buffer.from(lines.join('\n'))),
    );
    fc.assert(
      fc.property(mutated, (bytes) => {
        const file = parseCorpusBytes('x.txt', bytes);
        let text: string | null = null;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          text = null;
        }
        if (text === null || text.includes('\0')) {
          expect(file.essays).toEqual([]);
          expect(file.warnings).toHaveLength(1);
          return;
        }
        expect(modelLetters(file)).toBe(letters(text));
      }),
      { seed: PROPERTY_SEED, numRuns: 400 },
    );
  });
});
