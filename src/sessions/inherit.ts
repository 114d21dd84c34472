import { asOf } from "./record.js";
import type { SessionRecord, SessionStore } from "./types.js";

/** A session's effective choices, and which session each came from. */
export interface EffectiveSession extends SessionRecord {
  /** The session key the model comes from: the session itself, or its parent when inherited. */
  readonly modelFrom?: string;
  /** The session key the pinned profile (and its pin source) comes from. */
  readonly profileFrom?: string;
  /**
   * During a timed switch (`timed`, the one of the session the model comes from): the model the
   * session has once it ends; absent when that is the configured default.
   */
  readonly modelAfter?: string;
}

/**
 * DESIGN section 5, "threads inherit the parent's pin": a topic or thread without its own model
 * inherits the parent chat's model, and without its own pin the parent's pin (profile and pin
 * source together). Own fields win, except that a person's pin on the parent beats the thread's
 * own `auto` pin. `setBy`/`updatedAt` describe the thread's own record when it
 * has one, else the parent's. The result carries the thread's key.
 */
export function mergeInherited(
  key: string,
  own: SessionRecord | undefined,
  parent: SessionRecord | undefined,
): EffectiveSession | undefined {
  if (!parent) return own && withOrigins(own, own, own, own.timed?.model);
  if (!own) return withOrigins({ ...parent, key }, parent, parent, parent.timed?.model);
  const modelSource = own.model !== undefined ? own : parent;
  // A thread's own auto pin only kept a cache warm; a person's pin on the parent chat wins over it.
  const ownPinCounts =
    own.profileId !== undefined &&
    !(own.pinSource === "auto" && parent.profileId !== undefined && parent.pinSource !== "auto");
  const pinSource = ownPinCounts ? own : parent;
  const merged: SessionRecord = {
    key,
    updatedAt: own.updatedAt,
    ...(modelSource.model !== undefined ? { model: modelSource.model } : {}),
    ...(pinSource.profileId !== undefined ? { profileId: pinSource.profileId } : {}),
    ...(pinSource.pinSource !== undefined ? { pinSource: pinSource.pinSource } : {}),
    ...(own.setBy !== undefined ? { setBy: own.setBy } : {}),
    ...(modelSource.timed !== undefined ? { timed: modelSource.timed } : {}),
  };
  // The thread's own switch ends in its own earlier choice, else in the parent's model.
  const after = modelSource === own ? (own.timed?.model ?? parent.model) : parent.timed?.model;
  return withOrigins(merged, modelSource, pinSource, after);
}

function withOrigins(
  r: SessionRecord,
  modelSource: SessionRecord,
  pinSource: SessionRecord,
  modelAfter: string | undefined,
): EffectiveSession {
  // Assigned, not spread conditionally: V8 builds `...(x ? { a } : {})` far slower, per message.
  const out: { -readonly [K in keyof EffectiveSession]: EffectiveSession[K] } = { ...r };
  if (r.model !== undefined) out.modelFrom = modelSource.key;
  if (r.profileId !== undefined) out.profileFrom = pinSource.key;
  if (r.timed !== undefined && modelAfter !== undefined) out.modelAfter = modelAfter;
  return out;
}

/**
 * A session's own record as it stands at `now`. A timed switch that has ended is undone in the
 * store as it is read (whichever instance reads it first writes it; the others find nothing left
 * to undo), so no timer is needed and a restart loses nothing.
 */
export async function currentRecord(store: SessionStore, key: string, now: number): Promise<SessionRecord | undefined> {
  const record = await store.get(key);
  if (asOf(record, now) === record) return record;
  return store.update(key, {}, now);
}

/**
 * The record whose fields apply to `key`: its own, completed by `parentKey`'s (see
 * {@link mergeInherited}), both as they stand at `now` ({@link currentRecord}). Pass the
 * `parentKey` that `sessionKeys()` returned; without one this is the session's own record.
 */
export async function effectiveSession(
  store: SessionStore,
  key: string,
  parentKey: string | undefined,
  now: number,
): Promise<EffectiveSession | undefined> {
  const [own, parent] = await Promise.all([
    currentRecord(store, key, now),
    parentKey === undefined ? undefined : currentRecord(store, parentKey, now),
  ]);
  return mergeInherited(key, own, parent);
}
