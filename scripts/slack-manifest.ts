import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../commands/index.js';
import { loadEnvFile, PROJECT_ROOT, parseConfig } from '../src/config.js';
import { isUserError } from '../src/core/dispatch/errors.js';
import { wordsFor } from '../src/core/words/index.js';
import { formatManifest, manifestFiles } from '../src/slack/manifest.js';

/**
 * `npm run manifest:slack`: writes `manifest.json` (Socket Mode) from the command registry,
 * with SLACK_COMMAND as the command; with PUBLIC_URL also `manifest.http.json`, whose
 * command, interactivity and event request URLs point at `PUBLIC_URL/slack/events`, and, when
 * OAuth is configured (SLACK_CLIENT_ID…), whose redirect URL is `PUBLIC_URL/slack/oauth_redirect`.
 */
function main(): void {
  loadEnvFile();
  const config = parseConfig(process.env);
  for (const { name, manifest } of manifestFiles(registry, config)) {
    const path = join(PROJECT_ROOT, name);
    writeFileSync(path, formatManifest(manifest));
    const http = manifest.settings.event_subscriptions.request_url;
    const redirect = manifest.oauth_config.redirect_urls?.[0];
    const t = wordsFor('en').operator.deploy;
    process.stdout.write(`${t.wroteManifest(path, config.slackCommand, http ? t.http(http, redirect) : t.socketMode)}\n`);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${isUserError(error) ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
