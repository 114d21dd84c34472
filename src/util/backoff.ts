/** A wait that grows after every failed attempt: `initialMs`, then `factor` times longer each time, `maxMs` at most. */
export interface Backoff {
  /** The wait after the first failure. */
  readonly initialMs: number;
  /** The longest wait, however many attempts failed. */
  readonly maxMs: number;
  /** How much longer each wait is than the one before (default 2: doubling). */
  readonly factor?: number;
}

/**
 * The wait after failed attempt number `retry` (0 after the first failure): `initialMs × factor^retry`,
 * at most `maxMs`. No jitter: every caller waits on its own resource (a lock, a lease, a channel),
 * so there is no crowd of clients to spread out.
 */
export function backoffDelay(policy: Backoff, retry: number): number {
  // Bounding the growth keeps a zero first wait zero after any number of attempts (0 × Infinity is NaN).
  const growth = Math.min((policy.factor ?? 2) ** retry, Number.MAX_VALUE);
  return Math.min(policy.initialMs * growth, policy.maxMs);
}
