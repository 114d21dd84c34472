import { describe, expect, it } from "vitest";
import { CredentialResolver, type ResolveRequest } from "../../src/auth/resolver.js";
import { MemoryCooldownStore } from "../../src/auth/cooldowns.js";
import { buildCatalog } from "../../src/models/catalog.js";
import type { AuthProfilesFile } from "../../src/auth/profiles.js";
import type { OpenClawConfig } from "../../src/config/schema.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const HOUR = 3_600_000;
const key = (tag: string) => `sk-ant-api03-${tag.padEnd(40, "x")}`;
const token = (tag: string) => `sk-ant-oat01-${tag.padEnd(80, "y")}`;

function setup(file: AuthProfilesFile, config: OpenClawConfig = {}, env: Record<string, string> = {}) {
  const cooldowns = new MemoryCooldownStore();
  let now = NOW;
  const resolver = new CredentialResolver({
    config,
    catalog: buildCatalog(config),
    profiles: { get: () => file },
    env,
    cooldowns,
    clock: () => now,
  });
  const resolve = (req: Partial<ResolveRequest> = {}) =>
    resolver.resolve({ agentId: "main", provider: "anthropic", model: "anthropic/claude-opus-5-5", ...req });
  return { resolve, cooldowns, advance: (ms: number) => (now += ms) };
}

const profiles: AuthProfilesFile = {
  version: 1,
  profiles: {
    "anthropic:key": { type: "api_key", provider: "anthropic", key: key("a") },
    "anthropic:tok": { type: "token", provider: "anthropic", token: token("b"), expires: NOW + 30 * 24 * HOUR },
    "anthropic:old": { mode: "token", provider: "anthropic", token: token("c"), expires: NOW - HOUR },
    "openai:key": { type: "api_key", provider: "openai", apiKey: key("d") },
  },
};

describe("CredentialResolver", () => {
  it("sets a ChatGPT sign-in (an OpenAI OAuth profile) aside as incompatible, saying why, and uses the API key", () => {
    const file: AuthProfilesFile = {
      version: 1,
      profiles: {
        "openai:me@example.com": {
          type: "oauth",
          provider: "openai",
          access: `chatgpt-${"a".repeat(40)}`,
          refresh: `rt-${"r".repeat(40)}`,
          expires: NOW + HOUR,
        },
        "openai:key": { type: "api_key", provider: "openai", key: key("d") },
      },
    };
    const r = setup(file).resolve({ provider: "openai", model: "openai/gpt-6-astra" });
    expect(r.chosen?.id).toBe("openai:key");
    const login = r.candidates.find((c) => c.id === "openai:me@example.com");
    expect(login).toMatchObject({ usable: false, reason: "incompatible" });
    expect(login?.why).toContain("ChatGPT");
  });

  it("order drift: a config order naming no stored profile falls back to the stored ones in default order", () => {
    const r = setup(profiles, { auth: { order: { anthropic: ["anthropic:renamed", "anthropic:gone"] } } }).resolve();
    expect(r.chosen?.id).toBe("anthropic:tok");
    expect(r.orderSource).toBe("default");
    expect(r.orderDrift).toEqual([{ source: "config", ids: ["anthropic:renamed", "anthropic:gone"] }]);
    expect(r.candidates.map((c) => [c.id, c.reason])).toEqual([
      ["anthropic:tok", undefined],
      ["anthropic:key", undefined],
      ["anthropic:old", "expired"],
      ["anthropic:renamed", "missing_profile"],
      ["anthropic:gone", "missing_profile"],
    ]);
  });

  it("order drift: an agent order naming no stored profile gives way to a config order that does", () => {
    const file = { ...profiles, order: { anthropic: ["anthropic:gone"] } };
    const r = setup(file, { auth: { order: { anthropic: ["anthropic:key", "anthropic:also-gone"] } } }).resolve();
    expect(r.orderSource).toBe("config");
    expect(r.orderDrift).toEqual([{ source: "agent", ids: ["anthropic:gone"] }]);
    expect(r.chosen?.id).toBe("anthropic:key");
  });

  it("no drift when some listed ids exist: the order filters as before", () => {
    const r = setup(profiles, { auth: { order: { anthropic: ["anthropic:key", "anthropic:gone"] } } }).resolve();
    expect(r.orderDrift).toEqual([]);
    expect(r.orderSource).toBe("config");
    expect(r.chosen?.id).toBe("anthropic:key");
    expect(r.candidates.find((c) => c.id === "anthropic:tok")?.reason).toBe("excluded_by_auth_order");
  });

  it("an expired OAuth profile with a refresh token stays in the order as refreshable; one without is expired", () => {
    const file: AuthProfilesFile = {
      version: 1,
      profiles: {
        "anthropic:me": {
          type: "oauth",
          provider: "anthropic",
          access: token("acc"),
          refresh: token("ref"),
          expires: NOW - HOUR,
          email: "me@example.com",
        },
        "anthropic:dead": { type: "oauth", provider: "anthropic", access: token("d"), expires: NOW - HOUR },
        "anthropic:fenced": {
          type: "oauth",
          provider: "anthropic",
          access: `openclaw-oauth-refresh-fence:v1:${"a".repeat(32)}:access:${"b".repeat(64)}`,
          refresh: `openclaw-oauth-refresh-fence:v1:${"a".repeat(32)}:refresh:${"c".repeat(64)}`,
          expires: 1,
        },
      },
    };
    const r = setup(file).resolve();
    expect(r.chosen?.id).toBe("anthropic:me");
    expect(r.chosen).toMatchObject({ refreshable: true, health: "expired", usable: true });
    const byId = Object.fromEntries(r.candidates.map((c) => [c.id, [c.refreshable, c.reason]]));
    expect(byId["anthropic:dead"]).toEqual([false, "expired"]);
    // OpenClaw's marker while one of its processes refreshes: never sent as a refresh token.
    expect(byId["anthropic:fenced"]).toEqual([false, "expired"]);
  });

  it("ranks stored profiles token before api_key and skips expired ones, env key last", () => {
    const r = setup(profiles, {}, { ANTHROPIC_API_KEY: key("env") }).resolve();
    expect(r.chosen?.id).toBe("anthropic:tok");
    expect(r.candidates.map((c) => [c.id, c.usable, c.reason])).toEqual([
      ["anthropic:tok", true, undefined],
      ["anthropic:key", true, undefined],
      ["env:ANTHROPIC_API_KEY", true, undefined],
      ["anthropic:old", false, "expired"],
    ]);
    expect(r.orderSource).toBe("default");
  });

  it("follows the agent order over config order and excludes unlisted profiles", () => {
    const file = { ...profiles, order: { anthropic: ["anthropic:key", "anthropic:ghost"] } };
    const r = setup(file, { auth: { order: { anthropic: ["anthropic:tok"] } } }).resolve();
    expect(r.orderSource).toBe("agent");
    expect(r.chosen?.id).toBe("anthropic:key");
    const reasons = Object.fromEntries(r.candidates.map((c) => [c.id, c.reason]));
    expect(reasons["anthropic:ghost"]).toBe("missing_profile");
    expect(reasons["anthropic:tok"]).toBe("excluded_by_auth_order");
  });

  it("uses config auth.order when the agent has none", () => {
    const r = setup(profiles, { auth: { order: { anthropic: ["anthropic:key"] } } }).resolve();
    expect(r.orderSource).toBe("config");
    expect(r.chosen?.id).toBe("anthropic:key");
  });

  it("honours a user pin strictly, and errors instead of falling back when it cannot be used", () => {
    const s = setup(profiles);
    expect(s.resolve({ pin: { profileId: "anthropic:key", source: "user" } }).chosen?.id).toBe("anthropic:key");
    const expired = s.resolve({ pin: { profileId: "anthropic:old", source: "user" } });
    expect(expired.chosen).toBeUndefined();
    expect(expired.error?.code).toBe("pin_expired");
    // Listed once, as the pin, however it also ranks.
    expect(expired.candidates.filter((c) => c.id === "anthropic:old").map((c) => c.source)).toEqual(["pin"]);
    const other = s.resolve({ pin: { profileId: "openai:key", source: "user" } });
    expect(other.error?.code).toBe("pin_provider_mismatch");
    expect(other.error?.message).toContain("openai");
    expect(s.resolve({ pin: { profileId: "anthropic:nope", source: "user" } }).error?.code).toBe("pin_missing");
  });

  it("lists the others after a usable pin, in the order they would serve", async () => {
    const s = setup(profiles, {}, { ANTHROPIC_API_KEY: key("env") });
    await s.cooldowns.recordFailure("anthropic:key", { reason: "auth", now: NOW });
    const r = s.resolve({ pin: { profileId: "env:ANTHROPIC_API_KEY", source: "user" } });
    expect(r.error?.code).toBe("pin_missing");
    const p = s.resolve({ pin: { profileId: "anthropic:tok", source: "user" } });
    expect(p.candidates.map((c) => [c.id, c.source, c.reason])).toEqual([
      ["anthropic:tok", "pin", undefined],
      ["env:ANTHROPIC_API_KEY", "env", "superseded_by_pin"],
      ["anthropic:key", "stored", "cooldown"],
      ["anthropic:old", "stored", "expired"],
    ]);
  });

  it("lets an unusable auto pin fall back to the normal order", () => {
    const r = setup(profiles).resolve({ pin: { profileId: "anthropic:old", source: "auto" } });
    expect(r.chosen?.id).toBe("anthropic:tok");
  });

  it("moves a profile in cooldown to the end, per model for rate limits", async () => {
    const s = setup(profiles);
    await s.cooldowns.recordFailure("anthropic:tok", {
      reason: "rate_limit",
      model: "anthropic/claude-opus-5-5",
      retryAfterMs: 4 * 60_000,
      now: NOW,
    });
    const r = s.resolve();
    expect(r.chosen?.id).toBe("anthropic:key");
    const tok = r.candidates.find((c) => c.id === "anthropic:tok");
    expect(tok?.reason).toBe("cooldown");
    expect(tok?.cooldown?.until).toBe(NOW + 4 * 60_000);
    // The same profile still serves another model.
    expect(s.resolve({ model: "anthropic/claude-haiku-5-5" }).chosen?.id).toBe("anthropic:tok");
    s.advance(4 * 60_000 + 1);
    expect(s.resolve().chosen?.id).toBe("anthropic:tok");
  });

  it("reports when every credential is cooling down", async () => {
    const s = setup({ profiles: { "anthropic:key": profiles.profiles["anthropic:key"]! } });
    await s.cooldowns.recordFailure("anthropic:key", { reason: "auth", now: NOW });
    const r = s.resolve();
    expect(r.error?.code).toBe("all_in_cooldown");
    expect(r.error?.message).toContain("10m");
  });

  it("says how to fix a provider with nothing usable", () => {
    const r = setup({ profiles: {} }).resolve({ provider: "openrouter", model: "openrouter/x-ai/grok-4" });
    expect(r.error?.code).toBe("no_credential");
    expect(r.error?.hint).toContain("openclaw models auth paste-api-key --provider openrouter");
  });

  it("turns env key lists into separate, de-duplicated candidates", () => {
    const env = {
      ANTHROPIC_API_KEY: key("one"),
      ANTHROPIC_API_KEYS: `${key("one")}, ${key("two")};;${key("three")}`,
      ANTHROPIC_API_KEY_2: key("four"),
    };
    const r = setup({ profiles: {} }, {}, env).resolve();
    expect(r.candidates.map((c) => c.id)).toEqual([
      "env:ANTHROPIC_API_KEY",
      "env:ANTHROPIC_API_KEYS[2]",
      "env:ANTHROPIC_API_KEYS[3]",
      "env:ANTHROPIC_API_KEY_2",
    ]);
    for (const c of r.candidates) expect(c.masked).not.toContain(c.secret);
  });

  it("skips disabled profiles and profiles with an empty secret", () => {
    const file: AuthProfilesFile = {
      profiles: {
        "anthropic:a": { type: "api_key", provider: "anthropic", key: "" },
        "anthropic:b": { type: "api_key", provider: "anthropic", key: key("b") },
      },
    };
    const r = setup(file, {
      auth: { profiles: { "anthropic:b": { provider: "anthropic", disabled: true } } },
    }).resolve();
    expect(r.chosen).toBeUndefined();
    expect(Object.fromEntries(r.candidates.map((c) => [c.id, c.reason]))).toEqual({
      "anthropic:a": "missing_credential",
      "anthropic:b": "disabled",
    });
  });
});
