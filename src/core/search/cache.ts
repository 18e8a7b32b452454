import { createHash } from 'node:crypto';
import { type CacheStore, createCacheStore, type ReadBuffer } from '../cache/store.js';
import type { Corpus, CorpusFile, Paragraph } from '../corpus/model.js';
import { BUILD_ID } from '../corpus/parse-cache.js';
import { sectionSpans } from '../corpus/parsed-file.js';
import { buildSegment, openSegments } from './corpus-index.js';
import { decodeIndex, encodeIndex } from './index-file.js';
import { checkPostings, type SharedBuild, sharedBuild } from './postings.js';
import type { CorpusIndex } from './search.js';
import type { IndexArrays } from './units.js';

/*
 * The index's segments on disk, one per corpus file, each keyed by the file's content hash,
 * the tokenizer and layout (CACHE_FORMAT) and the build: the same bytes in two corpora, or
 * under two names, are indexed once, and a corpus that gains a file builds that file's
 * segment alone. Running from source, where the build is not in the key, an entry also
 * records the spans of the sentences it was built from, checked against the file as parsed
 * now, so a parser that cuts sentences otherwise never reads a segment of other sentences.
 * Anything wrong with an entry (missing, truncated, of an older format) is a rebuild of that
 * segment, never a failure to start.
 */

/** Bumped whenever tokenizing or the index's layout changes, so old entries are not read. */
const CACHE_FORMAT = 5;

/** The only tokenizer our own postings have (MiniSearch's default one is a benchmark's baseline, never cached). */
const TOKENIZER = 'chinese';

export interface CachedIndex {
  index: CorpusIndex;
  /** `hit`: every segment read from the cache; `built`: some built and written; `unwritable`: built, but the cache could not be written. */
  source: 'hit' | 'built' | 'unwritable';
  /** Segments read from the cache, and built. */
  reused: number;
  built: number;
}

/** A segment's entry name: the file's content, never its name. */
export function segmentEntry(file: CorpusFile): string {
  return `segment-${TOKENIZER}-v${CACHE_FORMAT}-${BUILD_ID ?? 'source'}-${file.hash.slice(0, 40)}.bin`;
}

/**
 * What a segment was built from besides the file's bytes: the build, which the entry's name
 * holds. Running from source there is none, and the parser may have changed since the entry
 * was written, so the sentence spans it was built from are its stamp instead (a hash of them,
 * which a start of the built bot spares itself: tens of milliseconds on an archive).
 */
function stampOf(file: CorpusFile): string {
  return BUILD_ID === undefined ? spansOf(file) : '';
}

/** The sentence spans of a file's paragraphs, hashed: what its docs' text and postings follow from. */
function spansOf(file: CorpusFile): string {
  const h = createHash('sha256');
  const spans: number[] = [];
  const flush = () => {
    h.update(Uint32Array.from(spans));
    spans.length = 0;
  };
  for (const essay of file.essays) {
    for (const section of essay.sections) {
      // A section read from the parse cache gives its spans without making its paragraphs.
      const cached = sectionSpans(section);
      if (cached) {
        for (let k = cached.from; k < cached.to; k++) {
          const [first, last] = [cached.sentences[k] as number, cached.sentences[k + 1] as number];
          spans.push(cached.textLength[k] as number, last - first);
          for (let i = first; i < last; i++) spans.push(cached.start[i] as number, cached.end[i] as number);
          if (spans.length > 4096) flush();
        }
        continue;
      }
      for (const p of section.paragraphs as Paragraph[]) {
        spans.push(p.text.length, p.sentences.length);
        for (const s of p.sentences) spans.push(s.start, s.end);
        if (spans.length > 4096) flush();
      }
    }
    spans.push(0xffffffff);
  }
  flush();
  return h.digest('hex').slice(0, 32);
}

/**
 * A file's segment read from the cache, or null when there is none fit to read. Read `into` a
 * reader's buffer: the segment is copied out of it (decodeIndex).
 */
async function readSegment(store: CacheStore, file: CorpusFile, into?: ReadBuffer): Promise<IndexArrays | null> {
  if (file.hash === '') return null;
  const bytes = await store.read(segmentEntry(file), into);
  if (bytes === null) return null;
  try {
    const { arrays, stamp } = decodeIndex(bytes);
    if (stamp !== stampOf(file) || arrays.postings === null) return null;
    checkPostings(arrays.postings);
    return arrays;
  } catch {
    // Truncated, corrupt or of another layout: built again.
    return null;
  }
}

/**
 * Segment reads in flight at once. One at a time, a warm archive start waited on 200 reads
 * (and the marks of their use) one after another, the disk idle while each was decoded.
 */
const SEGMENT_READERS = 4;

/** The files' segments in `store`, read a few at a time; null where there is none fit to read. */
async function readSegments(store: CacheStore, files: readonly CorpusFile[]): Promise<Array<IndexArrays | null>> {
  const out: Array<IndexArrays | null> = new Array(files.length).fill(null);
  let next = 0;
  const reader = async () => {
    const into: ReadBuffer = { bytes: Buffer.alloc(0) };
    for (let i = next++; i < files.length; i = next++) out[i] = await readSegment(store, files[i] as CorpusFile, into);
  };
  await Promise.all(Array.from({ length: Math.min(SEGMENT_READERS, files.length) }, reader));
  return out;
}

/**
 * A file's segment: read from `store`, or built and written there for next time. `written`
 * is null when it was read, else whether the cache took it.
 */
export async function loadOrBuildSegment(
  store: CacheStore,
  file: CorpusFile,
  shared: SharedBuild = sharedBuild(),
): Promise<{ segment: IndexArrays; written: boolean | null }> {
  const cached = await readSegment(store, file);
  if (cached !== null) return { segment: cached, written: null };
  return buildAndWrite(store, file, shared);
}

/** A file's segment built, and written to `store` for next time; `written` says whether the cache took it. */
async function buildAndWrite(store: CacheStore, file: CorpusFile, shared: SharedBuild): Promise<{ segment: IndexArrays; written: boolean }> {
  const segment = buildSegment(file, shared);
  // A file that could not be read has no content to key it by (and nothing worth keeping).
  const written = file.hash === '' ? true : await store.write(segmentEntry(file), encodeIndex(segment, stampOf(file)));
  return { segment, written };
}

/**
 * The corpus's index from its files' segments in `cacheDir`, each built and written there
 * when missing. Other corpora's segments in the same folder are left for them (the folder is
 * bounded by size, least recently used first: see cache/store.ts).
 */
export async function loadOrBuildIndex(corpus: Corpus, cacheDir: string, options: { maxBytes?: number } = {}): Promise<CachedIndex> {
  const store = createCacheStore(cacheDir, options.maxBytes);
  const segments: IndexArrays[] = [];
  let reused = 0;
  let built = 0;
  let unwritable = false;
  const shared = sharedBuild();
  const cached = await readSegments(store, corpus.files);
  for (const [i, file] of corpus.files.entries()) {
    const read = cached[i] ?? null;
    if (read !== null) {
      segments.push(read);
      reused++;
      continue;
    }
    const { segment, written } = await buildAndWrite(store, file, shared);
    segments.push(segment);
    built++;
    if (!written) unwritable = true;
  }
  const index = openSegments(corpus, segments);
  return { index, source: unwritable ? 'unwritable' : built > 0 ? 'built' : 'hit', reused, built };
}
