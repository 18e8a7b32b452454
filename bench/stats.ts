import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Small timing helpers for the benchmark. Times are milliseconds from performance.now(). */

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Runs `fn` `times` times and returns each run's duration with its last result. */
export function timeRuns<T>(times: number, fn: () => T): { ms: number[]; result: T } {
  const ms: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    result = fn();
    ms.push(performance.now() - t0);
  }
  return { ms, result: result as T };
}

export async function timeRunsAsync<T>(times: number, fn: () => Promise<T>): Promise<{ ms: number[]; result: T }> {
  const ms: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    result = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms, result: result as T };
}

/** Peak resident set size of this process so far, in MB (Linux reports maxRSS in KiB). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * A function that runs a full garbage collection, or undefined. Node only offers one behind
 * --expose-gc; setting the flag at run time makes `gc` appear in contexts created after it,
 * which is enough to ask for a collection without changing how vitest or `npm run bench`
 * start Node.
 */
export function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** heapUsed in MB, after a full collection when one can be forced. */
export function heapUsedMb(gc: (() => void) | undefined): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** What a load run through a loopback platform shows: latency, exactly-once delivery, heap. */
export interface LoadFigures {
  /** Latency percentiles in ms, request sent to answer received (each platform says which events). */
  p50: number;
  p99: number;
  requests: number;
  /** Requests answered exactly once, with exactly the messages the renderer lays out. */
  answered: number;
  /** Answers or acknowledgements beyond one per request. */
  duplicates: number;
  /** heapUsed growth from a warm point of the run to its end, after GC when possible. */
  heapGrowthMb: number;
}

/** Runs `task(i)` for every i below `count`, in order of i, with at most `concurrency` in flight. */
export async function inPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let cursor = 0;
  const worker = async () => {
    while (cursor < count) await task(cursor++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
