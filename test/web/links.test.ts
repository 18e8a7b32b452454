import { beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR } from '../../src/config.js';
import { renderReply } from '../../src/console/render.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { replyToDiscord } from '../../src/discord/render.js';
import { replyToBlockKit } from '../../src/slack/render.js';
import { botOver, requester } from '../support/bot.js';

/** Reader links as every renderer shows them: whole, clickable, and never escaped into something else. */

const links = {
  passageUrl: (id: string, span?: readonly [number, number]) => `https://reader.example.org/p/${id}?s=${span?.[0] ?? ''}&e=${span?.[1] ?? ''}&sig=a_b-c#quoted`,
  essayUrl: (id: string, note?: number) => `https://reader.example.org/e/${id}?sig=x_y${note ? `#note-${note}` : ''}`,
};
const who = requester('en', 'discord', 'links-test');

describe('reader links in replies', () => {
  let bot: Bot;
  beforeAll(async () => {
    const corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
    bot = botOver(corpus, { links });
  });

  test('a quote links to its exact span in Discord, Slack and the console', () => {
    const reply = bot.run('quote', { query: '智能鸿沟', count: 1 }, who);
    const block = reply.blocks[0];
    if (block?.kind !== 'quote') throw new Error('no quote');
    const url = block.attribution.link as string;
    expect(url).toMatch(/^https:\/\/reader\.example\.org\/p\/[a-z-]+\.\d+\?s=\d+&e=\d+&sig=a_b-c#quoted$/u);
    const [start, end] = block.span ?? [];
    expect(url).toContain(`s=${start}&e=${end}`);
    expect(replyToDiscord(reply, { locale: 'en', ephemeral: false, customId: () => 'x' })[0]?.embeds?.[0]?.description).toContain(`[Open in reader](<${url}>)`);
    expect(JSON.stringify(replyToBlockKit(reply, { locale: 'en', visibility: 'in_channel' }))).toContain(`<${url.replace(/&/gu, '&amp;')}|Open in reader>`);
    expect(renderReply(reply, { width: 60, color: false })).toContain(`Open in reader: ${url}`);
  });

  test('a source links to its note in the essay, a citation to the essay or passage', () => {
    const sources = bot.run('sources', { query: '智能鸿沟' }, who);
    const note = sources.blocks.find((b) => b.kind === 'note');
    expect(note?.kind === 'note' ? note.link : undefined).toMatch(/^https:\/\/reader\.example\.org\/e\/[a-z-]+\?sig=x_y#note-\d+$/u);
    const cite = bot.run('cite', { target: 'chen-zhimin-ylph' }, who);
    expect(cite.blocks.at(-1)).toEqual({ kind: 'link', label: 'Open in reader', url: 'https://reader.example.org/e/chen-zhimin-ylph?sig=x_y' });
    const zh = bot.run('cite', { target: 'chen-zhimin-ylph.4' }, { ...who, locale: 'zh-CN' });
    expect(zh.blocks.at(-1)).toMatchObject({ kind: 'link', label: '在阅读器中打开' });
  });
});
