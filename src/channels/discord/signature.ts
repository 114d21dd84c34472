import crypto, { type KeyObject } from "node:crypto";

// DER SubjectPublicKeyInfo header for a raw 32-byte Ed25519 key (RFC 8410).
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const HEX_SIGNATURE = /^[0-9a-fA-F]{128}$/;
const DIGITS = /^\d{1,15}$/;

/** How old a signed request may be before it is refused as a replay. */
export const MAX_AGE_MS = 5 * 60_000;
/** How far in the future a timestamp may be (clock skew) before it is refused. */
export const MAX_SKEW_MS = 60_000;

/** Why a request's signature was refused. */
export type SignatureFailure = "missing" | "malformed" | "bad_signature" | "stale";

/** Builds a verification key from the application's public key as the developer portal shows it (64 hex chars). */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!HEX_KEY.test(hex)) throw new Error("Discord public key must be 64 hex characters");
  return crypto.createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

/**
 * Checks what can be checked before the body is read: both headers present and well formed, and
 * `X-Signature-Timestamp` (unix seconds) recent. Untrusted input in; never throws. `now` is epoch ms.
 */
export function checkSignatureHeaders(
  signature: string | undefined,
  timestamp: string | undefined,
  now: number,
): { readonly ok: true } | { readonly ok: false; readonly reason: Exclude<SignatureFailure, "bad_signature"> } {
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: "missing" };
  if (!HEX_SIGNATURE.test(signature) || !DIGITS.test(timestamp)) return { ok: false, reason: "malformed" };
  const age = now - Number(timestamp) * 1000;
  if (age > MAX_AGE_MS || age < -MAX_SKEW_MS) return { ok: false, reason: "stale" };
  return { ok: true };
}

/**
 * Checks Discord's `X-Signature-Ed25519` over `timestamp + rawBody`, after
 * {@link checkSignatureHeaders}. Untrusted input in; never throws. `now` is epoch ms.
 */
export function verifyInteraction(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  now: number,
): { readonly ok: true } | { readonly ok: false; readonly reason: SignatureFailure } {
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: "missing" };
  const headers = checkSignatureHeaders(signature, timestamp, now);
  if (!headers.ok) return headers;
  const valid = crypto.verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, "hex"));
  return valid ? { ok: true } : { ok: false, reason: "bad_signature" };
}
