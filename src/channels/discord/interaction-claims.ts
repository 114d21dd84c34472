import { MAX_AGE_MS, MAX_SKEW_MS } from "./signature.js";

/**
 * Remembers which interactions were taken, so a signed request replayed within its signature's
 * window changes nothing. The session store implements it, so every instance behind one
 * interactions endpoint shares the memory (and a restart keeps it).
 */
export interface InteractionClaims {
  /** True for the first claim of `key` within `ttlMs`; false for every later one until it lapses. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * How long an interaction id is remembered: as long as a request carrying it can pass the
 * signature check (a timestamp up to {@link MAX_SKEW_MS} ahead stays valid {@link MAX_AGE_MS} after it).
 */
export const CLAIM_TTL_MS = MAX_AGE_MS + MAX_SKEW_MS;

/** The claim key of an interaction id (ids are snowflakes, unique across Discord). */
export function interactionClaimKey(id: string): string {
  return `discord:interaction:${id}`;
}
