import { beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { FindResult } from '../../src/core/reply/results.js';
import { botOver, requester } from '../support/bot.js';

const en = requester();

let bot: Bot;
beforeAll(async () => {
  const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
  bot = botOver(corpus);
});

describe('find: a message looked up sentence by sentence', () => {
  test('each sentence gets its own verdict: verbatim, near-verbatim with a diff, or not in the essays', () => {
    const text = '我觉得这一段写得很好。人工智能治理攸关全人类的共同命运。人工智能治理攸关全人类的共同命远。今天天气很好，我们去公园散步吧。';
    const reply = bot.run('find', { text }, en);
    const results = FindResult.array().parse(reply.results);
    expect(results.map((r) => [r.sentence, r.verdict, r.match?.id ?? null])).toEqual([
      ['我觉得这一段写得很好。', 'not-found', null],
      ['人工智能治理攸关全人类的共同命运。', 'verbatim', 'chen-zhimin-ylph.1'],
      ['人工智能治理攸关全人类的共同命远。', 'different', 'chen-zhimin-ylph.1'],
      ['今天天气很好，我们去公园散步吧。', 'not-found', null],
    ]);
    expect(results[2]?.match?.diff?.filter((o) => o.op !== 'equal')).toEqual([
      { op: 'delete', text: '远' },
      { op: 'insert', text: '运' },
    ]);
    expect(reply.title).toBe('Find source: 2 of 4 sentences found');
    expect(reply.blocks.filter((b) => b.kind === 'diff')).toHaveLength(1);
  });

  test('a long message is checked up to a bound and says how much was left, never refused', () => {
    const text = '人工智能治理攸关全人类的共同命运。'.repeat(2000);
    expect(text.length).toBeGreaterThan(30_000);
    const reply = bot.run('find', { text }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toHaveLength(8);
    expect(reply.message).toBe('The first 8 sentences are checked; 1992 more are not. Look one up with verify.');
  });

  test('a message of greetings only says so', () => {
    const reply = bot.run('find', { text: '好的！谢谢。' }, en);
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe('This message has no sentence long enough to look up.');
  });
});
