import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../commands/index.js';
import { loadEnvFile, PROJECT_ROOT, parseConfig } from '../src/config.js';
import { isUserError } from '../src/core/dispatch/errors.js';
import { buildManifest, formatManifest } from '../src/slack/manifest.js';

/**
 * `npm run manifest:slack`: writes `manifest.json` (Socket Mode) from the command registry,
 * with SLACK_COMMAND as the command; with PUBLIC_URL also `manifest.http.json`, whose
 * command, interactivity and event request URLs point at `PUBLIC_URL/slack/events`.
 */
function main(): void {
  loadEnvFile();
  const config = parseConfig(process.env);
  const write = (name: string, publicUrl?: string) => {
    const path = join(PROJECT_ROOT, name);
    writeFileSync(path, formatManifest(buildManifest(registry, { command: config.slackCommand, ...(publicUrl ? { publicUrl } : {}) })));
    process.stdout.write(`wrote ${path} (${config.slackCommand}, ${publicUrl ? `HTTP at ${publicUrl}/slack/events` : 'Socket Mode'})\n`);
  };
  write('manifest.json');
  if (config.publicUrl) write('manifest.http.json', config.publicUrl);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${isUserError(error) ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
