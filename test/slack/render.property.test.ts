import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionKind, Attribution, Reply, ReplyBlock } from '../../src/core/reply/model.js';
import {
  messageChars,
  replyToBlockKit,
  SLACK_BUTTON_TEXT_MAX,
  SLACK_BUTTON_VALUE_MAX,
  SLACK_FIELD_TEXT_MAX,
  SLACK_HEADER_MAX,
  SLACK_MAX_ACTIONS,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_FIELDS,
  SLACK_MESSAGE_CHARS_BUDGET,
  SLACK_SECTION_TEXT_MAX,
  type SlackBlock,
  type SlackMessage,
} from '../../src/slack/render.js';
import { PROPERTY_SEED } from '../support/property.js';
import { messageRefusal } from './slack-rules.js';

/*
 * Any Reply, with any text in any field, renders inside every Slack limit, and nothing in it
 * can become a mention, a channel link or a broadcast.
 */

const hostile = fc.constantFrom(
  '<!everyone>',
  '<!channel>',
  '<!here>',
  '<@U0123>',
  '<#C0123|general>',
  '<!subteam^S1>',
  '&',
  '<',
  '>',
  '|',
  '*',
  '~',
  '\n',
  '。',
  '!',
  '\u200B',
  '\uD83D\uDE00',
  'https://x.example/<a>|b',
);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 80 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(hostile, fc.string({ maxLength: 10 }), fc.constantFrom('人工智能治理。', '全球发展鸿沟，')), { maxLength: 40 })
      .map((a) => a.join('')),
  },
  { weight: 1, arbitrary: fc.constantFrom('人工智能治理攸关全人类的共同命运。'.repeat(400), '&<>'.repeat(2000), 'x'.repeat(9000)) },
);

const attribution: fc.Arbitrary<Attribution> = fc.record({
  author: text,
  affiliation: fc.option(text, { nil: null }),
  essay: text,
  section: fc.option(text, { nil: null }),
  passageId: fc.string({ maxLength: 30 }),
});

const span = (n: number) => fc.tuple(fc.nat(n), fc.nat(n)).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

const quote: fc.Arbitrary<ReplyBlock> = text.chain((t) =>
  fc.record({
    kind: fc.constant('quote' as const),
    text: fc.constant(t),
    highlights: fc.array(span(t.length), { maxLength: 5 }),
    markers: fc.array(fc.record({ offset: fc.nat(t.length), number: fc.integer({ min: 1, max: 200 }) }), { maxLength: 5 }),
    attribution,
    footnotes: fc.array(
      fc.record({
        number: fc.integer({ min: 1, max: 200 }),
        text,
        printed: text,
        urls: fc.array(text, { maxLength: 3 }),
        covers: fc.constantFrom('quote' as const, 'passage' as const),
      }),
      { maxLength: 30 },
    ),
  }),
);

const block: fc.Arbitrary<ReplyBlock> = fc.oneof(
  quote,
  fc.record({
    kind: fc.constant('note' as const),
    number: fc.integer({ min: 1, max: 200 }),
    text,
    urls: fc.array(text, { maxLength: 3 }),
    citedBy: fc.array(fc.record({ quote: text, attribution }), { maxLength: 5 }),
  }),
  fc.record({ kind: fc.constant('text' as const), text }),
  fc.record({ kind: fc.constant('fields' as const), fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 25 }) }),
  fc.record({
    kind: fc.constant('diff' as const),
    ops: fc.array(fc.record({ op: fc.constantFrom('equal' as const, 'insert' as const, 'delete' as const), text }), { maxLength: 6 }),
  }),
);

const reply: fc.Arbitrary<Reply> = fc.record({
  command: fc.constantFrom('quote', 'verify', 'sources'),
  title: text,
  message: fc.option(text, { nil: undefined }),
  blocks: fc.array(block, { maxLength: 12 }),
  actions: fc.array(
    fc.record({
      kind: fc.constantFrom<ActionKind>('more', 'context', 'sources', 'share'),
      command: fc.constantFrom('quote', 'context'),
      input: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 3 }),
    }),
    { maxLength: 30 },
  ),
  results: fc.constant([]),
  corpusVersion: fc.constant('v'),
});

/** Every string under a `text` key, anywhere in a message. */
function textsOf(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'text' ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => textsOf(v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => textsOf(v, k));
  return [];
}

function problems(messages: SlackMessage[], maxMessages: number | undefined): string[] {
  const out: string[] = [];
  if (messages.length === 0) out.push('no message');
  if (maxMessages !== undefined && messages.length > maxMessages) out.push(`${messages.length} messages`);
  for (const m of messages) {
    if (m.blocks.length > SLACK_MAX_BLOCKS) out.push(`${m.blocks.length} blocks`);
    if (messageChars(m) > SLACK_MESSAGE_CHARS_BUDGET) out.push(`${messageChars(m)} chars`);
    for (const b of m.blocks) {
      if (b.type === 'header' && (b.text.text.length > SLACK_HEADER_MAX || b.text.text.length === 0)) out.push('header');
      if (b.type === 'section' && 'text' in b && (b.text.text.length > SLACK_SECTION_TEXT_MAX || b.text.text.length === 0))
        out.push(`section ${b.text.text.length}`);
      if (b.type === 'section' && 'fields' in b && (b.fields.length > SLACK_MAX_FIELDS || b.fields.some((f) => f.text.length > SLACK_FIELD_TEXT_MAX)))
        out.push('fields');
      if (b.type === 'context' && b.elements.some((e) => e.text.length > SLACK_SECTION_TEXT_MAX || e.text.length === 0)) out.push('context');
      if (b.type === 'actions') {
        if (b.elements.length > SLACK_MAX_ACTIONS) out.push('actions');
        if (new Set(b.elements.map((e) => e.action_id)).size !== b.elements.length) out.push('duplicate action_id');
        for (const e of b.elements) if (e.text.text.length > SLACK_BUTTON_TEXT_MAX || e.value.length > SLACK_BUTTON_VALUE_MAX) out.push('button');
      }
    }
    for (const t of textsOf(m)) if (/<[!@#]|<(?!https?:\/\/)/u.test(t)) out.push(`markup in ${JSON.stringify(t.slice(0, 60))}`);
  }
  return out;
}

describe('replyToBlockKit on any Reply', () => {
  it('stays inside every limit and lets no mention through', () => {
    fc.assert(
      fc.property(
        reply,
        fc.constantFrom<'ephemeral' | 'in_channel'>('ephemeral', 'in_channel'),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        (r, visibility, maxMessages) => {
          const messages = replyToBlockKit(r, {
            locale: 'en',
            visibility,
            share: { c: 'quote', l: r.title.slice(0, 100) },
            ...(maxMessages ? { maxMessages } : {}),
          });
          expect(problems(messages, maxMessages)).toEqual([]);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 150 },
    );
  });
});

describe('replyToBlockKit with Share’s preface, held against Slack’s own rules', () => {
  it('every message is one the strict fake (Slack’s published limits) takes', () => {
    const sharedBy: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: 'Shared by <@U0ALICE>', verbatim: true }] };
    fc.assert(
      fc.property(reply, fc.integer({ min: 1, max: 4 }), (r, maxMessages) => {
        const messages = replyToBlockKit(r, {
          locale: 'en',
          visibility: 'in_channel',
          maxMessages,
          sharedBy: { id: 'U0ALICE', name: 'alice' },
          revision: 'abcdef01',
        });
        expect(messages[0]?.blocks[0]).toEqual(sharedBy);
        expect(messages.length).toBeLessThanOrEqual(maxMessages);
        expect(messages.map((m) => messageRefusal(m))).toEqual(messages.map(() => null));
      }),
      { seed: PROPERTY_SEED, numRuns: 100 },
    );
  });
});
