import { ApplicationIntegrationType, type Interaction, InteractionContextType, PermissionFlagsBits } from 'discord.js';

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
