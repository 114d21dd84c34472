import type { PinSource, SessionPatch, SessionRecord, TimedSwitch } from "./types.js";

/** The stored fields of a session, as both backends keep them. */
export interface SessionFields {
  readonly model?: string | undefined;
  readonly profileId?: string | undefined;
  readonly pinSource?: PinSource | undefined;
  readonly setBy?: string | undefined;
  readonly updatedAt: number;
  readonly timed?: TimedSwitch | undefined;
}

/** Builds a record without `undefined`-valued properties, so records compare and print cleanly. */
export function makeRecord(key: string, f: SessionFields): SessionRecord {
  const r: { -readonly [K in keyof SessionRecord]: SessionRecord[K] } = { key, updatedAt: f.updatedAt };
  if (f.model !== undefined) r.model = f.model;
  if (f.profileId !== undefined) r.profileId = f.profileId;
  if (f.pinSource !== undefined) r.pinSource = f.pinSource;
  if (f.setBy !== undefined) r.setBy = f.setBy;
  if (f.timed !== undefined) r.timed = f.timed;
  return r;
}

/** A timed switch without `undefined`-valued properties, as both backends read it back. */
export function makeTimed(until: number, model?: string, profileId?: string, setBy?: string): TimedSwitch {
  const t: { -readonly [K in keyof TimedSwitch]: TimedSwitch[K] } = { until };
  if (model !== undefined) t.model = model;
  if (profileId !== undefined) t.profileId = profileId;
  if (setBy !== undefined) t.setBy = setBy;
  return t;
}

/**
 * The record as it stands at `now`: a timed switch that has ended gives way to what the session
 * had before it (undefined when that was nothing). Otherwise the same object, so a caller can tell
 * that nothing changed.
 */
export function asOf(record: SessionRecord | undefined, now: number): SessionRecord | undefined {
  const t = record?.timed;
  if (record === undefined || t === undefined || t.until > now) return record;
  if (t.model === undefined && t.profileId === undefined) return undefined;
  return makeRecord(record.key, {
    model: t.model,
    profileId: t.profileId,
    pinSource: t.profileId === undefined ? undefined : "user",
    setBy: t.setBy,
    updatedAt: t.until,
  });
}

function isEmpty(patch: SessionPatch): boolean {
  return (
    patch.model === undefined &&
    patch.profileId === undefined &&
    patch.pinSource === undefined &&
    patch.setBy === undefined &&
    patch.timed === undefined
  );
}

/** Narrows a stored pin source; anything else reads as unknown (never as `auto`, so it is never dropped). */
export function asPinSource(v: unknown): PinSource | undefined {
  return v === "user" || v === "auto" ? v : undefined;
}

/**
 * The one definition of {@link SessionPatch} semantics, shared by every backend: `null` clears a
 * field, `undefined` keeps it. A pin source only exists alongside a pinned profile, so clearing
 * the profile clears it too; a new profile given without a source is a `user` pin. A session left with neither a model nor a profile has nothing to
 * remember and is deleted (returns `undefined`). A timed switch that ended by `now` is undone
 * before the patch applies ({@link asOf}). When nothing changes (an empty patch, a failed
 * `onlyIfProfileId`) the record read is returned as it is (`prev` itself when it was current), so a
 * backend skips the write.
 */
export function applyPatch(
  key: string,
  prev: SessionRecord | undefined,
  patch: SessionPatch,
  now: number,
): SessionRecord | undefined {
  const base = asOf(prev, now);
  if (patch.onlyIfProfileId !== undefined && (base?.profileId ?? null) !== patch.onlyIfProfileId) return base;
  if (isEmpty(patch)) return base;
  const model = patch.model === undefined ? base?.model : (patch.model ?? undefined);
  const profileId = patch.profileId === undefined ? base?.profileId : (patch.profileId ?? undefined);
  if (model === undefined && profileId === undefined) return undefined;
  // A newly named profile without a stated source is a person's choice: it must never inherit an
  // `auto` source from the pin it replaces, or `/new` would silently drop it.
  const newProfile = patch.profileId !== undefined && patch.profileId !== null && patch.profileId !== base?.profileId;
  const keptSource = newProfile ? "user" : base?.pinSource;
  const pinSource =
    profileId === undefined ? undefined : patch.pinSource === undefined ? keptSource : (patch.pinSource ?? undefined);
  const timed = patch.timed === undefined ? base?.timed : (patch.timed ?? undefined);
  return makeRecord(key, { model, profileId, pinSource, setBy: patch.setBy ?? base?.setBy, updatedAt: now, timed });
}

/** The patch that drops an `auto` pin and keeps the session's model. */
export const DROP_PIN: SessionPatch = { profileId: null, pinSource: null };

/** True when `key` starts with `prefix` (an absent prefix matches everything). */
export function hasPrefix(key: string, prefix: string | undefined): boolean {
  return prefix === undefined || key.startsWith(prefix);
}
