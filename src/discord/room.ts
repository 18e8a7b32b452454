import { ApplicationIntegrationType, type Client, Events, type Interaction, InteractionContextType, PermissionFlagsBits } from 'discord.js';

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

/** Channel types of a thread (resources/channel.mdx, Channel Types): announcement, public, private. */
const THREAD_TYPES = new Set([10, 11, 12]);
/** Interactions whose channel type is kept: far more than are ever being answered at once. */
const CHANNEL_TYPES_KEPT = 2000;

/**
 * The type of the channel each interaction came from, read from its gateway payload. discord.js
 * resolves `interaction.channel` from its cache only, and a user-installed app is not in the
 * server, so nothing there is cached: the payload's `channel.type` is all there is to tell a
 * thread by.
 */
export function trackChannelTypes(client: Client): (interactionId: string) => number | undefined {
  const types = new Map<string, number>();
  client.on(Events.Raw, (packet: { t?: string; d?: { id?: string; channel?: { type?: number } } }) => {
    const type = packet.d?.channel?.type;
    if (packet.t !== 'INTERACTION_CREATE' || packet.d?.id === undefined || type === undefined) return;
    types.set(packet.d.id, type);
    if (types.size > CHANNEL_TYPES_KEPT) types.delete(types.keys().next().value as string);
  });
  return (id) => types.get(id);
}

export function roomOf(interaction: Interaction, channelType?: number): Room {
  const app = interaction.appPermissions;
  const owners = interaction.authorizingIntegrationOwners;
  const userInstallOnly = owners[ApplicationIntegrationType.GuildInstall] === undefined && owners[ApplicationIntegrationType.UserInstall] !== undefined;
  // A bot the server installed answers interactions whatever its role may post or embed: only
  // MENTION_EVERYONE, SEND_TTS_MESSAGES and USE_EXTERNAL_EMOJIS are checked for interaction
  // responses ("ATTACH_FILES and EMBED_LINKS … this is no longer the case", change-log
  // "Changes to Bot Permissions for Interactions and Webhooks", 2022-06-29).
  if (!userInstallOnly) return { public: true, embeds: true };
  // A user-installed app is "forced to respect the user's permissions" (resources/application.mdx,
  // Installation Context). app_permissions holds EMBED_LINKS in DMs and group DMs
  // (receiving-and-responding.mdx, Interaction Structure), so one test covers every context.
  const embeds = app.has(PermissionFlagsBits.EmbedLinks);
  if (interaction.context !== InteractionContextType.Guild && !interaction.inGuild()) return { public: true, embeds };
  // In a server: where the user may not send messages it cannot answer "with a non-ephemeral
  // message": SEND_MESSAGES (1 << 11), which "does not allow sending messages in threads",
  // there SEND_MESSAGES_IN_THREADS (1 << 38) (topics/permissions.mdx); and without the member's
  // USE_EXTERNAL_APPS (1 << 50) "the responses will be ephemeral" (same page).
  const thread = channelType !== undefined ? THREAD_TYPES.has(channelType) : (interaction.channel?.isThread() ?? false);
  const send = thread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
  const external = interaction.memberPermissions?.has(PermissionFlagsBits.UseExternalApps) ?? false;
  return { public: app.has(send) && external, embeds };
}
