import { spawnSync } from "node:child_process";

let measured: number | undefined;

/**
 * How long this machine takes, right now, to start Node and exit (`node -e 0`, best of three).
 * Limits on process behaviour are multiples of it, so they hold on a busy machine as on a quiet one.
 */
export function nodeStartMs(): number {
  if (measured !== undefined) return measured;
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    best = Math.min(best, performance.now() - t0);
  }
  measured = best;
  return best;
}
