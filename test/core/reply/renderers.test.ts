import { describe, expect, test } from 'vitest';
import { renderReply } from '../../../src/console/render.js';
import type { Locale, Reply } from '../../../src/core/reply/model.js';
import { replyToDiscord } from '../../../src/discord/render.js';
import { plainFromSlack, replyToBlockKit, type SlackBlock } from '../../../src/slack/render.js';

/*
 * One reply through all three renderers: each must show the same labels, the affiliation,
 * the printed note with the citation it stands for, and the pages. The layout decides them
 * once (src/core/reply/layout.ts); this test is what keeps the renderers from drifting.
 */

const reply: Reply = {
  command: 'quote',
  title: 'Quotes 1–2',
  blocks: [
    {
      kind: 'quote',
      text: '多边主义是全球治理的基石。',
      highlights: [[0, 4]],
      markers: [{ offset: 13, number: 5 }],
      attribution: {
        author: '王某、李某',
        affiliation: '某大学国际关系学院',
        essay: '论多边主义',
        section: '二、规则 › （一）起源',
        passageId: 'wang-mou-ldbz.7',
        pages: [36, 37],
      },
      footnotes: [
        {
          number: 5,
          printed: '同上，第36页。',
          text: '某部：《多边主义报告》，2025年，https://example.org/report。',
          urls: ['https://example.org/report'],
          covers: 'quote',
        },
      ],
    },
  ],
  actions: [
    { kind: 'more', command: 'quote', input: { query: '多边主义', page: 2 } },
    { kind: 'context', command: 'context', input: { id: 'wang-mou-ldbz.7' } },
    { kind: 'context', command: 'context', input: { id: 'wang-mou-ldbz.8' } },
    { kind: 'sources', command: 'sources', input: { query: '多边主义' } },
  ],
  results: [],
  corpusVersion: '000000000000',
};

/** Discord Markdown read back as text: escapes dropped, bold marks and link brackets removed. */
function discordText(locale: Locale): { text: string; buttons: string[] } {
  const messages = replyToDiscord(reply, { locale, ephemeral: false, customId: (a) => `y1|${a.kind}|${String(a.input.id ?? a.input.page ?? '')}` });
  const text = messages
    .flatMap((m) => [m.content ?? '', ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? ''])])
    .join('\n')
    .replace(/<(https?:[^>]+)>/gu, '$1')
    .replace(/(?<!\\)\*\*/gu, '')
    .replace(/\\(.)/gu, '$1');
  return { text, buttons: messages.flatMap((m) => m.components.flatMap((row) => row.components.map((b) => b.label ?? ''))) };
}

function slackText(locale: Locale): { text: string; buttons: string[] } {
  const blocks: SlackBlock[] = replyToBlockKit(reply, { locale, visibility: 'in_channel' }).flatMap((m) => m.blocks);
  const texts = blocks.flatMap((b) => {
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'section') return 'text' in b ? [b.text.text] : b.fields.map((f) => f.text);
    if (b.type === 'context') return b.elements.map((e) => e.text);
    return [];
  });
  const text = plainFromSlack(texts.join('\n'))
    .replace(/\u200b[*~]|[*~]\u200b/gu, '')
    .replace(/^>/gmu, '');
  return { text, buttons: blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.text.text) : [])) };
}

function consoleText(locale: Locale): { text: string; buttons: string[] } {
  const text = renderReply(reply, { width: 1000, color: false, locale });
  const buttons = text.split('\n').flatMap((line) => {
    const m = /^([^:/]+): \//u.exec(line);
    return m ? [m[1] as string] : [];
  });
  return { text, buttons };
}

describe('one reply, three renderers', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    test(`${locale}: the same labels, affiliation, notes and pages on Discord, Slack and the console`, () => {
      const pages = locale === 'en' ? 'pp. 36–37' : '第36—37页';
      const buttons = locale === 'en' ? ['More', 'Context 1', 'Context 2', 'Sources'] : ['更多', '上下文 1', '上下文 2', '出处'];
      const attribution = `— 王某、李某（某大学国际关系学院） · 《论多边主义》 · 二、规则 › （一）起源 · ${pages} · wang-mou-ldbz.7`;
      const note = '[5] 同上，第36页。 → 某部：《多边主义报告》，2025年，https://example.org/report。';
      for (const [name, shown] of [
        ['discord', discordText(locale)],
        ['slack', slackText(locale)],
        ['console', consoleText(locale)],
      ] as const) {
        expect(shown.buttons, name).toEqual(buttons);
        expect(shown.text, name).toContain('多边主义是全球治理的基石。[5]');
        // Discord sets the passage ID in code type; the words around it are the same.
        expect(shown.text.replace(/`/gu, ''), name).toContain(attribution);
        expect(shown.text, name).toContain(note);
      }
    });
  }
});
