import { afterAll, describe, expect, it } from "vitest";
import { apiKey, expectNoSecretLeaked, removeSandboxes, sandbox } from "./support.js";

afterAll(removeSandboxes);

/** A state whose config orders Anthropic by two profiles that were renamed since. */
function drifted() {
  const sb = sandbox();
  sb.writeConfig({ auth: { order: { anthropic: ["anthropic:old-work", "anthropic:old-home"] } } });
  sb.writeProfiles({
    version: 1,
    profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() } },
  });
  return sb;
}

describe("order drift: auth.order naming only profiles that no longer exist", () => {
  it("models status uses the stored profiles and says the order drifted", async () => {
    const sb = drifted();
    const text = await sb.run(["models", "status", "--check"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/effective\s+anthropic:work \(api_key, default order\)/);
    expect(text.stdout).toContain("order drift: auth.order.anthropic names no stored profile");

    const json = await sb.run(["models", "status", "--json"]);
    const report = JSON.parse(json.stdout) as {
      auth: { providers: { provider: string; effective: { id: string } | null; orderDrift: unknown[] }[] };
      check: { notes: string[] };
    };
    const anthropic = report.auth.providers.find((p) => p.provider === "anthropic");
    expect(anthropic?.effective?.id).toBe("anthropic:work");
    expect(anthropic?.orderDrift).toEqual([
      {
        source: "config",
        ids: ["anthropic:old-work", "anthropic:old-home"],
        text: "order drift: auth.order.anthropic names no stored profile",
      },
    ]);
    expect(report.check.notes).toContain("order drift: auth.order.anthropic names no stored profile");
  });

  it("when one listed id still exists, the order filters as before and nothing drifted", async () => {
    const sb = sandbox();
    sb.writeConfig({ auth: { order: { anthropic: ["anthropic:gone", "anthropic:work"] } } });
    sb.writeProfiles({
      version: 1,
      profiles: {
        "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() },
        "anthropic:spare": { type: "api_key", provider: "anthropic", key: apiKey() },
      },
    });
    const r = await sb.run(["models", "status"]);
    expect(r.stdout).toMatch(/effective\s+anthropic:work \(api_key, config auth\.order\.anthropic\)/);
    expect(r.stdout).not.toContain("order drift");
    expect(r.stdout).toMatch(/anthropic:spare .*excluded_by_auth_order/);
  });

  it("doctor warns; doctor --fix removes the drifted list and keeps the rest of the config", async () => {
    const sb = drifted();
    sb.writeConfig({
      auth: { order: { anthropic: ["anthropic:old-work"], openai: ["openai:x"] } },
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
    });
    sb.writeProfiles({
      version: 1,
      profiles: {
        "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() },
        "openai:x": { type: "api_key", provider: "openai", apiKey: apiKey("sk-proj-") },
      },
    });
    const check = await sb.run(["doctor"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      "! order drift: auth.order.anthropic names no stored profile (anthropic:old-work); the stored profiles are used instead",
    );
    expect(check.stdout).toContain("fix: openclaw doctor --fix removes it");
    expect(sb.readConfig().auth.order.anthropic).toEqual(["anthropic:old-work"]);

    const fixed = await sb.run(["doctor", "--fix"]);
    expect(fixed.stdout).toContain(
      "✓ fixed: removed auth.order.anthropic from " +
        `${sb.configPath}: it named only anthropic:old-work, which no longer exist`,
    );
    expect(fixed.code).toBe(0);
    expect(sb.readConfig()).toEqual({
      auth: { order: { openai: ["openai:x"] } },
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
    });
    expect((await sb.run(["doctor"])).stdout).not.toContain("order drift");
  });

  it("an agent order naming only gone profiles is reported and removed from the credential store", async () => {
    const sb = drifted();
    sb.writeConfig({});
    sb.writeProfiles({
      version: 1,
      profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() } },
      order: { anthropic: ["anthropic:gone"] },
    });
    const status = await sb.run(["models", "status"]);
    expect(status.stdout).toContain("order drift: the agent's auth order for anthropic names no stored profile");
    const fixed = await sb.run(["doctor", "--fix"]);
    expect(fixed.stdout).toContain(
      "fixed: agent main: order drift: the agent's auth order for anthropic names no stored profile (anthropic:gone): removed",
    );
    expect(sb.readProfiles().order).toBeUndefined();
    expect(Object.keys(sb.readProfiles().profiles)).toEqual(["anthropic:work"]);
    expectNoSecretLeaked();
  });
});
