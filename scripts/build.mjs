/**
 * `npm run build` (and `npm ci`, through `prepare`): bundles each entry point into `dist/`
 * with esbuild, so that `npm start` and the CLI run plain node and load one file of our own
 * code instead of sixty. Packages stay external: they load from node_modules as they are,
 * and the platform clients only when a platform is configured (dynamic imports become
 * chunks of their own). Type checking is `npm run typecheck`'s job, not the build's: the
 * build must work in a production install, where TypeScript is not installed.
 */

import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRY_POINTS = [
  'src/main.ts',
  'src/cli.ts',
  'scripts/corpus-check.ts',
  'scripts/deploy-discord.ts',
  'scripts/slack-manifest.ts',
  'bench/run.ts',
  'bench/load-discord.ts',
  'bench/load-slack.ts',
];

export async function buildAll() {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir: 'dist',
    outbase: '.',
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20.12',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll();
