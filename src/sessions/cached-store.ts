import { LRUCache } from "lru-cache";
import type { CooldownStore } from "../auth/cooldowns.js";
import type { LeaseStore } from "../auth/lease.js";
import type { Clock } from "../util/clock.js";
import type { UsageLedger } from "./ledger.js";
import { isWatchable, type SessionChange } from "./backend.js";
import type { SessionPatch, SessionRecord, SessionStore } from "./types.js";

/** `session.cacheSize` when the config does not set it. */
export const DEFAULT_CACHE_SIZE = 10_000;

/** Options of {@link CachedSessionStore}. */
export interface CachedStoreOptions {
  /** Most sessions kept in memory (config `session.cacheSize`; default 10,000). */
  readonly max?: number;
  /**
   * How long a cached entry is trusted, in ms. With a backend that reports other writers'
   * changes (SQLite, Redis) this is only a safety net, default 5 minutes; with one that does not,
   * it is what keeps "a pin written elsewhere is seen within 1 s", default 1000.
   */
  readonly ttlMs?: number;
  /** Time source for the TTL (tests advance it instead of sleeping). */
  readonly clock?: Clock;
}

/** A session store with a synchronous cache look-up for the per-message hot path. */
export interface PeekableSessionStore extends SessionStore {
  /**
   * The cached record of `key`, without I/O. `undefined` means "no record, or not cached": it is
   * NOT proof that the session has no pin. Use `store.peek(key) ?? (await store.get(key))`; the
   * `get` is then answered from the cache too when the absence is known.
   */
  peek(key: string): SessionRecord | undefined;
  /**
   * Changes after every write through this store and every change another writer reported, so a
   * list read while it held one value is current as long as it holds it. Undefined when the
   * backend does not report other writers' changes: then nothing read may be kept.
   */
  readonly generation: number | undefined;
}

/** Cached absence: the backend said there is no such session. */
const ABSENT: unique symbol = Symbol("absent");
type Entry = SessionRecord | typeof ABSENT;

/**
 * Bookkeeping for calls in flight on one key. `changes` counts the writes started and the
 * invalidations seen while any call was in flight: an answer fills the cache only when it did not
 * change while the call ran and no write is still running. Reads that overlap only each other
 * agree, so a key read by many chats at once (every direct message of `agent:main:main`) stays cached.
 */
interface InFlight {
  count: number;
  writing: number;
  changes: number;
}

const SAFETY_TTL_MS = 5 * 60_000;
const UNWATCHED_TTL_MS = 1000;

/**
 * A bounded LRU cache in front of any {@link SessionStore}. It caches records and absences,
 * writes through (a write's own result is cached), and drops entries when the backend reports
 * that another process or instance changed them. An answer that raced an invalidation or a write
 * is returned but never cached, so a stale record cannot outlive the change that should have
 * removed it.
 */
export class CachedSessionStore implements PeekableSessionStore {
  readonly cooldowns: CooldownStore;
  readonly leases: LeaseStore;
  /** The backend's own ledger: entries are written once and read rarely, so nothing is cached. */
  readonly ledger: UsageLedger;
  /** The store behind the cache. */
  readonly backend: SessionStore;

  private readonly cache: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly unwatch: (() => void) | undefined;
  private changes = 0;

  constructor(backend: SessionStore, opts: CachedStoreOptions = {}) {
    this.backend = backend;
    this.cooldowns = backend.cooldowns;
    this.leases = backend.leases;
    this.ledger = backend.ledger;
    const watchable = isWatchable(backend);
    const ttl = opts.ttlMs ?? (watchable ? SAFETY_TTL_MS : UNWATCHED_TTL_MS);
    const max = opts.max ?? DEFAULT_CACHE_SIZE;
    this.cache = opts.clock
      ? // An injected clock may jump at any moment: read it on every check (ttlResolution 0).
        new LRUCache<string, Entry>({ max, ttl, ttlResolution: 0, perf: { now: opts.clock } })
      : // lru-cache's own monotonic clock, read at most once per millisecond.
        new LRUCache<string, Entry>({ max, ttl });
    this.unwatch = watchable ? backend.watch((change) => this.invalidate(change)) : undefined;
  }

  get generation(): number | undefined {
    return this.unwatch ? this.changes : undefined;
  }

  peek(key: string): SessionRecord | undefined {
    const hit = this.cache.get(key);
    return hit === ABSENT ? undefined : hit;
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit === ABSENT ? undefined : hit;
    return this.track(
      key,
      false,
      () => this.backend.get(key),
      (r) => r,
    );
  }

  async update(key: string, patch: SessionPatch, now: number): Promise<SessionRecord | undefined> {
    try {
      return await this.track(
        key,
        true,
        () => this.backend.update(key, patch, now),
        (r) => r,
      );
    } finally {
      this.changes++;
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return await this.track(
        key,
        true,
        () => this.backend.delete(key),
        () => undefined,
      );
    } finally {
      this.changes++;
    }
  }

  list(opts?: { limit?: number; prefix?: string }): Promise<SessionRecord[]> {
    return this.backend.list(opts);
  }

  async dropAutoPins(keyPrefix?: string): Promise<number> {
    try {
      return await this.backend.dropAutoPins(keyPrefix);
    } finally {
      this.changes++;
      this.invalidate(keyPrefix === undefined ? { kind: "all" } : { kind: "prefix", prefix: keyPrefix });
    }
  }

  /** Never cached: a claim is decided by the backend, which every instance shares. */
  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.backend.claimOnce(key, ttlMs);
  }

  async close(): Promise<void> {
    this.unwatch?.();
    this.cache.clear();
    await this.backend.close();
  }

  /** How many sessions are cached now (for tests and status). */
  get cachedCount(): number {
    return this.cache.size;
  }

  /** Drops cached entries that another writer changed. Backends call this through `watch`. */
  invalidate(change: SessionChange): void {
    this.changes++;
    if (change.kind === "all") {
      this.cache.clear();
      for (const f of this.inFlight.values()) f.changes++;
      return;
    }
    if (change.kind === "keys") {
      for (const key of change.keys) {
        this.cache.delete(key);
        const f = this.inFlight.get(key);
        if (f) f.changes++;
      }
      return;
    }
    const doomed: string[] = [];
    for (const key of this.cache.keys()) if (key.startsWith(change.prefix)) doomed.push(key);
    for (const key of doomed) this.cache.delete(key);
    for (const [key, f] of this.inFlight) if (key.startsWith(change.prefix)) f.changes++;
  }

  private async track<T>(
    key: string,
    write: boolean,
    call: () => Promise<T>,
    toEntry: (result: T) => SessionRecord | undefined,
  ): Promise<T> {
    let f = this.inFlight.get(key);
    if (!f) {
      f = { count: 0, writing: 0, changes: 0 };
      this.inFlight.set(key, f);
    }
    f.count++;
    if (write) {
      // Calls overlapping a write may finish in any order: none that started before it fills the cache.
      f.writing++;
      f.changes++;
    }
    const seen = f.changes;
    try {
      const result = await call();
      if (write) f.writing--;
      if (f.writing === 0 && f.changes === seen) this.cache.set(key, toEntry(result) ?? ABSENT);
      return result;
    } catch (err) {
      if (write) f.writing--;
      // A failed write may or may not have landed (a timeout): forget what we knew.
      this.cache.delete(key);
      throw err;
    } finally {
      if (--f.count === 0) this.inFlight.delete(key);
    }
  }
}
