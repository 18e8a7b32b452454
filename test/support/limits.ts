import type { DiscordMessage } from '../../src/discord/render.js';
import type { SlackBlock, SlackMessage } from '../../src/slack/render.js';

/**
 * Platform limits checked from the outside, by the numbers the platforms publish, not by
 * the renderers' own constants: a renderer that got a constant wrong must fail here.
 */
export function discordProblems(messages: DiscordMessage[]): string[] {
  const problems: string[] = [];
  if (messages.length === 0) problems.push('no message');
  for (const m of messages) {
    if (JSON.stringify(m.allowedMentions) !== '{"parse":[]}') problems.push('allowedMentions is not { parse: [] }');
    if ((m.content ?? '').length > 2000) problems.push(`content ${m.content?.length} > 2000`);
    if (m.embeds.length > 10) problems.push(`${m.embeds.length} embeds > 10`);
    let total = 0;
    for (const e of m.embeds) {
      const title = e.title ?? '';
      const description = e.description ?? '';
      const footer = e.footer?.text ?? '';
      const author = e.author?.name ?? '';
      if (title.length > 256) problems.push(`embed title ${title.length} > 256`);
      if (description.length > 4096) problems.push(`embed description ${description.length} > 4096`);
      if (footer.length > 2048) problems.push(`footer ${footer.length} > 2048`);
      if ((e.fields ?? []).length > 25) problems.push('more than 25 fields');
      total += title.length + description.length + footer.length + author.length;
      for (const f of e.fields ?? []) {
        if (f.name.length > 256) problems.push(`field name ${f.name.length} > 256`);
        if (f.value.length > 1024) problems.push(`field value ${f.value.length} > 1024`);
        total += f.name.length + f.value.length;
      }
    }
    if (total > 6000) problems.push(`embeds total ${total} > 6000`);
    if (m.components.length > 5) problems.push('more than 5 action rows');
    for (const row of m.components) {
      if (row.components.length > 5) problems.push('more than 5 buttons in a row');
      for (const b of row.components) {
        if (b.custom_id.length > 100) problems.push(`custom_id ${b.custom_id.length} > 100`);
        if ((b.label ?? '').length > 80) problems.push('button label > 80');
      }
    }
    const visible = [
      m.content ?? '',
      ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
    ].join('\n');
    if (/(?<!\\)@(everyone|here)\b/iu.test(visible.replace(/@\u200b/gu, ''))) problems.push('an unescaped @everyone/@here');
    if (/<@[!&]?\d+>/u.test(visible)) problems.push('a user or role mention');
  }
  return problems;
}

function slackTexts(block: SlackBlock): string[] {
  switch (block.type) {
    case 'header':
      return [block.text.text];
    case 'section':
      return 'text' in block ? [block.text.text] : block.fields.map((f) => f.text);
    case 'context':
      return block.elements.map((e) => e.text);
    case 'actions':
      return block.elements.map((e) => e.text.text);
    case 'divider':
      return [];
  }
}

export function slackProblems(messages: SlackMessage[]): string[] {
  const problems: string[] = [];
  if (messages.length === 0) problems.push('no message');
  for (const m of messages) {
    if (m.blocks.length > 50) problems.push(`${m.blocks.length} blocks > 50`);
    let total = m.text.length;
    for (const b of m.blocks) {
      const texts = slackTexts(b);
      total += texts.reduce((n, t) => n + t.length, 0);
      if (b.type === 'section' && 'text' in b && b.text.text.length > 3000) problems.push(`section text ${b.text.text.length} > 3000`);
      if (b.type === 'section' && 'fields' in b && (b.fields.length > 10 || b.fields.some((f) => f.text.length > 2000)))
        problems.push('section fields over limits');
      if (b.type === 'header' && b.text.text.length > 150) problems.push('header > 150');
      if (b.type === 'actions') {
        if (b.elements.length > 25) problems.push('more than 25 buttons');
        for (const e of b.elements) {
          if (e.text.text.length > 75) problems.push('button text > 75');
          if ((e.value ?? '').length > 2000) problems.push(`button value ${(e.value ?? '').length} > 2000`);
          if (e.action_id.length > 255) problems.push('action_id > 255');
        }
      }
      for (const t of texts) {
        if (/<!(everyone|channel|here)/iu.test(t)) problems.push('a special mention <!…>');
        if (/<[@#][A-Z0-9]/u.test(t)) problems.push('a user or channel mention');
        if (/<!subteam\^/u.test(t)) problems.push('a group mention');
      }
    }
    for (const t of [m.text]) if (/<!(everyone|channel|here)|<[@#][A-Z0-9]/iu.test(t)) problems.push('a mention in the fallback text');
    if (total > 12_000) problems.push(`message ${total} characters > 12000`);
  }
  return problems;
}
