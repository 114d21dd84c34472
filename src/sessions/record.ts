import type { PinSource, SessionPatch, SessionRecord } from "./types.js";

/** The stored fields of a session, as both backends keep them. */
export interface SessionFields {
  readonly model?: string | undefined;
  readonly profileId?: string | undefined;
  readonly pinSource?: PinSource | undefined;
  readonly setBy?: string | undefined;
  readonly updatedAt: number;
}

/** Builds a record without `undefined`-valued properties, so records compare and print cleanly. */
export function makeRecord(key: string, f: SessionFields): SessionRecord {
  const r: { -readonly [K in keyof SessionRecord]: SessionRecord[K] } = { key, updatedAt: f.updatedAt };
  if (f.model !== undefined) r.model = f.model;
  if (f.profileId !== undefined) r.profileId = f.profileId;
  if (f.pinSource !== undefined) r.pinSource = f.pinSource;
  if (f.setBy !== undefined) r.setBy = f.setBy;
  return r;
}

/** Narrows a stored pin source; anything else reads as unknown (never as `auto`, so it is never dropped). */
export function asPinSource(v: unknown): PinSource | undefined {
  return v === "user" || v === "auto" ? v : undefined;
}

/**
 * The one definition of {@link SessionPatch} semantics, shared by every backend: `null` clears a
 * field, `undefined` keeps it. A pin source only exists alongside a pinned profile, so clearing
 * the profile clears it too; a new profile given without a source is a `user` pin. A session left with neither a model nor a profile has nothing to
 * remember and is deleted (returns `undefined`).
 */
export function applyPatch(
  key: string,
  prev: SessionRecord | undefined,
  patch: SessionPatch,
  now: number,
): SessionRecord | undefined {
  if (patch.onlyIfProfileId !== undefined && (prev?.profileId ?? null) !== patch.onlyIfProfileId) return prev;
  const model = patch.model === undefined ? prev?.model : (patch.model ?? undefined);
  const profileId = patch.profileId === undefined ? prev?.profileId : (patch.profileId ?? undefined);
  if (model === undefined && profileId === undefined) return undefined;
  // A newly named profile without a stated source is a person's choice: it must never inherit an
  // `auto` source from the pin it replaces, or `/new` would silently drop it.
  const newProfile = patch.profileId !== undefined && patch.profileId !== null && patch.profileId !== prev?.profileId;
  const keptSource = newProfile ? "user" : prev?.pinSource;
  const pinSource =
    profileId === undefined ? undefined : patch.pinSource === undefined ? keptSource : (patch.pinSource ?? undefined);
  return makeRecord(key, { model, profileId, pinSource, setBy: patch.setBy ?? prev?.setBy, updatedAt: now });
}

/** The patch that drops an `auto` pin and keeps the session's model. */
export const DROP_PIN: SessionPatch = { profileId: null, pinSource: null };

/** True when `key` starts with `prefix` (an absent prefix matches everything). */
export function hasPrefix(key: string, prefix: string | undefined): boolean {
  return prefix === undefined || key.startsWith(prefix);
}
