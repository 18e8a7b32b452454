#!/usr/bin/env node
/*
 * What the tests need from Debian, run before them by `npm test`:
 * - chromium: the reader's tests drive a real browser through playwright-core (a browser
 *   downloaded by Playwright does not install on these machines); CHROMIUM_PATH names another;
 * - fonts-arphic-uming and fonts-wqy-microhei: the article property test typesets random
 *   articles with pdfkit as it runs, in these CJK fonts (pdfkit's own fonts have no Chinese);
 * - postgresql: the replica tests start their own PostgreSQL server (initdb into a temporary
 *   folder, a loopback port), from the package's /usr/lib/postgresql/<version>/bin.
 * When something is missing and this runs as root on Debian, it installs it with apt-get;
 * otherwise it says what to install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const FONTS = [
  ['fonts-arphic-uming', '/usr/share/fonts/truetype/arphic/uming.ttc'],
  ['fonts-wqy-microhei', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
];

const PG_ROOT = '/usr/lib/postgresql';
const hasPostgres = process.env.PG_BIN_DIR !== undefined || (existsSync(PG_ROOT) && readdirSync(PG_ROOT).some((v) => existsSync(`${PG_ROOT}/${v}/bin/initdb`)));

const missing = [
  ...(CHROMIUM.some((p) => existsSync(p)) ? [] : ['chromium']),
  ...FONTS.filter(([, file]) => !existsSync(file)).map(([name]) => name),
  ...(hasPostgres ? [] : ['postgresql']),
];
if (missing.length === 0) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !existsSync('/usr/bin/apt-get')) {
  console.error(
    `tests: the tests need ${missing.join(', ')}. Install them (Debian: sudo apt-get install ${missing.join(' ')}) or set CHROMIUM_PATH for another browser.`,
  );
  process.exit(1);
}
console.error(`tests: installing Debian's ${missing.join(', ')} for the tests (apt-get)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
