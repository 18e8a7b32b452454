import { z } from 'zod';
import {
  attributionText,
  buttonLayout,
  diffMarked,
  type FootnoteLayout,
  footnoteLayout,
  labelsFor,
  type Mark,
  type MarkedText,
  noteBody,
  piecesOf,
  quoteMarked,
} from '../core/reply/layout.js';
import type { ActionKind, Attribution, Locale, Reply, ReplyBlock } from '../core/reply/model.js';
import { splitText, truncate } from '../core/reply/split.js';
import { wordsFor } from '../core/words/index.js';

/*
 * Reply → Block Kit. Pure: no Bolt, no network. Slack rejects a whole message when one
 * limit is broken (`invalid_blocks`), so every limit below is enforced here, not hoped for.
 */

/*
 * Slack's published limits, each from its page on docs.slack.dev (reference/block-kit/…).
 * Past any of them Slack refuses the whole message with `invalid_blocks`.
 */

/** "You can include up to 50 blocks in each message" (reference/block-kit/blocks). */
export const SLACK_MAX_BLOCKS = 50;
/** Section `text`: "Maximum length for the text in this field is 3000 characters" (blocks/section-block). */
export const SLACK_SECTION_TEXT_MAX = 3000;
/** Section `fields`: "Maximum length for the text in each item is 2000 characters" (blocks/section-block). */
export const SLACK_FIELD_TEXT_MAX = 2000;
/** Section `fields`: "Maximum number of items is 10" (blocks/section-block). */
export const SLACK_MAX_FIELDS = 10;
/** Header `text`: "Maximum length for the text in this field is 150 characters" (blocks/header-block). */
export const SLACK_HEADER_MAX = 150;
/** Context `elements`: "Maximum number of items is 10" (blocks/context-block). */
export const SLACK_CONTEXT_ELEMENTS_MAX = 10;
/** Actions `elements`: "There is a maximum of 25 elements in each action block" (blocks/actions-block). */
export const SLACK_MAX_ACTIONS = 25;
/** Button `text`: 75 characters (block-elements/button-element). */
export const SLACK_BUTTON_TEXT_MAX = 75;
/** Button `value`: 2000 characters (block-elements/button-element); the value is what carries a button's state. */
export const SLACK_BUTTON_VALUE_MAX = 2000;
/** `action_id` and `block_id`: "Maximum length for this field is 255 characters". */
export const SLACK_ID_MAX = 255;
/**
 * A message's `text`: "The `text` field accepts up to 40,000 characters"; past it Slack truncates
 * (api.slack.com/changelog/2018-04-truncating-really-long-messages). Our `text` is only the
 * notification (SLACK_FALLBACK_TEXT_MAX), far below it.
 */
export const SLACK_MESSAGE_TEXT_MAX = 40_000;
/**
 * The text of all blocks of one message together. Slack publishes no total for section blocks
 * (50 sections of 3,000 would be 150,000), yet refuses long messages with `msg_blocks_too_long`
 * near 13,200 characters of mixed blocks (slackapi/bolt-js#2509) and at 11,341 characters of
 * section and rich_text text (slackapi/bolt-js#2867). The one cumulative figure it documents is
 * the markdown block's "Limit 12,000 characters max" (@slack/types MarkdownBlock, docs.slack.dev),
 * a block the bot does not send: the budget below stays under all three.
 */
export const SLACK_BLOCKS_TEXT_DOCUMENTED_MAX = 12_000;
/**
 * What the renderer puts in one message, all texts, button values and ids together: the
 * documented 12,000 less a sixth for what Slack adds to count (entities it re-escapes, block
 * containers), so a message never sits at the edge.
 */
export const SLACK_MESSAGE_CHARS_BUDGET = SLACK_BLOCKS_TEXT_DOCUMENTED_MAX - 2_000;
/** Characters of the notification `text` that goes with the blocks. */
export const SLACK_FALLBACK_TEXT_MAX = 300;

/** Every action_id the renderer makes starts with this, so the app can match them with one pattern. */
export const ACTION_ID_PREFIX = 'yinzheng:';

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
  /**
   * The renderer always sets it: with `verbatim: false` (Slack's default) Slack links up
   * bare `#channel` names and some mentions by itself, which must never happen to corpus
   * or user text. Optional in the type only so that hand-written blocks in tests type-check.
   */
  verbatim?: true;
}
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: false;
}
export interface SlackButton {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'primary';
}
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: MrkdwnText }
  | { type: 'section'; fields: MrkdwnText[] }
  | { type: 'context'; elements: MrkdwnText[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id: string; elements: SlackButton[] };

/** One message as Slack's chat.postMessage and response_url take it. */
export interface SlackMessage {
  /** The notification text; Slack shows it where blocks cannot be shown. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * What a button carries in its `value`: enough to answer it with no memory of the message,
 * so buttons keep working after a restart. `i` is the command's raw input (from a Reply
 * action); `l` is a typed command line (for sharing a slash command's answer).
 */
export const ButtonStateSchema = z.union([
  z.object({ c: z.string().min(1).max(32), i: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }),
  z.object({ c: z.string().min(1).max(32), l: z.string().max(SLACK_BUTTON_VALUE_MAX) }),
]);
export type ButtonState = z.infer<typeof ButtonStateSchema>;

/** Reads a button value back; null when it is not one of ours or is malformed. */
export function parseButtonValue(value: string): ButtonState | null {
  try {
    const parsed = ButtonStateSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface RenderOptions {
  locale: Locale;
  /**
   * `ephemeral`: only the requester sees the answer, so it gets a "Share in channel" button.
   * `in_channel`: already public; no share button.
   */
  visibility: 'ephemeral' | 'in_channel';
  /** The state the share button carries when the Reply has no share action of its own. */
  share?: ButtonState;
  /**
   * At most this many messages (a response_url takes only five posts). A longer answer
   * keeps its beginning and says how much was left out; the buttons are always kept.
   */
  maxMessages?: number;
  /**
   * Blocks that open the first message (Share's "Shared by" line). They count against the
   * message's 50 blocks and its budget like any other, so adding them can never push a
   * message past the limits.
   */
  preface?: SlackBlock[];
  /**
   * Makes this rendering's block_ids its own. Slack: "block_id should be unique for each
   * message and each iteration of a message. If a message is updated, use a new block_id"
   * (reference/block-kit/blocks); the adapter gives each answer a fresh one.
   */
  revision?: string;
}

/** Escapes the three characters Slack treats as markup, so `<!everyone>` or `<@U1>` in text stays text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/**
 * A link Slack cannot misread: only http(s), and the characters that would end the link or
 * its label (`|`, `>`, `<`, spaces) percent-encoded. Anything else is shown as escaped text.
 */
export function slackLink(url: string): string {
  if (!/^https?:\/\/\S/iu.test(url)) return escapeSlack(url);
  const safe = url.replace(/[|<>"\s]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/&/gu, '&amp;');
  return `<${safe}|${safe}>`;
}

/*
 * Slack only honours `*bold*` and `~strike~` when the marks touch a word boundary; between
 * CJK characters, which have no spaces, the marks show as literal asterisks. A zero-width
 * space on each side gives Slack the boundary it wants without changing what one reads.
 */
const ZWSP = '\u200B';
function bold(escaped: string): string {
  return escaped.trim() === '' ? escaped : `${ZWSP}*${escaped}*${ZWSP}`;
}
function strike(escaped: string): string {
  return escaped.trim() === '' ? escaped : `${ZWSP}~${escaped}~${ZWSP}`;
}

function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true };
}
function plain(text: string): PlainText {
  return { type: 'plain_text', text, emoji: false };
}

/** Quotes every line of a mrkdwn text as a Slack block quote. */
function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/**
 * Renders `text` as sections of at most SLACK_SECTION_TEXT_MAX characters. `decorate`
 * turns the plain slice [start, end) into mrkdwn; since escaping and marks make the result
 * longer than the slice, a piece that still overflows is split again, smaller.
 */
function fitSections(text: string, decorate: (start: number, end: number) => string, max = SLACK_SECTION_TEXT_MAX): string[] {
  const out: string[] = [];
  const place = (start: number, end: number, budget: number): void => {
    const rendered = decorate(start, end);
    if (rendered.length <= max || end - start <= 1) {
      out.push(rendered.length <= max ? rendered : truncate(rendered, max));
      return;
    }
    let offset = start;
    for (const piece of splitText(text.slice(start, end), Math.max(2, budget))) {
      const pieceEnd = offset + piece.length;
      if (pieceEnd - offset === end - start) {
        // splitText could not make it shorter at this budget; halve the budget.
        place(offset, pieceEnd, Math.floor(budget / 2));
      } else {
        place(offset, pieceEnd, Math.floor(budget * 0.8));
      }
      offset = pieceEnd;
    }
  };
  if (text.length === 0) return [];
  place(0, text.length, Math.floor(max * 0.8));
  return out;
}

/** Slack mrkdwn for each mark: highlighted words and a diff's insertions bold, its deletions struck. */
function markup(escaped: string, mark: Mark | null): string {
  if (mark === 'delete') return strike(escaped);
  return mark ? bold(escaped) : escaped;
}

/** Marked text as mrkdwn: escaped, marks in their markup, footnote markers as [n]. */
function decorate(m: MarkedText, start: number, end: number): string {
  return piecesOf(m, start, end)
    .map((p) => (p.kind === 'marker' ? p.label : markup(escapeSlack(p.text), p.mark)))
    .join('');
}

function attributionLine(a: Attribution, locale: Locale, max = SLACK_SECTION_TEXT_MAX): string {
  const reader = a.link ? ` · ${readerLink(labelsFor(locale).openInReader, a.link)}` : '';
  return escapeWithin(attributionText(a, locale), max - reader.length) + reader;
}

/** `<url|label>`, Slack's link markup, with `&`, `<`, `>` and `|` kept out of its parts. */
function readerLink(label: string, url: string): string {
  return `<${url.replace(/[<>|\s]/gu, encodeURIComponent).replace(/&/gu, '&amp;')}|${escapeSlack(label).replace(/\|/gu, '')}>`;
}

function footnoteLine(f: FootnoteLayout, locale: Locale): string {
  const head = escapeSlack(noteBody(f, locale));
  const links = f.urls.map(slackLink).join(' ');
  return `${f.label} ${head}${links ? ` ${links}` : ''}${f.remark ? ` ${escapeSlack(f.remark)}` : ''}`;
}

/** Packs lines into as few sections as the text limit allows; a line too long alone is split. */
function packLines(lines: string[], max = SLACK_SECTION_TEXT_MAX): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    const pieces = line.length <= max ? [line] : splitMrkdwn(line, max);
    for (const piece of pieces) {
      if (current === '') current = piece;
      else if (current.length + 1 + piece.length <= max) current += `\n${piece}`;
      else {
        out.push(current);
        current = piece;
      }
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * Splits already-rendered mrkdwn. Used only for footnote and source lines, whose only
 * markup is links; a cut never falls inside `<…>` or an `&…;` entity.
 */
function splitMrkdwn(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = splitText(rest, max)[0]?.length ?? max;
    const open = rest.lastIndexOf('<', cut - 1);
    if (open > rest.lastIndexOf('>', cut - 1) && open > 0) cut = open;
    const amp = rest.lastIndexOf('&', cut - 1);
    if (amp > rest.lastIndexOf(';', cut - 1) && amp > 0 && cut - amp < 6) cut = amp;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== '') out.push(rest);
  return out;
}

function textSections(text: string): SlackBlock[] {
  return fitSections(text, (a, b) => escapeSlack(text.slice(a, b))).map((t) => ({ type: 'section', text: mrkdwn(t) }));
}

function renderBlock(block: ReplyBlock, locale: Locale): SlackBlock[] {
  switch (block.kind) {
    case 'quote': {
      const marked = quoteMarked(block);
      const out: SlackBlock[] = fitSections(block.text, (a, b) => blockQuote(decorate(marked, a, b)), SLACK_SECTION_TEXT_MAX).map((t) => ({
        type: 'section',
        text: mrkdwn(t),
      }));
      out.push(contextBlock([attributionLine(block.attribution, locale)]));
      for (const t of packLines(block.footnotes.map((f) => footnoteLine(footnoteLayout(f, locale), locale)))) out.push({ type: 'section', text: mrkdwn(t) });
      return out;
    }
    case 'note': {
      const f = footnoteLayout(block, locale);
      const head = `*${f.label}* ${escapeSlack(noteBody(f, locale))}`;
      const links = block.urls.map(slackLink);
      const cited = block.citedBy.map((c) => `>${escapeSlack(c.quote.replace(/\n/gu, ' '))} ${attributionLine(c.attribution, locale)}`);
      const label = block.citedBy.length > 0 ? [`${escapeSlack(labelsFor(locale).citedBy)}:`] : [];
      const reader = block.link ? [readerLink(labelsFor(locale).openInReader, block.link)] : [];
      return packLines([head, ...links, ...label, ...cited, ...reader]).map((t) => ({ type: 'section', text: mrkdwn(t) }));
    }
    case 'link':
      return [{ type: 'section', text: mrkdwn(readerLink(block.label, block.url)) }];
    case 'text':
      return textSections(block.text);
    case 'fields': {
      const fields = block.fields.map((f) => {
        const label = `*${escapeWithin(f.label, 200)}*\n`;
        return mrkdwn(label + escapeWithin(f.value, SLACK_FIELD_TEXT_MAX - label.length));
      });
      // Ten fields of 2,000 characters would make one block larger than a whole message may
      // be, so a section takes fields only up to a section's worth of text.
      const out: Array<{ type: 'section'; fields: MrkdwnText[] }> = [];
      let size = Infinity;
      for (const field of fields) {
        const current = out[out.length - 1];
        if (!current || current.fields.length >= SLACK_MAX_FIELDS || size + field.text.length > SLACK_SECTION_TEXT_MAX) {
          out.push({ type: 'section', fields: [field] });
          size = field.text.length;
        } else {
          current.fields.push(field);
          size += field.text.length;
        }
      }
      return out;
    }
    case 'diff': {
      const marked = diffMarked(block);
      return fitSections(marked.text, (a, b) => decorate(marked, a, b)).map((t) => ({ type: 'section', text: mrkdwn(t) }));
    }
  }
}

/** Encodes a button; null when its state would not fit in a value (the button is then left out). */
function button(kind: ActionKind, state: ButtonState, label: string, index: number): SlackButton | null {
  const value = JSON.stringify(state);
  if (value.length > SLACK_BUTTON_VALUE_MAX) return null;
  const b: SlackButton = {
    type: 'button',
    // Slack wants action_ids unique within a message, hence the index.
    action_id: `${ACTION_ID_PREFIX}${kind}:${index}`.slice(0, SLACK_ID_MAX),
    text: plain(truncate(label, SLACK_BUTTON_TEXT_MAX)),
    value,
  };
  if (kind === 'share') b.style = 'primary';
  return b;
}

function buttons(reply: Reply, opts: RenderOptions): SlackButton[] {
  // An error is only ever private, and there is nothing in it worth sharing.
  const offerShare = opts.visibility === 'ephemeral' && !reply.error;
  // The adapter's share state is a typed command line, not a Reply action: it is added after the layout's.
  const laid = buttonLayout(reply.actions, opts.locale, { private: offerShare });
  const out: SlackButton[] = [];
  laid.forEach(({ action, label }, i) => {
    const b = button(action.kind, { c: action.command, i: action.input }, label, i);
    if (b) out.push(b);
  });
  if (offerShare && opts.share && !laid.some((b) => b.action.kind === 'share')) {
    const b = button('share', opts.share, labelsFor(opts.locale).actions.share, laid.length);
    if (b) out.push(b);
  }
  return out;
}

/** Characters a block puts into the message, as Slack counts them. */
export function blockChars(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return 'text' in block ? block.text.text.length : block.fields.reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case 'divider':
      return 0;
    case 'actions':
      return block.elements.reduce((n, e) => n + e.text.text.length + e.value.length + e.action_id.length, 0);
  }
}

/** Characters of a whole message: its notification text and every block. */
export function messageChars(message: SlackMessage): number {
  return message.text.length + message.blocks.reduce((n, b) => n + blockChars(b), 0);
}

/**
 * Renders a Reply as one or more Slack messages, each inside Slack's limits. The header
 * opens the first message and the buttons close the last, so a long answer reads in order.
 */
export function replyToBlockKit(reply: Reply, opts: RenderOptions): SlackMessage[] {
  const title = reply.title.replace(/\s+/gu, ' ').trim();
  const body: SlackBlock[] = [...(opts.preface ?? [])];
  // Plain text is escaped too: Slack decodes the three entities in every text object.
  if (title !== '') body.push({ type: 'header', text: plain(escapeWithin(title, SLACK_HEADER_MAX)) });
  if (reply.message) body.push(...textSections(reply.message));
  reply.blocks.forEach((block, i) => {
    if (i > 0 && block.kind === 'quote') body.push({ type: 'divider' });
    body.push(...renderBlock(block, opts.locale));
  });
  const actions = buttons(reply, opts);

  const fallbackBase = escapeWithin(reply.error ? reply.error.message : title || reply.command, SLACK_FALLBACK_TEXT_MAX - 8);
  const messages: SlackBlock[][] = [[]];
  let chars = fallbackBase.length + 8;
  for (const block of body) {
    const current = messages[messages.length - 1] as SlackBlock[];
    const size = blockChars(block);
    if (current.length > 0 && (current.length + 1 > SLACK_MAX_BLOCKS || chars + size > SLACK_MESSAGE_CHARS_BUDGET)) {
      messages.push([block]);
      chars = fallbackBase.length + 8 + size;
    } else {
      current.push(block);
      chars += size;
    }
  }
  const overhead = fallbackBase.length + 8;
  const fits = (blocks: SlackBlock[], extra: SlackBlock[]) =>
    blocks.length + extra.length <= SLACK_MAX_BLOCKS && overhead + [...blocks, ...extra].reduce((n, b) => n + blockChars(b), 0) <= SLACK_MESSAGE_CHARS_BUDGET;
  const actionBlocks: SlackBlock[] =
    actions.length > 0 ? [{ type: 'actions', block_id: actionsBlockId(opts.revision), elements: actions.slice(0, SLACK_MAX_ACTIONS) }] : [];
  const last = messages[messages.length - 1] as SlackBlock[];
  if (fits(last, actionBlocks)) last.push(...actionBlocks);
  else messages.push(actionBlocks);
  if (opts.maxMessages !== undefined && messages.length > opts.maxMessages) {
    // Keep the beginning; the last kept message gives up blocks from its end until the
    // notice and the buttons fit in it.
    const tail: SlackBlock[] = [contextBlock([escapeSlack(wordsFor(opts.locale).slack.cutNotice)]), ...actionBlocks];
    const kept = messages.slice(0, Math.max(1, opts.maxMessages)).map((m) => m.filter((b) => b.type !== 'actions'));
    const end = kept[kept.length - 1] as SlackBlock[];
    while (end.length > 0 && !fits(end, tail)) end.pop();
    end.push(...tail);
    messages.splice(0, messages.length, ...kept);
  }
  const total = messages.length;
  return messages.map((blocks, i) => ({
    text: total > 1 ? `${fallbackBase} (${i + 1}/${total})` : fallbackBase,
    blocks,
  }));
}

/** The buttons' block_id: one actions block per message, so the revision alone makes it unique. */
function actionsBlockId(revision: string | undefined): string {
  return (revision ? `yinzheng-actions-${revision}` : 'yinzheng-actions').slice(0, SLACK_ID_MAX);
}

/** A context block of mrkdwn texts, never more elements than Slack takes. */
export function contextBlock(texts: string[]): SlackBlock {
  return { type: 'context', elements: texts.slice(0, SLACK_CONTEXT_ELEMENTS_MAX).map(mrkdwn) };
}

/** Escapes `text` and shortens it (with `…`) until the escaped form fits in `max`, never cutting an entity. */
export function escapeWithin(text: string, max: number): string {
  const fits = (n: number) => escapeSlack(truncate(text, n)).length <= max;
  if (fits(text.length)) return escapeSlack(text);
  // The escaped length grows with n, so the longest prefix that fits is found by bisection.
  let lo = 1;
  let hi = Math.min(text.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return escapeSlack(truncate(text, lo));
}

/**
 * A message's text as a reader sees it: Slack sends links as `<url|label>`, mentions as
 * `<@U…>` and escapes `&`, `<`, `>`. Used on the message a "Find source" shortcut points at.
 */
export function plainFromSlack(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/gu, (_, target: string, label: string) => (/^[@#!]/u.test(target) ? label : label || target))
    .replace(/<[@#!][^<>]*>/gu, '')
    .replace(/<([^<>]*)>/gu, '$1')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&amp;/gu, '&');
}
