/**
 * Writes src/core/search/simplified-table.ts: every Han character that opencc-js's
 * Traditional → Simplified converter ('t' → 'cn') changes, with what it changes it to. The
 * index and the queries fold one character at a time (fold.ts), so a table of characters is
 * all they need of opencc; loading opencc's dictionaries instead cost every process 2 MB of
 * heap and 9 MB of RSS. test/search/fold.test.ts checks the table against opencc on every
 * code point, so an opencc upgrade that changes a mapping fails there until this is run again:
 *
 *   node --import tsx scripts/simplified-table.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js/t2cn';
import { PROJECT_ROOT } from '../src/config.js';

const OUT = join(PROJECT_ROOT, 'src', 'core', 'search', 'simplified-table.ts');
/** Pairs per line of the written string, so that a changed mapping is a short diff. */
const PER_LINE = 40;

const pinned = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['opencc-js'];
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
const HAN = /\p{Script=Han}/u;

const pairs: string[] = [];
for (let code = 0; code <= 0x10ffff; code++) {
  if (code >= 0xd800 && code <= 0xdfff) continue;
  const ch = String.fromCodePoint(code);
  if (!HAN.test(ch)) continue;
  const simplified = toSimplified(ch);
  if (simplified === ch) continue;
  if ([...simplified].length !== 1) throw new Error(`simplified-table: opencc maps ${ch} to ${simplified}, not to one character`);
  pairs.push(ch + simplified);
}

const lines: string[] = [];
for (let i = 0; i < pairs.length; i += PER_LINE) lines.push(`  '${pairs.slice(i, i + PER_LINE).join('')}',`);
writeFileSync(
  OUT,
  `// Written by scripts/simplified-table.ts from opencc-js ${pinned}; do not edit.

/** Traditional (and variant) Han characters, each followed by its Simplified form: ${pairs.length} pairs. */
export const SIMPLIFIED_PAIRS = [
${lines.join('\n')}
].join('');
`,
);
process.stdout.write(`simplified-table: ${pairs.length} characters written to ${OUT}\n`);
