import { type Command, type OptionSpec, optionSpecs } from '../core/dispatch/command.js';

/** The message shortcut's callback_id; the app listens for exactly this. */
export const FIND_SOURCE_CALLBACK_ID = 'find_source';
/** The command the "Find source" shortcut runs on the message's text. */
export const FIND_SOURCE_COMMAND = 'verify';

/** Slack's limits on manifest fields (longer values are refused when the app is created). */
const SLASH_DESCRIPTION_MAX = 100;
const USAGE_HINT_MAX = 100;

/** A Slack app manifest, as much of it as this app declares. */
export interface SlackManifest {
  display_information: { name: string; description: string; long_description?: string; background_color: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; description: string; usage_hint?: string; should_escape: boolean }>;
    shortcuts: Array<{ name: string; type: 'message'; callback_id: string; description: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean }; org_deploy_enabled: boolean; socket_mode_enabled: boolean; token_rotation_enabled: boolean };
}

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
  const hint = [...first, ...rest].join(' ');
  return hint.length <= USAGE_HINT_MAX ? hint : `${hint.slice(0, USAGE_HINT_MAX - 1)}…`;
}

/**
 * The app manifest, read off the command registry so that the commands a user creates in
 * Slack are exactly the ones the bot answers. Hidden commands only answer buttons.
 * Socket Mode is on, so no request URL is needed; for HTTP see docs/slack.md.
 */
export function buildManifest(commands: ReadonlyMap<string, Command>): SlackManifest {
  const visible = [...commands.values()].filter((c) => !c.hidden);
  return {
    display_information: {
      name: 'yinzheng',
      description: '引证 — quotes, attributes and cites scholarly essays, word for word.',
      background_color: '#2b2d31',
    },
    features: {
      bot_user: { display_name: 'yinzheng', always_online: false },
      slash_commands: visible.map((c) => {
        const hint = usageHint(c);
        return {
          command: `/${c.name}`,
          description: c.description.slice(0, SLASH_DESCRIPTION_MAX),
          ...(hint ? { usage_hint: hint } : {}),
          // Escaping would turn typed @names and #channels into IDs; the bot wants the words as typed.
          should_escape: false,
        };
      }),
      shortcuts: [
        {
          name: 'Find source',
          type: 'message',
          callback_id: FIND_SOURCE_CALLBACK_ID,
          description: 'Find where the words of this message stand in the essays',
        },
      ],
    },
    oauth_config: { scopes: { bot: ['commands', 'chat:write'] } },
    settings: {
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest as committed in `manifest.json`: two-space JSON and a final newline. */
export function formatManifest(manifest: SlackManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
