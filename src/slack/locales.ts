import type { webApi } from '@slack/bolt';
import type { Logger } from '../core/dispatch/bot.js';
import { localeFromTag } from '../core/reply/layout.js';
import type { Locale } from '../core/reply/model.js';

/** Users whose language is remembered; a workspace's active researchers fit many times over. */
const LOCALES_CACHED = 2000;

/**
 * Users' languages, from users.info with include_locale (scope users:read), asked once per user
 * and remembered with a bound. A failed lookup (no scope, a deleted user) answers in English and
 * is remembered too, so a missing scope costs one call per user, not per request. Kept per
 * workspace, so that a workspace that removes the app leaves nothing of its users behind.
 */
export interface LocaleCache {
  /** The user's language, asked of Slack with the client of their workspace the first time. */
  of(teamId: string | undefined, userId: string, client: webApi.WebClient): Promise<Locale>;
  /** Forgets every user of a workspace (after an uninstall). */
  forgetTeam(teamId: string): void;
  /** How many users are remembered, for tests. */
  readonly size: number;
}

export function createLocaleCache(logger: Logger): LocaleCache {
  const locales = new Map<string, Locale>();
  const key = (teamId: string | undefined, userId: string) => `${teamId ?? ''}:${userId}`;
  return {
    async of(teamId, userId, client) {
      const known = locales.get(key(teamId, userId));
      if (known) return known;
      let locale: Locale = 'en';
      try {
        const info = await client.users.info({ user: userId, include_locale: true });
        locale = localeFromTag(info.user?.locale);
      } catch (error) {
        logger.debug({ err: error, user: userId }, 'slack: users.info failed; answering in English');
      }
      if (locales.size >= LOCALES_CACHED) locales.delete(locales.keys().next().value as string);
      locales.set(key(teamId, userId), locale);
      return locale;
    },
    forgetTeam(teamId) {
      for (const k of locales.keys()) if (k.startsWith(`${teamId}:`)) locales.delete(k);
    },
    get size() {
      return locales.size;
    },
  };
}
