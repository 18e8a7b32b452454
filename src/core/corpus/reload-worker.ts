import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadOrBuildIndex } from '../search/cache.js';
import { createIndex, indexArrays } from '../search/corpus-index.js';
import { buffersOf } from '../search/units.js';
import { parseCacheIn } from './parse-cache.js';
import { parseForReload, type ReloadJob, type ReloadMessage } from './reload.js';

/*
 * The worker thread of a reload (see reload.ts): parses the corpus folder and builds its
 * index (or reads both from the caches), then hands them to the thread that serves.
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
    // With a cache folder, an index built before for this very corpus is read, and one built
    // now is written for the next start.
    const index =
      job.cacheDir === null
        ? createIndex(corpus)
        : (await loadOrBuildIndex(corpus, job.cacheDir, { ...(job.cacheMaxBytes ? { maxBytes: job.cacheMaxBytes } : {}) })).index;
    const arrays = indexArrays(index);
    // One file at a time, the next once the serving thread has taken this one in and had a
    // turn of its event loop: sent all at once, they would all be taken in within one turn,
    // a stall that grows with the corpus (docs/decisions.md).
    for (const file of corpus.files) {
      const taken = new Promise<void>((resolve) => parentPort?.once('message', () => resolve()));
      send({ kind: 'file', file });
      await taken;
    }
    send({ kind: 'index', dir: corpus.dir, version: corpus.version, arrays }, buffersOf(arrays));
  }
} catch (error) {
  send({ kind: 'refused', reason: `the reload failed (${(error as Error).message})` });
}
