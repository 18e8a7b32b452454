import { z } from 'zod';
import { isEditorsName } from '../corpus/names.js';
import type { SearchFilters } from '../search/search.js';
import { wordsFor } from '../words/index.js';
import type { CommandContext } from './command.js';

/** The author and essay filters shared by the passage commands (/quote, /sources). */
export const filterOptions = {
  author: z.string().max(60).optional().meta({ autocomplete: 'author' }),
  essay: z.string().max(120).optional().meta({ autocomplete: 'essay' }),
};

/** The slice of `total` results a page shows, or null when the page is past the end. */
export function shownRange(total: number, page: number, count: number): { from: number; to: number } | null {
  const from = (page - 1) * count;
  if (from >= total) return null;
  return { from, to: Math.min(total, from + count) };
}

/**
 * Why a search found nothing, and what to try. A filter that names no author or essay is
 * the likeliest cause, so it is checked first and the known names are listed.
 */
export function noMatchMessage(ctx: CommandContext, filters: SearchFilters): string {
  const { locale, index } = ctx;
  const words = wordsFor(locale).errors;
  if (filters.author && !isEditorsName(filters.author) && index.findAuthors(filters.author).length === 0) {
    const closest = closestAuthors(ctx, filters.author);
    if (closest !== null) return words.unknownAuthorClosest(closest);
    const names = index
      .findAuthors('')
      .map((a) => `${a.name} (${a.pinyin})`)
      .join(', ');
    return words.unknownAuthor(names);
  }
  if (filters.essay && index.findEssays(filters.essay).length === 0) {
    const closest = closestEssays(ctx, filters.essay);
    const search = `${ctx.invocation}essays`;
    if (closest !== null) {
      return words.unknownEssayClosest(closest, search);
    }
    return words.unknownEssay;
  }
  const filtered = filters.author || filters.essay;
  return words.noMatch(Boolean(filtered));
}

/** Closest authors or essays a message names when a filter matches none. */
const CLOSEST_SHOWN = 3;

/**
 * Where a platform cannot autocomplete an option (Slack, the console, the CLI), a name that
 * matches nothing is answered with the choices Discord's autocomplete would have ranked first:
 * the essay index's, which forgives a typo in pinyin or English. Null when it finds none.
 */
function closestAuthors(ctx: CommandContext, name: string): string | null {
  const choices = ctx.index.searchAuthors(name, CLOSEST_SHOWN);
  return choices.length > 0 ? choices.map((h) => `${h.author.name} (${h.author.pinyin})`).join(', ') : null;
}

function closestEssays(ctx: CommandContext, words: string): string | null {
  const hits = ctx.index.searchEssays(words, CLOSEST_SHOWN);
  return hits.length > 0 ? hits.map((h) => `《${h.essay.title}》 (${h.essay.id})`).join(', ') : null;
}
