import { describe, expect, it } from "vitest";
import { publicKeyFromHex, verifyInteraction } from "../../../src/channels/discord/signature.js";
import { interactionKeys, signedHeaders } from "./support.js";

const body = '{"type":1}';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const nowSec = now / 1000;
const keys = interactionKeys();

function check(headers: Record<string, string>, raw = body, at = now) {
  return verifyInteraction(
    publicKeyFromHex(keys.publicKeyHex),
    headers["x-signature-ed25519"],
    headers["x-signature-timestamp"],
    Buffer.from(raw),
    at,
  );
}

describe("verifyInteraction", () => {
  it("accepts Discord's signature over timestamp + body", () => {
    expect(check(signedHeaders(keys.privateKey, body, nowSec))).toEqual({ ok: true });
  });

  it("refuses a tampered body, a signature by another key, and missing or malformed headers", () => {
    const headers = signedHeaders(keys.privateKey, body, nowSec);
    expect(check(headers, '{"type":2}')).toEqual({ ok: false, reason: "bad_signature" });
    expect(check(signedHeaders(interactionKeys().privateKey, body, nowSec))).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(check({ ...headers, "x-signature-timestamp": String(nowSec + 1) })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(check({})).toEqual({ ok: false, reason: "missing" });
    expect(check({ ...headers, "x-signature-ed25519": "zz" })).toEqual({ ok: false, reason: "malformed" });
    expect(check({ ...headers, "x-signature-timestamp": "soon" })).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses timestamps older than 5 minutes or more than 1 minute ahead", () => {
    expect(check(signedHeaders(keys.privateKey, body, nowSec - 299))).toEqual({ ok: true });
    expect(check(signedHeaders(keys.privateKey, body, nowSec - 301))).toEqual({ ok: false, reason: "stale" });
    expect(check(signedHeaders(keys.privateKey, body, nowSec + 59))).toEqual({ ok: true });
    expect(check(signedHeaders(keys.privateKey, body, nowSec + 61))).toEqual({ ok: false, reason: "stale" });
  });

  it("builds the key from the portal's hex form only", () => {
    expect(() => publicKeyFromHex("abc")).toThrow(/64 hex/);
  });
});
