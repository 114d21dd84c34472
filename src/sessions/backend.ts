import type { SessionStore } from "./types.js";

/** What changed in a backend because of another process or instance. */
export type SessionChange =
  | { readonly kind: "keys"; readonly keys: readonly string[] }
  | { readonly kind: "prefix"; readonly prefix: string }
  /** Unknown extent (missed notifications, reconnect): forget everything cached. */
  | { readonly kind: "all" };

/**
 * A backend that reports other writers' session changes (SQLite by polling its change log, Redis
 * by pub/sub). The cache in front of it uses this to see a pin written elsewhere within 1 s.
 * Changes made through the same object are not reported: their caller already knows.
 */
export interface WatchableSessionStore extends SessionStore {
  /** Subscribes to changes; returns the unsubscribe function. */
  watch(listener: (change: SessionChange) => void): () => void;
}

/** True when the backend reports changes made elsewhere. */
export function isWatchable(store: SessionStore): store is WatchableSessionStore {
  return typeof (store as Partial<WatchableSessionStore>).watch === "function";
}

/** A tiny listener set for backends. */
export class ChangeListeners {
  private readonly listeners = new Set<(change: SessionChange) => void>();

  add(listener: (change: SessionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(change: SessionChange): void {
    for (const l of this.listeners) l(change);
  }
}
