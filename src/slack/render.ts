import { z } from 'zod';
import { fitMarked, packLines } from '../core/reply/fit.js';
import { ATTRIBUTION_DASH, type Mark, type MarkedText, piecesOf } from '../core/reply/layout.js';
import { type LaidBlock, type LaidLine, layoutReply, type ReplyLayout } from '../core/reply/layout-reply.js';
import type { ActionKind, Locale, Reply } from '../core/reply/model.js';
import { truncate } from '../core/reply/split.js';

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
   * The answer was shared from a private one by this user, said in a context block that opens
   * the first message. It counts against the message's 50 blocks and its budget like any
   * other block, so it can never push a message past the limits.
   */
  sharedBy?: { name: string; id: string };
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

/** `<url|label>`, Slack's link markup, with `&`, `<`, `>` and `|` kept out of its parts. */
function labelledLink(label: string, url: string): string {
  return `<${url.replace(/[<>|\s]/gu, encodeURIComponent).replace(/&/gu, '&amp;')}|${escapeSlack(label).replace(/\|/gu, '')}>`;
}

/** One piece of text in Slack mrkdwn. */
function markup(text: string, mark: Mark | null, ref: string | undefined): string {
  switch (mark) {
    case 'link':
      if (ref === undefined || !/^https?:\/\/\S/iu.test(ref)) return escapeSlack(text);
      return text === ref || text === `<${ref}>` ? slackLink(ref) : labelledLink(text, ref);
    case 'user':
      return ref ? `<@${ref.replace(/[^A-Z0-9]/giu, '')}>` : escapeSlack(text);
    case 'highlight':
    case 'insert':
      return bold(escapeSlack(text));
    case 'delete':
      return strike(escapeSlack(text));
    default:
      return escapeSlack(text);
  }
}

/** Marked text as mrkdwn: escaped, marks in their markup, footnote markers as [n]. */
function decorate(m: MarkedText, start: number, end: number): string {
  return piecesOf(m, start, end)
    .map((p) => (p.kind === 'marker' ? p.label : markup(p.text, p.mark, p.ref)))
    .join('');
}

/** Marked text as mrkdwn lines of at most `max`, each starting with `prefix`. */
function fitLine(m: MarkedText, prefix = '', max = SLACK_SECTION_TEXT_MAX): string[] {
  return fitMarked(m, max, (start, end) => prefix + decorate(m, start, end));
}

/** A text line as mrkdwn: a quote as a Slack block quote, a note after its label, an attribution after its dash. */
function lineTexts(line: Exclude<LaidLine, { kind: 'fields' }>): string[] {
  switch (line.kind) {
    case 'quote':
      return fitLine(line.text, '>');
    case 'note':
      return fitLine(line.text, `${escapeSlack(line.label)} `);
    case 'attribution':
      return fitLine(line.text, escapeSlack(ATTRIBUTION_DASH));
    case 'plain':
      return fitLine(line.text);
  }
}

function sections(texts: string[]): SlackBlock[] {
  return packLines(texts, SLACK_SECTION_TEXT_MAX).map((t) => ({ type: 'section', text: mrkdwn(t) }));
}

function fieldSections(fields: Array<{ label: string; value: string }>): SlackBlock[] {
  const texts = fields.map((f) => {
    const label = `*${escapeWithin(f.label, 200)}*\n`;
    return mrkdwn(label + escapeWithin(f.value, SLACK_FIELD_TEXT_MAX - label.length));
  });
  // Ten fields of 2,000 characters would make one block larger than a whole message may
  // be, so a section takes fields only up to a section's worth of text.
  const out: Array<{ type: 'section'; fields: MrkdwnText[] }> = [];
  let size = Infinity;
  for (const field of texts) {
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

/**
 * A laid-out block as Block Kit: its lines packed into sections, except that the attribution
 * under a quote is a context block (small and grey, as Slack sets a caption); an attribution
 * in a list stays in the list's text, so that a long list does not spend Slack's 50 blocks.
 */
function renderBlock(block: LaidBlock): SlackBlock[] {
  const out: SlackBlock[] = [];
  let texts: string[] = [];
  const flush = () => {
    out.push(...sections(texts));
    texts = [];
  };
  for (const line of block.lines) {
    if (line.kind === 'fields') {
      flush();
      out.push(...fieldSections(line.fields));
    } else if (line.kind === 'attribution' && line.depth === 0) {
      flush();
      // A caption is one line: one too long for a context element ends in `…`.
      const [first = '', ...more] = fitLine(line.text, escapeSlack(ATTRIBUTION_DASH), SLACK_SECTION_TEXT_MAX - 1);
      out.push(contextBlock([more.length > 0 ? `${first}…` : first]));
    } else texts.push(...lineTexts(line));
  }
  flush();
  return out;
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

function buttons(laid: ReplyLayout<ButtonState>): SlackButton[] {
  const out: SlackButton[] = [];
  laid.buttons.forEach((laidButton, i) => {
    const state: ButtonState = laidButton.action ? { c: laidButton.action.command, i: laidButton.action.input } : laidButton.fallback;
    const b = button(laidButton.kind, state, laidButton.label, i);
    if (b) out.push(b);
  });
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
  const laid = layoutReply<ButtonState>(reply, {
    locale: opts.locale,
    // An error is only ever private, and there is nothing in it worth sharing.
    offerShare: opts.visibility === 'ephemeral' && !reply.error,
    ...(opts.share ? { share: opts.share } : {}),
    ...(opts.sharedBy ? { sharedBy: opts.sharedBy } : {}),
  });
  const title = laid.title.replace(/\s+/gu, ' ').trim();
  const body: SlackBlock[] = [];
  if (laid.lead.length > 0) body.push(contextBlock(laid.lead.flatMap((line) => fitLine(line))));
  // Plain text is escaped too: Slack decodes the three entities in every text object.
  if (title !== '') body.push({ type: 'header', text: plain(escapeWithin(title, SLACK_HEADER_MAX)) });
  for (const notice of [laid.error, laid.notice]) if (notice) body.push(...sections(fitLine(notice)));
  for (const block of laid.blocks) {
    if (block.rule) body.push({ type: 'divider' });
    body.push(...renderBlock(block));
  }
  const actions = buttons(laid);

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
    const tail: SlackBlock[] = [contextBlock([escapeSlack(laid.cutNotice('Slack'))]), ...actionBlocks];
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
