import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

/**
 * Builds dist/ once before the suite, as `npm ci` does: the tests that start the bot or the
 * CLI as a process run the built files, exactly what `npm start` runs.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  // Worker threads (PDFs, reloads) run the workers just built rather than compiling them
  // through tsx each time: eight PDFs read at once on a busy two-core machine took longer
  // than a hook may.
  process.env.YINZHENG_WORKER_DIR = join(PROJECT_ROOT, 'dist', 'src', 'core', 'corpus');
}
