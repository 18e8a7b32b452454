import type { webApi } from '@slack/bolt';
import type { Logger } from '../core/dispatch/bot.js';
import type { DownloadRequest } from '../core/library/intake.js';

/*
 * Who may change a Slack workspace's library, and where its files are fetched from. A file is
 * fetched from the `url_private_download` Slack put in the payload, never from a URL a user
 * typed, with the workspace's bot token (which needs files:read): without it Slack answers
 * with its sign-in page, which intake refuses as a web page.
 */

/** The files a team may add, by the name the uploader gave; intake still judges them by their bytes. */
const ADDABLE = /\.(?:pdf|txt)$/iu;

/** A file as Slack puts it in a message (message shortcuts, app_mention events): only what is read here. */
export interface SlackFile {
  name?: string;
  url_private_download?: string;
}

/** The first .pdf or .txt file of a message that Slack gave a download URL for, as a download request. */
export function fileToAdd(files: readonly SlackFile[] | undefined, botToken: string | undefined): DownloadRequest | null {
  const file = (files ?? []).find((f) => typeof f.url_private_download === 'string' && ADDABLE.test(f.name ?? ''));
  if (!file?.url_private_download) return null;
  return {
    url: file.url_private_download,
    name: file.name ?? 'file',
    ...(botToken ? { headers: { Authorization: `Bearer ${botToken}` } } : {}),
  };
}

export interface SlackChanger {
  /** A workspace admin or owner (users.info `is_admin`/`is_owner`), or a user named in LIBRARY_ADMINS. */
  allowed: boolean;
  /** The name Slack shows for them, for list. */
  name: string;
}

/**
 * Whether a user may change their workspace's library, and their name. users.info (users:read)
 * says whether they are an admin or owner; when it fails, only LIBRARY_ADMINS may.
 */
export async function changerOf(client: webApi.WebClient, userId: string, admins: readonly string[], logger: Logger): Promise<SlackChanger> {
  const named = admins.includes(userId);
  try {
    const { user } = await client.users.info({ user: userId });
    const name = user?.profile?.display_name || user?.real_name || user?.name || userId;
    return { allowed: named || user?.is_admin === true || user?.is_owner === true, name };
  } catch (error) {
    logger.warn({ err: error, user: userId }, 'slack: users.info failed; only LIBRARY_ADMINS may change the library');
    return { allowed: named, name: userId };
  }
}
