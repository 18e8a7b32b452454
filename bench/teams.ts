/**
 * What a loaded team library costs beside the operator's (issue 25): the operator's corpus is
 * loaded and indexed, then `teams` teams' libraries of one small file each are loaded (as many
 * as the bot keeps), each asked one question, and the memory read after a full collection at
 * each step. Measured in a process of its own that bench/run.ts starts, so that nothing else
 * the bench holds is counted.
 *
 *   node --expose-gc dist/bench/teams.js DIR LABEL OUT [TEAMS]
 *   node --expose-gc --import tsx bench/teams.ts DIR LABEL OUT [TEAMS]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpus } from '../src/core/corpus/load.js';
import type { Library, Logger } from '../src/core/dispatch/bot.js';
import { createTeamLibraries } from '../src/core/library/serve.js';
import { createLibraryStore } from '../src/core/library/store.js';
import { createIndex } from '../src/core/search/corpus-index.js';

export interface TeamMemoryFigures {
  label: string;
  teams: number;
  /** The operator's index: memory after it was built, less after the corpus alone was parsed, MB. */
  operatorIndexMb: number;
  /** Memory (JavaScript heap plus typed arrays' buffers) after each team loaded, less before the first, MB. */
  perTeamMb: number[];
  /** The same read from RSS, which also counts what the allocator keeps, MB. */
  perTeamRssMb: number[];
  /**
   * Memory each team's essay index adds once the team has asked for it (`/essays`, an essay or
   * author option's autocomplete): the operator's is shared (warmed first, as a live bot warms
   * it at start), so this is the team's own essays' small index and the merged author list.
   */
  essayIndexMb: number[];
}

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };
const BY = { platform: 'discord' as const, userId: '111111111111111111', name: 'bench' };
const QUERY = '量子外交';

/** Heap and typed arrays' buffers, and RSS, after a full collection, in MB. */
function memory(gc: () => void): { live: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { live: (m.heapUsed + m.arrayBuffers) / 2 ** 20, rss: m.rss / 2 ** 20 };
}

async function measureTeamMemory(dir: string, label: string, teams: number, gc: () => void): Promise<TeamMemoryFigures> {
  const corpus = await loadCorpus(dir);
  const before = memory(gc);
  const library: Library = { corpus, index: createIndex(corpus) };
  library.index.search(QUERY, {}, { limit: 10 });
  const operator = memory(gc);
  const work = await mkdtemp(join(tmpdir(), 'yinzheng-teams-'));
  try {
    const store = createLibraryStore({ dir: work });
    const libraries = createTeamLibraries({ operator: () => library, store, logger: silent, maxLoaded: teams });
    const keys = Array.from({ length: teams }, (_, i) => `discord-guild-1000000000000000${String(i).padStart(2, '0')}`);
    for (const [i, key] of keys.entries()) {
      const text = `量子外交的兴起之${i}\n\n李四\n\n${QUERY}第${i}号试验已经在多个国家展开，其规则尚在形成之中。\n`;
      const added = await store.add(
        { kind: 'discord-guild', id: key.slice('discord-guild-'.length) },
        { name: `team-${i}.txt`, bytes: new TextEncoder().encode(text) },
        BY,
      );
      if (!added.ok) throw new Error(`bench: teams: ${added.message}`);
    }
    const perTeamMb: number[] = [];
    const perTeamRssMb: number[] = [];
    const held: Library[] = [];
    let last = memory(gc);
    for (const key of keys) {
      const team = await libraries.ready(key);
      if (team === library) throw new Error(`bench: teams: ${key} was served the operator's library`);
      team.index.search(QUERY, {}, { limit: 10 });
      held.push(team);
      const now = memory(gc);
      perTeamMb.push(now.live - last.live);
      perTeamRssMb.push(now.rss - last.rss);
      last = now;
    }
    if (held.length !== teams) throw new Error('bench: teams: not every team loaded');
    // The operator's essay index, as a live bot builds it at start: shared by every team.
    await library.index.warmEssays();
    last = memory(gc);
    const essayIndexMb: number[] = [];
    for (const team of held) {
      await team.index.warmEssays();
      const now = memory(gc);
      essayIndexMb.push(now.live - last.live);
      last = now;
    }
    return { label, teams, operatorIndexMb: operator.live - before.live, perTeamMb, perTeamRssMb, essayIndexMb };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const [, , dir, label, out, teams] = process.argv as Array<string | undefined>;
if (!dir || !label || !out) throw new Error('bench: teams.js DIR LABEL OUT [TEAMS]');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench: teams.js needs --expose-gc');
await writeFile(out, JSON.stringify(await measureTeamMemory(dir, label, Number(teams ?? 8), gc)));
