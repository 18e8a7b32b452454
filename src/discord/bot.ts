import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApplicationIntegrationType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  InteractionContextType,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
  type RepliableInteraction,
} from 'discord.js';
import type { DiscordConfig } from '../config.js';
import type { Bot, Logger, Requester } from '../core/dispatch/bot.js';
import { type OptionSpec, optionSpecs } from '../core/dispatch/command.js';
import { UserError } from '../core/dispatch/errors.js';
import { parseInput } from '../core/dispatch/input.js';
import { localeFromTag } from '../core/reply/layout.js';
import type { Locale, Reply, ReplyAction } from '../core/reply/model.js';
import { truncate } from '../core/reply/split.js';
import { localized } from '../core/reply/traditional.js';
import { FIND_SOURCE, FIND_SOURCE_COMMAND, PRIVATE_OPTION } from './commands.js';
import { type ButtonState, createButtonStore } from './custom-id.js';
import { capMessages, type DiscordMessage, NO_MENTIONS, noteToDiscord, replyToDiscord, sharedByLine } from './render.js';
import { restOptions } from './rest.js';

/** Discord drops an interaction not answered within 3 s; answer directly only when well inside that. */
export const DEFER_BUDGET_MS = 1500;
/** How long a shutdown waits for interactions being answered (inside main's ten-second deadline). */
const IN_FLIGHT_GRACE_MS = 5000;
const RECONNECT_LOG_EVERY_MS = 60_000;
const AUTOCOMPLETE_MAX = 25;
const CHOICE_TEXT_MAX = 100;

const NOTES = localized({
  en: {
    expired: 'This button has expired. Run the command again for fresh results.',
    notYours: (command: string) => `Only the person who ran /${command} can page its results. Run /${command} yourself to search.`,
    noText: 'That message has no text to look up.',
    failed: 'Something went wrong while answering. It has been logged; please try again.',
    privateHere: 'Only you can see this: the bot may not post in this channel.',
    cannotShare: 'The bot may not post in this channel, so the answer cannot be shared here.',
    answeredPrivately: 'Answered privately.',
  },
  'zh-CN': {
    expired: '此按钮已过期。请重新运行命令以获取结果。',
    notYours: (command: string) => `只有运行 /${command} 的人才能翻页。请自己运行 /${command} 搜索。`,
    noText: '该消息没有可查找的文字。',
    failed: '回答时出错，已记录。请重试。',
    privateHere: '仅你可见：机器人无权在此频道发言。',
    cannotShare: '机器人无权在此频道发言，无法在此分享回答。',
    answeredPrivately: '已私下回复。',
  },
});

/**
 * What the channel of an interaction lets the app post, read from the interaction's
 * `app_permissions` ("Bitwise set of permissions the app has in the source location of the
 * interaction", receiving-and-responding.mdx, Interaction Structure).
 */
export interface Room {
  /** The answer may be posted for everyone. */
  public: boolean;
  /** Embeds may be used: EMBED_LINKS (1 << 14, topics/permissions.mdx). */
  embeds: boolean;
}

export function roomOf(interaction: Interaction): Room {
  const app = interaction.appPermissions;
  // app_permissions holds EMBED_LINKS in DMs and group DMs (receiving-and-responding.mdx,
  // Interaction Structure, note ***), so one test covers every context.
  const embeds = app.has(PermissionFlagsBits.EmbedLinks);
  if (interaction.context !== InteractionContextType.Guild && !interaction.inGuild()) return { public: true, embeds };
  // In a server: SEND_MESSAGES (1 << 11). A user-installed app is "forced to respect the user's
  // permissions": where they may not send messages it cannot answer "with a non-ephemeral
  // message" (resources/application.mdx, Installation Context). And where only the user
  // installed the app, the member's USE_EXTERNAL_APPS (1 << 50), without which "the responses
  // will be ephemeral" (topics/permissions.mdx, Permission Flags).
  const owners = interaction.authorizingIntegrationOwners;
  const userInstallOnly = owners[ApplicationIntegrationType.GuildInstall] === undefined && owners[ApplicationIntegrationType.UserInstall] !== undefined;
  const external = !userInstallOnly || (interaction.memberPermissions?.has(PermissionFlagsBits.UseExternalApps) ?? false);
  return { public: app.has(PermissionFlagsBits.SendMessages) && external, embeds };
}

/** Discord's locale (`zh-CN`, `zh-TW`, `en-US`, …) as the bot's, as every platform's is read. */
export const localeFromDiscord = localeFromTag;

function localeOf(interaction: Interaction): Locale {
  return localeFromDiscord(interaction.locale);
}

interface Answer {
  owner: string;
  ephemeral: boolean;
  /** Page in place: the answer replaces the message whose button was clicked (UPDATE_MESSAGE). */
  update?: boolean;
  /** The name of who posted a shared answer to the channel, said above it. */
  sharedBy?: string;
  /** Offered as "Share in channel" when the answer is private. */
  share?: { command: string; input: ReplyAction['input'] };
}

/**
 * The gateway's waits, which only tests change. Discord allows one IDENTIFY per five seconds,
 * and discord.js waits that out (plus up to 1.5 s) before identifying again after an invalid
 * session; a loopback fake of Discord has no such limit.
 */
export interface GatewayTuning {
  identifyAtOnce?: boolean;
  /** The first wait before trying again to reach Discord; doubles up to a minute. */
  retryBaseMs?: number;
  /** How long stop() waits for answers in flight before closing the gateway anyway. */
  inFlightGraceMs?: number;
  /** Gives up connecting (a SIGTERM while Discord cannot be reached): startDiscord rejects with an AbortError. */
  signal?: AbortSignal;
}

/** Errors that mean Discord could not be reached at all: no network, no DNS, nothing listening. */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const RETRY_MAX_MS = 60_000;

/** What kept the bot from reaching Discord, in a line, or null when the error is not about the network. */
export function unreachable(error: unknown): string | null {
  for (let e = error as { code?: unknown; hostname?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code !== 'string' || !UNREACHABLE.has(e.code)) continue;
    const host = typeof e.hostname === 'string' ? e.hostname : 'Discord';
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `cannot look up ${host} (${e.code}): no network or no DNS on this machine`;
    return `cannot connect to ${host} (${e.code}): no network, or a firewall or proxy in the way`;
  }
  return null;
}

/**
 * Gateway closes Discord does not let a client recover from, each said as what to fix
 * (Discord's gateway close event codes). The process then ends with code 1, so that a
 * supervisor restarts it or alerts someone, rather than taking it for a clean stop.
 */
export const FATAL_CLOSES: Readonly<Record<number, string>> = {
  4004: 'Discord refused DISCORD_TOKEN (gateway close 4004, authentication failed). Reset the token on the Developer Portal (Bot → Reset Token) and put it in .env.',
  4010: 'Discord refused the shard the bot asked for (gateway close 4010). Check the sharding settings.',
  4011: 'Discord requires sharding for this many servers (gateway close 4011). Start the bot through the ShardingManager (README: "Large deployments: sharding").',
  4012: 'Discord refused the gateway version (gateway close 4012). Update discord.js.',
  4013: 'Discord refused the intents the bot asked for (gateway close 4013, invalid intents).',
  4014: 'Discord refused an intent this application may not use (gateway close 4014, disallowed intents). Check Privileged Gateway Intents on the Developer Portal (Bot).',
};

/**
 * Connects to Discord through the gateway and serves the bot's commands until `stop()`.
 * The adapter only translates: an interaction becomes `bot.run(name, options, requester)`,
 * and the Reply becomes Discord messages through `replyToDiscord`.
 */
export async function startDiscord(
  bot: Bot,
  config: DiscordConfig,
  logger: Logger,
  tuning: GatewayTuning = {},
): Promise<{ client: Client; stop(): Promise<void>; fatal: Promise<string>; gateway(): 'up' | 'down' }> {
  const client = new Client({
    // No privileged intents: slash commands, buttons and context menus arrive without reading messages.
    intents: [GatewayIntentBits.Guilds],
    rest: restOptions(config),
    allowedMentions: NO_MENTIONS,
    ...(tuning.identifyAtOnce ? { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } } : {}),
  });
  const buttons = createButtonStore(undefined, config.stateDir);
  const specs = new Map<string, OptionSpec[]>([...bot.commands.values()].map((c) => [c.name, optionSpecs(c)]));
  /** How long each command took last time; a slow one is deferred before it runs. */
  const lastRunMs = new Map<string, number>();

  function run(command: string, input: Record<string, unknown>, requester: Requester): Reply {
    const started = performance.now();
    const reply = bot.run(command, input, requester);
    lastRunMs.set(command, performance.now() - started);
    return reply;
  }

  /** Interactions answered with DEFERRED_UPDATE_MESSAGE: their @original is the message the button is on. */
  const deferredUpdates = new WeakSet<Interaction>();

  /**
   * Whether the interaction's original response is still Discord's public loading message
   * (DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, not yet edited). A follow-up sent now would not be
   * a message of its own: "When using this endpoint directly after responding to an
   * interaction with DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, this endpoint will function as Edit
   * Original Interaction Response … The ephemeral flag will be ignored"
   * (receiving-and-responding.mdx, Create Followup Message).
   */
  function publicPlaceholder(interaction: RepliableInteraction): boolean {
    return interaction.deferred && !interaction.replied && !interaction.ephemeral && !deferredUpdates.has(interaction);
  }

  /**
   * Sends `message` to the interaction's user alone, whatever was answered before. After a public
   * deferral the placeholder is edited first (so that the follow-up is a message of its own and
   * its EPHEMERAL flag holds), the private message follows, and the placeholder goes. After a
   * deferred update the follow-up is a new message too: the owner's answer the button is on is
   * never edited or deleted for an error.
   */
  async function tellPrivately(interaction: RepliableInteraction, message: DiscordMessage): Promise<void> {
    const privately = { ...message, flags: MessageFlags.Ephemeral as const };
    if (!interaction.deferred && !interaction.replied) {
      await interaction.reply(privately);
      return;
    }
    if (interaction.ephemeral && interaction.deferred && !interaction.replied) {
      const { flags: _flags, ...edit } = message;
      await interaction.editReply(edit);
      return;
    }
    const placeholder = publicPlaceholder(interaction);
    if (placeholder) await interaction.editReply({ ...noteToDiscord(NOTES[localeOf(interaction)].answeredPrivately), flags: undefined });
    await interaction.followUp(privately);
    if (placeholder) await interaction.deleteReply();
  }

  async function send(interaction: RepliableInteraction, messages: DiscordMessage[], update: boolean): Promise<void> {
    const [first, ...rest] = messages as [DiscordMessage, ...DiscordMessage[]];
    const privateFirst = (first.flags & MessageFlags.Ephemeral) !== 0;
    const deferred = interaction.deferred;
    const { flags: _flags, ...edit } = first;
    if (update && interaction.isButton() && interaction.message.flags.has(MessageFlags.Ephemeral) === privateFirst) {
      // A page replaces the message it was asked from, keeping its visibility (a deferred update edits it).
      if (deferred) await interaction.editReply(edit);
      else await interaction.update(edit);
    } else if (privateFirst && (update || publicPlaceholder(interaction))) {
      // An error on a page, or a private answer after a public deferral: to the user alone.
      await tellPrivately(interaction, first);
    } else if (!deferred) await interaction.reply({ ...first, flags: privateFirst ? MessageFlags.Ephemeral : undefined });
    else await interaction.editReply(edit);
    for (const message of rest) await interaction.followUp({ ...message, flags: privateFirst ? MessageFlags.Ephemeral : undefined });
  }

  /** Whether the input will be refused before the command runs, so that its deferral is private already. */
  function refused(command: string, input: Record<string, unknown>): boolean {
    const known = bot.commands.get(command);
    if (!known) return true;
    try {
      parseInput(known, input);
      return false;
    } catch {
      return true;
    }
  }

  /** Runs a command for an interaction and sends the reply, deferring first when it might not make the 3 s window. */
  async function answer(interaction: RepliableInteraction, command: string, input: Record<string, unknown>, how: Answer): Promise<number> {
    const room = roomOf(interaction);
    // Where the app may not post publicly, the answer is private and says so; the buttons follow it.
    const forced = !how.ephemeral && !room.public;
    const ephemeral = how.ephemeral || forced;
    const notes = NOTES[localeOf(interaction)];
    if (how.sharedBy !== undefined && forced) {
      await tellPrivately(interaction, noteToDiscord(notes.cannotShare));
      return 1;
    }
    // A public answer in a server is read by everyone there: its labels follow the server's language.
    const locale = !ephemeral && interaction.guildLocale ? localeFromDiscord(interaction.guildLocale) : localeOf(interaction);
    const age = Date.now() - interaction.createdTimestamp;
    const deferred = age + (lastRunMs.get(command) ?? 0) > DEFER_BUDGET_MS;
    const update = how.update === true && interaction.isButton();
    // Public or private is decided when deferring: Discord keeps the deferral's visibility for the
    // answer that edits it in (receiving-and-responding.mdx, Create Followup Message).
    if (deferred && update && interaction.isButton()) {
      await interaction.deferUpdate();
      deferredUpdates.add(interaction);
    } else if (deferred) await interaction.deferReply({ flags: ephemeral || refused(command, input) ? MessageFlags.Ephemeral : undefined });
    const reply = run(command, input, { platform: 'discord', userId: interaction.user.id, locale });
    const lead = [...(how.sharedBy !== undefined ? [sharedByLine(how.sharedBy, locale)] : []), ...(forced && !update ? [NOTES[locale].privateHere] : [])];
    const messages = replyToDiscord(reply, {
      locale,
      ephemeral,
      share: how.share,
      embeds: room.embeds,
      canShare: room.public,
      lead,
      customId: (action) => buttons.customId({ ...action, owner: how.owner, ephemeral } satisfies ButtonState),
    });
    const shown = capMessages(messages, locale);
    await send(interaction, shown, update);
    return shown.length;
  }

  async function note(interaction: RepliableInteraction, text: string): Promise<number> {
    await interaction.reply({ ...noteToDiscord(text), flags: MessageFlags.Ephemeral });
    return 1;
  }

  async function onSlash(interaction: ChatInputCommandInteraction): Promise<number> {
    const input: Record<string, string | number | boolean> = {};
    for (const option of interaction.options.data) {
      if (option.name !== PRIVATE_OPTION && option.value !== undefined) input[option.name] = option.value;
    }
    const ephemeral = interaction.options.getBoolean(PRIVATE_OPTION) ?? false;
    const command = interaction.commandName;
    return answer(interaction, command, input, { owner: interaction.user.id, ephemeral, share: { command, input } });
  }

  async function onFindSource(interaction: MessageContextMenuCommandInteraction): Promise<number> {
    const text = interaction.targetMessage.content;
    const positional = bot.commands.get(FIND_SOURCE_COMMAND)?.positional;
    if (!positional || text.trim() === '') return note(interaction, NOTES[localeOf(interaction)].noText);
    const input = { [positional]: text };
    // Looking a message up is a private question; the asker may then post the answer.
    return answer(interaction, FIND_SOURCE_COMMAND, input, { owner: interaction.user.id, ephemeral: true, share: { command: FIND_SOURCE_COMMAND, input } });
  }

  async function onButton(interaction: ButtonInteraction): Promise<number> {
    const notes = NOTES[localeOf(interaction)];
    const resolved = buttons.resolve(interaction.customId);
    if (!('state' in resolved)) return note(interaction, notes.expired);
    const { state } = resolved;
    const isOwner = interaction.user.id === state.owner;
    if (state.kind === 'share') {
      if (!isOwner) return note(interaction, notes.notYours(state.command));
      return answer(interaction, state.command, state.input, {
        owner: state.owner,
        ephemeral: false,
        sharedBy: interaction.user.globalName ?? interaction.user.username,
      });
    }
    if (state.kind === 'more' && !isOwner) return note(interaction, notes.notYours(state.command));
    // More pages in place (UPDATE_MESSAGE), for the one who asked, whether the answer was public or private.
    if (state.kind === 'more') {
      return answer(interaction, state.command, state.input, {
        owner: interaction.user.id,
        ephemeral: state.ephemeral,
        update: true,
        share: { command: state.command, input: state.input },
      });
    }
    // Context and Sources are open to anyone who sees the message, and answered to them alone:
    // a channel where each click posts a paragraph would soon be unreadable.
    return answer(interaction, state.command, state.input, {
      owner: interaction.user.id,
      ephemeral: true,
      share: { command: state.command, input: state.input },
    });
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<number> {
    const focused = interaction.options.getFocused(true);
    const kind = specs.get(interaction.commandName)?.find((s) => s.name === focused.name)?.autocomplete;
    const choices = kind ? bot.library().index.complete(kind, String(focused.value), AUTOCOMPLETE_MAX) : [];
    await interaction.respond(
      choices
        // A value Discord would refuse cannot be shortened without changing what it selects.
        .filter((c) => c.value.length <= CHOICE_TEXT_MAX)
        .slice(0, AUTOCOMPLETE_MAX)
        .map((c) => ({ name: truncate(c.name, CHOICE_TEXT_MAX), value: c.value })),
    );
    return 1;
  }

  async function handle(interaction: Interaction): Promise<void> {
    let messages = 0;
    try {
      if (interaction.isChatInputCommand()) messages = await onSlash(interaction);
      else if (interaction.isAutocomplete()) messages = await onAutocomplete(interaction);
      else if (interaction.isButton()) messages = await onButton(interaction);
      else if (interaction.isMessageContextMenuCommand() && interaction.commandName === FIND_SOURCE) messages = await onFindSource(interaction);
    } catch (error) {
      logger.error({ err: error, interaction: interaction.id, type: interaction.type }, 'discord: interaction failed');
      try {
        if (interaction.isAutocomplete()) {
          if (!interaction.responded) await interaction.respond([]);
        } else if (interaction.isRepliable()) {
          await tellPrivately(interaction, noteToDiscord(NOTES[localeOf(interaction)].failed));
        }
      } catch (second) {
        logger.error({ err: second, interaction: interaction.id }, 'discord: could not report the failure');
      }
    }
    logger.debug({ interaction: interaction.id, type: interaction.type, messages }, 'discord: answered');
  }

  // Interactions being answered, so that a shutdown lets them finish (for a bounded time).
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    const task = handle(interaction);
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord: client error'));
  client.on(Events.ShardError, (error, shard) => logger.error({ err: error, shard }, 'discord: gateway error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord: warning'));
  let stopping = false;
  // A dropped gateway is routine and discord.js resumes by itself; the log says it happened.
  // Only a close Discord calls unrecoverable (a revoked token, say) ends the connection.
  let gatewayUp = false;
  // While the gateway stays away, discord.js tries again every half second: the log says so
  // once, then once a minute, not 7,200 times an hour.
  let attempts = 0;
  let lastSaid = 0;
  const up = () => {
    gatewayUp = true;
    attempts = 0;
  };
  client.on(Events.ShardReady, up);
  client.on(Events.ShardResume, up);
  client.on(Events.ShardReconnecting, (shard) => {
    gatewayUp = false;
    attempts++;
    // discord.js reports its own shutdown as a close too.
    if (stopping) return;
    if (attempts === 1) logger.info({ shard }, 'discord: gateway dropped, reconnecting');
    else if (Date.now() - lastSaid >= RECONNECT_LOG_EVERY_MS) logger.warn({ shard, attempts }, 'discord: gateway still unreachable, still trying');
    else return;
    lastSaid = Date.now();
  });
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'discord: gateway resumed'));
  let onFatal: (why: string) => void = () => undefined;
  const fatal = new Promise<string>((resolve) => {
    onFatal = resolve;
  });
  client.on(Events.ShardDisconnect, (event, shard) => {
    gatewayUp = false;
    if (stopping) return;
    logger.error({ shard, code: event.code }, 'discord: gateway closed for good');
    onFatal(`discord: ${FATAL_CLOSES[event.code] ?? `the gateway closed for good (code ${event.code}); restart the bot.`}`);
  });

  // Not events.once: it would also turn a later 'error' event into a rejection nobody awaits once login has failed.
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    // Without a network there is nothing to fix in the configuration: say so and try again,
    // waiting longer each time, rather than crash into a supervisor's restart loop.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.login(config.token);
        break;
      } catch (error) {
        const why = unreachable(error);
        if (!why) throw error;
        const waitMs = Math.min(RETRY_MAX_MS, (tuning.retryBaseMs ?? 1000) * 2 ** attempt);
        logger.warn({ attempt: attempt + 1, retryInMs: waitMs }, `discord: ${why}; trying again in ${Math.ceil(waitMs / 1000)} s`);
        await sleep(waitMs, undefined, { signal: tuning.signal });
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown; status?: unknown }).code;
    if (code === 'TokenInvalid' || (error as { status?: unknown }).status === 401) {
      throw new UserError(
        'config',
        'discord: Discord refused DISCORD_TOKEN (401 Unauthorized). Reset the token on the Developer Portal (Bot → Reset Token) and put it in .env.',
      );
    }
    const close = typeof code === 'number' ? FATAL_CLOSES[code] : undefined;
    if (close) throw new UserError('config', `discord: ${close}`);
    throw error;
  }
  await Promise.race([ready, fatal.then((why) => Promise.reject(new UserError('config', why)))]);
  logger.info({ user: client.user?.tag, application: config.applicationId }, 'discord: connected');

  return {
    client,
    fatal,
    gateway: () => (gatewayUp ? 'up' : 'down'),
    async stop() {
      stopping = true;
      // Answers in flight finish first, for at most IN_FLIGHT_GRACE_MS; then the gateway closes.
      if (inFlight.size > 0) logger.info({ inFlight: inFlight.size }, 'discord: stopping once the answers in flight are sent');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, tuning.inFlightGraceMs ?? IN_FLIGHT_GRACE_MS);
      });
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
      await client.destroy();
      logger.info({}, 'discord: stopped');
    },
  };
}
