/** One measured figure. `target` states the goal it is judged against, e.g. `>= 20000/s`. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
}

/** A benchmark module's default export. */
export type Bench = () => Promise<BenchResult[]>;

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = 2000, batch = 100): Promise<number> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < batch; i++) await fn();
    ops += batch;
  }
  return ops / ((performance.now() - start) / 1000);
}

/** The p-th percentile (0-100) of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
