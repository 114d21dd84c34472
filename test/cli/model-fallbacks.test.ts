import { afterAll, describe, expect, it } from "vitest";
import { apiKey, removeSandboxes, sandbox } from "./support.js";

afterAll(removeSandboxes);

interface Finding {
  check: string;
  severity: string;
  message: string;
  fix?: string;
}

describe("doctor on model fallbacks", () => {
  it("warns about a fallback outside modelPolicy.allow and an unknown one, and not about allowed ones", async () => {
    const sb = sandbox();
    sb.writeConfig({
      agents: {
        defaults: {
          model: { primary: "anthropic/claude-sonnet-5-5", fallbacks: ["haiku", "openai/gpt-5.2", "nope/x"] },
          modelPolicy: { allow: ["anthropic/*"] },
        },
      },
    });
    sb.writeProfiles({
      version: 1,
      profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: apiKey() } },
    });

    const r = await sb.run(["doctor", "--json"]);
    const findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) =>
      f.message.includes("fallback"),
    );
    expect(findings).toEqual([
      {
        check: "model",
        severity: "warn",
        message:
          "agent main: fallback openai/gpt-5.2 (agents.defaults.model.fallbacks) is not in agents.defaults.modelPolicy.allow, so it is never tried",
        fix: `add "openai/gpt-5.2" (or "openai/*") to agents.defaults.modelPolicy.allow, or remove it from agents.defaults.model.fallbacks, in ${sb.configPath}`,
      },
      {
        check: "model",
        severity: "warn",
        message:
          'agent main: fallback "nope/x" (agents.defaults.model.fallbacks) is not a known model, so it is never tried',
        fix: "openclaw models list",
      },
    ]);
    expect(r.code).toBe(1);
  });

  it("names the agent's own key and allowlist when the agent sets them", async () => {
    const sb = sandbox();
    sb.writeConfig({
      agents: {
        entries: {
          main: { model: { fallbacks: ["openai/gpt-5.2"] }, modelPolicy: { allow: ["anthropic/*"] } },
        },
      },
    });
    const r = await sb.run(["doctor"]);
    expect(`${r.stdout}\n${r.stderr}`).toContain(
      "agent main: fallback openai/gpt-5.2 (agents.entries.main.model.fallbacks) is not in agents.entries.main.modelPolicy.allow, so it is never tried",
    );
  });
});

describe("models status shows the chain a chat turn walks", () => {
  it("an agent's { fallbacks } keeps the shared primary; an agent's own primary has none", async () => {
    const sb = sandbox();
    sb.writeConfig({
      agents: {
        defaults: { model: { primary: "anthropic/claude-haiku-5-5", fallbacks: ["openai/gpt-5.2"] } },
        entries: { main: { model: { fallbacks: ["openai/gpt-5.4"] } }, work: { model: "anthropic/claude-opus-5-5" } },
      },
    });
    const [main, work] = await Promise.all([
      sb.run(["models", "status", "--json"]),
      sb.run(["models", "status", "--json", "--agent", "work"]),
    ]);
    expect(JSON.parse(main.stdout)).toMatchObject({
      defaultModel: { ref: "anthropic/claude-haiku-5-5", source: "agents.defaults.model" },
      fallbacks: ["openai/gpt-5.4"],
    });
    expect(JSON.parse(work.stdout)).toMatchObject({
      defaultModel: { ref: "anthropic/claude-opus-5-5", source: "agents.entries.work.model" },
      fallbacks: [],
    });
  });
});
