#!/usr/bin/env node
/*
 * The reader's tests drive a real browser: Debian's chromium through playwright-core (a
 * browser downloaded by Playwright does not install on these machines). Run before the tests
 * by `npm test`: when chromium is missing and this runs as root on Debian, it installs it with
 * apt-get; otherwise it says what to install. CHROMIUM_PATH names another binary.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (CANDIDATES.some((p) => existsSync(p))) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !existsSync('/usr/bin/apt-get')) {
  console.error('tests: the reader tests need chromium. Install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH.');
  process.exit(1);
}
console.error('tests: installing Debian’s chromium for the reader tests (apt-get)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
