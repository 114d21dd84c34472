import { MemoryCooldownStore } from "../../src/auth/cooldowns.js";
import { ChangeListeners, type SessionChange, type WatchableSessionStore } from "../../src/sessions/backend.js";
import { applyPatch, DROP_PIN, hasPrefix } from "../../src/sessions/record.js";
import { MemoryLeaseStore } from "../../src/auth/lease.js";
import type { SessionPatch, SessionRecord, SessionStore } from "../../src/sessions/types.js";
import { createLedgerTables, SqliteLedger } from "../../src/sessions/sqlite-ledger.js";
import { openSqlite } from "../../src/util/sqlite.js";

/** A real SQLite ledger in a private in-memory database: the cache and inheritance tests never persist it. */
function memoryLedger(): SqliteLedger {
  const db = openSqlite(":memory:");
  createLedgerTables(db);
  return new SqliteLedger(db, (step) => step());
}

/** An in-memory backend for cache and inheritance tests: counts reads, can defer or fail them. */
export class MemorySessionStore implements SessionStore {
  readonly records = new Map<string, SessionRecord>();
  readonly cooldowns = new MemoryCooldownStore();
  readonly leases = new MemoryLeaseStore();
  readonly ledger = memoryLedger();
  private readonly claims = new Map<string, number>();
  gets = 0;
  closed = false;
  /** When set, every call waits for this promise first (to hold a call in flight). */
  gate: Promise<void> | undefined;
  /** When set, every write rejects with it. */
  failWrites: Error | undefined;

  async get(key: string): Promise<SessionRecord | undefined> {
    this.gets++;
    const value = this.records.get(key);
    await this.gate;
    return value;
  }
  async update(key: string, patch: SessionPatch, now: number): Promise<SessionRecord | undefined> {
    await this.gate;
    if (this.failWrites) throw this.failWrites;
    const next = applyPatch(key, this.records.get(key), patch, now);
    if (next) this.records.set(key, next);
    else this.records.delete(key);
    return next;
  }
  async delete(key: string): Promise<boolean> {
    await this.gate;
    if (this.failWrites) throw this.failWrites;
    return this.records.delete(key);
  }
  async list(opts: { limit?: number; prefix?: string } = {}): Promise<SessionRecord[]> {
    return [...this.records.values()]
      .filter((r) => hasPrefix(r.key, opts.prefix))
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.key < b.key ? 1 : -1))
      .slice(0, opts.limit ?? Infinity);
  }
  async dropAutoPins(keyPrefix?: string): Promise<number> {
    let n = 0;
    for (const r of [...this.records.values()]) {
      if (r.pinSource !== "auto" || !hasPrefix(r.key, keyPrefix)) continue;
      n++;
      const next = applyPatch(r.key, r, DROP_PIN, r.updatedAt);
      if (next) this.records.set(r.key, next);
      else this.records.delete(r.key);
    }
    return n;
  }
  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    if ((this.claims.get(key) ?? 0) > now) return false;
    this.claims.set(key, now + ttlMs);
    return true;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** {@link MemorySessionStore} that reports changes the way SQLite and Redis do, driven by the test. */
export class WatchableMemoryStore extends MemorySessionStore implements WatchableSessionStore {
  private readonly listeners = new ChangeListeners();
  watch(listener: (change: SessionChange) => void): () => void {
    return this.listeners.add(listener);
  }
  /** Pretends another process changed something. */
  emit(change: SessionChange): void {
    this.listeners.emit(change);
  }
  get listenerCount(): number {
    return (this.listeners as unknown as { listeners: Set<unknown> }).listeners.size;
  }
}
