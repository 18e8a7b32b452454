/*
 * Whose library a request reaches: a Discord server, a Discord user's DMs (a user-installed
 * bot), or a Slack workspace (with Enterprise Grid, the team the command came from). The key
 * is a folder name under DATA_DIR/libraries, so the IDs are checked against what the platforms
 * issue: nothing else can reach the file system.
 */

/** A team whose library is kept: the platform's kind of team and its ID. */
export type Team = { kind: 'discord-guild'; id: string } | { kind: 'discord-user'; id: string } | { kind: 'slack-team'; id: string };

/** Discord IDs are snowflakes: 64-bit integers in decimal (17 to 20 digits today). */
const SNOWFLAKE = /^\d{17,20}$/u;
/** Slack team and enterprise IDs: `T…` or `E…`, uppercase letters and digits. */
const SLACK_TEAM = /^[A-Z0-9]{1,32}$/u;

const KEY = /^(discord-guild|discord-user|slack-team)-(.+)$/u;

function validId(kind: Team['kind'], id: string): boolean {
  return kind === 'slack-team' ? SLACK_TEAM.test(id) : SNOWFLAKE.test(id);
}

/** The folder name of a team's library (`discord-guild-<id>`), or null when the ID is not one the platform issues. */
export function teamKey(team: Team): string | null {
  return validId(team.kind, team.id) ? `${team.kind}-${team.id}` : null;
}

/** The team a folder name stands for, or null for any other name. */
export function parseTeamKey(key: string): Team | null {
  const m = KEY.exec(key);
  if (!m) return null;
  const kind = m[1] as Team['kind'];
  const id = m[2] ?? '';
  return validId(kind, id) ? { kind, id } : null;
}
