import { beforeEach, describe, expect, it } from "vitest";
import type { Candidate, Resolution } from "../../src/auth/resolver.js";
import { afterFailedCall, noCredentialLeft } from "../../src/chat/failover.js";
import type { FailedAttempt, TurnFacts } from "../../src/chat/failure-text.js";
import type { Classification } from "../../src/providers/classify.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, leakCheckedHarnesses, startTestTurn, T0 } from "./harness.js";

const KEY_A = "sk-ant-api03-FAILOVERFAILOVER00000aaaa";
const KEY_B = "sk-ant-api03-FAILOVERFAILOVER00000bbbb";
const SONNET = "anthropic/claude-sonnet-5-5";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY_A, KEY_B], {
  authProfiles: {
    version: 1,
    profiles: { "anthropic:a": apiKey("anthropic", KEY_A), "anthropic:b": apiKey("anthropic", KEY_B) },
  },
  config: { auth: { order: { anthropic: ["anthropic:a", "anthropic:b"] } } },
});

let a: Candidate;
let b: Candidate;
let facts: TurnFacts;
let resolution: Resolution;
beforeEach(async () => {
  const h = await harness();
  resolution = h.services.resolver().resolve({ agentId: "main", provider: "anthropic", model: SONNET });
  [a, b] = resolution.candidates as [Candidate, Candidate];
  facts = (await startTestTurn(h, "hi")).facts;
});

function failure(kind: Classification["kind"], status?: number, reasonCode: string = kind): Classification {
  return status === undefined ? { kind, reasonCode, detail: "" } : { kind, reasonCode, status, detail: "" };
}

const attempt = (candidate: Candidate, f: Classification): FailedAttempt => ({ candidate, failure: f });

describe("afterFailedCall", () => {
  it("an unpinned session moves on after a credential's failure", () => {
    const done = attempt(a, failure("auth", 401, "unauthorized"));
    expect(afterFailedCall(done, [done], "", { strict: false, facts })).toBe("next");
  });

  it("a user's pin never moves on: the reply names the profile and the model command as declared", () => {
    const done = attempt(a, failure("auth", 401, "unauthorized"));
    const out = afterFailedCall(done, [done], "", { strict: true, facts: { ...facts, commands: { model: "llm" } } });
    expect(out).toMatchObject({ kind: "failure", unavailable: false });
    expect(out !== "next" && out.text).toBe(
      "Your pinned profile anthropic:a (sk-ant-a…aaaa) failed: Anthropic rejected the credential (401). " +
        "This session is pinned to it, so no other credential is tried. Use /llm default to unpin, or pin another profile with /llm <model>@<profileId>.",
    );
  });

  it("an answer already shown ends with what cut it off, whatever the session", () => {
    const done = attempt(a, failure("rate_limit", 429, "rate_limited"));
    expect(afterFailedCall(done, [done], "so far", { strict: false, facts })).toEqual({
      kind: "reply",
      text: "so far\n\n[…cut off: rate limited on anthropic:a]",
    });
  });

  it("an overloaded provider gets one more try elsewhere, then the turn says to try again", () => {
    const first = attempt(a, failure("overloaded", 529));
    const second = attempt(b, failure("overloaded", 529));
    expect(afterFailedCall(first, [first], "", { strict: false, facts })).toBe("next");
    expect(afterFailedCall(second, [first, second], "", { strict: false, facts })).toMatchObject({
      kind: "failure",
      unavailable: true,
      text: `Anthropic is overloaded (529) for ${SONNET}; please try again in a moment.`,
    });
  });

  it("a request refused whoever sends it is not sent again; a model not served may fall back", () => {
    const bad = attempt(a, failure("format", 400, "invalid_request"));
    expect(afterFailedCall(bad, [bad], "", { strict: false, facts })).toMatchObject({ unavailable: false });
    const gone = attempt(a, failure("format", 404, "not_found"));
    expect(
      afterFailedCall(gone, [gone], "", { strict: false, facts: { ...facts, commands: { model: "llm" } } }),
    ).toMatchObject({
      unavailable: true,
      text: `Anthropic does not serve ${SONNET} (404). Pick another model with /llm list.`,
    });
  });

  it("a host that does not resolve is a configuration error, pinned or not", () => {
    const done = attempt(a, { kind: "config", reasonCode: "host_not_found", detail: "api.example.invalid" });
    for (const strict of [false, true])
      expect(afterFailedCall(done, [done], "", { strict, facts })).toMatchObject({
        unavailable: !strict,
        text: expect.stringContaining("check models.providers.anthropic.baseUrl"),
      });
  });
});

describe("noCredentialLeft", () => {
  it("with no call made, the resolver's own error; a pinned session's is not for a fallback to hide", async () => {
    const h = await harness();
    const none = h.services.resolver().resolve({ agentId: "main", provider: "openrouter" });
    expect(noCredentialLeft(none, [], [], { strict: false, facts })).toMatchObject({
      unavailable: true,
      text: expect.stringMatching(/^No usable credential for openrouter\. Run `openclaw models auth paste-api-key/),
      reason: "no openrouter credential is set up",
    });
    expect(noCredentialLeft(none, [], [], { strict: true, facts })).toMatchObject({ unavailable: false });
  });

  it("after failed calls, one line per credential, and the refresh failures after them", () => {
    const failed = [attempt(a, failure("auth", 401)), attempt(b, failure("billing", 402))];
    const refresh = {
      code: "invalid_grant",
      message: "The OAuth login is no longer valid.",
      kind: "invalid_grant" as const,
      transient: false,
    };
    const out = noCredentialLeft(resolution, failed, [refresh], { strict: false, facts: { ...facts, now: T0 } });
    expect(out).toMatchObject({ kind: "failure", unavailable: true });
    expect(out.text.split("\n")).toEqual([
      `All 2 anthropic credentials failed for ${SONNET}:`,
      "• anthropic:a (sk-ant-a…aaaa): Anthropic rejected the credential (401)",
      "• anthropic:b (sk-ant-a…bbbb): Anthropic refused it for billing or credit (402)",
      "`openclaw models status --probe` checks every credential.",
      "The OAuth login is no longer valid.",
    ]);
  });
});
