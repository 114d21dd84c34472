/**
 * One measured figure with the baseline measured beside it in the same run. Absolute figures vary
 * several-fold between machines and with load; the ratio to a same-run baseline is what carries over.
 */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity for something simpler that does part of the work (a `Map` lookup, `node -e 0`). */
  readonly baseline: { readonly name: string; readonly value: number };
  /** Our cost over the baseline's: time per operation, wall time or memory. 1 means as cheap; higher is costlier. */
  readonly ratio: number;
  /** The lowest and highest ratio of single rounds, where `ratio` is their median. */
  readonly spread?: readonly [number, number];
  /** The goal: `ratio` at most this. */
  readonly target?: number;
}

/** A benchmark module's default export. */
export type Bench = () => Promise<BenchResult[]>;

/** Measures a rate (operations per second) over about `ms` milliseconds. */
export type RateProbe = (ms: number) => number | Promise<number>;

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export async function opsPerSecond(fn: () => unknown, ms = 2000, batch = 100): Promise<number> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < batch; i++) await fn();
    ops += batch;
  }
  return ops / ((performance.now() - start) / 1000);
}

/** Like {@link opsPerSecond} for a synchronous `fn(i)`, without an await per call distorting the figure. */
export function syncRate(ms: number, fn: (i: number) => unknown): number {
  let next = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let k = 0; k < 4096; k++) fn(next++);
  }
  return next / ((performance.now() - start) / 1000);
}

/** Calls per second of `fn`, one at a time for about `ms`, recording each call's latency in `latencies`. */
export async function timed(fn: () => unknown, ms: number, latencies: number[]): Promise<number> {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    const t0 = performance.now();
    await fn();
    latencies.push(performance.now() - t0);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

/** Calls per second of `fn(lane)` with `concurrency` calls in flight at once, for about `ms`. */
export async function inFlight(
  fn: (lane: number) => Promise<unknown>,
  concurrency: number,
  ms: number,
): Promise<number> {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await Promise.all(Array.from({ length: concurrency }, (_, lane) => fn(lane)));
    done += concurrency;
  }
  return done / ((performance.now() - start) / 1000);
}

/** The p-th percentile (0-100) of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Measures two rates in alternating rounds (ours, baseline, ours, ...) and returns each one's
 * median, so that load from other processes falls on both alike.
 */
export async function alternate(
  ours: RateProbe,
  baseline: RateProbe,
  rounds = 5,
  ms = 400,
): Promise<{ ours: number; baseline: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await ours(ms));
    b.push(await baseline(ms));
  }
  return { ours: percentile(a, 50), baseline: percentile(b, 50) };
}

/** A throughput figure: the ratio is the baseline's rate over ours, i.e. our time per operation over its. */
export function rateFigure(
  name: string,
  unit: string,
  rates: { ours: number; baseline: number },
  baselineName: string,
  target?: number,
): BenchResult {
  return {
    name,
    value: rates.ours,
    unit,
    baseline: { name: baselineName, value: rates.baseline },
    ratio: rates.baseline / rates.ours,
    ...(target === undefined ? {} : { target }),
  };
}

/** A cost figure (milliseconds, megabytes): the ratio is ours over the baseline's. */
export function costFigure(
  name: string,
  unit: string,
  costs: { ours: number; baseline: number },
  baselineName: string,
  target?: number,
): BenchResult {
  return {
    name,
    value: costs.ours,
    unit,
    baseline: { name: baselineName, value: costs.baseline },
    ratio: costs.ours / costs.baseline,
    ...(target === undefined ? {} : { target }),
  };
}
