import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../commands/index.js';
import { actionCommandLine, displayWidth, renderReply, wrapSpans } from '../../src/console/render.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import type { Reply, ReplyBlock } from '../../src/core/reply/model.js';
import { botOver, requester } from '../support/bot.js';
import { PROPERTY_SEED } from '../support/property.js';

const URL_TEXT = 'https://www.fmprc.gov.cn/wjbxw_new/202509/t20250901_11699909.shtml';

function reply(blocks: ReplyBlock[], extra: Partial<Reply> = {}): Reply {
  return { command: 'quote', title: 'Quotes', blocks, actions: [], results: [], corpusVersion: 'v1', ...extra };
}

const attribution = {
  author: '陈志敏',
  affiliation: '复旦大学国际关系与公共事务学院教授',
  essay: '引领普惠向善的人工智能全球治理：中国的角色',
  section: '一、面向未来、引领人工智能全球治理议程设置',
  passageId: 'chen-zhimin-ylph.4',
};

const QUOTE = '“智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端，更催生“算法依附”“数字殖民”等新型治理不平等现象。';

const quoteBlock: ReplyBlock = {
  kind: 'quote',
  text: QUOTE,
  highlights: [[1, 5]],
  markers: [{ offset: QUOTE.length, number: 3 }],
  attribution,
  footnotes: [
    {
      number: 3,
      text: `《全球治理倡议概念文件》，中华人民共和国外交部官网，2025年9月1日，${URL_TEXT}。`,
      printed: `《全球治理倡议概念文件》，中华人民共和国外交部官网，2025年9月1日，${URL_TEXT}。`,
      urls: [URL_TEXT],
      covers: 'passage',
    },
  ],
};

describe('displayWidth', () => {
  test.each([
    ['abc', 3],
    ['中文', 4],
    ['，。', 4],
    ['ＡＢ', 4],
    ['𠮷', 2],
    ['e\u0301', 1],
    ['😀', 2],
    ['“”…', 3],
    ['\u001b[1m粗\u001b[0m', 2],
  ])('%s is %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('wrapSpans', () => {
  const lines = (text: string, width: number) => wrapSpans(text, width).map(([s, e]) => text.slice(s, e));

  test('Chinese breaks between characters at two columns each', () => {
    expect(lines('一二三四五六七八九十', 8)).toEqual(['一二三四', '五六七八', '九十']);
  });

  test('Latin words break only at spaces, and the spaces at a break are dropped', () => {
    expect(lines('DeepSeek-R1 and OpenAI models', 12)).toEqual(['DeepSeek-R1', 'and OpenAI', 'models']);
  });

  test('closing punctuation never starts a line and opening marks never end one', () => {
    expect(lines('一二三，四五', 6)).toEqual(['一二', '三，四', '五']);
    expect(lines('一二“三四', 6)).toEqual(['一二', '“三四']);
  });

  test('a URL is never broken, even when wider than the line', () => {
    const text = `参见${URL_TEXT}。此后`;
    const out = lines(text, 20);
    expect(out).toContain(`${URL_TEXT}。`);
    expect(out.join('')).toBe(text);
  });

  test('a surrogate pair is never split', () => {
    const text = '𠮷'.repeat(7);
    for (const width of [1, 2, 3, 5]) {
      for (const line of lines(text, width)) expect(line).toMatch(/^(?:𠮷)+$/u);
    }
  });

  test('a run of spaces counts all its columns: no line grows past the width', () => {
    // Found by the property below: two spaces used to count as one column.
    expect(lines('人工智能  人工智能', 7).map(displayWidth)).toEqual([6, 6, 6]);
    expect(lines('人工智能  人工智能', 7)).toEqual(['人工智', '能  人', '工智能']);
  });

  test('line breaks in the text are kept and leading indentation stays', () => {
    expect(lines('@misc{x,\n  title = {题},\n}', 40)).toEqual(['@misc{x,', '  title = {题},', '}']);
  });

  test('property: nothing is lost or repeated, and no line is wider than asked unless it holds an unbreakable URL', () => {
    const piece = fc.constantFrom('人工智能', '治理', '，', '。', '“', '”', 'DeepSeek-R1', ' ', 'OpenAI', '𠮷', '（', '）', URL_TEXT, 'a', '2025');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 4, max: 60 }), (pieces, width) => {
        const text = pieces.join('');
        const spans = wrapSpans(text, width);
        const out = spans.map(([s, e]) => text.slice(s, e));
        expect(out.join('').replace(/\s+/gu, '')).toBe(text.replace(/\s+/gu, ''));
        for (let i = 1; i < spans.length; i++) expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? 0);
        for (const line of out) {
          if (!line.includes('http')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
          expect(line).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/u);
        }
      }),
      { seed: PROPERTY_SEED },
    );
  });
});

describe('renderReply', () => {
  test('a quote: block quote, [n] marker, attribution line, footnote with its URL once, the covers-passage label', () => {
    const out = renderReply(reply([quoteBlock]), { width: 60, color: false });
    expect(out).toBe(
      [
        'Quotes',
        '',
        '│ “智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底',
        '  端，更催生“算法依附”“数字殖民”等新型治理不平等现象。[3]',
        '— 陈志敏（复旦大学国际关系与公共事务学院教授） · 《引领普惠',
        '  向善的人工智能全球治理：中国的角色》 · 一、面向未来、引领',
        '  人工智能全球治理议程设置 · chen-zhimin-ylph.4',
        '  [3] 《全球治理倡议概念文件》，中华人民共和国外交部官网，',
        '      2025年9月1日，',
        `      ${URL_TEXT}。`,
        '      (note covers the passage)',
      ].join('\n'),
    );
  });

  test('no line is wider than the terminal, except one holding an unbreakable URL', () => {
    for (const width of [20, 33, 48, 80]) {
      for (const line of renderReply(reply([quoteBlock]), { width, color: false }).split('\n')) {
        if (!line.includes(URL_TEXT)) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      }
    }
  });

  test('without colour there is no escape code; with colour the match is bold yellow and the marker cyan', () => {
    expect(renderReply(reply([quoteBlock]), { width: 80, color: false })).not.toContain('\u001b[');
    const coloured = renderReply(reply([quoteBlock]), { width: 80, color: true });
    expect(coloured).toContain('\u001b[1;33m智能鸿沟\u001b[0m');
    expect(coloured).toContain('\u001b[36m[3]\u001b[0m');
    expect(stripVTControlCharacters(coloured)).toBe(renderReply(reply([quoteBlock]), { width: 80, color: false }));
  });

  test('a URL the note text lacks is printed under it', () => {
    const block: ReplyBlock = {
      ...quoteBlock,
      footnotes: [{ number: 3, text: '《全球治理倡议概念文件》。', urls: [URL_TEXT], covers: 'quote' }],
    } as ReplyBlock;
    const out = renderReply(reply([block]), { width: 80, color: false });
    expect(out).toContain(`  [3] 《全球治理倡议概念文件》。\n      ${URL_TEXT}`);
    expect(out).not.toContain('covers the passage');
  });

  test('a diff shows deletions and insertions in the text without colour, in red and green with it', () => {
    const block: ReplyBlock = {
      kind: 'diff',
      ops: [
        { op: 'equal', text: '全球智能' },
        { op: 'delete', text: '鸿沟' },
        { op: 'insert', text: '差距' },
      ],
    };
    expect(renderReply(reply([block]), { width: 40, color: false })).toBe('Quotes\n\n全球智能[-鸿沟-]{+差距+}');
    expect(renderReply(reply([block]), { width: 40, color: true })).toContain('全球智能\u001b[31;9m鸿沟\u001b[0m\u001b[32;4m差距\u001b[0m');
  });

  test('a list of sources: the note, then each place that cites it', () => {
    const block: ReplyBlock = {
      kind: 'note',
      number: 2,
      text: '《全球人工智能治理倡议》。',
      urls: [URL_TEXT],
      citedBy: [{ quote: '中国倡导的《全球人工智能治理倡议》就提出', attribution: { ...attribution, affiliation: null } }],
    };
    expect(renderReply(reply([block]), { width: 80, color: false, locale: 'zh-CN' })).toBe(
      [
        'Quotes',
        '',
        '[2] 《全球人工智能治理倡议》。',
        `    ${URL_TEXT}`,
        '  引用处:',
        '    │ 中国倡导的《全球人工智能治理倡议》就提出',
        '    — 陈志敏 · 《引领普惠向善的人工智能全球治理：中国的角色》 · 一、面向未来、引',
        '      领人工智能全球治理议程设置 · chen-zhimin-ylph.4',
      ].join('\n'),
    );
  });

  test('fields hang their continuation lines under the value', () => {
    const block: ReplyBlock = { kind: 'fields', fields: [{ label: 'Sections', value: '一、甲\n二、乙' }] };
    expect(renderReply(reply([block]), { width: 40, color: false })).toBe('Quotes\n\nSections: 一、甲\n          二、乙');
  });

  test('a message shows above the blocks, and alone where it is the whole answer; an error shows only its message', () => {
    const text: ReplyBlock = { kind: 'text', text: 'Body.' };
    expect(renderReply(reply([text], { message: 'A hint.' }), { width: 80, color: false })).toBe('Quotes\n\nA hint.\n\nBody.');
    expect(renderReply(reply([], { message: 'Nothing found. Try fewer words.' }), { width: 80, color: false })).toBe('Nothing found. Try fewer words.');
    const error = reply([], { title: 'Error', message: 'bad', error: { code: 'invalid_input', message: '/quote count must be a whole number from 1 to 5.' } });
    expect(renderReply(error, { width: 80, color: false })).toBe('/quote count must be a whole number from 1 to 5.');
  });

  test('buttons become command hints a user can type back', () => {
    const actions: Reply['actions'] = [
      { kind: 'more', command: 'quote', input: { query: '智能鸿沟', page: 2 } },
      { kind: 'context', command: 'context', input: { id: 'chen-zhimin-ylph.4' } },
      { kind: 'sources', command: 'sources', input: { query: '全球 南方' } },
    ];
    expect(renderReply(reply([], { actions }), { width: 80, color: false, commands: registry })).toBe(
      ['Quotes', '', 'More: /quote 智能鸿沟 page:2', 'Context: /context chen-zhimin-ylph.4', 'Sources: /sources "全球 南方"'].join('\n'),
    );
    // Without the registry the positional option is named, which reads back the same.
    expect(actionCommandLine(actions[0] as Reply['actions'][number])).toBe('/quote query:智能鸿沟 page:2');
  });
});

describe('renderReply on real replies', () => {
  let bot: Bot;
  beforeAll(async () => {
    const corpus = await loadCorpus('data/essays');
    bot = botOver(corpus);
  });

  test('/quote 智能鸿沟: every footnote URL appears whole, every hint runs back to a reply without error', () => {
    const r = bot.runLine('/quote 智能鸿沟 count:2', requester('en', 'console', 'u'));
    const out = renderReply(r, { width: 50, color: false, commands: registry });
    const urls = r.blocks.flatMap((b) => (b.kind === 'quote' ? b.footnotes.flatMap((f) => f.urls) : []));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(out).toContain(url);
    for (const action of r.actions) {
      const again = bot.runLine(actionCommandLine(action, registry), requester('en', 'console', 'u'));
      expect(again.error, actionCommandLine(action, registry)).toBeUndefined();
    }
  });
});
