/**
 * `npm run build` (and `npm ci`, through `prepare`): bundles each entry point into `dist/`
 * with esbuild, so that `npm start` and the CLI run plain node and load one file of our own
 * code instead of sixty. Packages stay external: they load from node_modules as they are,
 * and the platform clients only when a platform is configured (dynamic imports become
 * chunks of their own). Type checking is `npm run typecheck`'s job, not the build's: the
 * build must work in a production install, where TypeScript is not installed.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRY_POINTS = [
  'src/main.ts',
  'src/cli.ts',
  'scripts/corpus-check.ts',
  'scripts/corpus-publish.ts',
  'scripts/deploy-discord.ts',
  'scripts/slack-manifest.ts',
  'bench/run.ts',
  'bench/size.ts',
  'bench/growth.ts',
  'bench/teams.ts',
  'bench/load-discord.ts',
  'bench/load-slack.ts',
  // Worker threads' files of their own (see src/core/corpus/pdf-reader.ts and reload.ts).
  'src/core/corpus/pdf-worker.ts',
  'src/core/corpus/reload-worker.ts',
];

/** A hash of everything that decides what the parser and index produce: caches are keyed by it. */
function buildId() {
  const hash = createHash('sha256');
  for (const top of ['src', 'commands', 'package-lock.json']) {
    const entries = top.endsWith('.json') ? [top] : readdirSync(join(root, top), { recursive: true }).map((f) => join(top, String(f)));
    for (const file of entries.filter((f) => /\.(ts|json)$/u.test(f)).sort())
      hash
        .update(file)
        .update('\0')
        .update(readFileSync(join(root, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

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
    external: [
      'discord.js',
      '@slack/bolt',
      'pino',
      'ws',
      'esbuild',
      'fast-check',
      'vitest',
      'pinyin-pro',
      'pdfjs-dist',
      'pg',
      'rate-limiter-flexible',
      'prom-client',
      'minisearch',
    ],
    sourcemap: true,
    define: { __YINZHENG_BUILD__: JSON.stringify(buildId()) },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll();
