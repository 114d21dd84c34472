import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/models/catalog.js";
import { fallbackChain, triedFallbacks } from "../../src/models/fallbacks.js";
import { configSchema, type OpenClawConfig } from "../../src/config/schema.js";

const SONNET = "anthropic/claude-sonnet-5-5";

function chainOf(raw: unknown, agentId = "main", primary = SONNET) {
  const config: OpenClawConfig = configSchema.parse(raw);
  return fallbackChain(config, buildCatalog(config), agentId, primary);
}

describe("fallbackChain", () => {
  it("resolves aliases, drops the primary and repeats, and keeps every entry with why it is skipped", () => {
    const chain = chainOf({
      agents: {
        defaults: {
          model: {
            primary: SONNET,
            fallbacks: ["haiku", "sonnet", "anthropic/claude-haiku-5-5", "openai/gpt-5.2", "nope"],
          },
          modelPolicy: { allow: ["anthropic/*"] },
        },
      },
    });
    expect(chain.key).toBe("agents.defaults.model.fallbacks");
    expect(chain.steps.map((s) => [s.configured, s.skip ?? "tried"])).toEqual([
      ["haiku", "tried"],
      ["sonnet", "duplicate"],
      ["anthropic/claude-haiku-5-5", "duplicate"],
      ["openai/gpt-5.2", "not_allowed"],
      ["nope", "unknown_model"],
    ]);
    expect(triedFallbacks(chain).map((m) => m.ref)).toEqual(["anthropic/claude-haiku-5-5"]);
  });

  it("follows OpenClaw's source policy: own fallbacks, a strict own primary, else the defaults'", () => {
    const defaults = { model: { primary: SONNET, fallbacks: ["openai/gpt-5.2"] } };
    expect(chainOf({ agents: { defaults } }).steps.map((s) => s.configured)).toEqual(["openai/gpt-5.2"]);
    // A plain string in agents.defaults.model has no fallbacks.
    expect(chainOf({ agents: { defaults: { model: SONNET } } }).steps).toEqual([]);
    expect(chainOf({ agents: { defaults, entries: { main: { model: "opus" } } } })).toEqual({
      key: "agents.entries.main.model.fallbacks",
      steps: [],
    });
    expect(
      chainOf({ agents: { defaults, entries: { main: { model: { fallbacks: ["openai/gpt-5.4"] } } } } }).steps.map(
        (s) => s.configured,
      ),
    ).toEqual(["openai/gpt-5.4"]);
    expect(
      chainOf({ agents: { defaults, entries: { main: { model: { primary: "opus", fallbacks: [] } } } } }).steps,
    ).toEqual([]);
    // The legacy agents.list form, with the index in the key.
    const legacy = chainOf({
      agents: { defaults, list: [{ id: "other" }, { id: "main", model: { primary: "opus", fallbacks: ["gpt"] } }] },
    });
    expect(legacy.key).toBe("agents.list[1].model.fallbacks");
    expect(triedFallbacks(legacy).map((m) => m.ref)).toEqual(["openai/gpt-5.4"]);
    // Another agent without its own model uses the defaults'.
    expect(chainOf({ agents: { defaults, entries: { main: { model: "opus" } } } }, "work").key).toBe(
      "agents.defaults.model.fallbacks",
    );
  });
});
