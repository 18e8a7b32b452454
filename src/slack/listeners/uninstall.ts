import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';

/** What a workspace leaves behind besides its installation, forgotten when it removes the app. */
export interface TeamState {
  forgetTeam(teamId: string): void;
}

/**
 * When a workspace removes the app, Slack sends `tokens_revoked` (docs.slack.dev/reference/
 * events/tokens_revoked: "sent via the Events API to your app if it is subscribed") and
 * `app_uninstalled` ("sent via subscription whenever a Slack app is completely uninstalled";
 * "the order of the app_uninstalled and tokens_revoked events are not guaranteed"). Both are
 * bot events the manifest subscribes to, and both delete that workspace's installation through
 * the store's `deleteInstallation` (@slack/oauth InstallationStore) and forget its users, so no
 * token stays on disk or in the database and the next event from the workspace fails to
 * authorize. Bolt delivers these two events without authorizing them (its tokens are gone by
 * then), so the team comes from the event body.
 *
 * This app asks for bot tokens only, and every file FileInstallationStore keeps for a
 * workspace holds its bot token, so a revoked bot token deletes the whole installation, not
 * one user's. Whichever of the two events comes second finds nothing left, which is not an
 * error (the database's store deletes no row; the file store throws ENOENT for a workspace it
 * never kept).
 */
export function register(app: App, deps: SlackDeps): void {
  const { installations: store, teams: state, logger } = deps;
  const forget = async (teamId: string | undefined, enterpriseId: string | undefined, why: string) => {
    if (!teamId) return;
    state.forgetTeam(teamId);
    if (store?.deleteInstallation) {
      try {
        await store.deleteInstallation({ teamId, enterpriseId, isEnterpriseInstall: false });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOENT') {
          // The database did not take the delete in time: the row (and its revoked token) stays.
          logger.error({ err: error, team: teamId, event: why }, 'slack: the installation of a workspace that removed the app could not be deleted');
          return;
        }
        // The other of the two events already deleted it (FileInstallationStore throws on a missing folder).
        logger.debug({ err: error, team: teamId }, 'slack: no installation left to delete');
      }
    }
    logger.info({ team: teamId, event: why }, 'slack: workspace removed the app; its installation is deleted');
  };

  app.event('tokens_revoked', async ({ event, body }) => {
    // Only bot tokens are ever granted; user tokens (`oauth`) would need no action here.
    if ((event.tokens.bot ?? []).length === 0) return;
    await forget(body.team_id, body.enterprise_id, 'tokens_revoked');
  });

  app.event('app_uninstalled', async ({ body }) => {
    await forget(body.team_id, body.enterprise_id, 'app_uninstalled');
  });
}
