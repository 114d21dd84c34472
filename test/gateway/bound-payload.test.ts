import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  bindPayload,
  payloadSecretFromState,
  payloadSecretFromToken,
  unbindPayload,
} from "../../src/gateway/bound-payload.js";
import { MAX_ROUTED_PAYLOAD_BYTES } from "../../src/gateway/choice-route.js";

const SECRET = payloadSecretFromToken("123456789:token");

describe("bound payloads", () => {
  it("round-trips for the opener and stays within Telegram's 64 bytes, for any routed payload and user id", () => {
    // The host's longest payload (plugin name included), and Telegram's user ids of up to 52 bits.
    const payload = fc.stringMatching(new RegExp(`^[ -~]{1,${MAX_ROUTED_PAYLOAD_BYTES}}$`));
    fc.assert(
      fc.property(payload, fc.bigInt({ min: 1n, max: 2n ** 52n - 1n }), (payload, id) => {
        const data = bindPayload(SECRET, "-1001", String(id), payload);
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(unbindPayload(SECRET, "-1001", String(id), data)).toEqual({ kind: "ok", payload });
      }),
    );
  });

  it("tells a press by someone else from a forged or edited payload", () => {
    const data = bindPayload(SECRET, "42", "1001", "m:s:ab:0:1");
    expect(unbindPayload(SECRET, "42", "1002", data)).toEqual({ kind: "foreign", openerId: "1001" });
    expect(unbindPayload(SECRET, "42", "1001", data.replace("m:s:ab:0:1", "m:s:ab:0:2"))).toEqual({ kind: "invalid" });
    expect(unbindPayload(SECRET, "43", "1001", data)).toEqual({ kind: "invalid" });
    expect(unbindPayload(payloadSecretFromToken("other"), "42", "1001", data)).toEqual({ kind: "invalid" });
    expect(unbindPayload(SECRET, "42", "1001", "garbage")).toEqual({ kind: "invalid" });
  });

  it("keeps one random secret per state directory, 0600, when there is no token", () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-secret-"));
    const a = payloadSecretFromState(state);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(payloadSecretFromState(state)).toBe(a);
    const file = path.join(state, "state", "choice-secret");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
