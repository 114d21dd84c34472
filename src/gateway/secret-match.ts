import crypto from "node:crypto";

/**
 * Fewest characters of a secret that guards an HTTP endpoint (the metrics token, the Telegram
 * webhook secret); a shorter one is refused at start, since anyone who can reach the port may try
 * to guess it.
 */
export const MIN_ENDPOINT_SECRET = 16;

/** Compares a presented secret with the expected one in constant time (hashing first hides the length too). */
export function secretMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== "string") return false;
  const a = crypto.createHash("sha256").update(presented).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** Checks `Authorization: Bearer <token>` in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  return header?.startsWith("Bearer ") === true && secretMatches(header.slice("Bearer ".length), token);
}
