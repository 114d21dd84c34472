import type { SessionStore } from "../../src/sessions/types.js";
import type { AuthState } from "./health.js";

/**
 * Where the last announced state of a credential is kept per owner, in the session store, so every
 * instance on one Redis (or one SQLite file) sees it. The record's `profileId` field holds the
 * state: the store's compare-and-set on that field is what lets exactly one instance announce.
 */
export const ANNOUNCE_KEY_PREFIX = "openclaw:auth-monitor:";

/** The state last announced to `owner` about `credentialId` (`ok` when none). */
export async function announcedState(sessions: SessionStore, owner: string, credentialId: string): Promise<AuthState> {
  const record = await sessions.get(`${ANNOUNCE_KEY_PREFIX}${owner}:${credentialId}`);
  return (record?.profileId as AuthState | undefined) ?? "ok";
}

/**
 * Moves the announced state from `from` to `to` if no other instance did first; true when this
 * instance won (and so must send the message). Moving to `ok` deletes the record.
 */
export async function claimAnnouncement(
  sessions: SessionStore,
  key: { owner: string; credentialId: string; instance: string },
  from: AuthState,
  to: AuthState,
  now: number,
): Promise<boolean> {
  const storeKey = `${ANNOUNCE_KEY_PREFIX}${key.owner}:${key.credentialId}`;
  const record = await sessions.update(
    storeKey,
    { profileId: to === "ok" ? null : to, setBy: key.instance, onlyIfProfileId: from === "ok" ? null : from },
    now,
  );
  return to === "ok" ? record === undefined : record?.profileId === to && record.setBy === key.instance;
}
