import crypto from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { LeaseStore } from "./lease.js";
import { backoffDelay, type Backoff } from "../util/backoff.js";
import { systemClock, type Clock } from "../util/clock.js";

/** A waiter asks again after 20 ms, then twice as long each time, every 250 ms at most. */
const WAIT: Backoff = { initialMs: 20, maxMs: 250 };

/** Options of {@link withLease}. */
export interface LeaseOptions {
  /** How long the lease lasts unless renewed; the holder renews it every third of this (default 30 s). */
  readonly ttlMs?: number;
  /** How long to wait for another holder before giving up (default 45 s). */
  readonly waitMs?: number;
  /** The time the wait is measured in (the system clock by default). */
  readonly clock?: Clock;
}

/** What {@link withLease} did: ran `fn` while holding the lease, or gave up waiting for it. */
export type LeaseOutcome<T> = { readonly held: true; readonly value: T } | { readonly held: false };

/**
 * Runs `fn` while holding the lease `name` of a session store backend, so exactly one process or
 * gateway instance on that backend runs it at a time (SQLite: every process on the host; Redis:
 * every instance). The lease is renewed while `fn` runs and released after; a holder that dies
 * stops renewing and the lease lapses after `ttlMs`. Waiting backs off from 20 ms to 250 ms.
 */
export async function withLease<T>(
  leases: LeaseStore,
  name: string,
  fn: () => Promise<T>,
  opts: LeaseOptions = {},
): Promise<LeaseOutcome<T>> {
  const ttlMs = opts.ttlMs ?? 30_000;
  const clock = opts.clock ?? systemClock;
  const deadline = clock() + (opts.waitMs ?? 45_000);
  const owner = crypto.randomBytes(12).toString("hex");
  for (let attempt = 0; !(await leases.acquire(name, owner, ttlMs)); attempt++) {
    if (clock() >= deadline) return { held: false };
    await sleep(backoffDelay(WAIT, attempt));
  }
  const renew = setInterval(() => {
    leases.acquire(name, owner, ttlMs).catch(() => undefined);
  }, ttlMs / 3);
  renew.unref();
  try {
    return { held: true, value: await fn() };
  } finally {
    clearInterval(renew);
    // A release that fails (the store is down) leaves the lease to lapse by itself.
    await leases.release(name, owner).catch(() => undefined);
  }
}
