import { spawnSync } from "node:child_process";

/**
 * How long a bare `node -e 0` takes on a quiet 2-core machine. The suite's limits were written for
 * such a machine; on a busier one every limit grows by the measured ratio.
 */
const QUIET_NODE_START_MS = 60;

/** The environment variable that carries the factor from the config process to the test workers. */
export const SLOWNESS_ENV = "OPENCLAW_TEST_SLOWNESS";

/**
 * Measures this machine against the quiet baseline: the median of five `node -e 0` starts, over
 * {@link QUIET_NODE_START_MS}, never below 1. Starting a process is what the slowest tests do most,
 * and it slows down with load the way they do. A factor already in the environment wins, so a run
 * can be pinned (`OPENCLAW_TEST_SLOWNESS=4 npx vitest run`).
 */
export function measureSlowness(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env[SLOWNESS_ENV]);
  if (Number.isFinite(given) && given >= 1) return given;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[2] ?? QUIET_NODE_START_MS;
  return Math.max(1, Math.round((median / QUIET_NODE_START_MS) * 10) / 10);
}

/** The factor measured at the start of this run (1 when a test file runs outside vitest's config). */
export const SLOWNESS: number = Math.max(1, Number(process.env[SLOWNESS_ENV]) || 1);

/** A limit written for a quiet machine, grown by this run's {@link SLOWNESS}. */
export function scaled(ms: number): number {
  return Math.round(ms * SLOWNESS);
}

/** Waits `ms` (scaled): for tests that must let something that is not observable settle. */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, scaled(ms)));
}
