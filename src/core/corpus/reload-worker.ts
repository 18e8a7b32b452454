import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createCacheStore } from '../cache/store.js';
import { loadOrBuildSegment } from '../search/cache.js';
import { buildSegment } from '../search/corpus-index.js';
import type { RunWords } from '../search/postings.js';
import { buffersOf, type IndexArrays } from '../search/units.js';
import { parseCacheIn } from './parse-cache.js';
import { parseForReload, type ReloadJob, type ReloadMessage } from './reload.js';

/*
 * The worker thread of a reload (see reload.ts): parses the corpus folder and builds its
 * index's segments (or reads both from the caches), then hands them to the thread that serves.
 */

const job = workerData as ReloadJob;

// This thread yields the CPU to the one that answers: a reload may take seconds, an answer
// must not wait for it (on Linux the priority is the thread's own).
try {
  setPriority(constants.priority.PRIORITY_LOW);
} catch {
  // Not allowed here: the reload runs at the bot's priority.
}
const send = (message: ReloadMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(message, transfer);

try {
  const parsed = await parseForReload(job.dir, job.current, job.cacheDir === null ? undefined : parseCacheIn(job.cacheDir, job.cacheMaxBytes));
  if (parsed.kind !== 'parsed') send(parsed);
  else {
    const { corpus } = parsed;
    // With a cache folder, a file's segment built before (for these very bytes, in any
    // corpus) is read, and one built now is written for the next start or reload: a file
    // added or changed is the only one indexed.
    const store = job.cacheDir === null ? null : createCacheStore(job.cacheDir, job.cacheMaxBytes);
    const segments: IndexArrays[] = [];
    const runWords: RunWords = new Map();
    for (const file of corpus.files) {
      segments.push(store === null ? buildSegment(file, runWords) : (await loadOrBuildSegment(store, file, runWords)).segment);
    }
    // One file at a time, the next once the serving thread has taken this one in and had a
    // turn of its event loop: sent all at once, they would all be taken in within one turn,
    // a stall that grows with the corpus (docs/decisions.md).
    for (const file of corpus.files) {
      const taken = new Promise<void>((resolve) => parentPort?.once('message', () => resolve()));
      send({ kind: 'file', file });
      await taken;
    }
    send({ kind: 'index', dir: corpus.dir, version: corpus.version, segments }, segments.flatMap(buffersOf));
  }
} catch (error) {
  send({ kind: 'refused', reason: `the reload failed (${(error as Error).message})` });
}
