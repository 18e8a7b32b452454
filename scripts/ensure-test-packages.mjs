#!/usr/bin/env node
/*
 * What the tests need from Debian, run before them by `npm test`:
 * - chromium: the reader's tests drive a real browser through playwright-core (a browser
 *   downloaded by Playwright does not install on these machines); CHROMIUM_PATH names another;
 * - fonts-arphic-uming and fonts-wqy-microhei: the article property test typesets random
 *   articles with pdfkit as it runs, in these CJK fonts (pdfkit's own fonts have no Chinese).
 * When something is missing and this runs as root on Debian, it installs it with apt-get;
 * otherwise it says what to install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const FONTS = [
  ['fonts-arphic-uming', '/usr/share/fonts/truetype/arphic/uming.ttc'],
  ['fonts-wqy-microhei', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
];

const missing = [...(CHROMIUM.some((p) => existsSync(p)) ? [] : ['chromium']), ...FONTS.filter(([, file]) => !existsSync(file)).map(([name]) => name)];
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
