import { describe, expect, it } from "vitest";
import { applyRateLimits, quotaExhaustion, quotaText, resetTimeText, type QuotaEntry } from "../../src/auth/quota.js";

const NOW = Date.parse("2027-01-15T14:00:00Z");
const MIN = 60_000;

function entry(limits: QuotaEntry["limits"], model = "anthropic/claude-opus-5-5"): QuotaEntry {
  return { model, at: NOW, limits };
}

describe("quota", () => {
  it("is exhausted while requests or tokens are at zero before their reset, until the last of them", () => {
    const q = entry({
      requests: { limit: 50, remaining: 0, resetAt: NOW + 5 * MIN },
      tokens: { limit: 40_000, remaining: 0, resetAt: NOW + 2 * MIN },
      outputTokens: { limit: 8000, remaining: 10, resetAt: NOW + 9 * MIN },
    });
    expect(quotaExhaustion(q, NOW)).toEqual({ kind: "requests", limit: 50, until: NOW + 5 * MIN });
    expect(quotaExhaustion(q, NOW + 3 * MIN)).toEqual({ kind: "requests", limit: 50, until: NOW + 5 * MIN });
    expect(quotaExhaustion(q, NOW + 5 * MIN)).toBeUndefined();
  });

  it("is not exhausted by a zero without a reset time, nor by what is left", () => {
    expect(quotaExhaustion(entry({ requests: { limit: 50, remaining: 0 } }), NOW)).toBeUndefined();
    expect(quotaExhaustion(entry({ requests: { remaining: 1, resetAt: NOW + MIN } }), NOW)).toBeUndefined();
  });

  it("keeps one report per model, the newest last, and drops reports whose windows all reset", () => {
    const opus = entry({ requests: { remaining: 3, resetAt: NOW + MIN } });
    const haiku = entry({ requests: { remaining: 9, resetAt: NOW + 10 * MIN } }, "anthropic/claude-haiku-5-5");
    let quotas = applyRateLimits(undefined, opus.model, opus.limits, NOW);
    quotas = applyRateLimits(quotas, haiku.model, haiku.limits, NOW);
    quotas = applyRateLimits(quotas, opus.model, { requests: { remaining: 2, resetAt: NOW + MIN } }, NOW + 1);
    expect(quotas.map((q) => [q.model, q.limits.requests?.remaining])).toEqual([
      ["anthropic/claude-haiku-5-5", 9],
      ["anthropic/claude-opus-5-5", 2],
    ]);
    quotas = applyRateLimits(quotas, "openai/gpt-5", {}, NOW + 2 * MIN);
    expect(quotas.map((q) => q.model)).toEqual(["anthropic/claude-haiku-5-5", "openai/gpt-5"]);
  });

  it("says what is left with UTC reset times, leaving out windows already reset", () => {
    const q = entry({
      requests: { limit: 50, remaining: 0, resetAt: NOW + 5 * MIN },
      tokens: { limit: 40_000, remaining: 31_000, resetAt: NOW - 1 },
      inputTokens: { remaining: 12, resetAt: NOW + 26 * 60 * MIN },
    });
    expect(quotaText(q, NOW)).toBe("quota 0/50 requests until 14:05 UTC, 12 input tokens until Jan 16 16:00 UTC");
    expect(quotaText(q, NOW + 27 * 60 * MIN)).toBeUndefined();
    expect(resetTimeText(Date.parse("2027-01-15T23:59:00Z"), NOW)).toBe("23:59 UTC");
  });
});
