import { labelsFor } from './layout.js';
import type { Locale, Reply, ReplyBlock } from './model.js';

/** What the passage reader (src/web/reader.ts) links to; the core only asks it for URLs. */
export interface ReaderLinks {
  passageUrl(passageId: string, span?: readonly [number, number]): string;
  essayUrl(essayId: string, note?: number): string;
}

const essayOfPassage = (passageId: string) => passageId.slice(0, passageId.lastIndexOf('.'));

/**
 * A reply with its reader links: every quote to its exact words, every source to its note
 * in the essay, and a citation to the essay (or the passage) it cites.
 */
export function withReaderLinks(reply: Reply, links: ReaderLinks, locale: Locale): Reply {
  const blocks: ReplyBlock[] = reply.blocks.map((block) => {
    if (block.kind === 'quote') return { ...block, attribution: { ...block.attribution, link: links.passageUrl(block.attribution.passageId, block.span) } };
    if (block.kind === 'note') {
      const essayId = block.essayId ?? (block.citedBy[0] ? essayOfPassage(block.citedBy[0].attribution.passageId) : undefined);
      return {
        ...block,
        ...(essayId ? { link: links.essayUrl(essayId, block.number) } : {}),
        citedBy: block.citedBy.map((c) => ({ ...c, attribution: { ...c.attribution, link: links.passageUrl(c.attribution.passageId) } })),
      };
    }
    return block;
  });
  if (reply.command === 'cite' && !reply.error) {
    for (const r of reply.results as Array<{ id?: unknown; passageId?: unknown }>) {
      if (typeof r.id !== 'string') continue;
      const url = typeof r.passageId === 'string' ? links.passageUrl(r.passageId) : links.essayUrl(r.id);
      blocks.push({ kind: 'link', label: labelsFor(locale).openInReader, url });
    }
  }
  return { ...reply, blocks };
}
