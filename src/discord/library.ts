import { ApplicationIntegrationType, type Interaction, PermissionFlagsBits, Routes } from 'discord.js';
import { teamKey } from '../core/library/team.js';

/*
 * Whose library a Discord interaction reaches, and whether its user may change it. A server
 * that installed the bot has one library (its guild ID); anywhere the bot is only the user's
 * own (a DM, a group DM, a server that did not install it) the library is that user's, and
 * theirs to change.
 */

export interface DiscordTeam {
  /** The team key (src/core/library/team.ts), or null when Discord sent an ID it does not issue. */
  key: string | null;
  kind: 'guild' | 'user';
}

/**
 * The team of an interaction: the server when the server installed the app (its
 * `authorizing_integration_owners` names the server under GUILD_INSTALL, receiving-and-
 * responding.mdx), else the user.
 */
export function teamOf(interaction: Interaction): DiscordTeam {
  const guild = interaction.guildId;
  if (guild && interaction.authorizingIntegrationOwners[ApplicationIntegrationType.GuildInstall] === guild) {
    return { key: teamKey({ kind: 'discord-guild', id: guild }), kind: 'guild' };
  }
  return { key: teamKey({ kind: 'discord-user', id: interaction.user.id }), kind: 'user' };
}

/** The member's role IDs as the interaction's member object gives them (a cached member or the raw API one). */
function memberRoleIds(interaction: Interaction): string[] {
  const member = interaction.member;
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

/** The names of the server's roles with these IDs: from the client's cache, else GET /guilds/{id}/roles. */
async function roleNames(interaction: Interaction, ids: string[]): Promise<string[]> {
  const cached = interaction.guild?.roles.cache;
  if (cached && cached.size > 0) return ids.flatMap((id) => cached.get(id)?.name ?? []);
  const roles = (await interaction.client.rest.get(Routes.guildRoles(interaction.guildId as string))) as Array<{ id: string; name: string }>;
  return roles.filter((r) => ids.includes(r.id)).map((r) => r.name);
}

/**
 * Whether the user may change the library the interaction reaches: their own always; a
 * server's with Manage Server (as the commands' default_member_permissions say, and which an
 * Administrator has) or with a role named `role` (LIBRARY_ROLE). Discord hides the commands
 * from other members unless the server's admins allow them in Integrations; this check is what
 * holds whatever those settings say.
 */
export async function mayChange(interaction: Interaction, team: DiscordTeam, role: string | undefined): Promise<boolean> {
  if (team.kind === 'user') return true;
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  if (!role) return false;
  const ids = memberRoleIds(interaction);
  if (ids.length === 0) return false;
  return (await roleNames(interaction, ids)).includes(role);
}
