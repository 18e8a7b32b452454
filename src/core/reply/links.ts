import { labelsFor } from './layout.js';
import type { Locale, Reply, ReplyBlock } from './model.js';

/** What the passage reader (src/web/reader.ts) links to; the core only asks it for URLs. */
export interface ReaderLinks {
  /** `library`: the team whose library holds the passage (null for the operator's): the link opens only there. */
  passageUrl(passageId: string, span?: readonly [number, number], library?: string | null): string;
  essayUrl(essayId: string, note?: number, library?: string | null): string;
}

const essayOfPassage = (passageId: string) => passageId.slice(0, passageId.lastIndexOf('.'));

/**
 * A reply with its reader links: every quote to its exact words, every source to its note
 * in the essay, and a citation to the essay (or the passage) it cites.
 */
export function withReaderLinks(reply: Reply, links: ReaderLinks, locale: Locale, library: string | null = null): Reply {
  const blocks: ReplyBlock[] = reply.blocks.map((block) => {
    if (block.kind === 'quote')
      return { ...block, attribution: { ...block.attribution, link: links.passageUrl(block.attribution.passageId, block.span, library) } };
    if (block.kind === 'note') {
      const essayId = block.essayId ?? (block.citedBy[0] ? essayOfPassage(block.citedBy[0].attribution.passageId) : undefined);
      return {
        ...block,
        ...(essayId ? { link: links.essayUrl(essayId, block.number, library) } : {}),
        citedBy: block.citedBy.map((c) => ({ ...c, attribution: { ...c.attribution, link: links.passageUrl(c.attribution.passageId, undefined, library) } })),
      };
    }
    return block;
  });
  if (reply.command === 'cite' && !reply.error) {
    for (const r of reply.results as Array<{ id?: unknown; passageId?: unknown }>) {
      if (typeof r.id !== 'string') continue;
      const url = typeof r.passageId === 'string' ? links.passageUrl(r.passageId, undefined, library) : links.essayUrl(r.id, undefined, library);
      blocks.push({ kind: 'link', label: labelsFor(locale).openInReader, url });
    }
  }
  return { ...reply, blocks };
}
