import { beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR } from '../../../src/config.js';
import { renderReply } from '../../../src/console/render.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import type { Corpus } from '../../../src/core/corpus/model.js';
import type { Bot } from '../../../src/core/dispatch/bot.js';
import { type MarkedText, piecesOf } from '../../../src/core/reply/layout.js';
import { layoutReply } from '../../../src/core/reply/layout-reply.js';
import type { Locale, Reply } from '../../../src/core/reply/model.js';
import { type DiscordMessage, replyToDiscord } from '../../../src/discord/render.js';
import { plainFromSlack, replyToBlockKit, type SlackBlock, type SlackMessage } from '../../../src/slack/render.js';
import { botOver, requester } from '../../support/bot.js';

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

/*
 * Every command's reply, on the bundled essays, through the three renderers: each must show
 * every piece the layout laid out (labels, attributions, notes, notices), each URL as many
 * times as the layout links it (once per note), and the same buttons. What a renderer adds
 * or drops beyond the layout is a drift this catches.
 */

/** Discord's rendering as raw Markdown and as the text a reader sees. */
function discordOf(messages: DiscordMessage[]): { raw: string; text: string; buttons: string[] } {
  const raw = messages
    .flatMap((m) => [m.content ?? '', ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])])
    .join('\n');
  const text = raw
    .replace(/\[((?:\\.|[^\]\\])*)\]\(<[^>]+>\)/gu, '$1')
    .replace(/<(https?:[^>]+)>/gu, '$1')
    .replace(/(?<!\\)(\*\*|__|~~|`)/gu, '')
    .replace(/^> /gmu, '')
    .replace(/\\(.)/gu, '$1');
  return { raw, text, buttons: messages.flatMap((m) => m.components.flatMap((row) => row.components.map((b) => b.label ?? ''))) };
}

function slackOf(messages: SlackMessage[]): { raw: string; text: string; buttons: string[] } {
  const blocks: SlackBlock[] = messages.flatMap((m) => m.blocks);
  const raw = blocks
    .flatMap((b) => {
      if (b.type === 'header') return [b.text.text];
      if (b.type === 'section') return 'text' in b ? [b.text.text] : b.fields.map((f) => f.text);
      if (b.type === 'context') return b.elements.map((e) => e.text);
      return [];
    })
    .join('\n');
  const text = plainFromSlack(raw.replace(/\u200b[*~]|[*~]\u200b/gu, '').replace(/^\*([^*\n]+)\*$/gmu, '$1')).replace(/^>/gmu, '');
  return { raw, text, buttons: blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.text.text) : [])) };
}

const squash = (text: string) => text.replace(/\s+/gu, ' ').trim();

/** The words of marked text a reader sees around its links, markers in place: each must show in every rendering. */
function fragments(m: MarkedText): string[] {
  const out: string[] = [];
  let current = '';
  for (const p of piecesOf(m)) {
    if (p.kind === 'text' && p.mark === 'link') {
      out.push(current);
      current = '';
    } else current += p.kind === 'marker' ? p.label : p.text;
  }
  out.push(current);
  return out.map((f) => squash(f.replace(/^ · | · $/gu, ''))).filter((f) => f !== '');
}

/** Each link the layout makes, by URL: how many times it is linked. */
function linkCounts(marked: MarkedText[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of marked) for (const r of m.marks) if (r.mark === 'link' && r.ref) counts.set(r.ref, (counts.get(r.ref) ?? 0) + 1);
  return counts;
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('every command, three renderers, the same pieces', () => {
  let bot: Bot;
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(BUNDLED_CORPUS_DIR);
    bot = botOver(corpus);
  });

  /** A command line per command, drawn from the corpus: no name or passage is written in here. */
  function lines(): string[] {
    const essays = corpus.files.flatMap((f) => f.essays).filter((e) => e.kind === 'essay');
    const noted = (p: { markers: Array<{ footnote: number | null }> }) => p.markers.some((m) => m.footnote !== null);
    const essay = essays.find((e) => e.sections.some((s) => s.paragraphs.some(noted))) ?? essays[0];
    if (!essay) throw new Error('the bundled corpus has no essay');
    const paragraph = essay.sections.flatMap((s) => s.paragraphs).find(noted) ?? essay.sections[0]?.paragraphs[0];
    if (!paragraph) throw new Error('the bundled essay has no paragraph');
    const words = paragraph.text.replace(/[\s“”《》「」]/gu, '').slice(4, 12);
    const author = essay.authors[0]?.name ?? '';
    return [
      `quote ${words}`,
      `quote ${words} count:3`,
      'quote zzzqqqxxx',
      `who ${words}`,
      `author ${author}`,
      `sources ${words}`,
      `essays`,
      `essays ${words.slice(0, 2)}`,
      `cite ${essay.id}`,
      `verify ${words.slice(0, 3)}${words.slice(4)}`,
      `context ${paragraph.id}`,
      `find ${paragraph.text.slice(0, 30)}`,
      'help',
      'help quote',
      'quote',
    ];
  }

  for (const locale of ['en', 'zh-CN'] as const satisfies Locale[]) {
    test(`${locale}: labels, attributions, notes, URLs once each, buttons and notices`, () => {
      for (const line of lines()) {
        const reply: Reply = bot.runLine(line, requester(locale));
        const [command = ''] = line.split(' ');
        const share = { command, input: { line } };
        const laid = layoutReply(reply, { locale, offerShare: true, share });
        const discord = discordOf(
          replyToDiscord(reply, { locale, ephemeral: true, share, customId: (a) => `y|${a.kind}|${JSON.stringify(a.input)}`.slice(0, 100) }),
        );
        const slack = slackOf(replyToBlockKit(reply, { locale, visibility: 'ephemeral', share: { c: command, l: line } }));
        const console = { text: renderReply(reply, { width: 10_000, color: false, locale }) };

        const marked: MarkedText[] = [...laid.lead, ...(laid.notice ? [laid.notice] : []), ...(laid.error ? [laid.error] : [])];
        const expected: string[] = laid.title ? [squash(laid.title)] : [];
        for (const block of laid.blocks) {
          for (const l of block.lines) {
            if (l.kind === 'fields') expected.push(...l.fields.flatMap((f) => [squash(f.label), squash(f.value)]).filter((f) => f !== ''));
            else {
              marked.push(l.text);
              if (l.kind === 'note') expected.push(l.label);
            }
          }
        }
        expected.push(...marked.flatMap(fragments));
        expect(expected.length, line).toBeGreaterThan(0);
        for (const [name, shown] of [
          ['discord', discord.text],
          ['slack', slack.text],
          ['console', console.text],
        ] as const) {
          const text = squash(shown);
          for (const piece of expected) expect(text, `${name}: ${line}`).toContain(piece);
        }
        for (const [url, times] of linkCounts(marked)) {
          expect(occurrences(discord.raw, `<${url}>`) + occurrences(discord.raw, `(<${url}>)`), `discord ${url}`).toBe(times);
          expect(occurrences(slack.raw, `<${url.replace(/&/gu, '&amp;')}|`), `slack ${url}`).toBe(times);
          expect(occurrences(console.text, url), `console ${url}`).toBe(times);
        }
        const labels = laid.buttons.map((b) => b.label);
        expect(discord.buttons, line).toEqual(labels);
        expect(slack.buttons, line).toEqual(labels);
        if (laid.error) expect(labels).toEqual([]);
      }
    });
  }
});
