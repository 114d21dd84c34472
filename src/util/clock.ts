/** Milliseconds since the epoch. Injected wherever time decides behaviour (expiry, cooldowns, caches). */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();
