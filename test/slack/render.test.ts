import { describe, expect, it } from 'vitest';
import type { Attribution, Reply } from '../../src/core/reply/model.js';
import {
  contextBlock,
  escapeSlack,
  messageChars,
  parseButtonValue,
  plainFromSlack,
  replyToBlockKit,
  SLACK_BLOCKS_TEXT_DOCUMENTED_MAX,
  SLACK_BUTTON_TEXT_MAX,
  SLACK_BUTTON_VALUE_MAX,
  SLACK_CONTEXT_ELEMENTS_MAX,
  SLACK_HEADER_MAX,
  SLACK_MAX_BLOCKS,
  SLACK_MESSAGE_CHARS_BUDGET,
  SLACK_SECTION_TEXT_MAX,
  type SlackBlock,
  type SlackMessage,
  slackLink,
} from '../../src/slack/render.js';

const attribution: Attribution = {
  author: '陈志敏',
  affiliation: '复旦大学国际关系与公共事务学院教授',
  essay: '引领普惠向善的人工智能全球治理：中国的角色',
  section: '一、面向未来、引领人工智能全球治理议程设置',
  passageId: 'chen-zhimin-ylph.4',
};

function quoteReply(text: string, extra: Partial<Reply> = {}): Reply {
  return {
    command: 'quote',
    title: '智能鸿沟',
    blocks: [
      {
        kind: 'quote',
        text,
        highlights: [[0, 2]],
        markers: [{ offset: 4, number: 3 }],
        attribution,
        footnotes: [
          {
            number: 3,
            text: '《人工智能全球治理行动计划（全文）》，中华人民共和国外交部官网。',
            printed: '《人工智能全球治理行动计划（全文）》，中华人民共和国外交部官网。',
            urls: ['https://www.mfa.gov.cn/zyxw/202507/t20250726_11677803.shtml'],
            covers: 'quote',
          },
        ],
      },
    ],
    actions: [
      { kind: 'more', command: 'quote', input: { query: '智能鸿沟', page: 2 } },
      { kind: 'context', command: 'context', input: { passage: 'chen-zhimin-ylph.4' } },
      { kind: 'sources', command: 'sources', input: { passage: 'chen-zhimin-ylph.4' } },
    ],
    results: [{}],
    corpusVersion: 'v1',
    ...extra,
  };
}

/** Every text a message puts in front of a reader, fallback text included. */
function texts(message: SlackMessage): string[] {
  const out = [message.text];
  for (const b of message.blocks) {
    if (b.type === 'header') out.push(b.text.text);
    if (b.type === 'section') out.push(...('text' in b ? [b.text.text] : b.fields.map((f) => f.text)));
    if (b.type === 'context') out.push(...b.elements.map((e) => e.text));
    if (b.type === 'actions') out.push(...b.elements.flatMap((e) => [e.text.text, e.value]));
  }
  return out;
}

function assertWithinLimits(messages: SlackMessage[]): void {
  for (const m of messages) {
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(messageChars(m)).toBeLessThanOrEqual(SLACK_MESSAGE_CHARS_BUDGET);
    for (const b of m.blocks) {
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_HEADER_MAX);
      if (b.type === 'section' && 'text' in b) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT_MAX);
      if (b.type === 'actions')
        for (const e of b.elements) {
          expect(e.text.text.length).toBeLessThanOrEqual(SLACK_BUTTON_TEXT_MAX);
          expect(e.value.length).toBeLessThanOrEqual(SLACK_BUTTON_VALUE_MAX);
        }
    }
  }
}

/** Markup that would notify people or link users/channels. Our own links are `<http…|…>`. */
const DANGEROUS = /<[!@#]|<(?!https?:\/\/)/u;

describe('escaping', () => {
  it('escapes the three markup characters and nothing else', () => {
    expect(escapeSlack('a & b <!everyone> <@U123> *x*')).toBe('a &amp; b &lt;!everyone&gt; &lt;@U123&gt; *x*');
  });

  it('makes links whose URL cannot end the link early', () => {
    expect(slackLink('https://example.org/a|b>c<d e&f')).toBe('<https://example.org/a%7Cb%3Ec%3Cd%20e&amp;f|https://example.org/a%7Cb%3Ec%3Cd%20e&amp;f>');
    expect(slackLink('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(slackLink('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('replyToBlockKit', () => {
  it('renders a quote: header, block quote with bold highlight and marker, attribution, footnote link, buttons', () => {
    const [message, ...rest] = replyToBlockKit(quoteReply('智能鸿沟正在扩大。'), {
      locale: 'en',
      visibility: 'ephemeral',
      share: { c: 'quote', l: '智能鸿沟' },
    });
    expect(rest).toEqual([]);
    expect(message?.text).toBe('智能鸿沟');
    expect(message?.blocks).toEqual<SlackBlock[]>([
      { type: 'header', text: { type: 'plain_text', text: '智能鸿沟', emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: '>\u200B*智能*\u200B鸿沟[3]正在扩大。', verbatim: true } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: '— 陈志敏（复旦大学国际关系与公共事务学院教授） · 《引领普惠向善的人工智能全球治理：中国的角色》 · 一、面向未来、引领人工智能全球治理议程设置 · chen-zhimin-ylph.4',
            verbatim: true,
          },
        ],
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '[3] 《人工智能全球治理行动计划（全文）》，中华人民共和国外交部官网。 <https://www.mfa.gov.cn/zyxw/202507/t20250726_11677803.shtml|https://www.mfa.gov.cn/zyxw/202507/t20250726_11677803.shtml>',
          verbatim: true,
        },
      },
      {
        type: 'actions',
        block_id: 'yinzheng-actions',
        elements: [
          {
            type: 'button',
            action_id: 'yinzheng:more:0',
            text: { type: 'plain_text', text: 'More', emoji: false },
            value: '{"c":"quote","i":{"query":"智能鸿沟","page":2}}',
          },
          {
            type: 'button',
            action_id: 'yinzheng:context:1',
            text: { type: 'plain_text', text: 'Context', emoji: false },
            value: '{"c":"context","i":{"passage":"chen-zhimin-ylph.4"}}',
          },
          {
            type: 'button',
            action_id: 'yinzheng:sources:2',
            text: { type: 'plain_text', text: 'Sources', emoji: false },
            value: '{"c":"sources","i":{"passage":"chen-zhimin-ylph.4"}}',
          },
          {
            type: 'button',
            action_id: 'yinzheng:share:3',
            text: { type: 'plain_text', text: 'Share in channel', emoji: false },
            value: '{"c":"quote","l":"智能鸿沟"}',
            style: 'primary',
          },
        ],
      },
    ]);
  });

  it('button values read back into the state they carry', () => {
    const [message] = replyToBlockKit(quoteReply('智能鸿沟。'), { locale: 'en', visibility: 'ephemeral', share: { c: 'quote', l: '智能鸿沟 author:陈志敏' } });
    const actions = message?.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => parseButtonValue(e.value))).toEqual([
      { c: 'quote', i: { query: '智能鸿沟', page: 2 } },
      { c: 'context', i: { passage: 'chen-zhimin-ylph.4' } },
      { c: 'sources', i: { passage: 'chen-zhimin-ylph.4' } },
      { c: 'quote', l: '智能鸿沟 author:陈志敏' },
    ]);
    expect(parseButtonValue('not json')).toBeNull();
    expect(parseButtonValue('{"c":"quote"}')).toBeNull();
  });

  it('a public message has no share button, and zh-CN labels are used for zh-CN', () => {
    const [message] = replyToBlockKit(quoteReply('智能鸿沟。'), { locale: 'zh-CN', visibility: 'in_channel', share: { c: 'quote', l: 'x' } });
    const actions = message?.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => e.text.text)).toEqual(['更多', '上下文', '出处']);
  });

  it('escapes hostile corpus and user text everywhere, so no mention or channel link can come out', () => {
    const hostile = '<!everyone> <!channel> <!here> <@U0123> <#C0123> <!subteam^S1> & <https://evil.example|click>';
    const reply: Reply = {
      ...quoteReply(hostile),
      title: hostile,
      message: hostile,
      blocks: [
        {
          ...(quoteReply(hostile).blocks[0] as Extract<Reply['blocks'][number], { kind: 'quote' }>),
          attribution: { ...attribution, author: hostile, section: hostile },
        },
        { kind: 'note', number: 1, text: hostile, urls: ['https://x.example/<!here>|a'], citedBy: [{ quote: hostile, attribution }] },
        { kind: 'text', text: hostile },
        { kind: 'fields', fields: [{ label: hostile, value: hostile }] },
        {
          kind: 'diff',
          ops: [
            { op: 'equal', text: hostile },
            { op: 'insert', text: '<!here>' },
            { op: 'delete', text: '<@U1>' },
          ],
        },
      ],
      actions: [{ kind: 'more', command: 'quote', input: { query: hostile } }],
    };
    const messages = replyToBlockKit(reply, { locale: 'en', visibility: 'ephemeral', share: { c: 'quote', l: hostile } });
    const all = messages.flatMap(texts);
    expect(all.length).toBeGreaterThan(10);
    for (const t of all.filter((x) => !x.startsWith('{'))) expect(t).not.toMatch(DANGEROUS);
    expect(all.filter((t) => t.includes('&lt;!everyone&gt;')).length).toBeGreaterThanOrEqual(8);
    // The URL's `<`, `>` and `|` are percent-encoded, so the link ends where it should.
    expect(all.some((t) => t.includes('<https://x.example/%3C!here%3E%7Ca|https://x.example/%3C!here%3E%7Ca>'))).toBe(true);
    assertWithinLimits(messages);
  });

  it('splits a reply that would exceed the limits into several messages at sentence ends', () => {
    const sentence = '人工智能治理攸关全人类的共同命运，需要各国携手应对&挑战<>。';
    const long = sentence.repeat(1200);
    const reply = quoteReply(long, {
      blocks: Array.from({ length: 3 }, () => quoteReply(long).blocks[0] as Reply['blocks'][number]),
    });
    const messages = replyToBlockKit(reply, { locale: 'en', visibility: 'ephemeral', share: { c: 'quote', l: '智能鸿沟' } });
    expect(messages.length).toBeGreaterThan(1);
    assertWithinLimits(messages);
    expect(messages[0]?.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '智能鸿沟', emoji: false } });
    expect(messages.slice(0, -1).some((m) => m.blocks.some((b) => b.type === 'actions'))).toBe(false);
    expect(messages.at(-1)?.blocks.at(-1)?.type).toBe('actions');
    expect(messages.map((m) => m.text)).toEqual(messages.map((_, i) => `智能鸿沟 (${i + 1}/${messages.length})`));
    // Every piece of quoted text ends at a sentence end, and nothing is lost.
    const quoted = messages
      .flatMap((m) => m.blocks)
      .filter((b): b is Extract<SlackBlock, { type: 'section'; text: unknown }> => b.type === 'section' && 'text' in b && b.text.text.startsWith('>'));
    for (const q of quoted) expect(q.text.text.endsWith('。')).toBe(true);
    const plainText = quoted
      .map((q) =>
        q.text.text
          .slice(1)
          .replace(/\u200B\*|\*\u200B|\[3\]/gu, '')
          .replace(/&lt;/gu, '<')
          .replace(/&gt;/gu, '>')
          .replace(/&amp;/gu, '&'),
      )
      .join('');
    expect(plainText).toBe(long.repeat(3));
  });

  it('keeps a long title inside the header limit without cutting an entity', () => {
    const [message] = replyToBlockKit({ ...quoteReply('短。'), title: '&'.repeat(200) }, { locale: 'en', visibility: 'in_channel' });
    const header = message?.blocks[0];
    expect(header?.type).toBe('header');
    const text = header?.type === 'header' ? header.text.text : '';
    expect(text.length).toBeLessThanOrEqual(SLACK_HEADER_MAX);
    expect(text).toBe(`${'&amp;'.repeat(29)}…`);
  });

  it('renders an error reply as its message alone', () => {
    const messages = replyToBlockKit(
      {
        command: 'quote',
        title: 'Error',
        message: '/quote query is required: words to find',
        blocks: [],
        actions: [],
        results: [],
        corpusVersion: 'v1',
        error: { code: 'invalid_input', message: '/quote query is required: words to find' },
      },
      { locale: 'en', visibility: 'ephemeral' },
    );
    expect(messages).toEqual([
      {
        text: '/quote query is required: words to find',
        // The layout says an error alone, as Discord and the console do: no header over it.
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '/quote query is required: words to find', verbatim: true } }],
      },
    ]);
  });

  it('caps the number of messages, keeps the beginning and the buttons, and says the rest was left out', () => {
    const long = '人工智能治理攸关全人类的共同命运。'.repeat(3000);
    const uncapped = replyToBlockKit(quoteReply(long), { locale: 'en', visibility: 'ephemeral' });
    expect(uncapped.length).toBeGreaterThan(5);
    const capped = replyToBlockKit(quoteReply(long), { locale: 'en', visibility: 'ephemeral', maxMessages: 5 });
    expect(capped.length).toBe(5);
    expect(capped.slice(0, 4).map((m) => m.blocks)).toEqual(uncapped.slice(0, 4).map((m) => m.blocks));
    const last = capped[4]?.blocks ?? [];
    expect(last.slice(0, -2)).toEqual(uncapped[4]?.blocks.slice(0, last.length - 2));
    expect(last.slice(-2)).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'The rest of this answer did not fit in Slack. Narrow the query to see it.', verbatim: true }] },
      uncapped.at(-1)?.blocks.at(-1),
    ]);
    assertWithinLimits(capped);
    const one = replyToBlockKit(quoteReply(long), { locale: 'en', visibility: 'ephemeral', maxMessages: 1 });
    expect(one).toHaveLength(1);
    expect(one[0]?.blocks.at(-1)?.type).toBe('actions');
    assertWithinLimits(one);
  });
});

describe('plainFromSlack', () => {
  it('reads a Slack message text back into what a reader sees', () => {
    expect(plainFromSlack('see <https://a.example/x|the page> and <https://b.example> &lt;b&gt; &amp; <@U123> <#C1|general> <!here>')).toBe(
      'see the page and https://b.example <b> &  general ',
    );
  });
});

describe('buttons', () => {
  it('numbers repeated buttons of one kind, in order', () => {
    const reply = quoteReply('智能鸿沟。', {
      actions: [
        { kind: 'context', command: 'context', input: { id: 'a.1' } },
        { kind: 'more', command: 'quote', input: { query: 'x', page: 2 } },
        { kind: 'context', command: 'context', input: { id: 'a.2' } },
      ],
    });
    const [message] = replyToBlockKit(reply, { locale: 'en', visibility: 'in_channel' });
    const actions = message?.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => [e.action_id, e.text.text, e.value])).toEqual([
      ['yinzheng:more:0', 'More', '{"c":"quote","i":{"query":"x","page":2}}'],
      ['yinzheng:context:1', 'Context 1', '{"c":"context","i":{"id":"a.1"}}'],
      ['yinzheng:context:2', 'Context 2', '{"c":"context","i":{"id":"a.2"}}'],
    ]);
  });
});

describe('preface and revisions', () => {
  /** A reply of 120 short text blocks: every message it takes is full to 50 blocks. */
  const blocky: Reply = {
    command: 'quote',
    title: '许多短段落',
    blocks: Array.from({ length: 120 }, (_, i) => ({ kind: 'text' as const, text: `第${i + 1}段。` })),
    actions: [],
    results: [{}],
    corpusVersion: 'v1',
  };
  const sharedBy: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: 'Shared by <@U1>', verbatim: true }] };

  it('the Shared by line opens the first message and counts against its 50 blocks, so a full message stays at 50', () => {
    const plain = replyToBlockKit(blocky, { locale: 'en', visibility: 'in_channel' });
    const prefaced = replyToBlockKit(blocky, { locale: 'en', visibility: 'in_channel', sharedBy: { id: 'U1', name: 'u1' } });
    expect(plain[0]?.blocks).toHaveLength(SLACK_MAX_BLOCKS);
    expect(prefaced[0]?.blocks).toHaveLength(SLACK_MAX_BLOCKS);
    expect(prefaced[0]?.blocks[0]).toEqual(sharedBy);
    expect(prefaced[0]?.blocks.slice(1)).toEqual(plain[0]?.blocks.slice(0, SLACK_MAX_BLOCKS - 1));
    // The block the preface displaced opens the next message; nothing is lost.
    expect(prefaced.flatMap((m) => m.blocks).slice(1)).toEqual(plain.flatMap((m) => m.blocks));
    for (const m of prefaced) expect(m.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
  });

  it('the Shared by line also fits when the answer is cut to its last allowed message', () => {
    const cut = replyToBlockKit(blocky, {
      locale: 'en',
      visibility: 'ephemeral',
      share: { c: 'quote', l: 'x' },
      maxMessages: 1,
      sharedBy: { id: 'U1', name: 'u1' },
    });
    expect(cut).toHaveLength(1);
    expect(cut[0]?.blocks[0]).toEqual(sharedBy);
    expect(cut[0]?.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(cut[0]?.blocks.at(-1)?.type).toBe('actions');
  });

  it('the buttons block_id carries the revision, and is the bare name without one', () => {
    const reply = quoteReply('人工智能治理攸关全人类的共同命运。');
    const idOf = (messages: SlackMessage[]) => messages.flatMap((m) => m.blocks).flatMap((b) => (b.type === 'actions' ? [b.block_id] : []));
    const opts = { locale: 'en', visibility: 'ephemeral', share: { c: 'quote', l: 'x' } } as const;
    expect(idOf(replyToBlockKit(reply, opts))).toEqual(['yinzheng-actions']);
    expect(idOf(replyToBlockKit(reply, { ...opts, revision: '0a1b2c3d' }))).toEqual(['yinzheng-actions-0a1b2c3d']);
  });

  it('the budget rests on the documented 12,000 characters, with room to spare', () => {
    expect(SLACK_BLOCKS_TEXT_DOCUMENTED_MAX).toBe(12_000);
    expect(SLACK_MESSAGE_CHARS_BUDGET).toBeLessThan(SLACK_BLOCKS_TEXT_DOCUMENTED_MAX);
    expect(contextBlock(Array.from({ length: 12 }, (_, i) => `c${i}`))).toMatchObject({ elements: { length: SLACK_CONTEXT_ELEMENTS_MAX } });
  });
});
