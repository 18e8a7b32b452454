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
