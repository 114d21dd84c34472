import { describe, expect, it } from "vitest";
import {
  activeCooldown,
  applyFailure,
  applySuccess,
  type CredentialState,
  nextCooldown,
  QUIET_RESET_MS,
} from "../../src/auth/cooldowns.js";

const NOW = 1_800_000_000_000;
const MIN = 60_000;

describe("cooldown policy", () => {
  it("steps rate limits 30 s, 1 min, 5 min, and honours retry-after", () => {
    let state: CredentialState | undefined;
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = applyFailure(state, "p", { reason: "rate_limit", model: "m", now: NOW });
      state = r.state;
      seen.push(r.entry.until - NOW);
    }
    expect(seen).toEqual([30_000, MIN, 5 * MIN, 5 * MIN]);
    expect(nextCooldown(undefined, "p", { reason: "rate_limit", model: "m", retryAfterMs: 7000, now: NOW }).until).toBe(
      NOW + 7000,
    );
  });

  it("doubles auth and billing cooldowns from 10 min up to 24 h", () => {
    let state: CredentialState | undefined;
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = applyFailure(state, "p", { reason: "billing", now: NOW });
      state = r.state;
      seen.push((r.entry.until - NOW) / MIN);
    }
    expect(seen).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440]);
  });

  it("sets an incompatible credential aside for a day", () => {
    expect(nextCooldown(undefined, "p", { reason: "incompatible", now: NOW }).until - NOW).toBe(24 * 60 * MIN);
  });

  it("starts counting again after 24 h without failures", () => {
    const first = applyFailure(undefined, "p", { reason: "auth", now: NOW });
    const second = applyFailure(first.state, "p", { reason: "auth", now: NOW + QUIET_RESET_MS + 1 });
    expect(second.entry.errorCount).toBe(1);
  });

  it("scopes rate limits to one model and auth failures to the whole profile", () => {
    const rl = applyFailure(undefined, "p", { reason: "rate_limit", model: "a", now: NOW }).state;
    expect(activeCooldown(rl, "a", NOW)?.reason).toBe("rate_limit");
    expect(activeCooldown(rl, "b", NOW)).toBeUndefined();
    const auth = applyFailure(rl, "p", { reason: "auth", model: "a", now: NOW }).state;
    expect(activeCooldown(auth, "b", NOW)?.reason).toBe("auth");
  });

  it("clears the profile-wide and same-model entries on success, keeping other models'", () => {
    let s = applyFailure(undefined, "p", { reason: "rate_limit", model: "a", now: NOW }).state;
    s = applyFailure(s, "p", { reason: "rate_limit", model: "b", now: NOW }).state;
    s = applyFailure(s, "p", { reason: "auth", now: NOW }).state;
    const after = applySuccess(s, "a", NOW + 1);
    expect(after.cooldowns.map((c) => c.model)).toEqual(["b"]);
    expect(after.lastUsedAt).toBe(NOW + 1);
  });
});
