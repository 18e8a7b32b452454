import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import {
  attributionLayout,
  buttonLayout,
  diffMarked,
  type FootnoteLayout,
  footnoteLayout,
  labelsFor,
  type Mark,
  type MarkedText,
  noteBody,
  piecesOf,
  plainMarked,
  quoteMarked,
} from '../core/reply/layout.js';
import type { Attribution, Locale, Reply, ReplyAction, ReplyBlock, ReplyFootnote } from '../core/reply/model.js';
import { splitText, truncate } from '../core/reply/split.js';
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
  /** Plain lines said above the answer ("Shared by …", why it is private), escaped here, once. */
  lead?: string[];
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

/** Escapes `text`, except that each of `urls` found in it (with or without its `<…>`) becomes a link. */
function escapeWithLinks(text: string, urls: string[]): { rendered: string; unused: string[] } {
  const wanted = [...new Set(urls)].filter((u) => link(u) !== null).sort((a, b) => b.length - a.length);
  const used = new Set<string>();
  let rendered = '';
  let rest = text;
  while (rest.length > 0) {
    let best: { at: number; length: number; url: string } | null = null;
    for (const url of wanted) {
      const bracketed = rest.indexOf(`<${url}>`);
      const bare = rest.indexOf(url);
      if (bracketed !== -1 && (best === null || bracketed < best.at)) best = { at: bracketed, length: url.length + 2, url };
      else if (bare !== -1 && (best === null || bare < best.at)) best = { at: bare, length: url.length, url };
    }
    if (!best) {
      rendered += escapeMarkdown(rest);
      break;
    }
    rendered += escapeMarkdown(rest.slice(0, best.at)) + (link(best.url) as string);
    used.add(best.url);
    rest = rest.slice(best.at + best.length);
  }
  return { rendered, unused: wanted.filter((u) => !used.has(u)) };
}

// ── rich text: escaped runs, marked runs and footnote markers ────────────────

/** Discord Markdown for each mark: highlighted words bold, a diff's insertions underlined and deletions struck. */
const MARKUP: Record<Mark, string> = { highlight: '**', insert: '__', delete: '~~' };

/** Renders `rich.text[start, end)`: escaped, marked runs in their markup, markers as [n]. */
function renderRange(rich: MarkedText, start: number, end: number): string {
  return piecesOf(rich, start, end)
    .map((p) => {
      if (p.kind === 'marker') return p.label;
      const piece = escapeMarkdown(p.text);
      return p.mark && piece.trim() !== '' ? `${MARKUP[p.mark]}${piece}${MARKUP[p.mark]}` : piece;
    })
    .join('');
}

/**
 * Renders rich text as one line, or as several when the line would exceed `max`: the plain
 * text is cut at sentence ends first (splitText), and each piece is rendered on its own, so
 * no cut falls inside an escape, a bold span or a character.
 */
function fitRich(rich: MarkedText, max: number, prefix = '', start = 0, end = rich.text.length): string[] {
  const rendered = prefix + renderRange(rich, start, end);
  if (rendered.length <= max || end - start <= 1) return [rendered];
  const length = end - start;
  // Escapes and markup make the rendered text longer than the plain; aim below the limit by that ratio.
  const target = Math.max(2, Math.min(length - 1, Math.floor((length * (max - prefix.length)) / rendered.length)));
  const out: string[] = [];
  let at = start;
  for (const piece of splitText(rich.text.slice(start, end), target)) {
    out.push(...fitRich(rich, max, prefix, at, at + piece.length));
    at += piece.length;
  }
  return out;
}

// ── blocks ───────────────────────────────────────────────────────────────────

function attributionLine(a: Attribution, locale: Locale): string {
  const l = attributionLayout(a, locale);
  const parts = [l.who, l.essay, l.section, l.pages].filter((p): p is string => p !== null && p !== '').map(escapeMarkdown);
  const reader = a.link ? ` · ${maskedLink(labelsFor(locale).openInReader, a.link)}` : '';
  return `— ${parts.join(' · ')} · \`${l.passageId.replace(/`/gu, "'")}\`${reader}`;
}

/** `[label](<url>)`: the angle brackets keep Discord from unfurling a preview of the link. */
function maskedLink(label: string, url: string): string {
  return `[${escapeMarkdown(label)}](<${url.replace(/[<>\s]/gu, encodeURIComponent)}>)`;
}

function footnoteLine(f: FootnoteLayout, locale: Locale): string {
  const body = noteBody(f, locale);
  const { rendered, unused } = escapeWithLinks(body, f.urls);
  const links = unused.map((u) => link(u) as string);
  return [f.label, rendered, ...links, ...(f.remark ? [escapeMarkdown(f.remark)] : [])].filter((s) => s !== '').join(' ');
}

/** One line of marked text per line of `m.text`, each fitted to `max`, with `prefix` before each. */
function markedLines(m: MarkedText, max: number, prefix = ''): string[] {
  let offset = 0;
  return m.text.split('\n').flatMap((line) => {
    const from = offset;
    offset += line.length + 1;
    const rich: MarkedText = {
      text: line,
      marks: m.marks
        .filter((r) => r.end > from && r.start < from + line.length)
        .map((r) => ({ ...r, start: Math.max(0, r.start - from), end: Math.min(line.length, r.end - from) })),
      markers: m.markers.map((k) => ({ ...k, offset: k.offset - from })).filter((k) => k.offset >= 0 && k.offset <= line.length),
    };
    return fitRich(rich, max, prefix);
  });
}

/** The Markdown lines of a block that renders into an embed description. */
function blockLines(block: Exclude<ReplyBlock, { kind: 'fields' }>, locale: Locale, max: number): string[] {
  switch (block.kind) {
    case 'quote':
      return [
        ...markedLines(quoteMarked(block), max, '> '),
        attributionLine(block.attribution, locale),
        ...block.footnotes.flatMap((f: ReplyFootnote) => fitFootnote(footnoteLayout(f, locale), locale, max)),
      ];
    case 'note':
      return [
        ...fitFootnote(footnoteLayout(block, locale), locale, max),
        ...(block.citedBy.length > 0 ? [`${escapeMarkdown(labelsFor(locale).citedBy)}:`] : []),
        ...block.citedBy.flatMap((c) => [...markedLines(plainMarked(c.quote), max, '> '), attributionLine(c.attribution, locale)]),
        ...(block.link ? [maskedLink(labelsFor(locale).openInReader, block.link)] : []),
      ];
    case 'link':
      return [maskedLink(block.label, block.url)];
    case 'text':
      return markedLines(plainMarked(block.text), max);
    case 'diff':
      return markedLines(diffMarked(block), max);
  }
}

function fitFootnote(f: FootnoteLayout, locale: Locale, max: number): string[] {
  const line = footnoteLine(f, locale);
  if (line.length <= max) return [line];
  // A note too long for a description (never in practice): its text is cut at sentence ends, its links kept whole.
  const body = noteBody(f, locale);
  return [...fitRich(plainMarked(body), max, `${f.label} `), ...f.urls.flatMap((u) => (link(u) ? [link(u) as string] : []))];
}

function fieldEntries(fields: Array<{ label: string; value: string }>): APIEmbedField[] {
  return fields.flatMap(({ label, value }) => {
    const name = fitInline(label, DISCORD_EMBED_FIELD_NAME_MAX) || '\u200b';
    const values = value === '' ? ['\u200b'] : fitRich(plainMarked(value), DISCORD_EMBED_FIELD_VALUE_MAX);
    // A value longer than a field is continued in fields named with a zero-width space, which Discord shows as no name.
    return values.map((v, i) => ({ name: i === 0 ? name : '\u200b', value: v }));
  });
}

function embedSize(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/** Packs the reply's blocks into embeds, each within every per-embed limit and the per-message total. */
function embedsOf(reply: Reply, locale: Locale): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  let lines: string[] = [];
  let size = 0;
  const flush = () => {
    if (lines.length > 0) embeds.push({ description: lines.join('\n') });
    lines = [];
    size = 0;
  };
  for (const block of reply.blocks) {
    if (block.kind === 'fields') {
      flush();
      let fields: APIEmbedField[] = [];
      let total = 0;
      for (const field of fieldEntries(block.fields)) {
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
      continue;
    }
    const blockText = blockLines(block, locale, DISCORD_EMBED_DESCRIPTION_MAX);
    const whole = blockText.join('\n').length;
    // Blocks share a description, a blank line apart; a block that fits a fresh embed is not cut across two.
    if (lines.length > 0 && size + 2 + whole > DISCORD_EMBED_DESCRIPTION_MAX) flush();
    if (lines.length > 0) {
      lines.push('');
      size += 1;
    }
    for (const line of blockText) {
      if (lines.length > 0 && size + 1 + line.length > DISCORD_EMBED_DESCRIPTION_MAX) flush();
      size += (lines.length > 0 ? 1 : 0) + line.length;
      lines.push(line);
    }
  }
  flush();
  const first = embeds[0];
  if (first) {
    const title = fitInline(reply.title, DISCORD_EMBED_TITLE_MAX);
    // The title goes on the first embed only when the message total still holds.
    if (title !== '' && embedSize(first) + title.length <= DISCORD_MESSAGE_EMBEDS_TOTAL_MAX) first.title = title;
  }
  return embeds;
}

// ── buttons ──────────────────────────────────────────────────────────────────

function buttonRows(reply: Reply, options: RenderOptions): ButtonRow[] {
  const fallback = options.share && { kind: 'share' as const, ...options.share };
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  const laid = buttonLayout(reply.actions, options.locale, { private: options.ephemeral, fallback });
  for (const { action, label } of laid.filter((b) => options.canShare !== false || b.action.kind !== 'share')) {
    const id = options.customId(action);
    if (id.length > DISCORD_CUSTOM_ID_MAX)
      throw new RangeError(`discord: custom_id for ${action.kind} is ${id.length} characters, over ${DISCORD_CUSTOM_ID_MAX}`);
    // Discord refuses a message whose components repeat a custom_id.
    if (seen.has(id)) continue;
    seen.add(id);
    buttons.push({
      type: ComponentType.Button,
      style: action.kind === 'more' ? ButtonStyle.Primary : action.kind === 'share' ? ButtonStyle.Success : ButtonStyle.Secondary,
      label: truncate(label, DISCORD_BUTTON_LABEL_MAX),
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

/**
 * Renders a Reply as one or more Discord messages: the first answers the interaction, the
 * rest follow up. The lead lines and the notice go in the content, the blocks in embeds
 * (descriptions hold 4096 against content's 2000) or, where embeds may not be used, in the
 * content too; the buttons go under the last message. Every message is within Discord's
 * limits and carries `allowedMentions: { parse: [] }`.
 */
export function replyToDiscord(reply: Reply, options: RenderOptions): DiscordMessage[] {
  const ephemeral = options.ephemeral || reply.error !== undefined;
  const flags = ephemeral ? MessageFlags.Ephemeral : 0;
  const message = (content: string | undefined, embeds: APIEmbed[]): DiscordMessage => ({
    ...(content !== undefined ? { content } : {}),
    embeds,
    components: [],
    flags,
    allowedMentions: NO_MENTIONS,
  });
  const lead = (options.lead ?? []).flatMap((line) => markedLines(plainMarked(line), DISCORD_CONTENT_MAX));

  if (reply.error) {
    return packLines([...lead, fitOne(reply.error.message, DISCORD_CONTENT_MAX)], DISCORD_CONTENT_MAX).map((c) => message(c, []));
  }

  const noticeLines = [...lead, ...(reply.message ? markedLines(plainMarked(reply.message), DISCORD_CONTENT_MAX) : [])];
  let messages: DiscordMessage[];
  if (options.embeds === false) {
    messages = packLines([...noticeLines, ...plainLines(reply, options.locale)], DISCORD_CONTENT_MAX).map((c) => message(c, []));
  } else {
    const notice = packLines(noticeLines, DISCORD_CONTENT_MAX);
    const batches = batchEmbeds(embedsOf(reply, options.locale));
    messages = notice.map((c) => message(c, []));
    // The last notice message carries the first embeds, so that a short notice and its results arrive as one message.
    const last = messages.at(-1);
    const first = batches.shift();
    if (last && first) last.embeds = first;
    else if (first) messages.push(message(undefined, first));
    for (const batch of batches) messages.push(message(undefined, batch));
  }
  if (messages.length === 0) messages.push(message(fitOne(reply.title, DISCORD_CONTENT_MAX) || labelsFor(options.locale).empty, []));
  (messages.at(-1) as DiscordMessage).components = buttonRows(reply, options);
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
function plainLines(reply: Reply, locale: Locale): string[] {
  const lines: string[] = [];
  const bold = (text: string) => fitRich(plainMarked(text), DISCORD_CONTENT_MAX - 4).map((l) => (l.trim() === '' ? l : `**${l}**`));
  if (reply.title !== '') lines.push(...bold(reply.title));
  for (const block of reply.blocks) {
    if (lines.length > 0) lines.push('');
    if (block.kind !== 'fields') {
      lines.push(...blockLines(block, locale, DISCORD_CONTENT_MAX));
      continue;
    }
    for (const { label, value } of block.fields) {
      if (label !== '') lines.push(...bold(label));
      if (value !== '') lines.push(...markedLines(plainMarked(value), DISCORD_CONTENT_MAX));
    }
  }
  return lines;
}

/** Escaped text on one line within `max`, ending in `…` when it had to be cut. */
function fitOne(text: string, max: number): string {
  const pieces = fitRich(plainMarked(text), max - 1);
  return pieces.length === 1 ? (pieces[0] as string) : `${pieces[0] as string}…`;
}

/** A title or field name: inline escapes only, cut with `…` at a character boundary when too long. */
function fitInline(text: string, max: number): string {
  let cut = text;
  while (escapeInline(cut).length > max) cut = truncate(text, Math.max(1, cut.length - Math.ceil((escapeInline(cut).length - max) / 2) - 1));
  return escapeInline(cut);
}

function packLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > max) {
      out.push(current);
      current = line;
    } else current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') out.push(current);
  return out;
}

/** A short private message in the content, for the adapter's own notes (expired button, not yours, failure). */
export function noteToDiscord(text: string): DiscordMessage {
  return { content: fitOne(text, DISCORD_CONTENT_MAX), embeds: [], components: [], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
}

/**
 * A shared answer says who shared it, by name and not by mention (a mention in a channel
 * notifies, whatever allowedMentions says of the push, and shows as a link to the profile).
 * A plain line, for RenderOptions.lead, which escapes it once.
 */
export function sharedByLine(name: string, locale: Locale): string {
  return wordsFor(locale).discord.sharedBy(name);
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
  const cut = escapeMarkdown(wordsFor(locale).discord.cutNotice);
  // The content is rendered already: it is cut by whole lines, never escaped again.
  const lines = last.content ? last.content.split('\n') : [];
  while (lines.length > 0 && lines.join('\n').length + 1 + cut.length > DISCORD_CONTENT_MAX) lines.pop();
  kept[max - 1] = { ...last, content: [...lines, cut].join('\n'), components: (messages.at(-1) as DiscordMessage).components };
  return kept;
}
