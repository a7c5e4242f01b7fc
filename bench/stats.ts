/** Timing and summary helpers shared by the benchmarks: samples in milliseconds, summarised by rank. */
import { performance } from 'node:perf_hooks';

export interface Summary {
  runs: number;
  median: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

/** Rank statistics of a list of samples (nearest-rank percentiles). */
export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** The nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Runs fn once and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Runs fn `warmup` times unmeasured, then `runs` times measured; wall and CPU (user + system) milliseconds per run. */
export async function sample(
  fn: () => Promise<unknown> | unknown,
  runs: number,
  warmup: number,
): Promise<{ wall: number[]; cpu: number[] }> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    wall.push((await timed(fn)).ms);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

/** Collects latency samples by name (one list per engine call). */
export class Latencies {
  private readonly samples = new Map<string, number[]>();

  async measure<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const { value, ms } = await timed(fn);
    const list = this.samples.get(name) ?? [];
    list.push(ms);
    this.samples.set(name, list);
    return value;
  }

  summaries(): Record<string, Summary> {
    return Object.fromEntries([...this.samples].map(([name, list]) => [name, summarise(list)]));
  }
}

/** Runs `total` async jobs with at most `limit` in flight. */
export async function bounded(total: number, limit: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, total) }, worker));
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
export const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);
