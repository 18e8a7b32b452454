import { type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Bot, Logger, Requester } from '../core/dispatch/bot.js';
import { parseInput } from '../core/dispatch/input.js';
import { localeFromTag } from '../core/reply/layout.js';
import type { Locale, Reply, ReplyAction } from '../core/reply/model.js';
import { wordsFor } from '../core/words/index.js';
import type { ButtonState, ButtonStore } from './custom-id.js';
import { teamOf } from './library.js';
import { capMessages, type DiscordMessage, noteToDiscord, replyToDiscord } from './render.js';
import { roomOf } from './room.js';

/** Discord drops an interaction not answered within 3 s; answer directly only when well inside that. */
export const DEFER_BUDGET_MS = 1500;

/** Discord's locale (`zh-CN`, `zh-TW`, `en-US`, …) as the bot's, as every platform's is read. */
export const localeFromDiscord = localeFromTag;

export function localeOf(interaction: Interaction): Locale {
  return localeFromDiscord(interaction.locale);
}

/** How a command's answer is sent. */
export interface Answer {
  owner: string;
  ephemeral: boolean;
  /** Page in place: the answer replaces the message whose button was clicked (UPDATE_MESSAGE). */
  update?: boolean;
  /** The name of who posted a shared answer to the channel, said above it. */
  sharedBy?: string;
  /** Offered as "Share in channel" when the answer is private. */
  share?: { command: string; input: ReplyAction['input'] };
}

/** Answers interactions; each returns how many messages it sent. */
export interface Responder {
  /** Runs a command for an interaction and sends the reply, deferring first when it might not make the 3 s window. */
  answer(interaction: RepliableInteraction, command: string, input: Record<string, unknown>, how: Answer): Promise<number>;
  /** A short private notice, as the first answer. */
  note(interaction: RepliableInteraction, text: string): Promise<number>;
  /**
   * Defers privately, then sends the Reply `work` resolves with: for answers that wait on more
   * than the index (a download, a PDF's parse, the disk), which may take longer than Discord's
   * three seconds.
   */
  later(interaction: RepliableInteraction, work: () => Promise<Reply>): Promise<number>;
  /** Sends `message` to the interaction's user alone, whatever was answered before. */
  tellPrivately(interaction: RepliableInteraction, message: DiscordMessage): Promise<void>;
}

// Long on purpose: a factory whose length is the responder's methods (answer, later, note),
// which share the timings, the deferred updates and the button store.
/**
 * The answering half of the adapter. It remembers how long each command took last time (a
 * slow one is deferred before it runs) and which interactions were answered with a deferred
 * update, so one responder serves one client.
 */
export function createResponder(
  bot: Bot,
  buttons: ButtonStore,
  channelTypeOf: (interactionId: string) => number | undefined = () => undefined,
  logger?: Logger,
): Responder {
  /** How long each command took last time (bounded by the registry's commands); a slow one is deferred before it runs. */
  const lastRunMs = new Map<string, number>();
  const deferredUpdates: DeferredUpdates = new WeakSet<Interaction>();

  function run(command: string, input: Record<string, unknown>, requester: Requester): Reply {
    const started = performance.now();
    const reply = bot.run(command, input, requester);
    lastRunMs.set(command, performance.now() - started);
    return reply;
  }

  /** Runs a command for an interaction and sends the reply, deferring first when it might not make the 3 s window. */
  async function answer(interaction: RepliableInteraction, command: string, input: Record<string, unknown>, how: Answer): Promise<number> {
    const room = roomOf(interaction, channelTypeOf(interaction.id));
    // Where the app may not post publicly, the answer is private and says so; the buttons follow it.
    const forced = !how.ephemeral && !room.public;
    const ephemeral = how.ephemeral || forced;
    const notes = wordsFor(localeOf(interaction)).discord;
    if (how.sharedBy !== undefined && forced) {
      await tellPrivately(interaction, noteToDiscord(notes.cannotShare), deferredUpdates);
      return 1;
    }
    // A public answer in a server is read by everyone there: its labels follow the server's language.
    const locale = !ephemeral && interaction.guildLocale ? localeFromDiscord(interaction.guildLocale) : localeOf(interaction);
    const team = teamOf(interaction).key;
    // Counted against the user's limit across replicas, when they share one (a database round trip).
    const who = await bot.admit({ platform: 'discord', userId: interaction.user.id, locale, team });
    const age = Date.now() - interaction.createdTimestamp;
    // A team whose library is still being put together is answered once it is ready: deferred first.
    const waiting = team !== null && bot.libraryPending(team);
    const deferred = waiting || age + (lastRunMs.get(command) ?? 0) > DEFER_BUDGET_MS;
    const update = how.update === true && interaction.isButton();
    // Public or private is decided when deferring: Discord keeps the deferral's visibility for the
    // answer that edits it in (receiving-and-responding.mdx, Create Followup Message).
    if (deferred && update && interaction.isButton()) {
      await interaction.deferUpdate();
      deferredUpdates.add(interaction);
    } else if (deferred)
      await interaction.deferReply({ flags: ephemeral || (who.admitted ?? 0) > 0 || refused(bot, command, input) ? MessageFlags.Ephemeral : undefined });
    if (waiting && team !== null) await bot.libraryReady(team);
    const reply = run(command, input, who);
    const made: string[] = [];
    const messages = replyToDiscord(reply, {
      locale,
      ephemeral,
      share: how.share,
      embeds: room.embeds,
      canShare: room.public,
      ...(how.sharedBy !== undefined ? { sharedBy: how.sharedBy } : {}),
      privateHere: forced && !update,
      customId: (action) => remember(made, buttons.customId({ ...action, owner: how.owner, ephemeral } satisfies ButtonState)),
    });
    const shown = capMessages(messages, locale);
    await keptBeforeSent(interaction, made, { update, ephemeral });
    await send(interaction, shown, { update, error: reply.error !== undefined }, deferredUpdates);
    return shown.length;
  }

  async function later(interaction: RepliableInteraction, work: () => Promise<Reply>): Promise<number> {
    const locale = localeOf(interaction);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const reply = await work();
    const room = roomOf(interaction, channelTypeOf(interaction.id));
    const made: string[] = [];
    const messages = replyToDiscord(reply, {
      locale,
      ephemeral: true,
      embeds: room.embeds,
      canShare: false,
      customId: (action) => remember(made, buttons.customId({ ...action, owner: interaction.user.id, ephemeral: true } satisfies ButtonState)),
    });
    const shown = capMessages(messages, locale);
    await keptBeforeSent(interaction, made, { update: false, ephemeral: true });
    await send(interaction, shown, { update: false, error: reply.error !== undefined }, deferredUpdates);
    return shown.length;
  }

  /**
   * Waits until the states behind a message's buttons are kept (in the database, every replica
   * answers them) before the message is sent: a button shown is a button answered. A database
   * that does not answer within Discord's window gets the interaction deferred first. A state
   * that could not be kept for good (the write's retries ran out) is said in the log and the
   * message sent all the same: this replica still answers it from memory.
   */
  async function keptBeforeSent(interaction: RepliableInteraction, customIds: string[], how: { update: boolean; ephemeral: boolean }): Promise<void> {
    if (customIds.length === 0) return;
    const kept = buttons.settled(customIds).then(
      () => null,
      (error: unknown) => error,
    );
    if (!interaction.deferred && !interaction.replied) {
      const leftMs = Math.max(0, DEFER_BUDGET_MS - (Date.now() - interaction.createdTimestamp));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), leftMs);
      });
      const first = await Promise.race([kept, late]);
      clearTimeout(timer);
      if (first === 'late') {
        if (how.update && interaction.isButton()) {
          await interaction.deferUpdate();
          deferredUpdates.add(interaction);
        } else await interaction.deferReply({ flags: how.ephemeral ? MessageFlags.Ephemeral : undefined });
      }
    }
    const failed = await kept;
    if (failed) logger?.warn({ err: failed, interaction: interaction.id }, 'discord: a button state could not be kept; only this replica answers it');
  }

  return { answer, note, later, tellPrivately: (interaction, message) => tellPrivately(interaction, message, deferredUpdates) };
}

/** Notes a custom_id made for a message, and gives it back. */
function remember(made: string[], customId: string): string {
  made.push(customId);
  return customId;
}

/** Interactions answered with DEFERRED_UPDATE_MESSAGE: their @original is the message the button is on. */
type DeferredUpdates = WeakSet<Interaction>;

/**
 * Whether the interaction's original response is still Discord's public loading message
 * (DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, not yet edited). A follow-up sent now would not be
 * a message of its own: "When using this endpoint directly after responding to an
 * interaction with DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, this endpoint will function as Edit
 * Original Interaction Response … The ephemeral flag will be ignored"
 * (receiving-and-responding.mdx, Create Followup Message).
 */
function publicPlaceholder(interaction: RepliableInteraction, deferredUpdates: DeferredUpdates): boolean {
  return interaction.deferred && !interaction.replied && !interaction.ephemeral && !deferredUpdates.has(interaction);
}

/**
 * Sends `message` to the interaction's user alone, whatever was answered before. After a public
 * deferral the placeholder is edited first (so that the follow-up is a message of its own and
 * its EPHEMERAL flag holds), the private message follows, and the placeholder goes. After a
 * deferred update the follow-up is a new message too: the owner's answer the button is on is
 * never edited or deleted for an error.
 */
async function tellPrivately(interaction: RepliableInteraction, message: DiscordMessage, deferredUpdates: DeferredUpdates): Promise<void> {
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
  const placeholder = publicPlaceholder(interaction, deferredUpdates);
  if (placeholder) await interaction.editReply({ ...noteToDiscord(wordsFor(localeOf(interaction)).discord.answeredPrivately), flags: undefined });
  try {
    await interaction.followUp(privately);
  } finally {
    // Gone even when the follow-up fails (a spent token, the follow-up cap): a public "answered
    // privately" over nothing would mislead the channel.
    if (placeholder) await interaction.deleteReply().catch(() => {});
  }
}

/** Sends an answer's messages: in place of the paged message, to the user alone, or as the reply and its follow-ups. */
async function send(
  interaction: RepliableInteraction,
  messages: DiscordMessage[],
  { update, error }: { update: boolean; error: boolean },
  deferredUpdates: DeferredUpdates,
): Promise<void> {
  const [first, ...rest] = messages as [DiscordMessage, ...DiscordMessage[]];
  // A page that fails never takes the place of the answer it was asked from, private or
  // public: the error goes to the clicker alone, as a message of its own.
  if (update && error) {
    await tellPrivately(interaction, first, deferredUpdates);
    return;
  }
  const privateFirst = (first.flags & MessageFlags.Ephemeral) !== 0;
  const deferred = interaction.deferred;
  const { flags: _flags, ...edit } = first;
  if (update && interaction.isButton() && interaction.message.flags.has(MessageFlags.Ephemeral) === privateFirst) {
    // A page replaces the message it was asked from, keeping its visibility (a deferred update edits it).
    if (deferred) await interaction.editReply(edit);
    else await interaction.update(edit);
  } else if (privateFirst && (update || publicPlaceholder(interaction, deferredUpdates))) {
    // An error on a page, or a private answer after a public deferral: to the user alone.
    await tellPrivately(interaction, first, deferredUpdates);
  } else if (!deferred) await interaction.reply({ ...first, flags: privateFirst ? MessageFlags.Ephemeral : undefined });
  else await interaction.editReply(edit);
  for (const message of rest) await interaction.followUp({ ...message, flags: privateFirst ? MessageFlags.Ephemeral : undefined });
}

/** Whether the input will be refused before the command runs, so that its deferral is private already. */
function refused(bot: Bot, command: string, input: Record<string, unknown>): boolean {
  const known = bot.commands.get(command);
  if (!known) return true;
  try {
    parseInput(known, input);
    return false;
  } catch {
    return true;
  }
}

/** A short private notice, as the first answer. */
async function note(interaction: RepliableInteraction, text: string): Promise<number> {
  await interaction.reply({ ...noteToDiscord(text), flags: MessageFlags.Ephemeral });
  return 1;
}
