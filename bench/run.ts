/**
 * `npm run bench`: index build, per-command latency, cold start, peak memory and retrieval
 * quality, on the bundled corpus, on synthetic corpora 100× and 1000× its size and on a 2,000-essay archive, with
 * MiniSearch's default tokenizer as the baseline in the same processes. Prints the report and
 * writes it to bench/RESULTS.md.
 *
 *   node dist/bench/run.js [--sizes 1,100,1000,archive] [--cold-runs 10] [--no-write]
 *   node dist/bench/run.js --only essays    # finding essays on the archive alone, printed, not written
 *   node dist/bench/run.js --only file-add  # one file added to the served archive, printed, not written
 *   node dist/bench/run.js --only teams     # eight team libraries over 1000× and the archive, printed, not written
 *   node dist/bench/run.js --only db [--samples 200]  # PostgreSQL's cost on the answer path, printed, not written
 *   node dist/bench/run.js --only start     # the archive's start targets (cold and warm CLI, first answer), printed, not written
 *   node dist/bench/run.js --only serving [--size-child]  # peak RSS against the build issue 24 was filed on, printed, not written
 *
 * Each corpus size is measured in a child process of its own (bench/size.ts), so that its peak
 * RSS is its own, of a process that loads only the core, and one size's garbage does not slow
 * the next.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../src/config.js';
import { loadCorpus } from '../src/core/corpus/load.js';
import type { Corpus } from '../src/core/corpus/model.js';
import { benchDatabase, databaseSection } from './db.js';
import { benchEssaySearch, type EssaySearchFigures, essaySearchSection } from './essays.js';
import { benchFileAdd, fileAddTargets } from './file-add.js';
import type { GrowthFigures } from './growth.js';
import { benchDiscordLoad } from './load-discord.js';
import { benchSlackLoad } from './load-slack.js';
import type { Effort, SizeResult } from './measure.js';
import { benchPdf } from './pdf.js';
import { benchReload } from './reload.js';
import { type ColdStart, type Failure, type LargeColdStart, type Machine, type ReportInput, renderReport, startTargets, teamTarget } from './report.js';
import {
  alikePeakMb,
  childPeakRssMb,
  measureServing,
  prepareFiledBuild,
  type ServingFigures,
  type SizeChildPeaks,
  servingSection,
  servingTargets,
} from './serving.js';
import { median } from './stats.js';
import { generateSyntheticCorpus, writeSyntheticCorpus } from './synthetic.js';
import type { TeamMemoryFigures } from './teams.js';

/** The child's own entry: it loads the core and the measurement, not the platform clients this file loads. */
const SIZE_CHILD = join(dirname(fileURLToPath(import.meta.url)), 'size.js');
const GROWTH_CHILD = join(dirname(fileURLToPath(import.meta.url)), 'growth.js');
const TEAMS_CHILD = join(dirname(fileURLToPath(import.meta.url)), 'teams.js');
/** Team libraries loaded at once by the teams child: as many as the bot keeps (serve.ts). */
const TEAMS = 8;
/** Rounds of the growth child: each is three builds of the 100× corpus and one of the archive. */
const GROWTH_ROUNDS = 5;
const RESULTS = join(PROJECT_ROOT, 'bench', 'RESULTS.md');
/** Issue 6: 500 requests through each loopback platform, 50 in flight. */
const LOAD_REQUESTS = 500;
const LOAD_CONCURRENCY = 50;
const CLI = join(PROJECT_ROOT, 'dist', 'src', 'cli.js');
const MAIN = join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const SEED = 20251130;
const COLD_QUERY = '智能鸿沟';
/** The archive size's stand-in scale (for its effort), and its essays. */
const ARCHIVE = 2200;
const ARCHIVE_ESSAYS = 2000;

const EFFORT: Record<number, Effort> = {
  1: { parseRuns: 20, buildRuns: 10, samples: 400, budgetMs: 5_000 },
  100: { parseRuns: 3, buildRuns: 3, samples: 200, budgetMs: 8_000 },
  1000: { parseRuns: 1, buildRuns: 1, samples: 150, budgetMs: 12_000 },
};

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at !== -1 && process.argv[at + 1] !== undefined ? (process.argv[at + 1] as string) : fallback;
}

/**
 * The Node options `npm start` runs the bot with (package.json), which the children measuring
 * the bot's memory and build run with too: what they read is the bot as it is started.
 */
function botNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/u);
  if (words[0] !== 'node') throw new Error(`bench: npm start is not "node …": ${pkg.scripts.start}`);
  return words.slice(1).filter((w) => w.startsWith('--'));
}
const BOT_FLAGS = botNodeFlags();

/** Measures one size in a child process; a child that dies (out of memory, say) is reported, not fatal. */
function measureInChild(dir: string, label: string, scale: number, work: string, flags: string[] = BOT_FLAGS, child = SIZE_CHILD): SizeResult | Failure {
  const out = join(work, `${label}.json`);
  const effort = EFFORT[scale] ?? (EFFORT[1000] as Effort);
  const run = spawnSync(process.execPath, [...flags, '--expose-gc', child, dir, label, out, scale === 1 ? '1' : '0', JSON.stringify(effort)], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  process.stderr.write(run.stderr);
  if (run.status === 0) return JSON.parse(readFileSync(out, 'utf8')) as SizeResult;
  const lines = run.stderr.trim().split('\n');
  const why = lines.find((l) => /heap out of memory|Error:/u.test(l)) ?? lines.pop() ?? '';
  return { label, failure: `child exited with ${run.signal ?? `status ${String(run.status)}`}: ${why.trim()}` };
}

/** Peak RSS runs per build and size against the filed build: each a pair of processes, in turn. */
const SERVING_RUNS = 5;

/**
 * Size-child runs per build and size against the filed build, in turn: a size child's peak is
 * mostly when V8 collects the queries' garbage, and swings by tens of MB between two runs.
 */
const SIZE_CHILD_RUNS = 3;

/**
 * Issue 24's memory target: the serving bot and the warm CLI on each corpus, ours against the
 * build the issue was filed on, in turn (bench/serving.ts); with `sizeChildren`, the size
 * child of both builds too, in turn, medians of SIZE_CHILD_RUNS.
 */
function measureAgainstFiled(work: string, corpora: Array<[label: string, dir: string, scale: number]>, sizeChildren: boolean): ServingFigures {
  const filed = prepareFiledBuild(work);
  if ('failure' in filed) return filed;
  const sizes = corpora.map(([label, dir]) => {
    process.stderr.write(`bench: ${label}, serving, ours and ${filed.name} in turn…\n`);
    return measureServing(label, dir, work, filed, BOT_FLAGS, SERVING_RUNS);
  });
  const sizeChild: SizeChildPeaks[] = [];
  for (const [label, dir, scale] of sizeChildren ? corpora : []) {
    const done = { ours: [] as SizeResult[], filed: [] as SizeResult[] };
    for (let run = 1; run <= SIZE_CHILD_RUNS; run++) {
      process.stderr.write(`bench: ${label}, the size child of ours and ${filed.name} in turn, ${run} of ${SIZE_CHILD_RUNS}…\n`);
      const ours = measureInChild(dir, `${label} (ours, ${run})`, scale, work);
      const theirs = measureInChild(dir, `${label} (${filed.name}, ${run})`, scale, work, BOT_FLAGS, join(filed.root, 'dist', 'bench', 'size.js'));
      if (!('failure' in ours)) done.ours.push(ours);
      if (!('failure' in theirs)) done.filed.push(theirs);
    }
    if (done.ours.length === 0 || done.filed.length === 0) continue;
    const alike = { ours: done.ours.map((r) => alikePeakMb(r.commands)), filed: done.filed.map((r) => alikePeakMb(r.commands)) };
    const both = [...alike.ours, ...alike.filed].every((p) => p !== null);
    sizeChild.push({
      label,
      ours: median(done.ours.map((r) => r.rssMb.ours)),
      filed: median(done.filed.map((r) => r.rssMb.ours)),
      alike: both ? { ours: median(alike.ours as number[]), filed: median(alike.filed as number[]) } : null,
      runs: SIZE_CHILD_RUNS,
    });
  }
  return { filed: filed.name, flags: BOT_FLAGS, sizes, sizeChild };
}

/** The growth child (bench/growth.ts): builds of two sizes in turn, in one process. */
function measureGrowth(smallDir: string, largeDir: string, work: string): GrowthFigures | Failure {
  const out = join(work, 'growth.json');
  const run = spawnSync(process.execPath, [...BOT_FLAGS, '--expose-gc', GROWTH_CHILD, smallDir, largeDir, String(GROWTH_ROUNDS), out], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  process.stderr.write(run.stderr);
  if (run.status === 0) return JSON.parse(readFileSync(out, 'utf8')) as GrowthFigures;
  return { label: 'growth', failure: `child exited with ${run.signal ?? `status ${String(run.status)}`}: ${run.stderr.trim().split('\n').pop() ?? ''}` };
}

/** The teams child (bench/teams.ts): team libraries loaded over the corpus in `dir`. */
function measureTeams(dir: string, label: string, work: string): TeamMemoryFigures | Failure {
  const out = join(work, `teams-${label}.json`);
  const run = spawnSync(process.execPath, [...BOT_FLAGS, '--expose-gc', TEAMS_CHILD, dir, label, out, String(TEAMS)], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  process.stderr.write(run.stderr);
  if (run.status === 0) return JSON.parse(readFileSync(out, 'utf8')) as TeamMemoryFigures;
  return { label, failure: `child exited with ${run.signal ?? `status ${String(run.status)}`}: ${run.stderr.trim().split('\n').pop() ?? ''}` };
}

/** Wall time of one process run to its exit, and whether it answered as expected. */
function timeProcess(args: string[], check: (stdout: string) => boolean, env?: Record<string, string>): { ms: number; ok: boolean } {
  return timeCommand(process.execPath, args, check, env);
}

/** The same for any command (npm), with `input` on its standard input. */
function timeCommand(
  command: string,
  args: string[],
  check: (stdout: string) => boolean,
  env?: Record<string, string>,
  input?: string,
): { ms: number; ok: boolean } {
  const t0 = performance.now();
  // The child's environment is ours plus what the run sets (CACHE_DIR), as a shell would pass it.
  const run = spawnSync(command, args, {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    ...(input !== undefined ? { input } : { stdio: ['ignore', 'pipe', 'pipe'] }),
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  const ms = performance.now() - t0;
  return { ms, ok: run.status === 0 && check(run.stdout) };
}

function answered(stdout: string): boolean {
  try {
    const reply = JSON.parse(stdout) as { results?: unknown[] };
    return Array.isArray(reply.results) && reply.results.length > 0;
  } catch {
    return false;
  }
}

/**
 * `node -e 0` and the CLI on the bundled corpus, interleaved so that a slow spell of the machine
 * hits both alike. The CLI gets a cache folder of the run's own, so it never writes into the
 * project's `.cache/`.
 */
function coldStarts(runs: number, cacheDir: string): ColdStart {
  const env = { CACHE_DIR: cacheDir };
  const node: number[] = [];
  const cli: number[] = [];
  const help: number[] = [];
  const npmEnv: number[] = [];
  const npmCli: number[] = [];
  const npmStart: number[] = [];
  let failures = 0;
  const count = (r: { ms: number; ok: boolean }, into: number[]) => {
    into.push(r.ms);
    if (!r.ok) failures++;
  };
  // Warm-up: the first run of each also writes the parse and index caches, as a first start does once.
  timeProcess(['-e', '0'], () => true);
  timeProcess([CLI, 'quote', COLD_QUERY, '--json'], answered, env);
  for (let i = 0; i < runs; i++) {
    node.push(timeProcess(['-e', '0'], () => true).ms);
    count(timeProcess([CLI, 'quote', COLD_QUERY, '--json'], answered, env), cli);
    // `--help` loads the CLI's modules and stops before the corpus: the start-up cost of code alone.
    count(
      timeProcess([CLI, '--help'], (out) => out.includes('usage'), env),
      help,
    );
    // npm's own overhead: what `npm run` costs before and after any script of ours.
    count(
      timeCommand('npm', ['run', '--silent', 'env'], (out) => out.includes('PATH='), env),
      npmEnv,
    );
    count(timeCommand('npm', ['run', '--silent', 'cli', '--', 'quote', COLD_QUERY, '--json'], answered, env), npmCli);
    count(
      timeCommand('npm', ['start', '--silent'], (out) => out.includes(COLD_QUERY), env, `/quote ${COLD_QUERY}\n`),
      npmStart,
    );
  }
  return {
    runs,
    nodeMs: median(node),
    cliMs: median(cli),
    helpMs: median(help),
    npmEnvMs: median(npmEnv),
    npmCliMs: median(npmCli),
    npmStartMs: median(npmStart),
    failures,
  };
}

/**
 * The CLI on a large corpus: first with an empty cache folder, then `runs` times again with what
 * it wrote there, each in turn with the same answer on the bundled essays (so that a slow spell
 * of the machine hits both), and the bot's first answer after start on it, warm.
 */
function largeColdStarts(label: string, corpusDir: string, cacheDir: string, runs: number): LargeColdStart {
  const env = { CACHE_DIR: cacheDir };
  const args = [...BOT_FLAGS, CLI, 'quote', COLD_QUERY, '--json', '--corpus', corpusDir];
  const bundledArgs = [...BOT_FLAGS, CLI, 'quote', COLD_QUERY, '--json'];
  const empty = timeProcess(args, answered, env);
  const cacheFiles = existsSync(cacheDir) ? readdirSync(cacheDir).length : 0;
  let ok = empty.ok;
  const cached: number[] = [];
  const bundled: number[] = [];
  const start: number[] = [];
  timeProcess(bundledArgs, answered, env);
  for (let i = 0; i < runs; i++) {
    for (const [into, run] of [
      [cached, () => timeProcess(args, answered, env)],
      [bundled, () => timeProcess(bundledArgs, answered, env)],
      [
        start,
        () =>
          timeCommand(process.execPath, [...BOT_FLAGS, MAIN], (out) => out.includes(COLD_QUERY), { ...env, CORPUS_DIR: corpusDir }, `/quote ${COLD_QUERY}\n`),
      ],
    ] as const) {
      const r = run();
      into.push(r.ms);
      ok &&= r.ok;
    }
  }
  const rssMb = {
    cached: childPeakRssMb(PROJECT_ROOT, args, env).mb,
    bundled: childPeakRssMb(PROJECT_ROOT, bundledArgs, env).mb,
    start: childPeakRssMb(PROJECT_ROOT, [...BOT_FLAGS, MAIN], { ...env, CORPUS_DIR: corpusDir }, `/quote ${COLD_QUERY}\n`).mb,
  };
  return { label, emptyCacheMs: empty.ms, cachedMs: median(cached), bundledMs: median(bundled), startMs: median(start), runs, cacheFiles, rssMb, ok };
}

/** The archive as the full run generates it. */
async function writeArchive(source: Corpus, sourceBytes: number, dir: string): Promise<void> {
  await writeSyntheticCorpus(dir, generateSyntheticCorpus(source, { scale: ARCHIVE, seed: SEED, sourceBytes, essays: ARCHIVE_ESSAYS }));
}

/** Finding essays on the archive (bench/essays.ts), in this process. */
async function measureEssaySearch(dir: string): Promise<EssaySearchFigures | { failure: string }> {
  process.stderr.write('bench: finding essays on the archive…\n');
  try {
    return await benchEssaySearch(await loadCorpus(dir), 'archive', SEED);
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error) };
  }
}

/** The bundled corpus the synthetic ones are cut from, and its size in bytes. */
async function bundledSource(): Promise<{ source: Corpus; sourceBytes: number }> {
  const source = await loadCorpus(BUNDLED_CORPUS_DIR);
  const sourceBytes = (await Promise.all(source.files.map((f) => readFile(join(BUNDLED_CORPUS_DIR, f.file))))).reduce((n, b) => n + b.length, 0);
  return { source, sourceBytes };
}

/** Generates the archive in a folder of its own, runs `measure` on it, and removes it all. */
async function withArchive(measure: (dir: string, work: string) => Promise<void>): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'yinzheng-bench-'));
  try {
    const { source, sourceBytes } = await bundledSource();
    const dir = join(work, 'archive');
    await writeArchive(source, sourceBytes, dir);
    await measure(dir, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `--only essays`: finding essays on the archive, printed; nothing else. */
function onlyEssays(): Promise<void> {
  return withArchive(async (dir) => {
    process.stdout.write(`## Finding essays\n\n${essaySearchSection(await measureEssaySearch(dir))}\n`);
  });
}

/** `--only file-add`: one file added to the archive while it is served, printed; nothing else. */
function onlyFileAdd(): Promise<void> {
  return withArchive(async (dir, work) => {
    const figures = await benchFileAdd('archive', dir, join(work, 'cache'));
    const rows = fileAddTargets(figures).map((r) => `| ${r.join(' | ')} |`);
    process.stdout.write(`${rows.join('\n')}\nEach add, ms: ${figures.servedMs.map((v) => v.toFixed(0)).join(', ')}\n`);
  });
}

/** `--only teams`: team libraries over the 1000× corpus and the archive, printed; nothing else. */
async function onlyTeams(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'yinzheng-bench-'));
  try {
    const { source, sourceBytes } = await bundledSource();
    const rows: string[][] = [];
    for (const label of ['1000×', 'archive']) {
      const dir = join(work, label === 'archive' ? 'archive' : 'x1000');
      if (label === 'archive') await writeArchive(source, sourceBytes, dir);
      else await writeSyntheticCorpus(dir, generateSyntheticCorpus(source, { scale: 1000, seed: SEED, sourceBytes }));
      process.stderr.write(`bench: team libraries over ${label}…\n`);
      rows.push(teamTarget(measureTeams(dir, label, work)));
    }
    process.stdout.write(`${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `--only db`: the database's cost on the answer path, printed; nothing else. */
async function onlyDatabase(): Promise<void> {
  process.stdout.write(`## PostgreSQL on the answer path\n\n${databaseSection(await benchDatabase(Number(flag('samples', '200'))))}\n`);
}

/** `--only start`: the archive's start targets (bench/report.ts, startTargets), printed; nothing else. */
function onlyStart(): Promise<void> {
  return withArchive(async (dir, work) => {
    const figures = largeColdStarts('archive', dir, join(work, 'cli-cache-large'), Math.max(3, Math.ceil(Number(flag('cold-runs', '10')) / 2)));
    const rows = startTargets(figures).map((r) => `| ${r.join(' | ')} |`);
    const r = figures.rssMb;
    process.stdout.write(
      `${rows.join('\n')}\nPeak RSS, warm: archive CLI ${r.cached.toFixed(0)} MB, bundled CLI ${r.bundled.toFixed(0)} MB, first answer ${r.start.toFixed(0)} MB\n`,
    );
  });
}

/**
 * `--only serving`: issue 24's memory target, ours against the filed build, on the bundled
 * essays, the 1000× corpus and the archive; printed. `--size-child` adds both builds' size
 * children (parse, index and the query mix without a cache), three of each in turn: about
 * seven minutes more.
 */
function onlyServing(): Promise<void> {
  return withArchive(async (archive, work) => {
    const { source, sourceBytes } = await bundledSource();
    const x1000 = join(work, 'x1000');
    await writeSyntheticCorpus(x1000, generateSyntheticCorpus(source, { scale: 1000, seed: SEED, sourceBytes }));
    const corpora: Array<[string, string, number]> = [
      ['bundled', BUNDLED_CORPUS_DIR, 1],
      ['1000×', x1000, 1000],
      ['archive', archive, ARCHIVE],
    ];
    const figures = measureAgainstFiled(work, corpora, process.argv.includes('--size-child'));
    const rows = servingTargets(figures).map((r) => `| ${r.join(' | ')} |`);
    process.stdout.write(`${rows.join('\n')}\n\n${servingSection(figures)}\n`);
  });
}

// Long on purpose: the bench's run in order (sizes, children, growth, reload, essays, report),
// each step a named helper; what stays here is the order and the progress lines.
async function main(): Promise<void> {
  if (flag('only', '') === 'essays') return onlyEssays();
  if (flag('only', '') === 'file-add') return onlyFileAdd();
  if (flag('only', '') === 'teams') return onlyTeams();
  if (flag('only', '') === 'db') return onlyDatabase();
  if (flag('only', '') === 'start') return onlyStart();
  if (flag('only', '') === 'serving') return onlyServing();
  // `archive` is a journal's twenty years: 2,000 essays in 200 files.
  const sizes = flag('sizes', '1,100,1000,archive')
    .split(',')
    .map((s) => (s === 'archive' ? ARCHIVE : Number(s)))
    .filter((n) => n > 0);
  const coldRuns = Number(flag('cold-runs', '10'));
  const work = await mkdtemp(join(tmpdir(), 'yinzheng-bench-'));
  const started = performance.now();
  const loadAverage = loadavg()[0] ?? 0;
  try {
    const results: SizeResult[] = [];
    const failures: Failure[] = [];
    const synthetic: Record<string, string> = {};
    let defaults: SizeResult | null = null;
    const { source, sourceBytes } = await bundledSource();
    for (const scale of sizes) {
      let dir = BUNDLED_CORPUS_DIR;
      const label = scale === 1 ? 'bundled' : scale === ARCHIVE ? 'archive' : `${scale}×`;
      if (scale !== 1) {
        dir = join(work, `x${scale}`);
        if (scale === ARCHIVE) await writeArchive(source, sourceBytes, dir);
        else await writeSyntheticCorpus(dir, generateSyntheticCorpus(source, { scale, seed: SEED, sourceBytes }));
        synthetic[label] = dir;
      }
      process.stderr.write(`bench: measuring ${label}…\n`);
      const measured = measureInChild(dir, label, scale, work);
      if ('failure' in measured) failures.push(measured);
      else results.push(measured);
      // The 1000× target's memory again with Node's own defaults, for comparison with the flags npm start sets.
      if (scale === 1000 && BOT_FLAGS.length > 0) {
        process.stderr.write(`bench: measuring ${label} again with Node's default options…\n`);
        const plain = measureInChild(dir, `${label}, Node defaults`, scale, work, []);
        if ('failure' in plain) failures.push(plain);
        else defaults = plain;
      }
    }

    process.stderr.write('bench: memory against the build issue 24 was filed on…\n');
    const serving = measureAgainstFiled(
      work,
      sizes.map((scale) => {
        const label = scale === 1 ? 'bundled' : scale === ARCHIVE ? 'archive' : `${scale}×`;
        return [label, scale === 1 ? BUNDLED_CORPUS_DIR : (synthetic[label] as string), scale];
      }),
      true,
    );

    let growth: ReportInput['growth'] = null;
    if (synthetic['100×'] !== undefined && synthetic.archive !== undefined) {
      process.stderr.write('bench: build growth, 100× and archive in turn…\n');
      growth = measureGrowth(synthetic['100×'], synthetic.archive, work);
    }

    const teams: Array<TeamMemoryFigures | Failure> = [];
    for (const label of ['1000×', 'archive']) {
      const dir = synthetic[label];
      if (dir === undefined) continue;
      process.stderr.write(`bench: team libraries over ${label}…\n`);
      teams.push(measureTeams(dir, label, work));
    }

    const essays = synthetic.archive !== undefined ? await measureEssaySearch(synthetic.archive) : null;

    process.stderr.write(`bench: cold starts (${coldRuns} runs each)…\n`);
    const cold = coldStarts(coldRuns, join(work, 'cli-cache'));
    const largest = sizes.filter((s) => s !== 1).pop();
    const largeLabel = largest === ARCHIVE ? 'archive' : `${largest}×`;
    const largeDir = largest !== undefined ? synthetic[largeLabel] : undefined;
    const coldLarge =
      largest !== undefined && largeDir !== undefined
        ? largeColdStarts(largeLabel, largeDir, join(work, 'cli-cache-large'), Math.max(3, Math.ceil(coldRuns / 2)))
        : null;

    process.stderr.write('bench: load through the loopback Discord and Slack…\n');
    const load: ReportInput['load'] = [];
    for (const [platform, what, run] of [
      ['Discord', 'interactions', benchDiscordLoad],
      ['Slack', 'slash commands (Socket Mode)', benchSlackLoad],
    ] as const) {
      try {
        load.push({ platform, what, concurrency: LOAD_CONCURRENCY, ...(await run({ requests: LOAD_REQUESTS, concurrency: LOAD_CONCURRENCY })) });
      } catch (error) {
        load.push({ platform, failure: error instanceof Error ? error.message : String(error) });
      }
    }

    process.stderr.write('bench: PostgreSQL on the answer path…\n');
    let database: ReportInput['database'];
    try {
      database = await benchDatabase();
    } catch (error) {
      database = { failure: error instanceof Error ? error.message : String(error) };
    }

    process.stderr.write('bench: PDF ingestion…\n');
    let pdf: ReportInput['pdf'];
    try {
      pdf = await benchPdf(work);
    } catch (error) {
      pdf = { failure: error instanceof Error ? error.message : String(error) };
    }

    process.stderr.write('bench: live reload…\n');
    let reload: ReportInput['reload'] = null;
    if (largeDir !== undefined) {
      try {
        // A file of essays the archive does not have: another seed's.
        const added = generateSyntheticCorpus(source, { scale: 1, seed: SEED + 1, sourceBytes, essays: 10 }).files[0]?.text ?? '';
        reload = await benchReload(largeLabel, largeDir, added);
      } catch (error) {
        reload = { failure: error instanceof Error ? error.message : String(error) };
      }
    }

    process.stderr.write('bench: one file added to a served corpus…\n');
    let fileAdd: ReportInput['fileAdd'] = null;
    if (largeDir !== undefined && largest === ARCHIVE) {
      try {
        // Last: it adds files to the archive's folder.
        fileAdd = await benchFileAdd(largeLabel, largeDir, join(work, 'file-add-cache'));
      } catch (error) {
        fileAdd = { failure: error instanceof Error ? error.message : String(error) };
      }
    }

    const machine: Machine = {
      node: process.version,
      cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      platform: `${process.platform} ${process.arch}`,
      date: new Date().toISOString().replace(/\.\d+Z$/u, 'Z'),
      loadAverage,
      seed: SEED,
      totalSeconds: (performance.now() - started) / 1000,
    };
    const report = renderReport({
      machine,
      results,
      failures,
      cold,
      coldLarge,
      load,
      database,
      pdf,
      reload,
      fileAdd,
      growth,
      essays,
      teams,
      botFlags: BOT_FLAGS,
      defaults,
      serving,
    });
    process.stdout.write(`${report}\n`);
    if (!process.argv.includes('--no-write')) await writeFile(RESULTS, report);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
