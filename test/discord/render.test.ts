import { MessageFlags } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Attribution, Reply, ReplyAction, ReplyBlock } from '../../src/core/reply/model.js';
import { type ButtonState, createButtonStore, decodeState, encodeState } from '../../src/discord/custom-id.js';
import {
  capMessages,
  DISCORD_CONTENT_MAX,
  DISCORD_CUSTOM_ID_MAX,
  DISCORD_EMBED_DESCRIPTION_MAX,
  DISCORD_EMBED_FIELD_VALUE_MAX,
  DISCORD_EMBED_FIELDS_MAX,
  DISCORD_EMBED_TITLE_MAX,
  DISCORD_MESSAGE_EMBEDS_MAX,
  DISCORD_MESSAGE_EMBEDS_TOTAL_MAX,
  type DiscordMessage,
  escapeMarkdown,
  type RenderOptions,
  replyToDiscord,
} from '../../src/discord/render.js';
import { PROPERTY_SEED } from '../support/property.js';

const attribution: Attribution = {
  author: '陈志敏',
  affiliation: '复旦大学',
  essay: '引领普惠向善的人工智能全球治理：中国的角色',
  section: '一、人工智能治理',
  passageId: 'chen-zhimin-ylph.4',
};

function reply(blocks: ReplyBlock[], extra: Partial<Reply> = {}): Reply {
  return { command: 'quote', title: 'Quote', blocks, actions: [], results: [], corpusVersion: 'v1', ...extra };
}

const idOf = (action: ReplyAction) => encodeState({ ...action, owner: '42', ephemeral: false });
const en: RenderOptions = { locale: 'en', ephemeral: false, customId: idOf };

function embedTotal(m: DiscordMessage): number {
  return m.embeds.reduce(
    (n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((k, f) => k + f.name.length + f.value.length, 0),
    0,
  );
}

function expectWithinLimits(messages: DiscordMessage[]): void {
  for (const m of messages) {
    expect(m.allowedMentions).toEqual({ parse: [] });
    expect((m.content ?? '').length).toBeLessThanOrEqual(DISCORD_CONTENT_MAX);
    expect(m.embeds.length).toBeLessThanOrEqual(DISCORD_MESSAGE_EMBEDS_MAX);
    expect(embedTotal(m)).toBeLessThanOrEqual(DISCORD_MESSAGE_EMBEDS_TOTAL_MAX);
    for (const e of m.embeds) {
      expect((e.title ?? '').length).toBeLessThanOrEqual(DISCORD_EMBED_TITLE_MAX);
      expect((e.description ?? '').length).toBeLessThanOrEqual(DISCORD_EMBED_DESCRIPTION_MAX);
      expect((e.fields ?? []).length).toBeLessThanOrEqual(DISCORD_EMBED_FIELDS_MAX);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(DISCORD_EMBED_FIELD_VALUE_MAX);
    }
    expect(m.content === undefined || m.content.length > 0 || m.embeds.length > 0).toBe(true);
  }
}

/** Reads rendered Markdown back to text: `\x` is a literal x, an unescaped `**` is bold. */
function unmark(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) out += text[++i];
    else if (text.startsWith('**', i)) i++;
    else out += text[i];
  }
  return out;
}

describe('replyToDiscord layout', () => {
  it('renders a quote as a block quote, then the attribution, then the notes with links that do not unfurl', () => {
    const messages = replyToDiscord(
      reply([
        {
          kind: 'quote',
          text: '人工智能治理攸关全人类命运。各国应当加强合作。',
          highlights: [[0, 6]],
          markers: [{ offset: 14, number: 3 }],
          attribution,
          footnotes: [
            {
              number: 3,
              text: '《全球人工智能治理倡议》，载外交部网站，https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml。',
              printed: '《全球人工智能治理倡议》，载外交部网站，https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml。',
              urls: ['https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml'],
              covers: 'quote',
            },
          ],
        },
      ]),
      en,
    );
    expect(messages).toEqual([
      {
        embeds: [
          {
            title: 'Quote',
            description: [
              '> **人工智能治理**攸关全人类命运。[3]各国应当加强合作。',
              '— 陈志敏（复旦大学） · 《引领普惠向善的人工智能全球治理：中国的角色》 · 一、人工智能治理 · `chen-zhimin-ylph.4`',
              '[3] 《全球人工智能治理倡议》，载外交部网站，<https://www.mfa.gov.cn/web/ziliao_674904/1179_674909/202310/t20231020_11164831.shtml>。',
            ].join('\n'),
          },
        ],
        components: [],
        flags: 0,
        allowedMentions: { parse: [] },
      },
    ]);
  });

  it('appends a URL the note text does not print, and leaves other text escaped', () => {
    const [m] = replyToDiscord(reply([{ kind: 'note', number: 2, text: 'Digital_Divide (2024)', urls: ['https://example.org/a_b'], citedBy: [] }]), en);
    expect(m?.embeds[0]?.description).toBe('[2] Digital\\_Divide \\(2024\\) <https://example.org/a_b>');
  });

  it('lists where a note is cited, under a localised label', () => {
    const [m] = replyToDiscord(
      reply([{ kind: 'note', number: 1, text: '同上。', urls: [], citedBy: [{ quote: '引文。', attribution: { ...attribution, section: null } }] }]),
      { ...en, locale: 'zh-CN' },
    );
    expect(m?.embeds[0]?.description).toBe(
      '[1] 同上。\n引用处:\n> 引文。\n— 陈志敏（复旦大学） · 《引领普惠向善的人工智能全球治理：中国的角色》 · `chen-zhimin-ylph.4`',
    );
  });

  it('puts the notice in the content and packs text blocks into one description, a blank line apart', () => {
    const [m, ...rest] = replyToDiscord(
      reply(
        [
          { kind: 'text', text: '甲' },
          { kind: 'text', text: '乙' },
        ],
        { message: 'Showing 2 of 5.' },
      ),
      en,
    );
    expect(rest).toEqual([]);
    expect(m?.content).toBe('Showing 2 of 5.');
    expect(m?.embeds).toEqual([{ title: 'Quote', description: '甲\n\n乙' }]);
  });

  it('renders a diff with deletions struck through and insertions underlined', () => {
    const [m] = replyToDiscord(
      reply([
        {
          kind: 'diff',
          ops: [
            { op: 'equal', text: '全球' },
            { op: 'delete', text: '治理' },
            { op: 'insert', text: '管理' },
            { op: 'equal', text: '倡议' },
          ],
        },
      ]),
      en,
    );
    expect(m?.embeds[0]?.description).toBe('全球~~治理~~__管理__倡议');
  });

  it('renders fields as embed fields', () => {
    const [m] = replyToDiscord(
      reply([
        {
          kind: 'fields',
          fields: [
            { label: 'Author', value: '陈志敏' },
            { label: 'Essays', value: '1' },
          ],
        },
      ]),
      en,
    );
    expect(m?.embeds).toEqual([
      {
        title: 'Quote',
        fields: [
          { name: 'Author', value: '陈志敏' },
          { name: 'Essays', value: '1' },
        ],
      },
    ]);
  });
});

describe('replyToDiscord safety', () => {
  it('escapes Markdown from the essays and from users, and neutralises mass mentions', () => {
    expect(escapeMarkdown('a*b*c ^① _x_ ~~y~~ |s| > # - [l](u) `c` \\')).toBe(
      'a\\*b\\*c ^① \\_x\\_ \\~\\~y\\~\\~ \\|s\\| \\> \\# \\- \\[l\\]\\(u\\) \\`c\\` \\\\',
    );
    const messages = replyToDiscord(reply([{ kind: 'text', text: '@everyone @here <@123> <@&456> **bold**' }], { message: '@everyone' }), en);
    const texts = messages.flatMap((m) => [m.content ?? '', ...m.embeds.map((e) => e.description ?? '')]);
    for (const t of texts) expect(t).not.toMatch(/@everyone|@here|(?<!\\)<@/u);
    expect(messages[0]?.content).toBe('@\u200beveryone');
    expect(messages[0]?.embeds[0]?.description).toBe('@\u200beveryone @\u200bhere \\<@123\\> \\<@&456\\> \\*\\*bold\\*\\*');
  });

  it('answers an error privately in the content, whatever the private option says', () => {
    const messages = replyToDiscord(
      { ...reply([]), title: 'Error', message: 'x', error: { code: 'invalid_input', message: '/quote query is required: words_to_find' } },
      { ...en, ephemeral: false, share: { command: 'quote', input: {} } },
    );
    expect(messages).toEqual([
      { content: '/quote query is required: words\\_to\\_find', embeds: [], components: [], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } },
    ]);
  });
});

describe('replyToDiscord limits', () => {
  const sentence = '人工智能治理攸关全人类命运，是世界各国面临的共同课题*。';
  const long = sentence.repeat(400); // 11,200 characters, every one escaped or not, far over one description

  it('splits a quote too long for one description at sentence ends, losing and adding nothing', () => {
    const messages = replyToDiscord(
      reply([{ kind: 'quote', text: long, highlights: [[0, 4]], markers: [{ offset: sentence.length * 200, number: 1 }], attribution, footnotes: [] }]),
      en,
    );
    expectWithinLimits(messages);
    const descriptions = messages.flatMap((m) => m.embeds.map((e) => e.description ?? ''));
    expect(descriptions.length).toBe(3);
    const lines = descriptions.flatMap((d) => d.split('\n'));
    const quoteLines = lines.filter((l) => l.startsWith('> '));
    for (const l of quoteLines) expect(l.endsWith('。')).toBe(true);
    expect(unmark(quoteLines.map((l) => l.slice(2)).join(''))).toBe(`${long.slice(0, sentence.length * 200)}[1]${long.slice(sentence.length * 200)}`);
    expect(lines.at(-1)).toBe('— 陈志敏（复旦大学） · 《引领普惠向善的人工智能全球治理：中国的角色》 · 一、人工智能治理 · `chen-zhimin-ylph.4`');
  });

  it('spreads many blocks over messages of at most 10 embeds and 6000 characters, buttons under the last', () => {
    const blocks: ReplyBlock[] = Array.from({ length: 30 }, () => ({
      kind: 'quote',
      text: sentence.repeat(60),
      highlights: [],
      markers: [],
      attribution,
      footnotes: [],
    }));
    const actions: ReplyAction[] = [{ kind: 'more', command: 'quote', input: { query: '人工智能', page: 2 } }];
    const messages = replyToDiscord(reply(blocks, { actions }), en);
    expectWithinLimits(messages);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.slice(0, -1).every((m) => m.components.length === 0)).toBe(true);
    expect(messages.at(-1)?.components).toEqual([
      { type: 1, components: [{ type: 2, style: 1, label: 'More', custom_id: 'y1|m|p|42|quote|query=人工智能&page=2' }] },
    ]);
    const quoted = messages.flatMap((m) => m.embeds.flatMap((e) => (e.description ?? '').split('\n').filter((l) => l.startsWith('> '))));
    expect(quoted.length).toBe(30);
  });

  it('keeps a long notice and long fields within their limits', () => {
    const messages = replyToDiscord(
      reply([{ kind: 'fields', fields: Array.from({ length: 30 }, (_, i) => ({ label: `F${i}`, value: sentence.repeat(50) })) }], {
        message: sentence.repeat(100),
      }),
      en,
    );
    expectWithinLimits(messages);
    expect(messages[0]?.content?.length).toBeLessThanOrEqual(DISCORD_CONTENT_MAX);
    const fields = messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []));
    expect(fields.filter((f) => f.name !== '\u200b').map((f) => f.name)).toEqual(Array.from({ length: 30 }, (_, i) => `F${i}`));
    expect(
      unmark(
        fields
          .slice(0, 2)
          .map((f) => f.value)
          .join(''),
      ),
    ).toBe(sentence.repeat(50));
  });
});

describe('replyToDiscord on any text', () => {
  const alphabet = fc.constantFrom(...'治理合作。！？，、*_~|>#-[]()`\\@<: everyoneh\n'.split(''), '𠀀', '@everyone', '<@123>');
  const text = fc.array(alphabet, { minLength: 1, maxLength: 3000 }).map((a) => a.join(''));

  it('stays within every limit, escapes everything and loses no character of a quote', () => {
    fc.assert(
      fc.property(text, fc.array(fc.tuple(fc.nat(3000), fc.nat(40)), { maxLength: 5 }), fc.integer({ min: 1, max: 4 }), (quote, spans, copies) => {
        const highlights = spans.map(([s, n]) => [s, s + n] as [number, number]);
        const blocks: ReplyBlock[] = Array.from({ length: copies }, () => ({
          kind: 'quote',
          text: quote,
          highlights,
          markers: [],
          attribution,
          footnotes: [],
        }));
        const messages = replyToDiscord(reply(blocks), en);
        expectWithinLimits(messages);
        const lines = messages.flatMap((m) => m.embeds.flatMap((e) => (e.description ?? '').split('\n')));
        const quoted = lines.filter((l) => l.startsWith('> ')).map((l) => unmark(l.slice(2)).replace(/@\u200b/gu, '@'));
        expect(quoted.join('')).toBe(quote.replace(/\n/gu, '').repeat(copies));
        for (const l of lines) expect(l).not.toMatch(/(?<!\u200b)@everyone|(?<!\\)<@/u);
      }),
      { seed: PROPERTY_SEED, numRuns: 60 },
    );
  });

  it('cuts a note too long for a description at sentence ends and keeps its links whole', () => {
    const note = '这是一条很长的注释，说明了来源。'.repeat(400);
    const messages = replyToDiscord(reply([{ kind: 'note', number: 4, text: note, urls: ['https://example.org/x_y'], citedBy: [] }]), en);
    expect(messages.length).toBe(2);
    const lines = messages.flatMap((m) => m.embeds).flatMap((e) => (e.description ?? '').split('\n'));
    expectWithinLimits(messages);
    // The URL the note does not print is linked after it, once, and never cut.
    expect(lines.at(-1)?.endsWith('。 <https://example.org/x_y>')).toBe(true);
    expect(lines.every((l) => l.startsWith('[4] '))).toBe(true);
    expect(lines.slice(0, -1).every((l) => l.endsWith('。'))).toBe(true);
    expect(
      lines
        .map((l) => l.slice(4))
        .join('')
        .replace(' <https://example.org/x_y>', ''),
    ).toBe(note);
  });
});

describe('buttons', () => {
  const actions: ReplyAction[] = [
    { kind: 'more', command: 'quote', input: { query: '治理', page: 2 } },
    { kind: 'context', command: 'context', input: { passage: 'chen-zhimin-ylph.4' } },
    { kind: 'sources', command: 'sources', input: { passage: 'chen-zhimin-ylph.4' } },
  ];

  it('labels buttons in the locale and adds "Share in channel" only to a private reply', () => {
    const share = { command: 'quote', input: { query: '治理' } };
    const open = replyToDiscord(reply([{ kind: 'text', text: 't' }], { actions }), { ...en, locale: 'zh-CN', share });
    expect(open[0]?.components[0]?.components.map((b) => b.label)).toEqual(['更多', '上下文', '出处']);
    const hidden = replyToDiscord(reply([{ kind: 'text', text: 't' }], { actions }), { ...en, ephemeral: true, share });
    expect(hidden[0]?.flags).toBe(MessageFlags.Ephemeral);
    expect(hidden[0]?.components[0]?.components.map((b) => [b.label, b.custom_id])).toEqual([
      ['More', 'y1|m|p|42|quote|query=治理&page=2'],
      ['Context', 'y1|c|p|42|context|passage=chen-zhimin-ylph.4'],
      ['Sources', 'y1|s|p|42|sources|passage=chen-zhimin-ylph.4'],
      ['Share in channel', 'y1|p|p|42|quote|query=治理'],
    ]);
  });

  it("numbers repeated buttons, and prefers the command's own share action to the adapter's", () => {
    const quotes: ReplyAction[] = [
      { kind: 'context', command: 'context', input: { id: 'a.1' } },
      { kind: 'context', command: 'context', input: { id: 'a.2' } },
      { kind: 'context', command: 'context', input: { id: 'a.2' } },
      { kind: 'share', command: 'quote', input: { query: '治理', page: 1 } },
    ];
    const [m] = replyToDiscord(reply([{ kind: 'text', text: 't' }], { actions: quotes }), {
      ...en,
      ephemeral: true,
      share: { command: 'quote', input: { query: '治理' } },
    });
    expect(m?.components[0]?.components.map((b) => [b.label, b.custom_id])).toEqual([
      ['Context 1', 'y1|c|p|42|context|id=a.1'],
      ['Context 2', 'y1|c|p|42|context|id=a.2'],
      ['Share in channel', 'y1|p|p|42|quote|query=治理&page=1'],
    ]);
    const [open] = replyToDiscord(reply([{ kind: 'text', text: 't' }], { actions: quotes }), en);
    expect(open?.components[0]?.components.map((b) => b.label)).toEqual(['Context 1', 'Context 2']);
  });

  it('refuses a custom_id over 100 characters', () => {
    expect(() => replyToDiscord(reply([], { actions }), { ...en, customId: () => 'x'.repeat(DISCORD_CUSTOM_ID_MAX + 1) })).toThrow(
      'discord: custom_id for more is 101 characters, over 100',
    );
  });
});

describe('custom_id state', () => {
  const state: ButtonState = {
    kind: 'more',
    owner: '123456789012345678',
    ephemeral: true,
    command: 'quote',
    input: { query: 'a|b&c=d%e', page: 3, exact: true },
  };

  it('round-trips through the custom_id, numbers and booleans as text', () => {
    const id = encodeState(state);
    expect(id).toBe('y1|m|e|123456789012345678|quote|query=a%7Cb%26c%3Dd%25e&page=3&exact=true');
    expect(decodeState(id)).toEqual({ ...state, input: { query: 'a|b&c=d%e', page: '3', exact: 'true' } });
    expect(decodeState('y1|x|e|1|quote|')).toBeNull();
    expect(decodeState('something else')).toBeNull();
  });

  it('keeps a state too long for a custom_id in a bounded cache, and reports it expired once evicted', async () => {
    const store = createButtonStore(1);
    const long = { ...state, input: { text: '人工智能'.repeat(40) } };
    const id = store.customId(long);
    expect(id).toMatch(/^y1#[\w-]{22}$/u);
    expect(await store.resolve(id)).toEqual({ state: long });
    store.customId({ ...long, input: { text: '治理'.repeat(60) } });
    expect(await store.resolve(id)).toEqual({ expired: true });
    expect(await store.resolve(encodeState(state))).toEqual({ state: decodeState(encodeState(state)) });
    expect(await store.resolve('nonsense')).toEqual({ unknown: true });
  });
});

describe('capMessages', () => {
  it('keeps an answer and five follow-ups, says the rest did not fit, and keeps the buttons on the last', () => {
    const message = (n: number): DiscordMessage => ({ content: `part ${n}`, embeds: [], components: [], flags: 0, allowedMentions: { parse: [] } });
    const buttons = [{ type: 1, components: [] }] as unknown as DiscordMessage['components'];
    const all = Array.from({ length: 9 }, (_, i) => message(i + 1));
    all[8] = { ...(all[8] as DiscordMessage), components: buttons };
    const capped = capMessages(all, 'en');
    expect(capped.map((m) => m.content)).toEqual([
      'part 1',
      'part 2',
      'part 3',
      'part 4',
      'part 5',
      'part 6\nThe rest of this answer did not fit in Discord. Narrow the query to see it.',
    ]);
    expect(capped.at(-1)?.components).toBe(buttons);
    expect(capMessages(all.slice(0, 6), 'en')).toEqual(all.slice(0, 6));
  });
});

describe('escaping once', () => {
  it('says who shared an answer with their name escaped once: john_doe reads as john_doe', () => {
    const [m] = replyToDiscord(reply([{ kind: 'text', text: 't' }]), { ...en, sharedBy: 'john_doe' });
    expect(m?.content).toBe('Shared by john\\_doe');
    expect(unmark(m?.content ?? '')).toBe('Shared by john_doe');
  });

  it('adds "the rest did not fit" without escaping the content again', () => {
    const notice = 'Skipped global-governance-symposium.meta.json: its year is not a number.';
    const long = Array.from({ length: 40 }, (_, i) => ({ kind: 'text' as const, text: `${i} ${'段落。'.repeat(1300)}` }));
    const messages = replyToDiscord(reply(long, { message: notice }), en);
    expect(messages.length).toBeGreaterThan(6);
    const capped = capMessages(messages, 'en');
    expect(capped).toHaveLength(6);
    expectWithinLimits(capped);
    expect(capped[0]?.content).toBe('Skipped global\\-governance\\-symposium.meta.json: its year is not a number.');
    expect(capped.at(-1)?.content).toBe('The rest of this answer did not fit in Discord. Narrow the query to see it.');
  });

  it('cuts rendered content by whole lines when the notice would not fit after it', () => {
    const line = `a\\_b ${'x'.repeat(990)}`;
    const message = (content: string): DiscordMessage => ({ content, embeds: [], components: [], flags: 0, allowedMentions: { parse: [] } });
    const capped = capMessages(
      Array.from({ length: 7 }, () => message(`${line}\n${line}`)),
      'en',
    );
    expect(capped.at(-1)?.content).toBe(`${line}\nThe rest of this answer did not fit in Discord. Narrow the query to see it.`);
  });
});

describe('where embeds and public posts are not allowed', () => {
  const share = { command: 'quote', input: { query: '治理' } };
  const blocks: ReplyBlock[] = [
    { kind: 'quote', text: '治理*重要*', highlights: [], markers: [], footnotes: [], attribution },
    { kind: 'fields', fields: [{ label: 'Essays', value: '2' }] },
  ];

  it('renders plain content with no embeds, the title in bold, within 2,000 a message', () => {
    const messages = replyToDiscord(reply(blocks, { title: 'Quote_1', message: 'One result' }), { ...en, embeds: false });
    expect(messages.every((m) => m.embeds.length === 0)).toBe(true);
    expectWithinLimits(messages);
    const lines = (messages[0]?.content ?? '').split('\n');
    expect(lines.slice(0, 3)).toEqual(['One result', '**Quote\\_1**', '']);
    expect(lines).toContain('> 治理\\*重要\\*');
    expect(lines.slice(-2)).toEqual(['**Essays**', '2']);
  });

  it('splits a long plain answer over messages at line ends', () => {
    const long = Array.from({ length: 5 }, (_, i) => ({ kind: 'text' as const, text: `${i} ${'段落。'.repeat(400)}` }));
    const messages = replyToDiscord(reply(long), { ...en, embeds: false });
    expect(messages.length).toBeGreaterThan(1);
    expectWithinLimits(messages);
    expect(messages.every((m) => m.embeds.length === 0 && (m.content ?? '').length > 0)).toBe(true);
  });

  it('offers no "Share in channel" where the app may not post publicly', () => {
    const [m] = replyToDiscord(reply(blocks), { ...en, ephemeral: true, share, canShare: false, privateHere: true });
    expect(m?.components.flatMap((r) => r.components).map((b) => b.label)).toEqual([]);
    expect(m?.content).toBe('Only you can see this: the bot may not post in this channel.');
  });
});
