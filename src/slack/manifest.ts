import { type Command, type OptionSpec, optionSpecs } from '../core/dispatch/command.js';
import { en } from '../core/words/en.js';

/** The message shortcut's callback_id; the app listens for exactly this. */
export const FIND_SOURCE_CALLBACK_ID = 'find_source';
/** The message shortcut "Add to library": adds the message's PDF or text file to the workspace's library. */
export const ADD_TO_LIBRARY_CALLBACK_ID = 'add_to_library';
/** The subcommand of the team's library (`/yinzheng library list`), the adapter's own rather than the registry's. */
export const LIBRARY_SUBCOMMAND = 'library';
/** The command the "Find source" shortcut runs on the message's text, sentence by sentence. */
export const FIND_SOURCE_COMMAND = 'find';

/** Slack's limits on manifest fields (longer values are refused when the app is created). */
const SLASH_DESCRIPTION_MAX = 100;
const USAGE_HINT_MAX = 100;

/** A Slack app manifest, as much of it as this app declares. */
export interface SlackManifest {
  display_information: { name: string; description: string; long_description?: string; background_color: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; description: string; usage_hint?: string; url?: string; should_escape: boolean }>;
    shortcuts: Array<{ name: string; type: 'message'; callback_id: string; description: string }>;
  };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

export interface ManifestOptions {
  /** The one slash command (SLACK_COMMAND), e.g. `/yinzheng`. */
  command: string;
  /**
   * The bot's public https address (PUBLIC_URL), for HTTP mode: Slack then posts commands,
   * interactions and events to `<url>/slack/events`. Without it the manifest is Socket Mode's.
   */
  publicUrl?: string;
  /**
   * Installed to several workspaces through OAuth (SLACK_CLIENT_ID…): the HTTP manifest then
   * lists the redirect URL, so that pasting it again keeps `/slack/install` working.
   */
  oauth?: boolean;
}

/** The path Slack posts events, commands and interactions to in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** OAuth's paths in HTTP mode: the install link to share, and where Slack sends the browser back. */
export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * The bot events: `app_mention` for `@yinzheng …`, and the two that say a workspace removed the
 * app, which Slack sends only "if it is subscribed" (docs.slack.dev/reference/events/
 * tokens_revoked) and which need no scope. Subscribed in every manifest, so that an
 * installation never outlives the workspace's consent.
 */
export const SLACK_BOT_EVENTS = ['app_mention', 'app_uninstalled', 'tokens_revoked'];

/**
 * The bot scopes, each for one thing the bot does: `commands` for the slash command and the
 * shortcuts, `chat:write` to answer, `app_mentions:read` for `@yinzheng …` in channels and
 * threads, `users:read` to answer in the user's language (users.info with include_locale) and
 * to tell a workspace's admins and owners (`is_admin`, `is_owner`), `files:read` to fetch a file
 * added to the library from its `url_private_download`.
 */
export const SLACK_BOT_SCOPES = ['app_mentions:read', 'chat:write', 'commands', 'files:read', 'users:read'];

function hintFor(spec: OptionSpec, positional: boolean): string {
  const value = spec.choices ? spec.choices.join('|') : spec.type === 'boolean' ? 'true|false' : spec.type === 'string' ? '…' : 'n';
  const text = positional ? spec.name : `${spec.name}:${value}`;
  return spec.required ? text : `[${text}]`;
}

/** `query [author:…] [count:n]`: the positional option first, then the others as `name:value`. */
export function usageHint(command: Command): string {
  const specs = optionSpecs(command);
  const first = specs.filter((s) => s.name === command.positional).map((s) => hintFor(s, true));
  const rest = specs.filter((s) => s.name !== command.positional).map((s) => hintFor(s, false));
  return clip([...first, ...rest].join(' '), USAGE_HINT_MAX);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The subcommands as the one command's usage hint, `quote | who | … | help`: their options are help's. */
export function subcommandsHint(commands: ReadonlyMap<string, Command>): string {
  const visible = [...commands.values()].filter((c) => !c.hidden);
  return clip([...visible.map((c) => c.name), LIBRARY_SUBCOMMAND].join(' | '), USAGE_HINT_MAX);
}

/**
 * The app manifest. It declares one slash command with the bot's commands as subcommands
 * (`/yinzheng quote …`), as well-built Slack apps do: bare `/quote` or `/who` collide with
 * Slack's own commands (a manifest declaring `/who` is refused) and with other apps'. The
 * subcommands are read off the command registry, so the help and the manifest cannot drift
 * apart. Socket Mode unless `publicUrl` is given, then HTTP with its request URLs.
 */
export function buildManifest(commands: ReadonlyMap<string, Command>, options: ManifestOptions): SlackManifest {
  const base = options.publicUrl?.replace(/\/+$/u, '');
  const requestUrl = base ? `${base}${SLACK_EVENTS_PATH}` : undefined;
  // oauth_config.redirect_urls (docs.slack.dev/reference/app-manifest): a manifest pasted without
  // them replaces the app's Redirect URLs with none, and Slack then refuses /slack/install's redirect.
  const redirect = base && options.oauth ? { redirect_urls: [`${base}${SLACK_REDIRECT_PATH}`] } : {};
  const url = requestUrl ? { url: requestUrl } : {};
  const request = requestUrl ? { request_url: requestUrl } : {};
  return {
    display_information: {
      name: 'yinzheng',
      description: en.platform.appDescription,
      background_color: '#2b2d31',
    },
    features: {
      bot_user: { display_name: 'yinzheng', always_online: false },
      slash_commands: [
        {
          command: options.command,
          description: clip(en.platform.slashDescription, SLASH_DESCRIPTION_MAX),
          usage_hint: subcommandsHint(commands),
          ...url,
          // Escaping would turn typed @names and #channels into IDs; the bot wants the words as typed.
          should_escape: false,
        },
      ],
      shortcuts: [
        {
          name: en.platform.findSource,
          type: 'message',
          callback_id: FIND_SOURCE_CALLBACK_ID,
          description: en.platform.findSourceDescription,
        },
        {
          name: en.platform.addToLibrary,
          type: 'message',
          callback_id: ADD_TO_LIBRARY_CALLBACK_ID,
          description: en.platform.addToLibraryDescription,
        },
      ],
    },
    oauth_config: { ...redirect, scopes: { bot: SLACK_BOT_SCOPES } },
    settings: {
      event_subscriptions: { bot_events: SLACK_BOT_EVENTS, ...request },
      interactivity: { is_enabled: true, ...request },
      org_deploy_enabled: false,
      socket_mode_enabled: requestUrl === undefined,
      token_rotation_enabled: false,
    },
  };
}

/**
 * The manifests `npm run manifest:slack` writes: `manifest.json` (Socket Mode) always, and with
 * PUBLIC_URL `manifest.http.json`, whose redirect URL is there when OAuth is configured.
 */
export function manifestFiles(
  commands: ReadonlyMap<string, Command>,
  config: { slackCommand: string; publicUrl: string | undefined; slack: { oauth?: unknown } | undefined },
): Array<{ name: string; manifest: SlackManifest }> {
  const files = [{ name: 'manifest.json', manifest: buildManifest(commands, { command: config.slackCommand }) }];
  if (config.publicUrl) {
    const oauth = config.slack?.oauth !== undefined;
    files.push({ name: 'manifest.http.json', manifest: buildManifest(commands, { command: config.slackCommand, publicUrl: config.publicUrl, oauth }) });
  }
  return files;
}

/** The manifest as committed in `manifest.json`: two-space JSON and a final newline. */
export function formatManifest(manifest: SlackManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
