/**
 * Named leases with an expiry, kept in the session store backend so every process and instance
 * that shares the backend sees the same holder. A lease is a lock that cannot outlive a crashed
 * holder: it lapses `ttlMs` after it was last taken or renewed. Auth declares this port (OAuth
 * refresh needs it); the session stores implement it, so auth never imports a store.
 */
export interface LeaseStore {
  /**
   * Takes the lease `name` for `owner` until `ttlMs` from now, or renews it when `owner` holds it
   * already. False while another owner holds it and it has not lapsed.
   */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it; a lapsed or taken-over lease is left alone. */
  release(name: string, owner: string): Promise<void>;
}

/** An in-process {@link LeaseStore}, for single-process tests and stores. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly held = new Map<string, { owner: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    const cur = this.held.get(name);
    if (cur && cur.owner !== owner && cur.until > t) return false;
    this.held.set(name, { owner, until: t + ttlMs });
    return true;
  }
  async release(name: string, owner: string): Promise<void> {
    if (this.held.get(name)?.owner === owner) this.held.delete(name);
  }
}
