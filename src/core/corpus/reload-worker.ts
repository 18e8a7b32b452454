import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type CacheStore, createCacheStore } from '../cache/store.js';
import { loadOrBuildSegment } from '../search/cache.js';
import { buildSegment, composeSegments } from '../search/corpus-index.js';
import { sharedBuild } from '../search/postings.js';
import { buffersOf, type IndexArrays } from '../search/units.js';
import { type KeptFile, readCorpusFolder } from './load.js';
import type { CorpusFile } from './model.js';
import { parseCacheIn } from './parse-cache.js';
import type { ReloadJob, ReloadMessage } from './reload.js';

/*
 * The worker thread of a reload (see reload.ts): reads the corpus folder, parses the files
 * the served corpus does not have as they are now and builds their segments of the index
 * (or reads both from the caches), then hands them to the thread that serves.
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

const served = new Map(job.current.files.map((f) => [f.file, f]));
/** A file is kept when the served corpus has it as it is now, its IDs its own. */
function keep(name: string, hash: string, metadata: string | null): boolean {
  const f = served.get(name);
  return f !== undefined && !f.idsChanged && f.hash === hash && f.metadata !== null && f.metadata === metadata;
}

/** The segments of the files read: null where the serving thread has one for the content. */
async function segmentsOf(files: Array<CorpusFile | KeptFile>, store: CacheStore | null): Promise<Array<IndexArrays | null>> {
  const have = new Set(job.segmentHashes);
  const shared = sharedBuild();
  const segments: Array<IndexArrays | null> = [];
  for (const f of files) {
    if ('kept' in f || (f.hash !== '' && have.has(f.hash))) segments.push(null);
    // With a cache folder, a segment built before for these very bytes (in any corpus) is
    // read, and one built now is written for the next start or reload.
    else segments.push(store === null ? buildSegment(f, shared) : (await loadOrBuildSegment(store, f, shared)).segment);
  }
  return segments;
}

/** The folder's files, or null when it cannot be read (and the reason sent). */
async function readFolder(): Promise<Array<CorpusFile | KeptFile> | null> {
  try {
    return await readCorpusFolder(job.dir, { parseCache: job.cacheDir === null ? undefined : parseCacheIn(job.cacheDir, job.cacheMaxBytes), keep });
  } catch (error) {
    send({ kind: 'refused', reason: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

try {
  const files = await readFolder();
  if (files === null) {
    // Refused: said already.
  } else if (files.length === job.current.files.length && files.every((f) => 'kept' in f)) send({ kind: 'unchanged', version: job.current.version });
  else {
    const segments = await segmentsOf(files, job.cacheDir === null ? null : createCacheStore(job.cacheDir, job.cacheMaxBytes));
    // One file at a time, the next once the serving thread has taken this one in and had a
    // turn of its event loop: sent all at once, they would all be taken in within one turn,
    // a stall that grows with the corpus (docs/decisions.md).
    for (const f of files) {
      const taken = new Promise<void>((resolve) => parentPort?.once('message', () => resolve()));
      send('kept' in f ? { kind: 'kept', file: f.file } : { kind: 'file', file: f });
      await taken;
    }
    const fresh = segments.filter((s): s is IndexArrays => s !== null);
    if (fresh.length === segments.length) {
      // Nothing the serving thread has: put together here, where it costs no answer a wait.
      const composed = composeSegments(fresh);
      const buffers = [
        ...buffersOf(composed.arrays),
        ...composed.postings.flatMap((p) => [p.termStarts, p.offsets, p.docs, p.fieldLength].map((a) => a.buffer as ArrayBuffer)),
      ];
      send({ kind: 'index', dir: job.dir, composed }, [...new Set(buffers)]);
    } else send({ kind: 'index', dir: job.dir, segments }, fresh.flatMap(buffersOf));
  }
} catch (error) {
  send({ kind: 'refused', reason: `the reload failed (${(error as Error).message})` });
}
