import { createHash } from 'node:crypto';
import { createIdRegistry, parseCached } from '../corpus/load.js';
import { type Corpus, type CorpusFile, essaysOf } from '../corpus/model.js';
import type { ParseCache } from '../corpus/parse-cache.js';
import type { Library, Logger, TeamLibraries } from '../dispatch/bot.js';
import { buildSegment, hasSegments, openAfter, openSegmentsInTurns } from '../search/corpus-index.js';
import { unitsOf } from '../search/units.js';
import type { LibraryStore } from './store.js';
import { parseTeamKey } from './team.js';

/*
 * Each team's library as the bot serves it: the operator's corpus and, after it, the files the
 * team added. The operator's files and their segments are the served library's own objects,
 * never parsed or indexed again for a team; a team's files are parsed and indexed when the
 * team first asks (or changes them), in the background, and the team is answered from the
 * operator's library until then. Teams not asked for lately are let go.
 */

export interface TeamLibrariesOptions {
  /** The operator's library as served now (a reload swaps it). */
  operator: () => Library;
  store: LibraryStore;
  logger: Logger;
  /** Teams whose libraries are kept loaded, the least recently asked let go first. */
  maxLoaded?: number;
  /** Where parses are kept: a team's files are parsed once, not at every change of its library. */
  parseCache?: ParseCache;
}

export interface ServedTeamLibraries extends TeamLibraries {
  /** The team's library once its files are loaded (or the operator's, for a team with none). */
  ready(team: string): Promise<Library>;
  /**
   * Loads, in the background, the libraries of the teams that have one (as many as are kept),
   * so that after a restart a team's first question already sees its files.
   */
  preload(): Promise<void>;
}

interface Loaded {
  /** The operator's corpus version it was put together over. */
  operator: string;
  library: Library;
}

// A loaded team's passage index is its own files' part after the operator's, which it shares
// (openAfter): a tenth of a MB beyond its files at 1000× (bench/teams.ts); its essay index is the
// operator's and a small one of its own essays (essayIndexAfter), 0.08 MB more. A team's own
// files (up to its quota) are what this bounds.
const MAX_LOADED = 8;

// Long on purpose: a factory whose length is the seam's methods (for, changed, pending, preload,
// ready) over one set of loaded and loading teams, which each of them reads and updates.
export function createTeamLibraries(options: TeamLibrariesOptions): ServedTeamLibraries {
  const { store, logger } = options;
  const maxLoaded = options.maxLoaded ?? MAX_LOADED;
  const loaded = new Map<string, Loaded>();
  const loading = new Map<string, Promise<Library>>();
  /** Teams whose files changed while a load of them was under way: loaded again after it. */
  const stale = new Set<string>();
  /**
   * Teams known to have files (their folders, at preload; a change since): only these are worth
   * waiting for. Any other team's library is the operator's, whether loaded or not.
   */
  const withFiles = new Set<string>();

  async function load(key: string): Promise<Loaded> {
    const operator = options.operator();
    const team = parseTeamKey(key);
    const entries = team ? await store.list(team) : [];
    if (entries.length > 0) withFiles.add(key);
    else withFiles.delete(key);
    let library = operator;
    if (team && entries.length > 0) {
      const files: CorpusFile[] = [];
      for (const entry of entries) {
        const bytes = await store.read(team, entry.file);
        if (bytes === null) continue;
        // Read back from the parse cache when the add's check parsed it, or an earlier load.
        files.push(await parseCached(entry.file, bytes, options.parseCache));
      }
      library = await over(
        operator,
        files.filter((f) => f.essays.length > 0),
      );
    }
    return { operator: operator.corpus.version, library };
  }

  /** Loads the team's library, or joins the load under way; `again`: its files changed since that load began. */
  function start(key: string, again = false): Promise<Library> {
    const running = loading.get(key);
    if (running) {
      if (again) stale.add(key);
      return running;
    }
    const promise = load(key)
      .then((entry) => {
        remember(key, entry);
        return entry.library;
      })
      .catch((error: unknown) => {
        logger.warn({ team: key, err: error }, 'library: a team’s files could not be loaded; it sees the operator’s');
        return options.operator();
      })
      .finally(() => {
        loading.delete(key);
        if (stale.delete(key)) void start(key, true);
      });
    loading.set(key, promise);
    return promise;
  }

  function remember(key: string, entry: Loaded): void {
    loaded.delete(key);
    loaded.set(key, entry);
    while (loaded.size > maxLoaded) loaded.delete(loaded.keys().next().value as string);
  }

  return {
    for(key) {
      const operator = options.operator();
      if (key === null) return operator;
      const entry = loaded.get(key);
      if (entry && entry.operator === operator.corpus.version) {
        // Most recently asked last: the first in the map is the one to let go.
        loaded.delete(key);
        loaded.set(key, entry);
        return entry.library;
      }
      void start(key);
      return operator;
    },
    changed(key) {
      withFiles.add(key);
      loaded.delete(key);
      void start(key, true);
    },
    pending(key) {
      if (!withFiles.has(key)) return false;
      const entry = loaded.get(key);
      return !(entry && entry.operator === options.operator().corpus.version) || loading.has(key);
    },
    async preload() {
      let keys: string[];
      try {
        keys = await store.teams();
      } catch (error) {
        logger.warn({ err: error }, 'library: the teams’ libraries could not be listed; each loads on its first request');
        return;
      }
      for (const key of keys) withFiles.add(key);
      await Promise.all(keys.slice(0, maxLoaded).map((key) => start(key)));
    },
    async ready(key) {
      for (;;) {
        const running = loading.get(key);
        if (!running) {
          const entry = loaded.get(key);
          if (entry && entry.operator === options.operator().corpus.version) return entry.library;
          // A load begun now reads the files as they are: its result is the current one.
          return start(key);
        }
        // A load under way may have begun before the last change: look again once it is done
        // (the change started another after it).
        await running;
      }
    },
  };
}

/**
 * The operator's library with a team's files after its own: the operator's files and index
 * read where they are served (openAfter: units, docs, text and postings shared, not copied),
 * the team's essays given a suffix where their IDs are the operator's (the operator's never
 * change), their segments built here.
 */
async function over(operator: Library, teamFiles: CorpusFile[]): Promise<Library> {
  if (teamFiles.length === 0) return operator;
  // The operator's files are claimed first: their IDs are distinct already, so claiming them
  // changes none, and a team's essay whose ID is taken gets a suffix (and a warning).
  const ids = createIdRegistry();
  for (const f of operator.corpus.files) ids.claim(f);
  for (const f of teamFiles) ids.claim(f);
  const files = [...operator.corpus.files, ...teamFiles];
  const version = createHash('sha256')
    .update(operator.corpus.version)
    .update(teamFiles.map((f) => `${f.file}\0${f.hash}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
  const corpus: Corpus = { dir: operator.corpus.dir, files, version };
  const index = hasSegments(operator.index)
    ? await openAfter(
        operator.index,
        corpus,
        teamFiles.map((f) => buildSegment(f)),
        10,
      )
    : await openSegmentsInTurns(
        corpus,
        files.map((f) => buildSegment(f)),
        unitsOf(essaysOf(corpus)),
        10,
      );
  return { corpus, index, teamFiles: new Set(teamFiles) };
}
