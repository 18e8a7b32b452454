import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../commands/index.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { optionSpecs } from '../../src/core/dispatch/command.js';
import type { Reply } from '../../src/core/reply/model.js';
import { createButtonStore } from '../../src/discord/custom-id.js';
import { replyToDiscord } from '../../src/discord/render.js';
import { replyToBlockKit } from '../../src/slack/render.js';
import { botOver, requester } from '../support/bot.js';
import { discordProblems, slackProblems } from '../support/limits.js';
import { PROPERTY_SEED } from '../support/property.js';

/*
 * Whatever a user types, 0 to 10,000 characters of any Unicode, every command answers with a
 * valid Reply, and that Reply renders inside Discord's and Slack's limits with no mention in
 * it. Inputs mix random text with the hostile kinds seen in chat: mentions, Markdown and
 * mrkdwn, bidi overrides, zero-width characters, lone surrogates, and long runs of the
 * essays' own words (which make the largest replies).
 */

let bot: Bot;
const who = requester('en', 'discord', '1');
const corpusText = readFileSync('data/essays/global-governance-symposium.txt', 'utf8');

beforeAll(async () => {
  const corpus = await loadCorpus('data/essays');
  bot = botOver(corpus);
});

const HOSTILE = [
  '@everyone',
  '@here',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123ABC>',
  '<@&123>',
  '<#C1>',
  '**粗体**',
  '`code`',
  '> 引用',
  '*',
  '^①',
  '\u202e反转',
  '\u200b',
  '\ud800',
  '&amp;',
  '<script>',
  '||spoiler||',
  '[链接](https://evil.example)',
  'author:',
  '--count',
  '"',
  '“',
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...HOSTILE), { maxLength: 20 }).map((parts) => parts.join(' ')) },
  { weight: 2, arbitrary: fc.tuple(fc.nat({ max: corpusText.length }), fc.nat({ max: 400 })).map(([at, n]) => corpusText.slice(at, at + n)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat({ max: corpusText.length }), fc.integer({ min: 2000, max: 10_000 }))
      .map(([at, n]) => corpusText.slice(at).repeat(3).slice(0, n)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 9_000, maxLength: 10_000 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '。。。', '？！', '智', '能') },
);

function checkReply(reply: Reply): void {
  expect(typeof reply.title).toBe('string');
  expect(Array.isArray(reply.blocks) && Array.isArray(reply.actions) && Array.isArray(reply.results)).toBe(true);
  expect(() => JSON.stringify(reply)).not.toThrow();
  if (reply.error) expect(reply.error.message.length).toBeLessThan(500);
  for (const block of reply.blocks) {
    if (block.kind !== 'quote') continue;
    for (const [start, end] of block.highlights) expect(0 <= start && start < end && end <= block.text.length).toBe(true);
    for (const m of block.markers) expect(m.offset >= 0 && m.offset <= block.text.length).toBe(true);
  }
  const buttons = createButtonStore();
  expect(
    discordProblems(replyToDiscord(reply, { locale: 'en', ephemeral: true, customId: (a) => buttons.customId({ ...a, owner: '1', ephemeral: true }) })),
  ).toEqual([]);
  expect(slackProblems(replyToBlockKit(reply, { locale: 'en', visibility: 'ephemeral' }))).toEqual([]);
}

describe('any input to any command', () => {
  for (const command of registry.values()) {
    const specs = optionSpecs(command);
    const free = command.positional ?? specs.find((s) => s.type === 'string')?.name;

    test(`/${command.name}: a typed line of any text gets a valid reply inside both platforms' limits`, () => {
      fc.assert(
        fc.property(text, (t) => checkReply(bot.runLine(`/${command.name} ${t}`, who))),
        { seed: PROPERTY_SEED, numRuns: 60 },
      );
    });

    test(`/${command.name}: any value in every option gets a valid reply inside both platforms' limits`, () => {
      const raw = fc.record(Object.fromEntries(specs.map((s) => [s.name, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(undefined))])), {
        requiredKeys: [],
      });
      fc.assert(
        fc.property(raw, (input) => checkReply(bot.run(command.name, input, who))),
        { seed: PROPERTY_SEED, numRuns: 60 },
      );
      if (free) checkReply(bot.run(command.name, { [free]: '智能鸿沟 '.repeat(2000) }, who));
    });
  }
});

describe('the limit checkers themselves', () => {
  test('flag what the platforms would refuse or turn into a ping', () => {
    expect(discordProblems([{ content: `@everyone ${'x'.repeat(2000)}`, embeds: [], components: [], flags: 0, allowedMentions: { parse: [] } }])).toEqual([
      'content 2010 > 2000',
      'an unescaped @everyone/@here',
    ]);
    expect(slackProblems([{ text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `<!channel> ${'x'.repeat(3000)}` } }] }])).toEqual([
      'section text 3011 > 3000',
      'a special mention <!…>',
    ]);
  });
});
