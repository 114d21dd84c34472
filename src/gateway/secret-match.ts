import crypto from "node:crypto";

/**
 * Fewest characters of a secret that guards an HTTP endpoint (the metrics token, the Telegram
 * webhook secret); a shorter one is refused at start, since anyone who can reach the port may try
 * to guess it.
 */
export const MIN_ENDPOINT_SECRET = 16;

/**
 * A constant-time check of presented secrets against `expected`. A presented value is copied,
 * cut or zero-padded, into a buffer of the expected length and compared whole, and its length is
 * compared after that, so neither where it differs nor how long the secret is shows in the time.
 * A webhook checks every request: this costs a tenth of hashing both sides, which hid the length
 * as well.
 */
export function secretMatcher(expected: string): (presented: string | string[] | undefined) => boolean {
  const want = Buffer.from(expected, "utf8");
  // Reused: a check runs to its end without yielding.
  const got = Buffer.alloc(want.length);
  return (presented) => {
    if (typeof presented !== "string") return false;
    got.fill(0);
    got.write(presented, "utf8");
    const same = crypto.timingSafeEqual(got, want);
    return Buffer.byteLength(presented, "utf8") === want.length && same;
  };
}

/** Compares a presented secret with the expected one in constant time, its length included. */
export function secretMatches(presented: string | string[] | undefined, expected: string): boolean {
  return secretMatcher(expected)(presented);
}

/** Checks `Authorization: Bearer <token>` in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  return header?.startsWith("Bearer ") === true && secretMatches(header.slice("Bearer ".length), token);
}
