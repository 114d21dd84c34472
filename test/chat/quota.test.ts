import { describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, leakCheckedHarnesses, MAIN_KEY, T0 } from "./harness.js";
import { statusReply } from "../../plugins/model/status.js";
import { runInProcess } from "../support/in-process-cli.js";

const MIN = 60_000;
const KEY_A = "sk-ant-api03-QUOTAAAAAAAAAAAAAAAAaaaa";
const KEY_B = "sk-ant-api03-QUOTABBBBBBBBBBBBBBBbbbb";
const OPENAI_A = "sk-proj-QUOTAOPENAIAAAAAAAA0000";
const OPENAI_B = "sk-proj-QUOTAOPENAIBBBBBBBB1111";
const SONNET = "anthropic/claude-sonnet-5-5";
const OTHER_CHAT = "agent:main:telegram:direct:42";

const TWO = {
  version: 1,
  profiles: {
    "anthropic:a": apiKey("anthropic", KEY_A),
    "anthropic:b": apiKey("anthropic", KEY_B),
    "openai:a": apiKey("openai", OPENAI_A),
    "openai:b": apiKey("openai", OPENAI_B),
  },
};
const ORDERED = {
  auth: { order: { anthropic: ["anthropic:a", "anthropic:b"], openai: ["openai:a", "openai:b"] } },
};

const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY_A, KEY_B, OPENAI_A, OPENAI_B], {
  authProfiles: TWO,
  config: ORDERED,
});

/** Every answer's rate-limit headers say the credential's requests are used up until `resetAt`. */
function exhaust(key: string, resetAt: number): void {
  fake.quota(key, { requests: { limit: 50, remaining: 0 }, resetAt });
}

describe("chat: rotation that knows plan limits", () => {
  it("skips a profile whose answer said no requests are left, before any 429, until the reset", async () => {
    const h = await harness();
    fake.useClock(h.clock);
    fake.script(KEY_A, { kind: "text", text: "from a" });
    fake.script(KEY_B, { kind: "text", text: "from b" });
    exhaust(KEY_A, T0 + 5 * MIN);

    expect(await h.say("first")).toBe("from a");
    // A said it has 0 of 50 requests left until 08:05: the next turn goes to B, A is not asked.
    expect(await h.say("second")).toBe("from b");
    expect(await h.say("third")).toBe("from b");
    expect(fake.requestsFor(KEY_A)).toHaveLength(1);

    const status = await statusReply(h.context());
    const lineA = status.text.split("\n").find((l) => l.includes(". anthropic:a "));
    expect(lineA).toContain("quota_exhausted, quota 0/50 requests until 08:05 UTC");
    const lineB = status.text.split("\n").find((l) => l.includes(". anthropic:b "));
    expect(lineB).toContain("next");
    expect(lineB).toContain("quota 49/50 requests until 08:01 UTC");

    // After the reset, A leads again without anyone doing anything (this chat stays on B, its auto
    // pin, to keep the provider's cache warm; a chat without one starts on A).
    fake.quota(KEY_A, {});
    h.clock.set(T0 + 5 * MIN + 1);
    expect(await h.say("fourth", { sessionKey: OTHER_CHAT })).toBe("from a");
    expect(fake.requestsFor(KEY_A)).toHaveLength(2);
  });

  it("reads the OpenAI-compatible headers the same way, streamed or not", async () => {
    const h = await harness({ config: { ...ORDERED, agents: { defaults: { model: "openai/gpt-5" } } } });
    fake.useClock(h.clock);
    fake.script(OPENAI_A, { kind: "text", text: "from openai a" });
    fake.script(OPENAI_B, { kind: "text", text: "from openai b" });
    fake.quota(OPENAI_A, { tokens: { limit: 40_000, remaining: 0 }, resetAt: T0 + 90_000 });

    expect((await h.stream("first")).text).toBe("from openai a");
    expect((await h.stream("second")).text).toBe("from openai b");
    expect(fake.requestsFor(OPENAI_A)).toHaveLength(1);
    h.clock.set(T0 + 90_001);
    fake.quota(OPENAI_A, {});
    expect(await h.say("third", { sessionKey: OTHER_CHAT })).toBe("from openai a");
  });

  it("remembers what a 429 said is left, and refuses a user's pin with the reset time", async () => {
    const h = await harness();
    fake.useClock(h.clock);
    fake.script(KEY_A, { kind: "status", status: 429, retryAfterSeconds: 1 }, { kind: "text", text: "from a" });
    fake.script(KEY_B, { kind: "text", text: "from b" });
    fake.quota(KEY_A, { tokens: { limit: 40_000, remaining: 0 }, resetAt: T0 + 65 * MIN });

    // The 429 rotates this turn to B; its headers keep A out past its 1 s cooldown.
    expect(await h.say("first")).toBe("from b");
    h.clock.advance(2000);
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "user" }, h.clock());
    const refused = await h.say("pinned");
    expect(refused).toBe(
      "The pinned profile anthropic:a has used all 40000 tokens of its rate limit until 09:05 UTC (in 1h); " +
        "pinned sessions do not switch credentials. Try again then. Use /model default to unpin, or pin another " +
        "profile with /model <model>@<profileId>.",
    );
    expect(fake.requestsFor(KEY_A)).toHaveLength(1);
    expect(fake.requestsFor(KEY_B)).toHaveLength(1);

    h.clock.set(T0 + 65 * MIN);
    fake.quota(KEY_A, {});
    expect(await h.say("pinned again")).toBe("from a");
  });

  it("with every profile out of quota, says when the first comes back and calls nobody", async () => {
    const h = await harness();
    fake.useClock(h.clock);
    fake.script(KEY_A, { kind: "text", text: "from a" });
    fake.script(KEY_B, { kind: "text", text: "from b" });
    exhaust(KEY_A, T0 + 10 * MIN);
    exhaust(KEY_B, T0 + 3 * MIN);
    expect(await h.say("one")).toBe("from a");
    expect(await h.say("two")).toBe("from b");
    const before = fake.requests.length;
    expect(await h.say("three")).toMatch(
      /^Every anthropic credential has used its rate limit for this model; the next resets at 08:03 UTC \(in 3m\)\./,
    );
    expect(fake.requests).toHaveLength(before);
  });

  it("models status --json shows each profile's quota, read from the same store", async () => {
    const h = await harness();
    fake.useClock(h.clock);
    fake.script(KEY_A, { kind: "text", text: "from a" });
    exhaust(KEY_A, T0 + 5 * MIN);
    expect(await h.say("first")).toBe("from a");

    const r = await runInProcess(["models", "status", "--json"], {
      env: { OPENCLAW_STATE_DIR: h.stateDir },
      cwd: h.stateDir,
      clock: h.clock,
    });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      auth: {
        providers: Array<{
          provider: string;
          candidates: Array<{ id: string; reasonCode: string | null; quota: unknown }>;
        }>;
        unusableProfiles: Array<{ id: string; reasonCode: string; recovery: string }>;
      };
    };
    const anthropic = report.auth.providers.find((p) => p.provider === "anthropic");
    const a = anthropic?.candidates.find((c) => c.id === "anthropic:a");
    expect(a?.reasonCode).toBe("quota_exhausted");
    expect(a?.quota).toEqual({
      model: SONNET,
      reportedAt: new Date(T0).toISOString(),
      exhaustedUntil: new Date(T0 + 5 * MIN).toISOString(),
      limits: {
        requests: { limit: 50, remaining: 0, resetAt: "2027-01-15T08:05:00.000Z" },
        tokens: { limit: 40_000, remaining: 40_000, resetAt: "2027-01-15T08:05:00.000Z" },
        inputTokens: { limit: 30_000, remaining: 30_000, resetAt: "2027-01-15T08:05:00.000Z" },
        outputTokens: { limit: 8_000, remaining: 8_000, resetAt: "2027-01-15T08:05:00.000Z" },
      },
    });
    expect(anthropic?.candidates.find((c) => c.id === "anthropic:b")?.quota).toBeNull();
    expect(report.auth.unusableProfiles.find((u) => u.id === "anthropic:a")?.recovery).toBe(
      "none needed: used again after its rate limit resets at 08:05 UTC (in 5m)",
    );
  });
});
