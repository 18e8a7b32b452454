import { describe, expect, test } from 'vitest';
import {
  ATTRIBUTION_DASH,
  attributionMarked,
  buttonLayout,
  type FootnoteLayout,
  footnoteLayout,
  type MarkedText,
  noteMarked,
  pageText,
  piecesOf,
  quoteMarked,
  titleMarks,
} from '../../../src/core/reply/layout.js';
import type { Attribution, Locale, ReplyAction } from '../../../src/core/reply/model.js';

/** An attribution as one line of plain text, as every renderer's words read: `— 作者（单位） · 《题目》 · …`. */
const attributionText = (a: Attribution, locale: Locale) => ATTRIBUTION_DASH + attributionMarked(a, locale).text;
/** A footnote as one line of plain text: `[5] 同上，第36页 → 某部：《…》…`. */
const footnoteText = (f: FootnoteLayout, locale: Locale) => `${f.label} ${noteMarked(f, locale).text}`;

describe('buttonLayout', () => {
  const actions: ReplyAction[] = [
    { kind: 'sources', command: 'sources', input: { query: '治理' } },
    { kind: 'context', command: 'context', input: { id: 'a.1' } },
    { kind: 'more', command: 'quote', input: { query: '治理', page: 2 } },
    { kind: 'context', command: 'context', input: { id: 'a.2' } },
    { kind: 'context', command: 'context', input: { id: 'a.2' } },
  ];
  test('orders by kind, numbers repeats in their order, shows one action once', () => {
    expect(buttonLayout(actions, 'en', { private: false }).map((b) => b.label)).toEqual(['More', 'Context 1', 'Context 2', 'Sources']);
    expect(buttonLayout(actions, 'zh-CN', { private: false }).map((b) => b.label)).toEqual(['更多', '上下文 1', '上下文 2', '出处']);
  });
  test('a share button only on a private reply, the command’s own before the fallback', () => {
    const fallback: ReplyAction = { kind: 'share', command: 'quote', input: { query: 'x' } };
    expect(buttonLayout(actions, 'en', { private: false, fallback }).some((b) => b.kind === 'share')).toBe(false);
    expect(buttonLayout(actions, 'en', { private: true, fallback }).at(-1)).toEqual({ kind: 'share', fallback, label: 'Share in channel' });
    const own: ReplyAction = { kind: 'share', command: 'quote', input: { query: 'x', page: 1 } };
    expect(buttonLayout([...actions, own], 'en', { private: true, fallback }).at(-1)?.action).toBe(own);
  });
});

describe('piecesOf', () => {
  const m: MarkedText = { text: '甲乙丙丁', marks: [{ start: 1, end: 3, mark: 'highlight' }], markers: [{ offset: 2, number: 5 }] };
  test('runs of equal marking, the marker after the character before it', () => {
    expect(piecesOf(m)).toEqual([
      { kind: 'text', text: '甲', mark: null },
      { kind: 'text', text: '乙', mark: 'highlight' },
      { kind: 'marker', number: 5, label: '[5]' },
      { kind: 'text', text: '丙', mark: 'highlight' },
      { kind: 'text', text: '丁', mark: null },
    ]);
  });
  test('cut into ranges, a text shows every marker exactly once, in the range it ends', () => {
    const labels = (start: number, end: number) => piecesOf(m, start, end).flatMap((p) => (p.kind === 'marker' ? [p.label] : []));
    expect(labels(0, 2)).toEqual(['[5]']);
    expect(labels(2, 4)).toEqual([]);
    expect(piecesOf({ text: '甲', marks: [], markers: [{ offset: 0, number: 1 }] })[0]).toEqual({ kind: 'marker', number: 1, label: '[1]' });
  });
  test('overlapping highlights are joined', () => {
    expect(
      quoteMarked({
        text: '甲乙丙丁',
        highlights: [
          [0, 2],
          [1, 3],
        ],
        markers: [],
      }).marks,
    ).toEqual([{ start: 0, end: 3, mark: 'highlight' }]);
  });
});

describe('attribution and footnotes', () => {
  const attribution = { author: '王某', affiliation: '某大学', essay: '某题目', section: '一、某节', passageId: 'wang-mou-mtm.3', pages: [19, 20] };
  test('one line: who with affiliation, marked title, section, pages, passage ID', () => {
    expect(attributionText(attribution, 'zh-CN')).toBe('— 王某（某大学） · 《某题目》 · 一、某节 · 第19—20页 · wang-mou-mtm.3');
    expect(attributionText({ ...attribution, affiliation: null, pages: [19], essay: 'A Title' }, 'en')).toBe(
      '— 王某 · “A Title” · 一、某节 · p. 19 · wang-mou-mtm.3',
    );
  });
  test('pages: none, one, a range', () => {
    expect(pageText(undefined, 'en')).toBeNull();
    expect(pageText([], 'en')).toBeNull();
    expect(pageText([7, 8, 9], 'en')).toBe('pp. 7–9');
    expect(titleMarks('题目')).toBe('《题目》');
  });
  test('a short form: the printed note first, then → the citation it stands for, and its URL', () => {
    const f = footnoteLayout(
      { number: 5, printed: '同上，第36页。', text: '某部：《报告》，2025年，https://example.org/r。', urls: ['https://example.org/r'] },
      'zh-CN',
    );
    expect(footnoteText(f, 'zh-CN')).toBe('[5] 同上，第36页。 → 某部：《报告》，2025年，https://example.org/r。');
    expect(f.extraUrls).toEqual([]);
    const own = footnoteLayout({ number: 2, text: '《倡议》。', urls: ['https://example.org/i'], covers: 'passage' }, 'en');
    expect(footnoteText(own, 'en')).toBe('[2] 《倡议》。 https://example.org/i (note covers the passage)');
  });
});
