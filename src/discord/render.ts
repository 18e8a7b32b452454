import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import { fitMarked, packLines } from '../core/reply/fit.js';
import { ATTRIBUTION_DASH, type Mark, type MarkedText, piecesOf, plainMarked } from '../core/reply/layout.js';
import { type LaidLine, layoutReply, type ReplyLayout } from '../core/reply/layout-reply.js';
import type { Locale, Reply, ReplyAction } from '../core/reply/model.js';
import { truncate } from '../core/reply/split.js';
import { wordsFor } from '../core/words/index.js';
import { DISCORD_CUSTOM_ID_MAX } from './custom-id.js';

/*
 * Discord's limits, counted in UTF-16 code units as Discord counts them. A message may carry
 * content and embeds; the 6000 is the sum over its embeds' titles, descriptions and fields.
 */
export const DISCORD_CONTENT_MAX = 2000;
export const DISCORD_EMBED_TITLE_MAX = 256;
export const DISCORD_EMBED_DESCRIPTION_MAX = 4096;
export const DISCORD_EMBED_FIELD_NAME_MAX = 256;
export const DISCORD_EMBED_FIELD_VALUE_MAX = 1024;
export const DISCORD_EMBED_FIELDS_MAX = 25;
export const DISCORD_MESSAGE_EMBEDS_TOTAL_MAX = 6000;
export const DISCORD_MESSAGE_EMBEDS_MAX = 10;
export const DISCORD_BUTTONS_PER_ROW = 5;
export const DISCORD_ACTION_ROWS_MAX = 5;
export const DISCORD_BUTTON_LABEL_MAX = 80;
export { DISCORD_CUSTOM_ID_MAX };

/** Set on every payload: nothing quoted from the essays or typed by a user can ping anyone. */
export const NO_MENTIONS = { parse: [] as [] };

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** One Discord message, in the shape discord.js's reply, editReply and followUp accept. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** `MessageFlags.Ephemeral` for a private message, else 0. */
  flags: number;
  allowedMentions: typeof NO_MENTIONS;
}

export interface RenderOptions {
  locale: Locale;
  /** Only the user who asked sees the answer. Errors are private whatever this says. */
  ephemeral: boolean;
  /** Turns a button's action into its custom_id (at most 100 characters). */
  customId(action: ReplyAction): string;
  /** The command and input that produced the reply: a private reply gets a "Share in channel" button that reruns it in public. */
  share?: { command: string; input: ReplyAction['input'] };
  /**
   * False where the app may not embed links (no EMBED_LINKS in the interaction's
   * `app_permissions`): the answer is then plain content, as Discord would drop its embeds.
   */
  embeds?: boolean;
  /** False where the app may not post in public: no "Share in channel" is offered, whatever the reply's actions say. */
  canShare?: boolean;
  /** The answer was shared from a private one by this user: said above it, by name (never a mention). */
  sharedBy?: string;
  /** The answer is private only because the bot may not post in the channel: said above it. */
  privateHere?: boolean;
}

// ── escaping ──────────────────────────────────────────────────────────────────

/*
 * Discord removes a backslash before any ASCII punctuation, so escaping more than is strictly
 * needed is harmless, while escaping too little turns `*` in an essay into italics. `<` is
 * escaped too: `<@id>`, `<#id>`, `<t:…>` and `<:emoji:id>` would otherwise render as mentions,
 * channels, timestamps and emoji.
 */
const MARKDOWN = /[\\*_~|>#\-[\]()`<]/gu;
const MASS_MENTION = /@(everyone|here)/giu;

/** Escapes Markdown and neutralises @everyone/@here, for text from the essays or from a user. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN, '\\$&').replace(MASS_MENTION, '@\u200b$1');
}

/*
 * Embed titles and field names render only inline styles (bold, italics, underline, strike,
 * spoilers, code), so only those characters are escaped there: `Sources (3)` stays as it is.
 */
const INLINE_MARKDOWN = /[\\*_~|`]/gu;

function escapeInline(text: string): string {
  return text.replace(INLINE_MARKDOWN, '\\$&').replace(MASS_MENTION, '@\u200b$1');
}

/** A URL as a clickable link whose preview Discord suppresses; null when it is not an http(s) URL. */
function link(url: string): string | null {
  if (!/^https?:\/\/\S+$/iu.test(url)) return null;
  return `<${url.replace(/[<>]/gu, encodeURIComponent)}>`;
}

// ── rich text: escaped runs, marked runs and footnote markers ────────────────

/** Discord Markdown around each mark; the others are plain text or have markup of their own. */
const MARKUP: Partial<Record<Mark, string>> = { highlight: '**', insert: '__', delete: '~~' };

/** `[label](<url>)`: the angle brackets keep Discord from unfurling a preview of the link. */
function maskedLink(label: string, url: string): string {
  return `[${escapeMarkdown(label)}](<${url.replace(/[<>\s]/gu, encodeURIComponent)}>)`;
}

/** One piece of text in its markup. */
function markup(text: string, mark: Mark | null, ref: string | undefined): string {
  if (mark === 'link' && ref !== undefined) {
    const bare = link(ref);
    if (bare === null) return escapeMarkdown(text);
    return text === ref || text === `<${ref}>` ? bare : maskedLink(text, ref);
  }
  if (mark === 'code') return `\`${text.replace(/`/gu, "'")}\``;
  // A user is named, never mentioned: a mention in a channel notifies, whatever allowedMentions says of the push.
  const escaped = escapeMarkdown(text);
  const around = mark ? MARKUP[mark] : undefined;
  return around && escaped.trim() !== '' ? `${around}${escaped}${around}` : escaped;
}

/** Renders `m.text[start, end)`: escaped, marked runs in their markup, markers as [n]. */
function renderRange(m: MarkedText, start: number, end: number): string {
  return piecesOf(m, start, end)
    .map((p) => (p.kind === 'marker' ? p.label : markup(p.text, p.mark, p.ref)))
    .join('');
}

/** Marked text as Markdown lines of at most `max`, each starting with `prefix`. */
function fitLine(m: MarkedText, max: number, prefix = ''): string[] {
  return fitMarked(m, max, (start, end) => prefix + renderRange(m, start, end));
}

/** What starts each kind of line: a quotation mark, the attribution's dash, a note's label. */
function lineLines(line: Exclude<LaidLine, { kind: 'fields' }>, max: number): string[] {
  switch (line.kind) {
    case 'quote':
      return fitLine(line.text, max, '> ');
    case 'attribution':
      return fitLine(line.text, max, escapeMarkdown(ATTRIBUTION_DASH));
    case 'note':
      return fitLine(line.text, max, `${line.label} `);
    case 'plain':
      return fitLine(line.text, max);
  }
}

function fieldEntries(fields: Array<{ label: string; value: string }>): APIEmbedField[] {
  return fields.flatMap(({ label, value }) => {
    const name = fitInline(label, DISCORD_EMBED_FIELD_NAME_MAX) || '\u200b';
    const values = value === '' ? ['\u200b'] : fitLine(plainMarked(value), DISCORD_EMBED_FIELD_VALUE_MAX);
    // A value longer than a field is continued in fields named with a zero-width space, which Discord shows as no name.
    return values.map((v, i) => ({ name: i === 0 ? name : '\u200b', value: v }));
  });
}

function embedSize(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

type Layout = ReplyLayout<ReplyAction>;

/** Packs the laid-out blocks into embeds, each within every per-embed limit and the per-message total. */
function embedsOf(laid: Layout): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  let lines: string[] = [];
  let size = 0;
  const flush = () => {
    if (lines.length > 0) embeds.push({ description: lines.join('\n') });
    lines = [];
    size = 0;
  };
  const pushFields = (entries: APIEmbedField[]) => {
    flush();
    let fields: APIEmbedField[] = [];
    let total = 0;
    for (const field of entries) {
      const n = field.name.length + field.value.length;
      if (fields.length === DISCORD_EMBED_FIELDS_MAX || total + n > DISCORD_MESSAGE_EMBEDS_TOTAL_MAX - DISCORD_EMBED_TITLE_MAX) {
        embeds.push({ fields });
        fields = [];
        total = 0;
      }
      fields.push(field);
      total += n;
    }
    if (fields.length > 0) embeds.push({ fields });
  };
  for (const block of laid.blocks) {
    const blockText: string[] = [];
    const pushText = () => {
      const whole = blockText.join('\n').length;
      // Blocks share a description, a blank line apart; a block that fits a fresh embed is not cut across two.
      if (lines.length > 0 && size + 2 + whole > DISCORD_EMBED_DESCRIPTION_MAX) flush();
      if (lines.length > 0 && blockText.length > 0) {
        lines.push('');
        size += 1;
      }
      for (const line of blockText) {
        if (lines.length > 0 && size + 1 + line.length > DISCORD_EMBED_DESCRIPTION_MAX) flush();
        size += (lines.length > 0 ? 1 : 0) + line.length;
        lines.push(line);
      }
      blockText.length = 0;
    };
    for (const line of block.lines) {
      if (line.kind !== 'fields') blockText.push(...lineLines(line, DISCORD_EMBED_DESCRIPTION_MAX));
      else {
        pushText();
        pushFields(fieldEntries(line.fields));
      }
    }
    pushText();
  }
  flush();
  const first = embeds[0];
  if (first) {
    const title = fitInline(laid.title, DISCORD_EMBED_TITLE_MAX);
    // The title goes on the first embed only when the message total still holds.
    if (title !== '' && embedSize(first) + title.length <= DISCORD_MESSAGE_EMBEDS_TOTAL_MAX) first.title = title;
  }
  return embeds;
}

// ── buttons ──────────────────────────────────────────────────────────────────

function buttonRows(laid: Layout, options: RenderOptions): ButtonRow[] {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const button of laid.buttons) {
    const action = button.action ?? button.fallback;
    const id = options.customId(action);
    if (id.length > DISCORD_CUSTOM_ID_MAX)
      throw new RangeError(`discord: custom_id for ${action.kind} is ${id.length} characters, over ${DISCORD_CUSTOM_ID_MAX}`);
    // Discord refuses a message whose components repeat a custom_id.
    if (seen.has(id)) continue;
    seen.add(id);
    buttons.push({
      type: ComponentType.Button,
      style: button.kind === 'more' ? ButtonStyle.Primary : button.kind === 'share' ? ButtonStyle.Success : ButtonStyle.Secondary,
      label: truncate(button.label, DISCORD_BUTTON_LABEL_MAX),
      custom_id: id,
    });
  }
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length && rows.length < DISCORD_ACTION_ROWS_MAX; i += DISCORD_BUTTONS_PER_ROW) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + DISCORD_BUTTONS_PER_ROW) });
  }
  return rows;
}

// ── the reply ────────────────────────────────────────────────────────────────

/** The reply laid out for Discord: Share offered where the answer is private and may be posted. */
function layoutFor(reply: Reply, options: RenderOptions): Layout {
  const ephemeral = options.ephemeral || reply.error !== undefined;
  return layoutReply<ReplyAction>(reply, {
    locale: options.locale,
    offerShare: ephemeral && options.canShare !== false,
    ...(options.share ? { share: { kind: 'share' as const, ...options.share } } : {}),
    ...(options.sharedBy !== undefined ? { sharedBy: { name: options.sharedBy } } : {}),
    ...(options.privateHere ? { privateHere: true } : {}),
  });
}

/**
 * Renders a Reply as one or more Discord messages: the first answers the interaction, the
 * rest follow up. The lead lines and the notice go in the content, the blocks in embeds
 * (descriptions hold 4096 against content's 2000) or, where embeds may not be used, in the
 * content too; the buttons go under the last message. Every message is within Discord's
 * limits and carries `allowedMentions: { parse: [] }`.
 */
export function replyToDiscord(reply: Reply, options: RenderOptions): DiscordMessage[] {
  const laid = layoutFor(reply, options);
  const flags = options.ephemeral || laid.error ? MessageFlags.Ephemeral : 0;
  const message = (content: string | undefined, embeds: APIEmbed[]): DiscordMessage => ({
    ...(content !== undefined ? { content } : {}),
    embeds,
    components: [],
    flags,
    allowedMentions: NO_MENTIONS,
  });
  const lead = laid.lead.flatMap((line) => fitLine(line, DISCORD_CONTENT_MAX));

  if (laid.error) {
    return packLines([...lead, fitOne(laid.error, DISCORD_CONTENT_MAX)], DISCORD_CONTENT_MAX).map((c) => message(c, []));
  }

  const noticeLines = [...lead, ...(laid.notice ? fitLine(laid.notice, DISCORD_CONTENT_MAX) : [])];
  let messages: DiscordMessage[];
  if (options.embeds === false) {
    messages = packLines([...noticeLines, ...plainLines(laid)], DISCORD_CONTENT_MAX).map((c) => message(c, []));
  } else {
    const notice = packLines(noticeLines, DISCORD_CONTENT_MAX);
    const batches = batchEmbeds(embedsOf(laid));
    messages = notice.map((c) => message(c, []));
    // The last notice message carries the first embeds, so that a short notice and its results arrive as one message.
    const last = messages.at(-1);
    const first = batches.shift();
    if (last && first) last.embeds = first;
    else if (first) messages.push(message(undefined, first));
    for (const batch of batches) messages.push(message(undefined, batch));
  }
  if (messages.length === 0) messages.push(message(fitOne(plainMarked(laid.title), DISCORD_CONTENT_MAX) || escapeMarkdown(laid.empty), []));
  (messages.at(-1) as DiscordMessage).components = buttonRows(laid, options);
  return messages;
}

/** Embeds in messages of at most ten, within the per-message total, in order. */
function batchEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const batches: APIEmbed[][] = [];
  let total = 0;
  for (const embed of embeds) {
    const size = embedSize(embed);
    const batch = batches.at(-1);
    if (!batch || batch.length === DISCORD_MESSAGE_EMBEDS_MAX || total + size > DISCORD_MESSAGE_EMBEDS_TOTAL_MAX) {
      batches.push([embed]);
      total = size;
    } else {
      batch.push(embed);
      total += size;
    }
  }
  return batches;
}

/**
 * The reply as Markdown lines for message content, where embeds may not be used: the title
 * in bold, each block as it would read in a description, a field as its bold name and value.
 */
function plainLines(laid: Layout): string[] {
  const lines: string[] = [];
  const bold = (text: string) => fitLine(plainMarked(text), DISCORD_CONTENT_MAX - 4).map((l) => (l.trim() === '' ? l : `**${l}**`));
  if (laid.title !== '') lines.push(...bold(laid.title));
  for (const block of laid.blocks) {
    if (lines.length > 0) lines.push('');
    for (const line of block.lines) {
      if (line.kind !== 'fields') {
        lines.push(...lineLines(line, DISCORD_CONTENT_MAX));
        continue;
      }
      for (const { label, value } of line.fields) {
        if (label !== '') lines.push(...bold(label));
        if (value !== '') lines.push(...fitLine(plainMarked(value), DISCORD_CONTENT_MAX));
      }
    }
  }
  return lines;
}

/** Marked text on one line within `max`, ending in `…` when it had to be cut. */
function fitOne(m: MarkedText, max: number): string {
  const pieces = fitLine(m, max - 1);
  return pieces.length === 1 ? (pieces[0] as string) : `${pieces[0] as string}…`;
}

/** A title or field name: inline escapes only, cut with `…` at a character boundary when too long. */
function fitInline(text: string, max: number): string {
  let cut = text;
  while (escapeInline(cut).length > max) cut = truncate(text, Math.max(1, cut.length - Math.ceil((escapeInline(cut).length - max) / 2) - 1));
  return escapeInline(cut);
}

/** A short private message in the content, for the adapter's own notes (expired button, not yours, failure). */
export function noteToDiscord(text: string): DiscordMessage {
  return {
    content: fitOne(plainMarked(text), DISCORD_CONTENT_MAX),
    embeds: [],
    components: [],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

/**
 * An interaction takes its answer and at most five follow-ups where the app is installed to
 * a user only (Discord's limit for user-installed apps, which may post nothing else there).
 * A longer answer keeps its beginning, says that the rest did not fit, and keeps its buttons.
 */
export const DISCORD_FOLLOW_UPS_MAX = 5;

export function capMessages(messages: DiscordMessage[], locale: Locale, max = DISCORD_FOLLOW_UPS_MAX + 1): DiscordMessage[] {
  if (messages.length <= max) return messages;
  const kept = messages.slice(0, max);
  const last = kept[max - 1] as DiscordMessage;
  const cut = escapeMarkdown(wordsFor(locale).labels.cutNotice('Discord'));
  // The content is rendered already: it is cut by whole lines, never escaped again.
  const lines = last.content ? last.content.split('\n') : [];
  while (lines.length > 0 && lines.join('\n').length + 1 + cut.length > DISCORD_CONTENT_MAX) lines.pop();
  kept[max - 1] = { ...last, content: [...lines, cut].join('\n'), components: (messages.at(-1) as DiscordMessage).components };
  return kept;
}
