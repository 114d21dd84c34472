import crypto from "node:crypto";

/**
 * Fewest characters of a secret that guards an HTTP endpoint (the metrics token, the Telegram
 * webhook secret); a shorter one is refused at start, since anyone who can reach the port may try
 * to guess it.
 */
export const MIN_ENDPOINT_SECRET = 16;

/** One-shot `crypto.hash` (Node 20.12+): half the cost of `createHash`, and a webhook hashes every request. */
function sha256(value: string): Buffer {
  return crypto.hash("sha256", value, "buffer");
}

/**
 * A constant-time check of presented secrets against `expected`, whose hash is taken once here:
 * a webhook checks every request (hashing both sides also hides the length).
 */
export function secretMatcher(expected: string): (presented: string | string[] | undefined) => boolean {
  const want = sha256(expected);
  return (presented) => typeof presented === "string" && crypto.timingSafeEqual(sha256(presented), want);
}

/** Compares a presented secret with the expected one in constant time (hashing first hides the length too). */
export function secretMatches(presented: string | string[] | undefined, expected: string): boolean {
  return secretMatcher(expected)(presented);
}

/** Checks `Authorization: Bearer <token>` in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  return header?.startsWith("Bearer ") === true && secretMatches(header.slice("Bearer ".length), token);
}
