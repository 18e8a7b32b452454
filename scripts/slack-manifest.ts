import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../commands/index.js';
import { PROJECT_ROOT } from '../src/config.js';
import { buildManifest, formatManifest } from '../src/slack/manifest.js';

/** Regenerates `manifest.json` from the command registry (`npm run manifest:slack`). */
const path = join(PROJECT_ROOT, 'manifest.json');
const manifest = buildManifest(registry);
writeFileSync(path, formatManifest(manifest));
process.stdout.write(`wrote ${path} (${manifest.features.slash_commands.length} slash commands)\n`);
