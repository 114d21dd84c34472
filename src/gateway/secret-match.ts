import crypto from "node:crypto";

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
