import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKey, expectNoSecretLeaked, removeSandboxes, requireBuild, sandbox, setupToken } from "./support.js";
import { CLAUDE_CODE_ONLY_MESSAGE, startFakeProvider, type FakeProvider } from "../fakes/provider-api.js";

let fake: FakeProvider;
beforeAll(async () => {
  requireBuild();
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
  expectNoSecretLeaked();
  removeSandboxes();
});

describe("openclaw models status --probe", () => {
  it("reports one live result per credential, in text and JSON", async () => {
    const ok = apiKey();
    const bad = apiKey();
    const limited = apiKey();
    const claudeCode = setupToken();
    fake.script(ok, { kind: "text", text: "pong" });
    fake.script(bad, { kind: "status", status: 401 });
    fake.script(limited, { kind: "status", status: 429, retryAfterSeconds: 30 });
    fake.script(claudeCode, { kind: "claude-code-only" });
    const s = sandbox();
    s.writeConfig({ models: { providers: { anthropic: { baseUrl: fake.url } } } });
    s.writeProfiles({
      version: 1,
      profiles: {
        "anthropic:ok": { type: "api_key", provider: "anthropic", key: ok },
        "anthropic:bad": { type: "api_key", provider: "anthropic", key: bad },
        "anthropic:limited": { type: "api_key", provider: "anthropic", key: limited },
        "anthropic:cc": { type: "token", provider: "anthropic", token: claudeCode },
      },
    });

    const json = await s.run(["models", "status", "--probe", "--probe-provider", "anthropic", "--json"]);
    expect(json.code).toBe(0);
    const probes = JSON.parse(json.stdout).probes as Array<{
      profileId: string;
      status: string;
      latencyMs: number | null;
      model: string;
    }>;
    const byId = Object.fromEntries(probes.map((p) => [p.profileId, p.status]));
    expect(byId).toMatchObject({
      "anthropic:ok": "ok",
      "anthropic:bad": "auth",
      "anthropic:limited": "rate_limit",
      "anthropic:cc": "incompatible",
    });
    expect(probes.every((p) => p.model.startsWith("anthropic/"))).toBe(true);
    // A setup-token probe goes out as a bearer token with the OAuth beta header, never as x-api-key.
    const ccRequest = fake.requestsFor(claudeCode)[0];
    expect(ccRequest?.credentialHeader).toBe("authorization");
    expect(ccRequest?.anthropicBeta).toContain("oauth-2025-04-20");
    expect(json.stdout).not.toContain(CLAUDE_CODE_ONLY_MESSAGE);

    const text = await s.run([
      "models",
      "status",
      "--probe",
      "--probe-profile",
      "anthropic:ok,anthropic:bad",
      "--probe-max-tokens",
      "4",
    ]);
    const table = text.stdout.split("\nProbes\n")[1] ?? "";
    expect(table).toMatch(/anthropic:ok.*ok/);
    expect(table).toMatch(/anthropic:bad.*auth/);
    expect(table).not.toMatch(/anthropic:limited/);
    expect(fake.requestsFor(ok).at(-1)?.maxTokens).toBe(4);
  });

  it("--check counts failed probes of the default model's credentials (a rate limit is not a failure)", async () => {
    const bad = apiKey();
    const limited = apiKey();
    const openai = apiKey("sk-proj-");
    fake.script(bad, { kind: "status", status: 401 });
    fake.script(limited, { kind: "status", status: 429, retryAfterSeconds: 30 });
    fake.script(openai, { kind: "status", status: 401 });
    const s = sandbox();
    s.writeConfig({
      models: { providers: { anthropic: { baseUrl: fake.url }, openai: { baseUrl: `${fake.url}/v1` } } },
    });
    const profiles = (entries: Record<string, string>) => ({
      version: 1,
      profiles: Object.fromEntries(
        Object.entries(entries).map(([id, key]) => [
          id,
          { type: "api_key", provider: id.slice(0, id.indexOf(":")), key },
        ]),
      ),
    });

    s.writeProfiles(profiles({ "anthropic:bad": bad }));
    const [failedText, failedJson, unprobed] = await Promise.all([
      s.run(["models", "status", "--probe", "--check"]),
      s.run(["models", "status", "--probe", "--check", "--json"]),
      s.run(["models", "status", "--check"]),
    ]);
    expect(unprobed.code).toBe(0);
    expect(failedText.code).toBe(1);
    expect(failedText.stdout).toContain("Check: 1 problem (--check exits 1)");
    expect(failedText.stdout).toContain(
      "  ✗ probe of anthropic:bad failed: auth (unauthorized) with anthropic/claude-sonnet-5-5",
    );
    expect(failedText.stdout.indexOf("Probes")).toBeLessThan(failedText.stdout.indexOf("Check:"));
    expect(failedJson.code).toBe(1);
    expect(JSON.parse(failedJson.stdout).check.problems).toContain(
      "probe of anthropic:bad failed: auth (unauthorized) with anthropic/claude-sonnet-5-5",
    );

    s.writeProfiles(profiles({ "anthropic:limited": limited, "openai:bad": openai }));
    const other = await s.run(["models", "status", "--probe", "--check"]);
    expect(other.stdout).toMatch(/openai:bad\s+openai\s+\S+\s+auth/);
    expect(other.code, other.stdout).toBe(0);
  });

  it("refuses a nonsensical flag value with a clear message", async () => {
    const s = sandbox();
    const r = await s.run(["models", "status", "--probe", "--probe-timeout", "soon"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--probe-timeout expects a positive whole number, got "soon"');
  });
});
