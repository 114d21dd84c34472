import type { CooldownStore } from "../auth/cooldowns.js";
import type { LeaseStore } from "../auth/lease.js";
import type { UsageLedger } from "./ledger.js";

/** Who set a session's pin: a person typing `/model x@p`, or the gateway keeping a cache warm. */
export type PinSource = "user" | "auto";

/** A chat session's choices. Absent fields mean "use the default". */
export interface SessionRecord {
  readonly key: string;
  /** `provider/model` override for this session. */
  readonly model?: string;
  /** Pinned credential profile id. */
  readonly profileId?: string;
  readonly pinSource?: PinSource;
  /** Who made the last change, e.g. `telegram:12345`. */
  readonly setBy?: string;
  /** Epoch ms of the last change. */
  readonly updatedAt: number;
}

/**
 * A change to a session. `null` clears a field; `undefined` leaves it as it is. Clearing
 * `profileId` clears `pinSource` too; a new `profileId` without a `pinSource` is a `user` pin.
 */
export interface SessionPatch {
  readonly model?: string | null;
  readonly profileId?: string | null;
  readonly pinSource?: PinSource | null;
  readonly setBy?: string;
  /**
   * Apply the patch only if the session's pinned profile is still this one (`null`: no pin), else
   * leave the record as it is. Checked inside the backend's write, so a slow model call cannot
   * replace a pin a person set meanwhile with its `auto` pin.
   */
  readonly onlyIfProfileId?: string | null;
}

/**
 * Where sessions and cooldown state live. SQLite is the embedded default, Redis the scale-out
 * backend; both pass one contract suite. Writes resolve only once durable, so a reply that
 * confirms a pin never outruns the pin.
 */
export interface SessionStore {
  /** The session's own record (no parent inheritance), or undefined. */
  get(key: string): Promise<SessionRecord | undefined>;
  /** Applies a patch and returns the new record. A patch that clears everything deletes the record. */
  update(key: string, patch: SessionPatch, now: number): Promise<SessionRecord | undefined>;
  /** Removes a session; true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Sessions, most recently changed first. */
  list(opts?: { limit?: number; prefix?: string }): Promise<SessionRecord[]>;
  /** Drops `auto` pins (on `/new` and on auth order changes); returns how many. */
  dropAutoPins(keyPrefix?: string): Promise<number>;
  /** Cooldown and last-use state for the resolver, in the same backend. */
  readonly cooldowns: CooldownStore;
  /** Leases (locks that lapse) shared by every process and instance on this backend, e.g. for OAuth refreshes. */
  readonly leases: LeaseStore;
  /** The usage ledger (issue #30), in the same backend so every instance's turns add up. */
  readonly ledger: UsageLedger;
  /**
   * Claims `key` for `ttlMs`: true for the first claim, false for every later one until it lapses;
   * atomic across every process and instance on this backend. For events that must take effect
   * once however often they arrive (a replayed Discord interaction).
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Flushes and closes. */
  close(): Promise<void>;
}
