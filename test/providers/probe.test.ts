import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, createChatHarness, leaks, T0, type ChatHarness, type ChatHarnessOptions } from "../chat/harness.js";
import {
  formatProbeTable,
  probeModel,
  runProbes,
  type ProbeDeps,
  type ProbeOptions,
  type ProbeResult,
} from "../../src/providers/probe.js";
import { scaled } from "../support/slowness.js";

const OK_KEY = "sk-ant-api03-OKOKOKOKOKOKOKOKOKOKokok";
const AUTH_KEY = "sk-ant-api03-AUTHAUTHAUTHAUTHAUTHauth";
const RL_KEY = "sk-ant-api03-RATERATERATERATERATErate";
const BILL_KEY = "sk-ant-api03-BILLBILLBILLBILLBILLbill";
const SLOW_KEY = "sk-ant-api03-SLOWSLOWSLOWSLOWSLOWslow";
const CC_TOKEN = "sk-ant-oat01-CCCCCCCCCCCCCCCCCCCCcccc";
const LEFT_OUT = "sk-ant-api03-LEFTLEFTLEFTLEFTLEFTleft";
const OLD_TOKEN = "sk-ant-oat01-OLDOLDOLDOLDOLDOLDOLDold";
const ENV_KEY = "sk-ant-api03-ENVENVENVENVENVENVENVenv";
const OPENAI_KEY = "sk-proj-OPENAIOPENAIOPENAI0000";
const ACME_KEY = "acme-key-ACMEACMEACMEACMEACME";
const SECRETS = [
  OK_KEY,
  AUTH_KEY,
  RL_KEY,
  BILL_KEY,
  SLOW_KEY,
  CC_TOKEN,
  LEFT_OUT,
  OLD_TOKEN,
  ENV_KEY,
  OPENAI_KEY,
  ACME_KEY,
];

const PROFILES = {
  version: 1,
  profiles: {
    "anthropic:ok": apiKey("anthropic", OK_KEY),
    "anthropic:auth": apiKey("anthropic", AUTH_KEY),
    "anthropic:rl": apiKey("anthropic", RL_KEY),
    "anthropic:bill": apiKey("anthropic", BILL_KEY),
    "anthropic:slow": apiKey("anthropic", SLOW_KEY),
    "anthropic:cc": { type: "token", provider: "anthropic", token: CC_TOKEN },
    "anthropic:old": { type: "token", provider: "anthropic", token: OLD_TOKEN, expires: T0 - 1000 },
    "anthropic:left-out": apiKey("anthropic", LEFT_OUT),
    "openai:k": apiKey("openai", OPENAI_KEY),
    "acme:x": apiKey("acme", ACME_KEY),
  },
};
const ORDER = [
  "anthropic:ok",
  "anthropic:auth",
  "anthropic:rl",
  "anthropic:bill",
  "anthropic:slow",
  "anthropic:cc",
  "anthropic:old",
];

let h: ChatHarness | undefined;

const fake = useFakeProvider();
beforeEach(() => {
  fake.script(OK_KEY, { kind: "text", text: "OK" });
  fake.script(AUTH_KEY, { kind: "status", status: 401 });
  fake.script(RL_KEY, { kind: "status", status: 429, retryAfterSeconds: 7 });
  fake.script(BILL_KEY, { kind: "status", status: 402 });
  fake.script(SLOW_KEY, { kind: "hang" });
  fake.script(CC_TOKEN, { kind: "claude-code-only" });
  fake.script(ENV_KEY, { kind: "text", text: "OK" });
  fake.script(OPENAI_KEY, { kind: "text", text: "OK" });
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(opts: ChatHarnessOptions = {}): Promise<ProbeDeps> {
  h = await createChatHarness(fake, {
    authProfiles: PROFILES,
    config: {
      auth: { order: { anthropic: ORDER } },
      models: { providers: { acme: { baseUrl: `${fake.url}/v1`, api: "openai-completions" } } },
    },
    env: { ANTHROPIC_API_KEY: ENV_KEY },
    ...opts,
  });
  const s = h.services;
  return {
    resolver: s.resolver(),
    catalog: s.catalog(),
    config: s.config().config,
    profiles: (id) => s.profiles.get(id),
  };
}

async function probe(deps: ProbeDeps, opts: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  return runProbes(deps, { agentId: "main", timeoutMs: scaled(300), ...opts });
}

function byId(result: ProbeResult): Record<string, { status: string; reasonCode: string; model: string | null }> {
  return Object.fromEntries(
    result.probes.map((p) => [p.profileId, { status: p.status, reasonCode: p.reasonCode, model: p.model }]),
  );
}

describe("runProbes", () => {
  it("probes every credential and buckets the outcome", async () => {
    const deps = await setup();
    const result = await probe(deps);

    const sonnet = "anthropic/claude-sonnet-5-5";
    expect(byId(result)).toEqual({
      "anthropic:ok": { status: "ok", reasonCode: "ok", model: sonnet },
      "anthropic:auth": { status: "auth", reasonCode: "unauthorized", model: sonnet },
      "anthropic:rl": { status: "rate_limit", reasonCode: "rate_limited", model: sonnet },
      "anthropic:bill": { status: "billing", reasonCode: "billing", model: sonnet },
      "anthropic:slow": { status: "timeout", reasonCode: "timeout", model: sonnet },
      "anthropic:cc": { status: "incompatible", reasonCode: "claude_code_only", model: sonnet },
      "anthropic:old": { status: "auth", reasonCode: "expired", model: null },
      "anthropic:left-out": { status: "unknown", reasonCode: "excluded_by_auth_order", model: null },
      "env:ANTHROPIC_API_KEY": { status: "ok", reasonCode: "ok", model: sonnet },
      "openai:k": { status: "ok", reasonCode: "ok", model: "openai/gpt-5.4" },
      "acme:x": { status: "no_model", reasonCode: "no_model", model: null },
    });
    // Rows keep the resolver's order within a provider.
    expect(result.probes.slice(0, 5).map((p) => p.profileId)).toEqual([
      "anthropic:ok",
      "anthropic:auth",
      "anthropic:rl",
      "anthropic:bill",
      "anthropic:slow",
    ]);
  });

  it("never calls a credential it reports as not usable", async () => {
    await probe(await setup());
    expect(fake.requestsFor(LEFT_OUT)).toEqual([]);
    expect(fake.requestsFor(OLD_TOKEN)).toEqual([]);
    expect(fake.requestsFor(ACME_KEY)).toEqual([]);
  });

  it("sends a tiny request: max tokens 8 by default, or the given limit", async () => {
    await probe(await setup(), { profile: ["anthropic:ok"] });
    expect(fake.requestsFor(OK_KEY)[0]).toMatchObject({ maxTokens: 8, model: "claude-sonnet-5-5" });
    fake.reset();
    fake.script(OK_KEY, { kind: "text", text: "OK" });
    await probe(await setup(), { profile: ["anthropic:ok"], maxTokens: 3 });
    expect(fake.requestsFor(OK_KEY)[0]?.maxTokens).toBe(3);
  });

  it("has exactly the JSON shape of the CLI contract, with no secret", async () => {
    const result = await probe(await setup());
    const json = JSON.parse(JSON.stringify(result)) as { probes: Array<Record<string, unknown>> };
    expect(Object.keys(json)).toEqual(["probes"]);
    for (const row of json.probes) {
      expect(Object.keys(row).sort()).toEqual(["latencyMs", "model", "profileId", "provider", "reasonCode", "status"]);
      expect([
        "ok",
        "auth",
        "rate_limit",
        "billing",
        "timeout",
        "format",
        "incompatible",
        "no_model",
        "unknown",
      ]).toContain(row.status);
      expect(row.latencyMs === null || (typeof row.latencyMs === "number" && row.latencyMs >= 0)).toBe(true);
    }
    expect(json.probes.find((p) => p.profileId === "anthropic:ok")?.latencyMs).toEqual(expect.any(Number));
    expect(json.probes.find((p) => p.profileId === "anthropic:left-out")?.latencyMs).toBeNull();
    expect(leaks([JSON.stringify(result), formatProbeTable(result)], SECRETS)).toEqual([]);
  });

  it("filters by provider and by profile (repeatable or comma lists)", async () => {
    const deps = await setup();
    expect((await probe(deps, { provider: ["openai"] })).probes.map((p) => p.profileId)).toEqual(["openai:k"]);
    const some = await probe(deps, { profile: ["anthropic:ok,anthropic:auth", "openai:k"] });
    expect(some.probes.map((p) => p.profileId)).toEqual(["anthropic:ok", "anthropic:auth", "openai:k"]);
    const env = await probe(deps, { profile: ["env:ANTHROPIC_API_KEY"] });
    expect(byId(env)).toEqual({
      "env:ANTHROPIC_API_KEY": { status: "ok", reasonCode: "ok", model: "anthropic/claude-sonnet-5-5" },
    });
  });

  it("reports a requested profile that does not exist", async () => {
    const result = await probe(await setup(), { profile: ["anthropic:nope"] });
    expect(result.probes).toEqual([
      {
        profileId: "anthropic:nope",
        provider: "anthropic",
        model: null,
        status: "unknown",
        reasonCode: "missing_profile",
        latencyMs: null,
      },
    ]);
  });

  it("records no cooldown and no success: a probe is a diagnosis", async () => {
    await probe(await setup());
    expect(h?.sessions.cooldowns.entries().size).toBe(0);
  });

  it("probes credentials that are cooling down, to see whether they recovered", async () => {
    const deps = await setup();
    await h?.sessions.cooldowns.recordFailure("anthropic:ok", { reason: "auth", now: T0 });
    expect(byId(await probe(deps, { profile: ["anthropic:ok"] }))["anthropic:ok"]?.status).toBe("ok");
  });

  it("runs at most `concurrency` probes at once", async () => {
    const slow = {
      version: 1,
      profiles: {
        "anthropic:s1": apiKey("anthropic", SLOW_KEY),
        "anthropic:s2": apiKey("anthropic", `${SLOW_KEY}2`),
        "anthropic:s3": apiKey("anthropic", `${SLOW_KEY}3`),
      },
    };
    fake.script(`${SLOW_KEY}2`, { kind: "hang" });
    fake.script(`${SLOW_KEY}3`, { kind: "hang" });
    const deps = await setup({ authProfiles: slow, config: {}, env: {} });
    let started = performance.now();
    await probe(deps, { provider: ["anthropic"], concurrency: 3, timeoutMs: 250 });
    expect(performance.now() - started).toBeLessThan(scaled(700));
    started = performance.now();
    const serial = await probe(deps, { provider: ["anthropic"], concurrency: 1, timeoutMs: 250 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(740);
    expect(serial.probes.map((p) => p.status)).toEqual(["timeout", "timeout", "timeout"]);
  });
});

describe("probeModel", () => {
  it("prefers the agent's model, then fallbacks, then the catalog default, then the provider's first current model", async () => {
    const deps = await setup({
      config: {
        agents: { defaults: { model: { primary: "anthropic/claude-haiku-5-5", fallbacks: ["openai/gpt-5.4-mini"] } } },
      },
    });
    expect(probeModel(deps, "main", "anthropic")).toBe("anthropic/claude-haiku-5-5");
    expect(probeModel(deps, "main", "openai")).toBe("openai/gpt-5.4-mini");
    expect(probeModel(deps, "main", "openrouter")).toMatch(/^openrouter\//);
    expect(probeModel(deps, "main", "acme")).toBeUndefined();
  });
});

describe("formatProbeTable", () => {
  it("prints one aligned line per credential and a summary", () => {
    const table = formatProbeTable({
      probes: [
        {
          profileId: "anthropic:work",
          provider: "anthropic",
          model: "anthropic/claude-sonnet-5-5",
          status: "ok",
          reasonCode: "ok",
          latencyMs: 412,
        },
        {
          profileId: "anthropic:old",
          provider: "anthropic",
          model: null,
          status: "auth",
          reasonCode: "expired",
          latencyMs: null,
        },
        {
          profileId: "env:OPENAI_API_KEY",
          provider: "openai",
          model: "openai/gpt-5.4",
          status: "rate_limit",
          reasonCode: "rate_limited",
          latencyMs: 95,
        },
      ],
    });
    expect(table).toBe(
      [
        "Profile             Provider   Model                        Status      Reason        Latency",
        "anthropic:work      anthropic  anthropic/claude-sonnet-5-5  ok          ok            412ms",
        "anthropic:old       anthropic  -                            auth        expired       -",
        "env:OPENAI_API_KEY  openai     openai/gpt-5.4               rate_limit  rate_limited  95ms",
        "",
        "3 credentials: 1 ok, 1 auth, 1 rate_limit.",
      ].join("\n"),
    );
  });

  it("says so when there is nothing to probe", () => {
    expect(formatProbeTable({ probes: [] })).toBe("No credentials to probe.");
  });
});
