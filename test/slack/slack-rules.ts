/*
 * What Slack refuses in a message, by the figures Slack publishes, for the loopback fake to
 * refuse too. The figures are written out here, not imported from the renderer: a renderer
 * that got one wrong must fail against the fake. Each problem is worded as Slack words it in
 * `invalid_blocks` answers: a reason and a JSON pointer, e.g.
 * `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 */

/** "You can include up to 50 blocks in each message" (docs.slack.dev/reference/block-kit/blocks). */
export const BLOCKS_PER_MESSAGE = 50;
/** Section `text`: "Maximum length for the text in this field is 3000 characters" (…/blocks/section-block). */
export const SECTION_TEXT = 3000;
/** Section `fields`: "Maximum number of items is 10. Maximum length for the text in each item is 2000 characters." */
export const SECTION_FIELDS = 10;
export const SECTION_FIELD_TEXT = 2000;
/** Header `text`: "Maximum length for the text in this field is 150 characters" (…/blocks/header-block). */
export const HEADER_TEXT = 150;
/** Context `elements`: "Maximum number of items is 10" (…/blocks/context-block). */
export const CONTEXT_ELEMENTS = 10;
/** Actions `elements`: "There is a maximum of 25 elements in each action block" (…/blocks/actions-block). */
export const ACTIONS_ELEMENTS = 25;
/** Button (…/block-elements/button-element): text 75, value 2000, action_id 255 characters. */
export const BUTTON_TEXT = 75;
export const BUTTON_VALUE = 2000;
export const ACTION_ID = 255;
/** Every block's `block_id`: "Maximum length for this field is 255 characters" (…/block-kit/blocks). */
export const BLOCK_ID = 255;
/**
 * The message `text`: Slack truncates past 40,000 characters (api.slack.com/changelog/
 * 2018-04-truncating-really-long-messages, "The `text` field accepts up to 40,000
 * characters"). The fake refuses instead, with `msg_too_long` (listed among
 * chat.postMessage's errors, "Message text is too long"): a bot must never rely on a cut.
 */
export const MESSAGE_TEXT = 40_000;
/**
 * All text in a message's blocks together. Slack publishes no total for section blocks; the
 * one cumulative figure it documents is the markdown block's "Limit 12,000 characters max"
 * (docs.slack.dev @slack/types MarkdownBlock), and `msg_blocks_too_long` was met at about
 * 13,200 characters of mixed blocks (slackapi/bolt-js#2509, labelled server-side). The fake
 * refuses past the documented 12,000, which the renderer's budget must stay under.
 */
export const BLOCKS_TEXT_TOTAL = 12_000;

type Json = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function tooLong(text: unknown, max: number, pointer: string): string[] {
  return str(text).length > max ? [`must be less than ${max + 1} characters [json-pointer:${pointer}]`] : [];
}
function tooMany(items: unknown[], max: number, pointer: string): string[] {
  return items.length > max ? [`must have at most ${max} items [json-pointer:${pointer}]`] : [];
}

/** A text object's problems: a known type, a string text. */
function textObject(value: unknown, pointer: string, allowed: readonly string[]): string[] {
  const t = value as Json | undefined;
  if (!t || typeof t !== 'object' || !allowed.includes(str(t.type)) || typeof t.text !== 'string') {
    return [`must be a text object of type ${allowed.join(' or ')} [json-pointer:${pointer}]`];
  }
  return [];
}

function buttonProblems(element: Json, pointer: string): string[] {
  if (element.type !== 'button') return [`unsupported element type ${str(element.type)} [json-pointer:${pointer}/type]`];
  return [
    ...textObject(element.text, `${pointer}/text`, ['plain_text']),
    ...tooLong((element.text as Json | undefined)?.text, BUTTON_TEXT, `${pointer}/text/text`),
    ...tooLong(element.value, BUTTON_VALUE, `${pointer}/value`),
    ...tooLong(element.action_id, ACTION_ID, `${pointer}/action_id`),
  ];
}

function blockProblems(block: Json, pointer: string): string[] {
  const problems = tooLong(block.block_id, BLOCK_ID, `${pointer}/block_id`);
  switch (block.type) {
    case 'header':
      return [
        ...problems,
        ...textObject(block.text, `${pointer}/text`, ['plain_text']),
        ...tooLong((block.text as Json)?.text, HEADER_TEXT, `${pointer}/text/text`),
      ];
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return [...problems, `must provide text or fields [json-pointer:${pointer}]`];
      const fields = arr(block.fields);
      return [
        ...problems,
        ...(block.text === undefined ? [] : textObject(block.text, `${pointer}/text`, ['plain_text', 'mrkdwn'])),
        ...tooLong((block.text as Json | undefined)?.text, SECTION_TEXT, `${pointer}/text/text`),
        ...tooMany(fields, SECTION_FIELDS, `${pointer}/fields`),
        ...fields.flatMap((f, i) => tooLong((f as Json).text, SECTION_FIELD_TEXT, `${pointer}/fields/${i}/text`)),
      ];
    }
    case 'context': {
      const elements = arr(block.elements);
      return [
        ...problems,
        ...tooMany(elements, CONTEXT_ELEMENTS, `${pointer}/elements`),
        ...elements.flatMap((e, i) => textObject(e, `${pointer}/elements/${i}`, ['plain_text', 'mrkdwn'])),
      ];
    }
    case 'actions': {
      const elements = arr(block.elements);
      const ids = elements.map((e) => str((e as Json).action_id));
      const duplicate = ids.find((id, i) => id !== '' && ids.indexOf(id) !== i);
      return [
        ...problems,
        ...tooMany(elements, ACTIONS_ELEMENTS, `${pointer}/elements`),
        ...elements.flatMap((e, i) => buttonProblems(e as Json, `${pointer}/elements/${i}`)),
        ...(duplicate === undefined ? [] : [`action_id ${duplicate} is not unique in the block [json-pointer:${pointer}/elements]`]),
      ];
    }
    case 'divider':
      return problems;
    default:
      return [...problems, `unsupported block type ${str(block.type)} [json-pointer:${pointer}/type]`];
  }
}

/** Every text a block puts into the message (button values and ids included), for the total. */
function blockTexts(value: unknown, key = ''): number {
  if (typeof value === 'string') return ['text', 'value', 'action_id'].includes(key) ? value.length : 0;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + blockTexts(v), 0);
  if (value && typeof value === 'object') return Object.entries(value).reduce<number>((n, [k, v]) => n + blockTexts(v, k), 0);
  return 0;
}

/** Why Slack would refuse a message's `blocks`, as its `invalid_blocks` errors; empty when it would take them. */
export function invalidBlocks(blocks: unknown): string[] {
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return ['must be an array [json-pointer:/blocks]'];
  const problems = tooMany(blocks, BLOCKS_PER_MESSAGE, '/blocks');
  const ids = blocks.map((b) => str((b as Json).block_id));
  ids.forEach((id, i) => {
    if (id !== '' && ids.indexOf(id) !== i) problems.push(`block_id ${id} is not unique in the message [json-pointer:/blocks/${i}/block_id]`);
  });
  blocks.forEach((b, i) => {
    problems.push(...blockProblems(b as Json, `/blocks/${i}`));
  });
  return problems;
}

/**
 * Slack's answer to a message it would refuse, or null: `no_text` without text or blocks,
 * `msg_too_long`, `invalid_blocks` with its errors, `msg_blocks_too_long` past the total.
 */
export function messageRefusal(message: { text?: unknown; blocks?: unknown }): Json | null {
  const text = str(message.text);
  if (text === '' && (message.blocks === undefined || arr(message.blocks).length === 0)) return { ok: false, error: 'no_text' };
  if (text.length > MESSAGE_TEXT) return { ok: false, error: 'msg_too_long' };
  const errors = invalidBlocks(message.blocks);
  if (errors.length > 0) return { ok: false, error: 'invalid_blocks', errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } };
  if (blockTexts(message.blocks) > BLOCKS_TEXT_TOTAL) return { ok: false, error: 'msg_blocks_too_long' };
  return null;
}
