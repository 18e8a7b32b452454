/**
 * One corpus size's measurement, in a process of its own that bench/run.ts starts: it loads the
 * core and the commands, not the platform clients or the PDF reader the rest of the bench
 * loads, so that its peak RSS is the core's (issue 13: "memory read in a process that loads
 * only the core").
 *
 *   node --expose-gc dist/bench/size.js DIR LABEL OUT RECALL EFFORT_JSON
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { type Effort, measureCorpus } from './measure.js';

const QUERIES = join(PROJECT_ROOT, 'test', 'fixtures', 'queries.json');

const [, , dir, label, out, recall, effort] = process.argv as Array<string | undefined>;
if (!dir || !label || !out || !effort) throw new Error('bench: size.js DIR LABEL OUT RECALL EFFORT_JSON');
const result = await measureCorpus({ dir, label, queriesPath: QUERIES, recall: recall === '1', effort: JSON.parse(effort) as Effort });
await writeFile(out, JSON.stringify(result));
