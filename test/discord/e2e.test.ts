import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Command } from '../../src/core/dispatch/command.js';
import { startDiscord } from '../../src/discord/bot.js';
import { discordCommands } from '../../src/discord/commands.js';
import { escapeMarkdown } from '../../src/discord/render.js';
import { botOver, requester } from '../support/bot.js';
import { fixtureWords } from '../support/words.js';
import { AwaitableLog, FakeDiscord } from './fake-discord.js';
import { answered, bob, buttonsOf, EPHEMERAL, embedsOf, type Running, start } from './harness.js';
import { alice, createTestLogger } from './support.js';

/** The title the core gives a command's reply: the adapter must carry it unchanged (the commands' own tests pin its wording). */
function titleFrom(r: Running, name: string, input: Record<string, unknown>): string {
  return r.bot.run(name, input, requester('en', 'discord', alice.id)).title;
}

/** Undoes the renderer's escaping, bold and mention breaking, to compare against the verbatim text. */
function unmark(text: string): string {
  return text
    .replace(/@\u200b/gu, '@')
    .replace(/(?<!\\)\*\*/gu, '')
    .replace(/\\(.)/gu, '$1');
}

describe('Discord end to end, on the bundled corpus', () => {
  let r: Running;
  beforeAll(async () => {
    r = await start(join(PROJECT_ROOT, 'data', 'essays'));
  });
  afterAll(async () => {
    await r?.stop();
  });

  it('connects through the gateway URL found on the REST base, with only the Guilds intent', async () => {
    expect(r.fake.requests.items[0]).toMatchObject({ method: 'GET', route: '/gateway/bot' });
    expect(r.fake.requests.items[0]?.headers.authorization).toBe('Bot fake-token');
    expect(r.fake.gatewayConnections).toEqual(['/?v=10&encoding=json']);
    const identify = await r.fake.gatewayPayloads.next((p) => p.op === 2);
    expect(identify.d).toMatchObject({ token: 'fake-token', intents: 1, shard: [0, 1] });
    expect(r.client.user?.id).toBe(r.fake.applicationId);
  });

  it('answers /quote with verbatim quotes, attribution, notes and buttons', async () => {
    const i = r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type])).toEqual([['callback', 4]]);
    const [reply] = sent;
    expect(reply?.body.flags).toBeUndefined();
    expect(reply?.body.allowed_mentions).toEqual({ parse: [] });
    const [embed] = embedsOf(reply);
    expect(embed?.title).toBe(titleFrom(r, 'quote', { query: '智能鸿沟' }));
    const lines = embed?.description?.split('\n') ?? [];
    expect(lines.slice(0, 3)).toEqual([
      '> “**智能鸿沟**”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端，而且进一步削弱了其在人工智能议程制定与标准博弈中的话语权，更催生“算法依附”“数字殖民”等新型治理不平等现象。[3]',
      '— 陈志敏（复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任） · 《引领普惠向善的人工智能全球治理：中国的角色》 · 一、面向未来、引领人工智能全球治理议程设置 · `chen-zhimin-ylph.4`',
      '[3] 相关研究参见余南平、梁心蔚：《构建链权：人工智能价值链与大国战略竞争》，《外交评论》，2025年第5期，第78—103页；王瑞领：《供应链俱乐部化的权力生成机制与安全风险》，《国际安全研究》，2025年第6期，第3—24页；全球人工智能创新治理中心：《全球人工智能治理新趋势：以“上海宣言”为起点的观察》，《复旦智库报告》，2025年第8期，第8—11页等。',
    ]);
    expect(lines).toContain(
      // A short form: as printed, then the full citation it stands for, with its link.
      '[15] 《习近平在中共中央政治局第二十次集体学习时强调 坚持自立自强 突出应用导向 推动人工智能健康有序发展》。 → 《习近平在中共中央政治局第二十次集体学习时强调 坚持自立自强 突出应用导向 推动人工智能健康有序发展》，新华网，2025年4月26日，<https://www.news.cn/politics/leaders/20250426/63f5cde8f4b54e22ba35aa7ec7884b3a/c.html>。',
    );
    expect(buttonsOf(reply).map((b) => [b.label, b.custom_id])).toEqual([
      ['More', `y1|m|p|${alice.id}|quote|query=智能鸿沟&count=3&page=2`],
      ['Context 1', `y1|c|p|${alice.id}|context|id=chen-zhimin-ylph.4`],
      ['Context 2', `y1|c|p|${alice.id}|context|id=chen-zhimin-ylph.13`],
      ['Context 3', `y1|c|p|${alice.id}|context|id=chen-zhimin-ylph.16`],
      ['Sources', `y1|s|p|${alice.id}|sources|query=智能鸿沟`],
    ]);
  });

  it('pages with More for the user who asked, and tells anyone else privately', async () => {
    const more = `y1|m|p|${alice.id}|quote|query=智能鸿沟&count=3&page=2`;
    const mine = await answered(r, r.fake.button({ customId: more, user: alice, message: {} }));
    // UPDATE_MESSAGE: the page replaces the message it was asked from, instead of flooding the channel.
    expect(mine.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 7, undefined]]);
    expect(embedsOf(mine[0])[0]?.title).toBe(titleFrom(r, 'quote', { query: '智能鸿沟', count: 3, page: 2 }));
    expect(embedsOf(mine[0])[0]?.title).not.toBe(titleFrom(r, 'quote', { query: '智能鸿沟' }));
    expect(buttonsOf(mine[0]).map((b) => b.label)).not.toContain('More');

    const theirs = await answered(r, r.fake.button({ customId: more, user: bob, message: {} }));
    expect(theirs.map((s) => [s.via, s.type, s.body.flags, s.body.content])).toEqual([
      ['callback', 4, EPHEMERAL, 'Only the person who ran /quote can page its results. Run /quote yourself to search.'],
    ]);
  });

  it('answers Sources for anyone, privately when they did not ask', async () => {
    const sources = `y1|s|p|${alice.id}|sources|query=智能鸿沟`;
    const sent = await answered(r, r.fake.button({ customId: sources, user: bob, message: {} }));
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, EPHEMERAL]]);
    expect(embedsOf(sent[0])[0]?.title).toBe(titleFrom(r, 'sources', { query: '智能鸿沟' }));
    expect(embedsOf(sent[0])[0]?.description?.split('\n').slice(0, 2)).toEqual([
      '[3] 相关研究参见余南平、梁心蔚：《构建链权：人工智能价值链与大国战略竞争》，《外交评论》，2025年第5期，第78—103页；王瑞领：《供应链俱乐部化的权力生成机制与安全风险》，《国际安全研究》，2025年第6期，第3—24页；全球人工智能创新治理中心：《全球人工智能治理新趋势：以“上海宣言”为起点的观察》，《复旦智库报告》，2025年第8期，第8—11页等。',
      'Cited in:',
    ]);
  });

  it('answers Context with the whole paragraph, privately even to the one who asked', async () => {
    const paragraph = r.bot
      .library()
      .corpus.files.flatMap((f) => f.essays)
      .flatMap((e) => e.sections.flatMap((s) => s.paragraphs))
      .find((p) => p.id === 'chen-zhimin-ylph.4');
    const sent = await answered(r, r.fake.button({ customId: `y1|c|p|${alice.id}|context|id=chen-zhimin-ylph.4`, user: alice, message: {} }));
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, EPHEMERAL]]);
    const quoted = (embedsOf(sent[0])[0]?.description ?? '').split('\n').filter((l) => l.startsWith('> '));
    expect(unmark(quoted.map((l) => l.slice(2)).join('')).replace(/\[\d+\]/gu, '')).toBe(paragraph?.text);
  });

  it('answers privately with private:true, offers Share in channel, and posts it in public for the asker only', async () => {
    const sent = await answered(r, r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟', count: 1, private: true }, user: alice }));
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, EPHEMERAL]]);
    const share = buttonsOf(sent[0]).find((b) => b.label === 'Share in channel');
    expect(share?.custom_id).toBe(`y1|p|e|${alice.id}|quote|query=智能鸿沟&count=1&page=1`);

    const refused = await answered(r, r.fake.button({ customId: share?.custom_id ?? '', user: bob, message: {} }));
    expect(refused.map((s) => [s.body.flags, s.body.content])).toEqual([
      [EPHEMERAL, 'Only the person who ran /quote can page its results. Run /quote yourself to search.'],
    ]);

    const posted = await answered(r, r.fake.button({ customId: share?.custom_id ?? '', user: alice, message: {} }));
    expect(posted.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, undefined]]);
    // Said by name, not by a mention that would notify.
    expect(posted[0]?.body.content).toBe('Shared by alice');
    expect(embedsOf(posted[0])).toEqual(embedsOf(sent[0]));
    expect(buttonsOf(posted[0]).map((b) => b.label)).not.toContain('Share in channel');
  });

  it('answers every registered command', async () => {
    const cases: Array<[string, Record<string, string | number | boolean>]> = [
      ['who', { text: '结语' }],
      ['author', { name: 'chen zhimin' }],
      ['sources', { essay: 'chen-zhimin-ylph' }],
      ['essays', {}],
      ['cite', { target: 'chen-zhimin-ylph' }],
      ['help', {}],
      ['verify', { sentence: '“智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端' }],
    ];
    const visible = [...registry.values()].filter((c) => !c.hidden).map((c) => c.name);
    expect([...cases.map((c) => c[0]), 'quote'].sort()).toEqual([...visible].sort());
    for (const [name, options] of cases) {
      const sent = await answered(r, r.fake.slashCommand({ name, options, user: alice }));
      expect([name, sent.map((s) => [s.via, s.type, s.body.flags])]).toEqual([name, [['callback', 4, undefined]]]);
      expect([name, embedsOf(sent[0])[0]?.title]).toEqual([name, titleFrom(r, name, options)]);
      expect(embedsOf(sent[0])[0]?.description ?? embedsOf(sent[0])[0]?.fields?.[0]?.value).toBeTruthy();
    }
  });

  it('autocompletes authors and essays from Chinese, pinyin and Traditional characters', async () => {
    const choicesFor = async (name: string, options: Record<string, string>, focused: string, locale?: string) => {
      const sent = await answered(r, r.fake.autocomplete({ name, options, focused, user: alice, locale }));
      expect(sent.map((s) => [s.via, s.type])).toEqual([['callback', 8]]);
      return (sent[0]?.body.choices ?? []) as Array<{ name: string; value: string }>;
    };
    for (const typed of ['陈', 'chen', 'zhimin', '陳志敏']) {
      expect((await choicesFor('quote', { query: '治理', author: typed }, 'author')).map((c) => c.value)).toEqual(['陈志敏']);
    }
    expect((await choicesFor('sources', { essay: '人工智能' }, 'essay')).map((c) => c.value)).toEqual(['chen-zhimin-ylph']);
    // Ranked by the essay index: the title holding every word first, then the one holding some;
    // a typo in pinyin forgiven.
    expect((await choicesFor('sources', { essay: '全球治理倡议' }, 'essay')).map((c) => c.value)).toEqual(['wu-zhicheng-skbw', 'chen-zhimin-ylph']);
    expect((await choicesFor('cite', { target: '深刻把握' }, 'target')).map((c) => c.value)).toEqual(['wu-zhicheng-skbw']);
    expect((await choicesFor('quote', { query: '治理', author: 'zhimn' }, 'author')).map((c) => c.value)).toEqual(['陈志敏']);
    expect(await choicesFor('quote', { query: '治' }, 'query')).toEqual([]);
    const all = await choicesFor('quote', { query: '治理', essay: '' }, 'essay');
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(25);
  });

  it('answers bad input privately and clearly', async () => {
    const cases: Array<[string, Record<string, string | number | boolean>, string]> = [
      ['quote', { query: '！！！' }, '/quote query has no letters or digits: type words from the essays.'],
      ['quote', { query: '治理', count: 9 }, '/quote count must be a whole number from 1 to 5.'],
      ['cite', {}, '/cite target is required: An essay ID, title (or part of one) or passage ID such as essay-id.4'],
      ['nosuch', {}, 'There is no such command. Try /help for the list.'],
    ];
    for (const [name, options, message] of cases) {
      const sent = await answered(r, r.fake.slashCommand({ name, options, user: alice }));
      expect(sent.map((s) => [s.via, s.type, s.body.flags, s.body.content, s.body.embeds])).toEqual([['callback', 4, EPHEMERAL, escapeMarkdown(message), []]]);
    }
  });

  it('labels buttons in the interaction locale', async () => {
    const sent = await answered(r, r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟', private: true }, user: alice, locale: 'zh-CN' }));
    expect(buttonsOf(sent[0]).map((b) => b.label)).toEqual(['更多', '上下文 1', '上下文 2', '上下文 3', '出处', '分享到频道']);
    const expired = await answered(r, r.fake.button({ customId: 'y1#AAAAAAAAAAAAAAAAAAAAAA', user: alice, message: {}, locale: 'zh-CN' }));
    expect(expired.map((s) => [s.body.flags, s.body.content])).toEqual([[EPHEMERAL, '此按钮已过期。请重新运行命令以获取结果。']]);
  });

  it('zh-TW and zh-HK get Traditional labels around quotes kept verbatim; a public answer in a server follows the server’s language', async () => {
    const simplified = await answered(r, r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟', private: true }, user: alice, locale: 'zh-CN' }));
    for (const locale of ['zh-TW', 'zh-HK']) {
      const sent = await answered(r, r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟', private: true }, user: alice, locale }));
      expect(buttonsOf(sent[0]).map((b) => b.label)).toEqual(['更多', '上下文 1', '上下文 2', '上下文 3', '出處', '分享到頻道']);
      // The essays' words are the essays' characters: only the bot's own labels change.
      const quotes = (reply: typeof sent) =>
        embedsOf(reply[0]).flatMap((e) => (e.description ?? '').split('\n').filter((line) => line.startsWith('>') || line.startsWith('—')));
      expect(quotes(sent).join('\n')).toContain('智能鸿沟');
      expect(quotes(sent)).toEqual(quotes(simplified));
      const expired = await answered(r, r.fake.button({ customId: 'y1#AAAAAAAAAAAAAAAAAAAAAA', user: alice, message: {}, locale }));
      expect(expired.map((s) => s.body.content)).toEqual(['此按鈕已過期。請重新運行命令以獲取結果。']);
    }
    // The fake's server speaks en-US: a public answer there is labelled for everyone in it.
    const open = await answered(r, r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice, locale: 'zh-CN' }));
    expect(buttonsOf(open[0]).map((b) => b.label)).toContain('More');
  });

  it('answers an expired or unknown button politely', async () => {
    for (const customId of ['y1#AAAAAAAAAAAAAAAAAAAAAA', 'from-an-older-version']) {
      const sent = await answered(r, r.fake.button({ customId, user: alice, message: {} }));
      expect(sent.map((s) => [s.via, s.type, s.body.flags, s.body.content])).toEqual([
        ['callback', 4, EPHEMERAL, 'This button has expired. Run the command again for fresh results.'],
      ]);
    }
  });

  it('defers an interaction that is already old, then edits the answer in', async () => {
    const sent = await answered(r, r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice, createdAt: Date.now() - 2500 }));
    expect(sent.map((s) => [s.via, s.type])).toEqual([
      ['callback', 5],
      ['edit', undefined],
    ]);
    expect(sent[0]?.body.flags).toBe(0);
    expect(embedsOf(sent[1])[0]?.title).toBe(titleFrom(r, 'quote', { query: '智能鸿沟' }));
    expect(sent[1]?.body.allowed_mentions).toEqual({ parse: [] });

    const hidden = await answered(r, r.fake.slashCommand({ name: 'help', options: { private: true }, user: alice, createdAt: Date.now() - 2500 }));
    expect(hidden.map((s) => [s.via, s.type, s.body.flags])).toEqual([
      ['callback', 5, EPHEMERAL],
      ['edit', undefined, undefined],
    ]);
  });

  it('defers bad input privately, so that its error is edited into a private placeholder', async () => {
    const i = r.fake.slashCommand({ name: 'quote', options: { query: '！！！' }, user: alice, createdAt: Date.now() - 2500 });
    const sent = await answered(r, i);
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([
      ['callback', 5, EPHEMERAL],
      ['edit', undefined, undefined],
    ]);
    const message = escapeMarkdown('/quote query has no letters or digits: type words from the essays.');
    expect(sent[1]?.body.content).toBe(message);
    expect(r.fake.shown(i).map((m) => [m.ephemeral, m.deleted, m.content])).toEqual([[true, false, message]]);
  });

  it('finds the source of a message through the context menu, privately', async () => {
    const sentence = '“智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端';
    const sent = await answered(r, r.fake.messageCommand({ name: 'Find source', content: `@everyone ${sentence}`, author: bob, user: alice }));
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, EPHEMERAL]]);
    const direct = r.bot.run('find', { text: `@everyone ${sentence}` }, requester('en', 'discord', alice.id));
    expect(embedsOf(sent[0])[0]?.title).toBe(direct.title);
    expect(buttonsOf(sent[0]).at(-1)?.label).toBe('Share in channel');

    const empty = await answered(r, r.fake.messageCommand({ name: 'Find source', content: '', author: bob, user: alice }));
    expect(empty.map((s) => [s.body.flags, s.body.content])).toEqual([[EPHEMERAL, 'That message has no text to look up.']]);
  });

  it('logs an interaction Discord no longer accepts, and keeps serving', async () => {
    const i = r.fake.slashCommand({ name: 'help', user: alice, expired: true });
    const failed = await r.logs.entries.next((e) => e.msg === 'discord: interaction failed' && e.obj.interaction === i.id);
    expect((failed.obj.err as Error).message).toBe('Unknown interaction');
    const unreported = await r.logs.entries.next((e) => e.msg === 'discord: could not report the failure' && e.obj.interaction === i.id);
    expect((unreported.obj.err as Error).message).toBe('Unknown interaction');
    const after = await answered(r, r.fake.slashCommand({ name: 'help', user: alice }));
    expect(after.map((s) => [s.via, s.type])).toEqual([['callback', 4]]);
  });

  it('never sends a payload that could ping anyone, even when the input asks for it', async () => {
    // Its own interactions, so that this test reads nothing another test sent.
    const asked = [
      r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟 @everyone <@123456789012345678>' }, user: alice }),
      r.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice }),
      r.fake.slashCommand({ name: 'verify', options: { sentence: '@here 人工智能治理攸关全人类的共同命运' }, user: alice }),
      r.fake.slashCommand({ name: 'who', options: { text: '@everyone' }, user: alice }),
      r.fake.slashCommand({ name: 'sources', user: alice }),
      r.fake.slashCommand({ name: 'essays', user: alice }),
      r.fake.slashCommand({ name: 'help', user: alice }),
    ];
    const sent = (await Promise.all(asked.map((i) => answered(r, i)))).flat().filter((s) => s.via !== 'delete');
    expect(sent.length).toBeGreaterThanOrEqual(asked.length);
    for (const { body } of sent) {
      expect(body.allowed_mentions).toEqual({ parse: [] });
      // custom_ids are never shown, and may carry a user's text; everything shown is checked.
      const shown = JSON.stringify([body.content, body.embeds, buttonsOf({ via: 'callback', body }).map((b) => b.label)]);
      expect(shown).not.toMatch(/(?<!\u200b)@(everyone|here)|<@\d+>/u);
    }
  });
});

describe('Discord end to end, on a corpus with a paragraph longer than any message', () => {
  const boom = {
    name: 'boom',
    words: fixtureWords({ description: 'Always fails', options: {} }, { description: '总是失败', options: {} }),
    options: z.object({}),
    result: z.unknown(),
    run(): never {
      throw new Error('kaboom: a bug');
    },
  } satisfies Command;
  let r: Running;
  beforeAll(async () => {
    r = await start(join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'), new Map([...registry, ['boom', boom as unknown as Command]]));
  });
  afterAll(async () => {
    await r?.stop();
  });

  it('splits the paragraph over messages at sentence ends, within every limit, losing nothing', async () => {
    const paragraph = r.bot.library().corpus.files[0]?.essays[0]?.sections[0]?.paragraphs[0];
    expect(paragraph?.text.length).toBe(9238);
    const sent = await answered(r, r.fake.button({ customId: `y1|c|p|${alice.id}|context|id=${paragraph?.id}`, user: alice, message: {} }));
    expect(sent.map((s) => [s.via, s.type, s.body.flags])).toEqual([
      ['callback', 4, EPHEMERAL],
      ['followup', undefined, EPHEMERAL],
    ]);
    const quoted: string[] = [];
    for (const s of sent) {
      expect(s.body.allowed_mentions).toEqual({ parse: [] });
      const embeds = embedsOf(s);
      expect(embeds.length).toBeLessThanOrEqual(10);
      const total = embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);
      expect(total).toBeLessThanOrEqual(6000);
      for (const e of embeds) {
        expect(e.description?.length).toBeLessThanOrEqual(4096);
        quoted.push(...(e.description ?? '').split('\n').filter((l) => l.startsWith('> ')));
      }
    }
    expect(quoted.length).toBe(3);
    for (const line of quoted.slice(0, -1)) expect(line.endsWith('。')).toBe(true);
    expect(unmark(quoted.map((l) => l.slice(2)).join('')).replace(/\[\d+\]/gu, '')).toBe(paragraph?.text);
    const shown = sent.flatMap((s) => embedsOf(s).map((e) => e.description ?? '')).join('\n');
    expect(shown).toContain('“@\u200beveryone 请看\\*\\*重点\\*\\*与\\_下划线\\_”');
    expect(shown).toContain('[1] 《符号说明》，2024年1月1日，<https://example.org/symbols_a*b>。');
  });

  it('logs a command that throws, answers it with a short private message, and keeps serving', async () => {
    const sent = await answered(r, r.fake.slashCommand({ name: 'boom', user: alice }));
    expect(sent.map((s) => [s.via, s.type, s.body.flags, s.body.content])).toEqual([
      ['callback', 4, EPHEMERAL, 'Something went wrong while answering. It has been logged; please try again.'],
    ]);
    const logged = await r.logs.entries.next((e) => e.level === 'error' && e.obj.command === 'boom');
    expect((logged.obj.err as Error).message).toBe('kaboom: a bug');
    const after = await answered(r, r.fake.slashCommand({ name: 'essays', user: alice }));
    expect(embedsOf(after[0])[0]?.title).toBe(titleFrom(r, 'essays', {}));
  });
});

describe('Discord buttons across a restart', () => {
  it('answers a button sent before the restart; one whose state overflows a custom_id from the shared state folder, else it is expired', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'yz-buttons-'));
    const before = await start(join(PROJECT_ROOT, 'data', 'essays'), registry, stateDir);
    const asked = await answered(before, before.fake.slashCommand({ name: 'quote', options: { query: '智能鸿沟' }, user: alice }));
    const more = buttonsOf(asked[0]).find((b) => b.label === 'More')?.custom_id ?? '';
    const sentence =
      '“智能鸿沟”的存在与扩大不仅将“全球南方”国家锁定在产业链的底端，而且进一步削弱了其在人工智能议程制定与标准博弈中的话语权，更催生“算法依附”“数字殖民”等新型治理不平等现象。';
    const found = await answered(before, before.fake.messageCommand({ name: 'Find source', content: sentence, author: bob, user: alice }));
    const share = buttonsOf(found[0]).find((b) => b.label === 'Share in channel')?.custom_id ?? '';
    expect(share).toMatch(/^y1#/u);
    await before.stop();

    // Another process (a restart, or a second replica) with the same state folder answers the overflowing one.
    const after = await start(join(PROJECT_ROOT, 'data', 'essays'), registry, stateDir);
    const forgetful = await start(join(PROJECT_ROOT, 'data', 'essays'));
    try {
      const paged = await answered(after, after.fake.button({ customId: more, user: alice, message: {} }));
      expect(embedsOf(paged[0])[0]?.title).toBe(titleFrom(after, 'quote', { query: '智能鸿沟', count: 3, page: 2 }));
      const posted = await answered(after, after.fake.button({ customId: share, user: alice, message: {} }));
      expect(posted.map((s) => [s.via, s.type, s.body.flags])).toEqual([['callback', 4, undefined]]);
      expect(embedsOf(posted[0])).toEqual(embedsOf(found[0]));
      const expired = await answered(forgetful, forgetful.fake.button({ customId: share, user: alice, message: {} }));
      expect(expired.map((s) => [s.body.flags, s.body.content])).toEqual([[EPHEMERAL, 'This button has expired. Run the command again for fresh results.']]);
    } finally {
      await after.stop();
      await forgetful.stop();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

describe('Discord gateway upkeep', () => {
  it('heartbeats, gets its ACK, and closes the gateway cleanly on stop', async () => {
    const corpus = await loadCorpus(join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'));
    const logs = createTestLogger();
    const bot = botOver(corpus, { logger: logs });
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 30 });
    const { client, stop } = await startDiscord(
      bot,
      { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase },
      logs,
    );
    const acked = new Promise<string>((resolve) => client.on('debug', (m) => m.includes('Heartbeat acknowledged') && resolve(m)));
    const heartbeat = await fake.gatewayPayloads.next((p) => p.op === 1);
    // The first heartbeat may go out before READY has been read; it carries the last sequence seen.
    expect([null, 1]).toContain(heartbeat.d);
    expect(await acked).toMatch(/Heartbeat acknowledged/u);
    await stop();
    expect(await fake.gatewayCloses.next(() => true)).toBe(1000);
    await fake.close();
  });
});

describe('Discord startup', () => {
  it('fails with a clear error when Discord refuses the token', async () => {
    const corpus = await loadCorpus(join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'));
    const logs = createTestLogger();
    const bot = botOver(corpus, { logger: logs });
    const fake = await FakeDiscord.start();
    await expect(startDiscord(bot, { token: 'wrong', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase }, logs)).rejects.toThrow(
      'discord: Discord refused DISCORD_TOKEN (401 Unauthorized). Reset the token on the Developer Portal (Bot → Reset Token) and put it in .env.',
    );
    expect(fake.gatewayConnections).toEqual([]);
    await fake.close();
  });
});

describe('npm start with Discord configured', () => {
  it('serves commands through the gateway and shuts down cleanly on SIGTERM', async () => {
    const fake = await FakeDiscord.start();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DISCORD_TOKEN: 'fake-token',
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_BASE: fake.apiBase,
        DISCORD_GUILD_ID: '',
        SLACK_BOT_TOKEN: '',
        SLACK_APP_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        CORPUS_DIR: join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'),
        LOG_LEVEL: 'info',
      },
    });
    const lines = new AwaitableLog<string>();
    let buffered = '';
    child.stderr.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) lines.push(line);
    });
    const closed = once(child, 'close');
    try {
      const exitedEarly = closed.then(() => Promise.reject(new Error(`npm start exited before connecting:\n${lines.items.join('\n')}${buffered}`)));
      await Promise.race([lines.next((l) => l.includes('"discord: connected"')), exitedEarly]);
      exitedEarly.catch(() => undefined);
      const i = fake.slashCommand({ name: 'essays', user: alice });
      const callback = await fake.callback(i);
      expect((callback.body as { type: number }).type).toBe(4);
      child.kill('SIGTERM');
      const [code] = (await closed) as [number | null];
      expect(code).toBe(0);
      expect(await fake.gatewayCloses.next(() => true)).toBe(1000);
      expect(await lines.next((l) => l.includes('"discord: stopped"'))).toContain('"level":30');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fake.close();
    }
  });
});

describe('npm start with Discord: fatal closes and a refused token', () => {
  /** Starts the built bot against `fake`; resolves with its exit code and stderr once it exits. */
  function startBot(fake: FakeDiscord, token = 'fake-token') {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DISCORD_TOKEN: token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_BASE: fake.apiBase,
        CORPUS_DIR: join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'),
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, lines: stderr.split('\n').filter((l) => l.trim() !== '') }));
    return { child, exited };
  }

  it.each([
    [4004, 'DISCORD_TOKEN'],
    [4014, 'Privileged Gateway Intents'],
    [4011, 'ShardingManager'],
  ])('a gateway close %i ends the process with code 1 and one line saying what to fix (%s)', async (code, fix) => {
    const fake = await FakeDiscord.start();
    const { child, exited } = startBot(fake);
    try {
      await fake.gatewayPayloads.next((p) => p.op === 2);
      fake.dropGateway(code);
      const { code: exit, lines } = await exited;
      expect(exit).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`gateway close ${code}`);
      expect(lines[0]).toContain(fix);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fake.close();
    }
  });

  it('the adapter reports its gateway up once ready and down after a fatal close, for /healthz', async () => {
    const fake = await FakeDiscord.start();
    const logs = createTestLogger();
    const corpus = await loadCorpus(join(PROJECT_ROOT, 'test', 'discord', 'fixtures', 'long'));
    const bot = botOver(corpus, { logger: logs });
    const adapter = await startDiscord(bot, { token: 'fake-token', applicationId: fake.applicationId, guildId: undefined, apiBase: fake.apiBase }, logs);
    try {
      expect(adapter.gateway()).toBe('up');
      fake.dropGateway(4004);
      expect(await adapter.fatal).toContain('gateway close 4004');
      expect(adapter.gateway()).toBe('down');
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });

  it('a refused token at startup: one line naming DISCORD_TOKEN, code 1, no stack trace', async () => {
    const fake = await FakeDiscord.start();
    try {
      const { code, lines } = await startBot(fake, 'stale-token').exited;
      expect(code).toBe(1);
      expect(lines).toEqual([
        'discord: Discord refused DISCORD_TOKEN (401 Unauthorized). Reset the token on the Developer Portal (Bot → Reset Token) and put it in .env.',
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('deploy:discord', () => {
  let fake: FakeDiscord;
  // A fake of its own for each test: a registration one test leaves untaken is no other's.
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  async function deploy(
    guildId: string,
    env: Record<string, string> = {},
    args: string[] = [],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['dist/scripts/deploy-discord.js', ...args], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DISCORD_TOKEN: 'fake-token',
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_BASE: fake.apiBase,
        DISCORD_GUILD_ID: guildId,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr };
  }

  it('registers the registry globally, usable in servers, DMs and private channels, installed to servers or users, with localizations, autocomplete and the private option', async () => {
    const run = await deploy('');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const put = await fake.requests.next((q) => q.method === 'PUT');
    expect(put.route).toBe(`/applications/${fake.applicationId}/commands`);
    expect(put.headers.authorization).toBe('Bot fake-token');
    expect(put.body).toEqual(discordCommands(registry, 'global'));
    const body = put.body as Array<{ name: string; type: number; name_localizations?: Record<string, string>; options?: Array<Record<string, unknown>> }>;
    const names = [...registry.values()].filter((c) => !c.hidden).map((c) => c.name);
    const own = ['Find source', 'library', 'Add to library'];
    expect(body.map((c) => c.name)).toEqual([...names, ...own]);
    expect(body.at(-3)).toEqual({
      type: 3,
      name: 'Find source',
      name_localizations: { 'zh-CN': '查找出处', 'zh-TW': '查找出處' },
      integration_types: [0, 1],
      contexts: [0, 1, 2],
    });
    for (const command of body) expect(command).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    for (const command of body.slice(0, -3)) {
      expect(command.options?.at(-1)).toEqual({
        type: 5,
        name: 'private',
        name_localizations: { 'zh-CN': '私密', 'zh-TW': '私密' },
        description: 'Only you see the answer',
        description_localizations: { 'zh-CN': '仅自己可见', 'zh-TW': '僅自己可見' },
        required: false,
      });
    }
    const quote = body.find((c) => c.name === 'quote');
    expect(quote?.options?.find((o) => o.name === 'query')).toEqual({
      type: 3,
      name: 'query',
      description: 'Words or a phrase from the essays, in Simplified or Traditional Chinese or English',
      required: true,
      name_localizations: { 'zh-CN': '查询', 'zh-TW': '查詢' },
      description_localizations: { 'zh-CN': '要查找的词语或句子（简体、繁体或英文）', 'zh-TW': '要查找的詞語或句子（簡體、繁體或英文）' },
      min_length: 1,
      max_length: 200,
    });
    expect(quote?.options?.filter((o) => o.autocomplete === true).map((o) => o.name)).toEqual(['author', 'essay']);
    expect(quote?.options?.find((o) => o.name === 'count')).toMatchObject({ type: 4, min_value: 1, max_value: 5, required: false });
    const id = fake.applicationId;
    expect(run.stdout).toBe(
      [
        `deploy:discord: registered ${body.length} commands for everywhere (global; Discord may take a while to show them): ${[...names, ...own].join(', ')}`,
        'deploy:discord: no commands in the other scope to remove',
        `deploy:discord: add to a server: https://discord.com/oauth2/authorize?client_id=${id}&scope=bot+applications.commands&permissions=2147502080&integration_type=0`,
        `deploy:discord: add to your own account (use it anywhere): https://discord.com/oauth2/authorize?client_id=${id}&scope=applications.commands&integration_type=1`,
        '',
      ].join('\n'),
    );
  });

  it('a server deploy removes the global commands, and a global deploy the server’s, unless --keep-other', async () => {
    const guild = '200000000000000001';
    const all = [...registry.values()]
      .filter((c) => !c.hidden)
      .map((c) => c.name)
      .concat('Find source', 'library', 'Add to library');
    fake.botGuilds = [guild];
    expect((await deploy('')).code).toBe(0);
    const toServer = await deploy(guild);
    expect(toServer.stdout).toContain(`deploy:discord: removed ${all.length} commands from the global commands, so none shows twice: ${all.join(', ')}\n`);
    expect(fake.commands.get(`/applications/${fake.applicationId}/commands`)).toEqual([]);
    expect(fake.commands.get(`/applications/${fake.applicationId}/guilds/${guild}/commands`)).toHaveLength(all.length);
    // Global again: the server's commands go, found through the servers the bot is in.
    const global = await deploy('');
    expect(global.stdout).toContain(`deploy:discord: removed ${all.length} commands from server ${guild}, so none shows twice`);
    expect(fake.commands.get(`/applications/${fake.applicationId}/guilds/${guild}/commands`)).toEqual([]);
    // --keep-other leaves the global commands where they are.
    const kept = await deploy(guild, {}, ['--keep-other']);
    expect(kept.stdout).not.toContain('removed');
    expect(fake.commands.get(`/applications/${fake.applicationId}/commands`)).toHaveLength(all.length);
    // --global with DISCORD_GUILD_ID set registers globally and clears that server.
    const forced = await deploy(guild, {}, ['--global']);
    expect(forced.stdout).toContain(`removed ${all.length} commands from server ${guild}`);
  });

  it('registers to one server when DISCORD_GUILD_ID is set', async () => {
    const run = await deploy('200000000000000001');
    expect(run.code).toBe(0);
    const put = await fake.requests.next((q) => q.method === 'PUT');
    expect(put.route).toBe(`/applications/${fake.applicationId}/guilds/200000000000000001/commands`);
    // Discord reads integration types and contexts only on global commands.
    expect(put.body).toEqual(discordCommands(registry, 'guild'));
    expect((put.body as object[]).every((c) => !('integration_types' in c) && !('contexts' in c))).toBe(true);
  });

  it('names the missing variables and exits non-zero', async () => {
    const missing = await deploy('', { DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '' });
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'deploy:discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID. Set them in .env (see .env.example).\n',
    ]);
  });

  it('names a malformed variable and exits non-zero', async () => {
    const malformed = await deploy('', { DISCORD_APPLICATION_ID: 'my-bot' });
    expect([malformed.code, malformed.stderr]).toEqual([
      1,
      'config: DISCORD_APPLICATION_ID must be the numeric application ID (a snowflake). Fix it in .env or the environment (see .env.example).\n',
    ]);
  });

  it('names the portal setting to tick when Discord refuses the integration types (User Install off)', async () => {
    await fake.close();
    fake = await FakeDiscord.start({ userInstall: false });
    const refused = await deploy('');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "deploy:discord: Discord refused the commands' integration types: the app is not installable to users. On the Developer Portal, open the app, then Installation → Installation Contexts, tick User Install, save, and deploy again (or set DISCORD_GUILD_ID to register to one server only). (HTTP 400: Invalid Form Body 0.integration_types[INVALID_FORM_BODY]: The application does not support the User Install integration type.)\n",
    );
    // A server's commands take no integration types, so a server deploy still works.
    expect((await deploy('200000000000000001')).code).toBe(0);
  });

  it('finds leftover server commands in every page of the servers the bot is in', async () => {
    // 201 servers: two pages of GET /users/@me/guilds (at most 200 a page); the commands to remove are on the second.
    fake.botGuilds = Array.from({ length: 201 }, (_, i) => String(210000000000000000n + BigInt(i)));
    const last = fake.botGuilds[200] as string;
    fake.commands.set(`/applications/${fake.applicationId}/guilds/${last}/commands`, [{ id: '1', name: 'quote', type: 1, description: 'd' }]);
    const run = await deploy('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`deploy:discord: removed 1 commands from server ${last}, so none shows twice: quote\n`);
    const pages = fake.requests.items.filter((q) => q.route === '/users/@me/guilds').map((q) => q.query.toString());
    expect(pages).toEqual(['limit=200&after=0', `limit=200&after=${fake.botGuilds[199]}`]);
    expect(fake.commands.get(`/applications/${fake.applicationId}/guilds/${last}/commands`)).toEqual([]);
  });

  it('says which variable to check when Discord refuses the registration', async () => {
    const refused = await deploy('', { DISCORD_TOKEN: 'stale-token' });
    expect([refused.code, refused.stderr]).toEqual([
      1,
      'deploy:discord: Discord refused the registration (HTTP 401): 401: Unauthorized. Check DISCORD_TOKEN.\n',
    ]);
  });
});
