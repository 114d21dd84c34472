import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/auth/resolver.js";
import { cooldownStep } from "../../src/chat/cooldown.js";
import type { CallOutcome } from "../../src/chat/turn.js";
import type { Classification } from "../../src/providers/classify.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, leakCheckedHarnesses, startTestTurn, T0, type ChatHarness } from "./harness.js";

const KEY = "sk-ant-api03-COOLDOWNCOOLDOWN0000000aa";
const SONNET = "anthropic/claude-sonnet-5-5";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY], {
  authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY) } },
});

/** Runs one call's outcome through the cooldown step, with the real SQLite store behind it. */
async function through(
  h: ChatHarness,
  outcome: CallOutcome,
  before: "stop" | "close store" | "" = "",
): Promise<CallOutcome> {
  const turn = await startTestTurn(h, "hi");
  if (before === "stop") turn.stop.abort();
  if (before === "close store") await h.sessions.close();
  const candidate = h.services.resolver().resolve({ agentId: "main", provider: "anthropic" }).chosen as Candidate;
  return cooldownStep(h.services, (level, m) => void h.logs.push(`[${level}] ${m}`))(
    { turn, candidate },
    async () => outcome,
  );
}

const failed = (failure: Classification): CallOutcome => ({ ok: false, failure, partial: "" });

describe("the cooldown step", () => {
  it("records a credential's success as its last use", async () => {
    const h = await harness();
    await through(h, { ok: true, result: { text: "fine" } });
    expect(h.sessions.cooldowns.get("anthropic:a")?.lastUsedAt).toBe(T0);
  });

  it("cools a rate-limited profile for that model for retry-after, and hands the cooldown on", async () => {
    const h = await harness();
    const out = await through(
      h,
      failed({ kind: "rate_limit", reasonCode: "rate_limited", status: 429, retryAfterMs: 7000, detail: "" }),
    );
    expect(out).toMatchObject({ ok: false, cooldown: { reason: "rate_limit", model: SONNET, until: T0 + 7000 } });
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns).toEqual([expect.objectContaining({ until: T0 + 7000 })]);
  });

  it("cools the whole profile for an auth error", async () => {
    const h = await harness();
    const out = await through(h, failed({ kind: "auth", reasonCode: "unauthorized", status: 401, detail: "" }));
    expect(out).toMatchObject({ cooldown: { reason: "auth", until: T0 + 10 * 60_000 } });
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns[0]?.model).toBeUndefined();
  });

  it("cools nothing for an overloaded provider, nor for a stopped call", async () => {
    const h = await harness();
    const overloaded = await through(
      h,
      failed({ kind: "overloaded", reasonCode: "overloaded", status: 529, detail: "" }),
    );
    expect(overloaded).not.toHaveProperty("cooldown");
    await through(h, failed({ kind: "auth", reasonCode: "unauthorized", status: 401, detail: "" }), "stop");
    expect(h.sessions.cooldowns.entries().size).toBe(0);
  });

  it("a store that cannot be written is logged and the outcome goes on unchanged", async () => {
    const h = await harness();
    const outcome = failed({ kind: "billing", reasonCode: "billing", status: 402, detail: "" });
    expect(await through(h, outcome, "close store")).toBe(outcome);
    expect(h.logs).toEqual([expect.stringMatching(/^\[error\] chat: could not record the cooldown of anthropic:a: /)]);
  });
});
