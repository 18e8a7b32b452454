import { beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { registry } from '../../../commands/index.js';
import { BUNDLED_CORPUS_DIR } from '../../../src/config.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import type { Bot, Requester } from '../../../src/core/dispatch/bot.js';
import { type Command, optionSpecs } from '../../../src/core/dispatch/command.js';
import type { Locale, Reply } from '../../../src/core/reply/model.js';
import { botOver, libraryOver, requester } from '../../support/bot.js';
import { fixtureWords } from '../../support/words.js';

/**
 * Every error and every "found nothing" answer the dispatcher can give, asked in Chinese: none
 * may hold an English sentence. What stays in Latin letters is what the user types or the
 * corpus names: command and option names, essay and passage IDs, authors' pinyin, values.
 */

/** A command with no free text that fails with a bug, and options of every kind the platforms know. */
const fixture = {
  name: 'fixture',
  words: fixtureWords(
    {
      description: 'Fails',
      options: { mode: { name: 'mode', description: 'How to match' }, strict: { name: 'strict', description: 'Whether to be strict' } },
    },
    {
      description: '出错',
      options: { mode: { name: '方式', description: '匹配方式' }, strict: { name: '严格', description: '是否严格' } },
    },
  ),
  options: z.object({ mode: z.enum(['exact', 'loose']).optional(), strict: z.boolean().optional() }),
  result: z.unknown(),
  run(): never {
    throw new Error('a bug, in English');
  },
} satisfies Command;

const commands = new Map<string, Command>([...registry, ['fixture', fixture as unknown as Command]]);

/** Lines that each reach one error or one empty answer. */
const LINES = [
  '/nonsense',
  '/quote',
  '/quote 智能 count:9',
  '/quote 智能 count:abc',
  '/quote ！？。',
  `/quote ${'智'.repeat(201)}`,
  '/quote 智能 page:100',
  '/quote 鳄鱼潜水艇',
  '/quote 智能 author:鳄鱼',
  '/quote 智能 author:zzqqxx',
  '/quote 智能 essay:鳄鱼潜水艇',
  '/quote 智能 essay:zzqqxx',
  '/quote 鳄鱼潜水艇 author:陈志敏',
  '/sources 鳄鱼潜水艇',
  '/sources author:鳄鱼',
  '/essays ！！',
  '/essays 鳄鱼潜水艇',
  '/essays page:1000',
  '/essays page:x',
  '/who',
  '/who 鳄鱼潜水艇',
  '/author',
  '/author 鳄鱼',
  '/cite',
  '/cite 鳄鱼潜水艇',
  '/verify',
  '/verify 鳄鱼潜水艇在海底慢慢地游泳',
  '/context',
  '/context no-such-essay.1',
  '/find 好的',
  '/help frobnicate',
  `/help ${'x'.repeat(40)}`,
  '/fixture',
  '/fixture some text',
  '/fixture mode:fuzzy',
  '/fixture strict:perhaps',
];

/** Raw inputs, as a slash command or the CLI gives them, for what a typed line cannot reach. */
const RAW: Array<[string, Record<string, unknown>]> = [
  ['quote', { query: '智能', nonsense: 1 }],
  ['fixture', { nonsense: 1 }],
  ['quote', { query: '智能', count: 2.5 }],
  ['context', { id: '' }],
];

let bot: Bot;
let allowed: string[];

beforeAll(async () => {
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  const library = libraryOver(corpus);
  bot = botOver(corpus, { commands });
  // Longest first, so that a name is removed whole before a shorter one inside it.
  allowed = [
    ...library.index.findAuthors('').map((a) => a.pinyin),
    ...[...commands.values()].flatMap((c) => [c.name, ...optionSpecs(c).map((s) => s.name)]),
    ...['true', 'false', 'exact', 'loose', 'CORPUS_DIR', 'corpus', 'txt', 'json', 'meta'],
  ].sort((a, b) => b.length - a.length);
});

/** What a reply says in words of its own: its title, its message and its error. */
function said(reply: Reply): string[] {
  return [reply.title, reply.message ?? '', reply.error?.message ?? ''];
}

/** Two or more words of Latin letters in a row, once names, IDs and values are taken out: an English phrase. */
function englishIn(text: string): string | null {
  let rest = text
    .replace(/https?:\/\/\S+/gu, ' ')
    // Essay and passage IDs: `chen-zhimin-ylph`, `chen-zhimin-ylph.4`.
    .replace(/[a-z0-9]+(?:-[a-z0-9]+)+(?:\.[a-z0-9]+)?/gu, ' ');
  for (const word of allowed) rest = rest.split(word).join(' ');
  return /[A-Za-z]{2,}(?:[\s,.:;]+[A-Za-z]{2,})+/u.exec(rest)?.[0] ?? null;
}

function everything(who: Requester): Array<{ asked: string; text: string }> {
  const replies = [
    ...LINES.map((line) => ({ asked: line, reply: bot.runLine(line, who) })),
    ...RAW.map(([name, raw]) => ({ asked: `${name} ${JSON.stringify(raw)}`, reply: bot.run(name, raw, who) })),
  ];
  return replies.flatMap(({ asked, reply }) => said(reply).map((text) => ({ asked, text })));
}

describe('errors reach a Chinese-speaking user in Chinese', () => {
  test('the English answers hold English phrases, so the check can fail', () => {
    const found = everything(requester('en')).filter(({ text }) => englishIn(text) !== null);
    expect(found.length).toBeGreaterThan(LINES.length);
  });

  test.each(['zh-CN', 'zh-TW', 'zh-HK'] as Locale[])('%s: no English phrase in any error or empty answer', (locale) => {
    const found = everything(requester(locale))
      .map(({ asked, text }) => ({ asked, text, english: englishIn(text) }))
      .filter((f) => f.english !== null);
    expect(found).toEqual([]);
  });

  test('every line reaches an error or an empty answer, each of its own kind', () => {
    const zh = requester('zh-CN');
    const replies = LINES.map((line) => bot.runLine(line, zh));
    for (const [i, reply] of replies.entries()) expect(reply.error !== undefined || reply.results.length === 0, LINES[i]).toBe(true);
    const codes = new Set(replies.flatMap((r) => (r.error ? [r.error.code] : [])));
    expect([...codes].sort()).toEqual(['internal', 'invalid_input', 'unexpected_text', 'unknown_command']);
    const raw = RAW.map(([name, input]) => bot.run(name, input, zh).error?.code);
    expect(raw).toEqual(['unknown_option', 'unknown_option', 'invalid_input', 'invalid_input']);
  });

  test('the rate limit, asked on a chat platform', () => {
    const limited = botOver(bot.library().corpus, { rateLimit: { burst: 1, perMinute: 1 } });
    const who = requester('zh-CN', 'discord', '7');
    limited.runLine('/essays', who);
    const reply = limited.runLine('/essays', who);
    expect(reply.error?.code).toBe('rate_limited');
    expect(said(reply).map(englishIn)).toEqual([null, null, null]);
  });
});
