import { wordsFor } from '../words/index.js';
import {
  attributionMarked,
  type ButtonLayout,
  buttonLayout,
  diffMarked,
  footnoteLayout,
  labelsFor,
  MarkedBuilder,
  type MarkedText,
  markedLines,
  noteMarked,
  plainMarked,
  quoteMarked,
} from './layout.js';
import type { Locale, Reply, ReplyBlock } from './model.js';

/**
 * A whole reply as pieces: every line a reader sees, in order, as marked text, with its
 * kind, the notices above and below it, and its buttons. Discord, Slack and the console
 * render this and nothing else: they map each kind and mark to their markup and apply their
 * own limits (through fitMarked in fit.ts), so a note, a URL or a notice is placed here once.
 */

/** One line of a block. Its text has no line breaks. */
export type LaidLine =
  /** The essays' words, shown as a quotation. */
  | { kind: 'quote'; text: MarkedText; depth: number }
  /** The bot's own text: a paragraph, a diff, a heading over a list, a link. */
  | { kind: 'plain'; text: MarkedText; depth: number }
  /** Who wrote the quote above it and where it stands, shown after ATTRIBUTION_DASH. */
  | { kind: 'attribution'; text: MarkedText; depth: number }
  /** A footnote: its label (`[5]`) before its text, which a renderer may hang under the label. */
  | { kind: 'note'; label: string; text: MarkedText; depth: number }
  /** Labelled values, which a platform may set side by side. */
  | { kind: 'fields'; fields: Array<{ label: string; value: string }> };

export interface LaidBlock {
  kind: ReplyBlock['kind'];
  lines: LaidLine[];
  /** Set off from the block before it by a rule, not a blank line alone: a second quote, a third. */
  rule: boolean;
}

export interface ReplyLayout<Fallback = never> {
  /** Lines above everything else: who shared the answer, why it is private. */
  lead: MarkedText[];
  /** Heads the answer: empty for an error, and where a notice is the whole answer (nothing found). */
  title: string;
  /** Why nothing was found and what to try, or a hint, above the blocks. */
  notice: MarkedText | null;
  /** A refused input or a failure: said alone, privately. */
  error: MarkedText | null;
  blocks: LaidBlock[];
  buttons: Array<ButtonLayout<Fallback>>;
  /** What a renderer says where its platform's limits cut the answer short. */
  cutNotice: (platform: string) => string;
  /** What to show when nothing else is there. */
  empty: string;
}

export interface LayoutOptions<Fallback> {
  locale: Locale;
  /** Only the requester sees the answer and may share it where they asked: a Share button is offered. */
  offerShare: boolean;
  /** What Share reruns when the reply has no share action of its own. */
  share?: Fallback;
  /** The answer was shared from a private one by this user (`id`, where the platform has one). */
  sharedBy?: { name: string; id?: string };
  /** The answer is private only because the bot may not post where it was asked. */
  privateHere?: boolean;
}

/** The words of `phrase(name)` with the name marked as a user. */
function userLine(phrase: (name: string) => string, who: { name: string; id?: string }): MarkedText {
  const [before = '', after = ''] = phrase('\u0000').split('\u0000');
  return new MarkedBuilder().add(before).add(who.name, 'user', who.id).add(after).done();
}

const lines = (kind: 'quote' | 'plain', m: MarkedText, depth = 0): LaidLine[] => markedLines(m).map((text) => ({ kind, text, depth }));

function blockLines(block: ReplyBlock, locale: Locale): LaidLine[] {
  const labels = labelsFor(locale);
  switch (block.kind) {
    case 'quote':
      return [
        ...lines('quote', quoteMarked(block)),
        { kind: 'attribution', text: attributionMarked(block.attribution, locale), depth: 0 },
        ...block.footnotes.map((f): LaidLine => {
          const laid = footnoteLayout(f, locale);
          return { kind: 'note', label: laid.label, text: noteMarked(laid, locale), depth: 1 };
        }),
      ];
    case 'note': {
      const laid = footnoteLayout(block, locale);
      return [
        { kind: 'note', label: laid.label, text: noteMarked(laid, locale), depth: 0 },
        ...(block.link ? [{ kind: 'plain' as const, text: new MarkedBuilder().add(labels.openInReader, 'link', block.link).done(), depth: 1 }] : []),
        ...(block.citedBy.length > 0 ? lines('plain', plainMarked(`${labels.citedBy}:`), 1) : []),
        ...block.citedBy.flatMap((c): LaidLine[] => [
          ...lines('quote', plainMarked(c.quote), 2),
          { kind: 'attribution', text: attributionMarked(c.attribution, locale), depth: 2 },
        ]),
      ];
    }
    case 'link':
      return [{ kind: 'plain', text: new MarkedBuilder().add(block.label, 'link', block.url).done(), depth: 0 }];
    case 'text':
      return lines('plain', plainMarked(block.text));
    case 'diff':
      return lines('plain', diffMarked(block));
    case 'fields':
      return [{ kind: 'fields', fields: block.fields }];
  }
}

/** Lays out a reply for every renderer. */
export function layoutReply<Fallback = never>(reply: Reply, options: LayoutOptions<Fallback>): ReplyLayout<Fallback> {
  const { locale } = options;
  const labels = labelsFor(locale);
  const lead: MarkedText[] = [];
  if (options.sharedBy) lead.push(userLine(labels.sharedBy, options.sharedBy));
  if (options.privateHere) lead.push(plainMarked(wordsFor(locale).discord.privateHere));
  const common = { lead, cutNotice: labels.cutNotice, empty: labels.empty };
  if (reply.error) return { ...common, title: '', notice: null, error: plainMarked(reply.error.message), blocks: [], buttons: [] };
  let previous: ReplyBlock['kind'] | null = null;
  const blocks = reply.blocks.map((block): LaidBlock => {
    const rule = previous !== null && block.kind === 'quote';
    previous = block.kind;
    return { kind: block.kind, lines: blockLines(block, locale), rule };
  });
  return {
    ...common,
    title: blocks.length > 0 || !reply.message ? reply.title : '',
    notice: reply.message ? plainMarked(reply.message) : null,
    error: null,
    blocks,
    buttons: buttonLayout<Fallback>(reply.actions, locale, {
      private: options.offerShare,
      ...(options.share !== undefined ? { fallback: options.share } : {}),
    }),
  };
}
