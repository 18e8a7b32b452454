import { execFileSync } from 'node:child_process';

/**
 * Builds dist/ once before the suite, as `npm ci` does: the tests that start the bot or the
 * CLI as a process run the built files, exactly what `npm start` runs.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
