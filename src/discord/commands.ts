import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { type Command, type OptionSpec, optionSpecs } from '../core/dispatch/command.js';
import { toTraditional } from '../core/reply/traditional.js';
import { en } from '../core/words/en.js';
import { zhCN } from '../core/words/zh-CN.js';

/** The boolean every slash command gets from the adapter: answer privately (ephemeral). */
export const PRIVATE_OPTION = 'private';
/** The message context-menu command; it runs `verify` on the message's text. */
export const FIND_SOURCE = en.platform.findSource;
export const FIND_SOURCE_COMMAND = 'find';
/** The team's library: `/library add|list|remove|check` and the message command "Add to library". */
export const LIBRARY_COMMAND = 'library';
export const ADD_TO_LIBRARY = en.platform.addToLibrary;
export const LIBRARY_FILE_OPTION = en.platform.libraryCommand.file.name;
export const LIBRARY_SUBCOMMANDS = ['add', 'list', 'remove', 'check'] as const;
/**
 * MANAGE_GUILD (1 << 5, topics/permissions.mdx) as Discord wants `default_member_permissions`:
 * a bitfield in a string. Only members with Manage Server see the library's commands, unless a
 * server's admins change that in Server Settings → Integrations; it does not apply in DMs.
 */
export const LIBRARY_MEMBER_PERMISSIONS = String(1n << 5n);

export const DISCORD_NAME_MAX = 32;
export const DISCORD_DESCRIPTION_MAX = 100;
export const DISCORD_OPTIONS_MAX = 25;
export const DISCORD_CHOICES_MAX = 25;
const DISCORD_STRING_LENGTH_MAX = 6000;
/**
 * Discord's rule for command and option names (and their localizations), lowercase only:
 * `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$` (application-commands.mdx, Application Command Naming).
 */
const NAME_RULE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkName(where: string, name: string): string {
  if (!NAME_RULE.test(name) || name !== name.toLowerCase()) {
    throw new Error(`discord: ${where}: name "${name}" breaks Discord's rule (1-32 lowercase letters, digits, -, _ or ')`);
  }
  return name;
}

function checkDescription(where: string, text: string): string {
  if (text.length < 1 || text.length > DISCORD_DESCRIPTION_MAX) {
    throw new Error(`discord: ${where}: description must be 1-${DISCORD_DESCRIPTION_MAX} characters, is ${text.length}`);
  }
  return text;
}

const TYPES: Record<
  OptionSpec['type'],
  ApplicationCommandOptionType.String | ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number | ApplicationCommandOptionType.Boolean
> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
};

/**
 * A name or description in Discord's two Chinese locales: as written for zh-CN, and in
 * Taiwan's Traditional characters for zh-TW (Discord has no zh-HK), each checked against
 * Discord's rules.
 */
function chinese(where: string, text: string, check: (where: string, text: string) => string): Record<'zh-CN' | 'zh-TW', string> {
  return { 'zh-CN': check(`${where} (zh-CN)`, text), 'zh-TW': check(`${where} (zh-TW)`, toTraditional(text, 'tw')) };
}

function optionJson(command: Command, spec: OptionSpec): APIApplicationCommandBasicOption {
  const where = `/${command.name} ${spec.name}`;
  const option: Record<string, unknown> = {
    type: TYPES[spec.type],
    name: checkName(where, spec.name),
    description: checkDescription(where, spec.description),
    required: spec.required,
  };
  option.name_localizations = chinese(where, spec.zh.name, checkName);
  option.description_localizations = chinese(where, spec.zh.description, checkDescription);
  if (spec.type === 'string') {
    if (spec.minLength !== undefined) option.min_length = Math.min(spec.minLength, DISCORD_STRING_LENGTH_MAX);
    if (spec.maxLength !== undefined) option.max_length = Math.min(spec.maxLength, DISCORD_STRING_LENGTH_MAX);
  }
  if (spec.type === 'integer' || spec.type === 'number') {
    if (spec.min !== undefined) option.min_value = spec.min;
    if (spec.max !== undefined) option.max_value = spec.max;
  }
  // Discord refuses an option that both lists choices and autocompletes.
  if (spec.choices && spec.choices.length <= DISCORD_CHOICES_MAX) option.choices = spec.choices.map((c) => ({ name: c, value: c }));
  else if (spec.autocomplete) option.autocomplete = true;
  return option as unknown as APIApplicationCommandBasicOption;
}

/**
 * The application commands to register, read off the same registry that dispatches them:
 * one slash command per visible command, each with its zod options plus `private`, and the
 * "Find source" message command. Throws when a name or description breaks Discord's rules,
 * so that a bad registry fails the tests and the deploy, not the live registration.
 */
/*
 * Where global commands reach (Discord's application integration types and interaction
 * context types): installed to a server (0) and to a user (1); used in servers (0), in DMs
 * with the bot (1) and in group DMs and other private channels (2). Discord reads these only
 * on global commands, and without them a member cannot install the bot for themselves.
 */
export const GLOBAL_REACH = { integration_types: [0, 1], contexts: [0, 1, 2] } as const;

/**
 * The bot's permissions in a server, and nothing else: Send Messages (1 << 11), Embed Links
 * (1 << 14) and Use Application Commands (1 << 31).
 */
export const BOT_PERMISSIONS = String((1n << 11n) | (1n << 14n) | (1n << 31n));

/**
 * The two install links: to a server (bot and commands, integration type 0), and to a user's
 * own account (commands only, integration type 1), with which a member uses the bot in DMs
 * and in servers that have not added it.
 */
export function installLinks(applicationId: string): { server: string; user: string } {
  const base = `https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(applicationId)}`;
  return {
    server: `${base}&scope=bot+applications.commands&permissions=${BOT_PERMISSIONS}&integration_type=0`,
    user: `${base}&scope=applications.commands&integration_type=1`,
  };
}

/**
 * "Slash commands can have a maximum of 8000 characters for combined name, description, and
 * value properties for each command, its options (including subcommands and groups), and
 * choices. When localization fields are present, only the longest localization for each field
 * (including the default value) is counted" (application-commands.mdx, Limits).
 */
export const DISCORD_COMMAND_SIZE_MAX = 8000;

type Sized = { name?: unknown; description?: unknown; name_localizations?: unknown; description_localizations?: unknown; value?: unknown };

function longest(value: unknown, localizations: unknown): number {
  const texts = [value, ...Object.values((localizations ?? {}) as Record<string, unknown>)].map((t) => (typeof t === 'string' ? t : ''));
  return Math.max(...texts.map((t) => t.length));
}

/** A slash command's size as Discord counts it against DISCORD_COMMAND_SIZE_MAX. */
export function commandSize(command: Sized & { options?: ReadonlyArray<Sized & { choices?: readonly Sized[] }> }): number {
  const field = (f: Sized) => longest(f.name, f.name_localizations) + longest(f.description, f.description_localizations);
  return (command.options ?? []).reduce(
    (n, o) => n + field(o) + (o.choices ?? []).reduce((k, c) => k + longest(c.name, c.name_localizations) + String(c.value ?? '').length, 0),
    field(command),
  );
}

export function discordCommands(registry: ReadonlyMap<string, Command>, scope: 'global' | 'guild' = 'global'): RESTPutAPIApplicationCommandsJSONBody {
  const reach = scope === 'global' ? { integration_types: [...GLOBAL_REACH.integration_types], contexts: [...GLOBAL_REACH.contexts] } : {};
  const slash = [...registry.values()]
    .filter((c) => !c.hidden)
    .map((command) => {
      const specs = optionSpecs(command);
      if (specs.some((s) => s.name === PRIVATE_OPTION)) {
        throw new Error(`discord: /${command.name}: option "${PRIVATE_OPTION}" is the adapter's own; rename the command's option`);
      }
      // Discord wants required options before optional ones.
      const options = [...specs.filter((s) => s.required), ...specs.filter((s) => !s.required)].map((s) => optionJson(command, s));
      options.push({
        type: ApplicationCommandOptionType.Boolean,
        name: PRIVATE_OPTION,
        name_localizations: chinese(PRIVATE_OPTION, zhCN.platform.privateOption.name, checkName),
        description: en.platform.privateOption.description,
        description_localizations: chinese(PRIVATE_OPTION, zhCN.platform.privateOption.description, checkDescription),
        required: false,
      });
      if (options.length > DISCORD_OPTIONS_MAX) throw new Error(`discord: /${command.name} has ${options.length} options, over ${DISCORD_OPTIONS_MAX}`);
      const json = {
        type: ApplicationCommandType.ChatInput as const,
        name: checkName(`/${command.name}`, command.name),
        description: checkDescription(`/${command.name}`, command.words('en').description),
        description_localizations: chinese(`/${command.name}`, command.words('zh-CN').description, checkDescription),
        options,
        ...reach,
      };
      const size = commandSize(json);
      if (size > DISCORD_COMMAND_SIZE_MAX) throw new Error(`discord: /${command.name} is ${size} characters, over Discord's ${DISCORD_COMMAND_SIZE_MAX}`);
      return json;
    });
  if (registry.has(LIBRARY_COMMAND)) throw new Error(`discord: /${LIBRARY_COMMAND} is the adapter's own (the team's library); rename the command`);
  if (!registry.has(FIND_SOURCE_COMMAND)) throw new Error(`discord: "${FIND_SOURCE}" needs the ${FIND_SOURCE_COMMAND} command in the registry`);
  return [
    ...slash,
    {
      type: ApplicationCommandType.Message,
      name: FIND_SOURCE,
      name_localizations: chinese(FIND_SOURCE, zhCN.platform.findSource, (_, name) => name),
      ...reach,
    },
    ...libraryCommands(reach),
  ];
}

/**
 * `/library` with its four subcommands, and the message command "Add to library". `file` is an
 * attachment (type 11) for add, and a name autocompleted from the team's manifest for remove.
 */
function libraryCommands(reach: { integration_types?: number[]; contexts?: number[] }): RESTPutAPIApplicationCommandsJSONBody {
  const t = en.platform.libraryCommand;
  const z = zhCN.platform.libraryCommand;
  const where = `/${LIBRARY_COMMAND}`;
  const described = (at: string, en: string, zh: string) => ({
    description: checkDescription(at, en),
    description_localizations: chinese(at, zh, checkDescription),
  });
  const file = (sub: 'add' | 'remove') => ({
    type: sub === 'add' ? ApplicationCommandOptionType.Attachment : ApplicationCommandOptionType.String,
    name: checkName(`${where} ${sub} file`, t.file.name),
    name_localizations: chinese(`${where} ${sub} file`, z.file.name, checkName),
    ...described(`${where} ${sub} file`, t.file[sub], z.file[sub]),
    required: true,
    ...(sub === 'remove' ? { autocomplete: true } : {}),
  });
  const options = LIBRARY_SUBCOMMANDS.map((sub) => ({
    type: ApplicationCommandOptionType.Subcommand,
    name: checkName(`${where} ${sub}`, sub),
    ...described(`${where} ${sub}`, t[sub].description, z[sub].description),
    ...(sub === 'add' || sub === 'remove' ? { options: [file(sub)] } : {}),
  }));
  const slash = {
    type: ApplicationCommandType.ChatInput as const,
    name: checkName(where, LIBRARY_COMMAND),
    ...described(where, t.description, z.description),
    options,
    default_member_permissions: LIBRARY_MEMBER_PERMISSIONS,
    ...reach,
  };
  const size = commandSize(slash);
  if (size > DISCORD_COMMAND_SIZE_MAX) throw new Error(`discord: ${where} is ${size} characters, over Discord's ${DISCORD_COMMAND_SIZE_MAX}`);
  return [
    slash as RESTPutAPIApplicationCommandsJSONBody[number],
    {
      type: ApplicationCommandType.Message,
      name: ADD_TO_LIBRARY,
      name_localizations: chinese(ADD_TO_LIBRARY, zhCN.platform.addToLibrary, (_, name) => name),
      default_member_permissions: LIBRARY_MEMBER_PERMISSIONS,
      ...reach,
    },
  ];
}
