import { describe, expect, it } from "vitest";
import { isModelAllowed, resolveModelRef, splitProfile } from "../../src/models/ref.js";
import { buildCatalog } from "../../src/models/catalog.js";
import { createRequire } from "node:module";
import path from "node:path";

// The SDK does not export its deprecation table; load the installed file by path so the catalog
// test fails as soon as an SDK upgrade retires another model.
const { DEPRECATED_MODELS } = createRequire(import.meta.url)(
  path.resolve("node_modules/@anthropic-ai/sdk/internal/data/deprecated-models.js"),
) as { DEPRECATED_MODELS: Record<string, string> };

const catalog = buildCatalog({});

describe("splitProfile", () => {
  it.each([
    ["opus", { ref: "opus" }],
    ["opus@work", { ref: "opus", profile: "work" }],
    ["anthropic/claude-opus-5-5@anthropic:work", { ref: "anthropic/claude-opus-5-5", profile: "anthropic:work" }],
    [
      "openrouter/anthropic/claude-sonnet-4.5@or:team",
      { ref: "openrouter/anthropic/claude-sonnet-4.5", profile: "or:team" },
    ],
    ["vertex/claude-3-5@2024-10-22", { ref: "vertex/claude-3-5@2024-10-22" }],
    ["x/model@v1.2", { ref: "x/model@v1.2" }],
    ["x/model@latest", { ref: "x/model@latest" }],
    ["openai/model@1.0.0-beta.1", { ref: "openai/model@1.0.0-beta.1" }],
    ["openai/model@2.1.0-rc.2+build.5114f85", { ref: "openai/model@2.1.0-rc.2+build.5114f85" }],
    ["openai/model@v3.0.0-alpha", { ref: "openai/model@v3.0.0-alpha" }],
    ["openai/model@openai:beta", { ref: "openai/model", profile: "openai:beta" }],
    ["openai/model@beta", { ref: "openai/model", profile: "beta" }],
    ["x@", { ref: "x", profile: "" }],
    ["a@b/c@d", { ref: "a@b/c", profile: "d" }],
    // A local model's quantisation is part of its id; the profile is the first `@` part after it.
    ["openai/qwen3.6-27b@iq3_xxs", { ref: "openai/qwen3.6-27b@iq3_xxs" }],
    ["openai/qwen3.6-27b@iq3_xxs@work", { ref: "openai/qwen3.6-27b@iq3_xxs", profile: "work" }],
    ["ollama/llama3@q4_K_M@ollama:local", { ref: "ollama/llama3@q4_K_M", profile: "ollama:local" }],
    ["mlx/qwen3@4bit", { ref: "mlx/qwen3@4bit" }],
    ["vllm/gemma@f16", { ref: "vllm/gemma@f16" }],
    ["vllm/gemma@bf16@vllm:gpu", { ref: "vllm/gemma@bf16", profile: "vllm:gpu" }],
    ["vllm/gemma@fp8", { ref: "vllm/gemma@fp8" }],
    ["vllm/gemma@int4", { ref: "vllm/gemma@int4" }],
    // A date, then a profile: OpenClaw's `model@20250929@profile`.
    ["vertex/claude-3-5@20241022@work", { ref: "vertex/claude-3-5@20241022", profile: "work" }],
    [
      "openai/model@1.0.0-beta.1@openai:owner+work@example.com",
      {
        ref: "openai/model@1.0.0-beta.1",
        profile: "openai:owner+work@example.com",
      },
    ],
    ["x/model@q4_k_m@", { ref: "x/model@q4_k_m", profile: "" }],
  ])("%s", (input, expected) => {
    expect(splitProfile(input)).toEqual(expected);
  });
});

describe("resolveModelRef", () => {
  it("resolves aliases case-insensitively to the newest model of the family", () => {
    const r = resolveModelRef(catalog, "OPUS");
    expect(r.ok && r.value.ref).toBe("anthropic/claude-opus-5-5");
  });
  it("accepts a bare id served by one provider", () => {
    const r = resolveModelRef(catalog, "claude-haiku-4-5");
    expect(r.ok && r.value.ref).toBe("anthropic/claude-haiku-4-5");
  });
  it("accepts an uncatalogued model of a known provider without a catalog entry", () => {
    const r = resolveModelRef(catalog, "openai/gpt-9-preview");
    expect(r.ok && r.value).toEqual({ provider: "openai", ref: "openai/gpt-9-preview" });
  });
  it("suggests the closest matches for unknown input", () => {
    const r = resolveModelRef(catalog, "sonet");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("unknown_model");
      expect(r.error.hint).toContain("`sonnet`");
      expect(r.error.hint).toContain("/model list");
    }
  });
  describe("a bare id in no catalog, with a default provider (OpenClaw's parseModelRef)", () => {
    it("is read with the default provider, and flagged so the caller can say so", () => {
      const r = resolveModelRef(catalog, "claude-3-5-sonnet", [], "anthropic");
      expect(r.ok && r.value).toEqual({
        provider: "anthropic",
        ref: "anthropic/claude-3-5-sonnet",
        withDefaultProvider: true,
      });
      expect(resolveModelRef(catalog, "my-local-model", [], "openai").ok && "openai/my-local-model").toBe(
        "openai/my-local-model",
      );
    });
    // Near: edit distance at most max(2, floor(length / 3)) from an alias or ref, or contained in one.
    it.each([
      ["sonet", "`sonnet`"], // distance 1
      ["sonnetxxx", "`sonnet`"], // length 9: distance 3 is the limit
      ["nnet", "claude-sonnet"], // contained in a catalogued id
    ])("keeps refusing a near miss (%s) with the closest matches", (input, suggestion) => {
      const r = resolveModelRef(catalog, input, [], "anthropic");
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe("unknown_model");
        expect(r.error.hint).toContain(suggestion);
      }
    });
    it("reads an id just past the near-miss limit with the default provider", () => {
      // Length 10: distance 4 from `sonnet` is one past the limit of 3.
      const r = resolveModelRef(catalog, "sonnetxxxx", [], "anthropic");
      expect(r.ok && r.value.ref).toBe("anthropic/sonnetxxxx");
    });
    it("never reads a provider/model of an unknown provider, or a bare id without a default provider", () => {
      expect(resolveModelRef(catalog, "nosuch/claude-3-5-sonnet", [], "anthropic").ok).toBe(false);
      expect(resolveModelRef(catalog, "claude-3-5-sonnet").ok).toBe(false);
      expect(resolveModelRef(catalog, "claude-3-5-sonnet", [], "nosuch").ok).toBe(false);
    });
  });
  it("accepts a bare id that exactly one allowed or configured ref names, though the catalog lacks it", () => {
    const r = resolveModelRef(catalog, "kimi-k2.6", [
      "openrouter/*",
      "openrouter/kimi-k2.6",
      "anthropic/claude-opus-5-5",
    ]);
    expect(r.ok && r.value).toEqual({ provider: "openrouter", ref: "openrouter/kimi-k2.6" });
    expect(resolveModelRef(catalog, "kimi-k2.6").ok).toBe(false);
  });
  it("refuses a bare id that several providers serve, listing each", () => {
    const r = resolveModelRef(catalog, "kimi-k2.6", ["openrouter/kimi-k2.6", "openai/kimi-k2.6"]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("unknown_model");
      expect(r.error.hint).toContain("`openrouter/kimi-k2.6`, `openai/kimi-k2.6`");
    }
  });
  it.each([
    ["anthropic/opus-4.6", "anthropic/claude-opus-4-6"],
    ["anthropic/claude-opus-4.6", "anthropic/claude-opus-4-6"],
    ["Anthropic/Sonnet-4.6", "anthropic/claude-sonnet-4-6"],
    ["sonnet-4.6", "anthropic/claude-sonnet-4-6"],
    ["opus-4-6", "anthropic/claude-opus-4-6"],
    ["claude-opus-4.6", "anthropic/claude-opus-4-6"],
    ["fable-5.1", "anthropic/claude-fable-5-1"],
    ["anthropic/opus", "anthropic/claude-opus-5-5"],
  ])("writes OpenClaw's Anthropic shorthand %s as the catalog id %s", (typed, ref) => {
    const r = resolveModelRef(catalog, typed);
    expect(r.ok && r.value.ref).toBe(ref);
    expect(r.ok && r.value.model?.ref).toBe(ref);
  });
  it("writes an uncatalogued Anthropic shorthand the way the API names models, and leaves other ids alone", () => {
    expect(resolveModelRef(catalog, "anthropic/opus-4.9")).toEqual({
      ok: true,
      value: { provider: "anthropic", ref: "anthropic/claude-opus-4-9" },
    });
    const other = resolveModelRef(catalog, "anthropic/gpt-4");
    expect(other.ok && other.value.ref).toBe("anthropic/gpt-4");
    expect(resolveModelRef(catalog, "openai/gpt-5.4").ok).toBe(true);
    // The rewrite is Anthropic's: a bare dotted id of another provider is not made a Claude model.
    const bare = resolveModelRef(catalog, "gpt-5.4");
    expect(bare.ok && bare.value.ref).toBe("openai/gpt-5.4");
    expect(resolveModelRef(catalog, "opus-9.9").ok).toBe(false);
  });
  it("takes openrouter:auto as OpenClaw's spelling of openrouter/auto", () => {
    for (const typed of ["openrouter:auto", "OpenRouter:Auto", "openrouter/auto"]) {
      const r = resolveModelRef(catalog, typed);
      expect(r.ok && r.value.ref).toBe("openrouter/auto");
      expect(r.ok && r.value.model?.name).toContain("Auto Router");
    }
  });
  it("lets a user alias win over a built-in one", () => {
    const c = buildCatalog({ agents: { defaults: { models: { "openai/gpt-5.4": { alias: "opus" } } } } });
    const r = resolveModelRef(c, "opus");
    expect(r.ok && r.value.ref).toBe("openai/gpt-5.4");
  });
});

describe("catalog", () => {
  it("lists every Anthropic model the SDK marks deprecated with its retirement date", () => {
    for (const [id, when] of Object.entries(DEPRECATED_MODELS)) {
      if (/-\d{8}$/.test(id)) continue;
      const m = catalog.models.get(`anthropic/${id}`);
      expect(m, id).toBeDefined();
      expect(new Date(`${m!.deprecated!}T00:00:00Z`).toDateString()).toBe(
        new Date(`${when.replace(/(\d+)(st|nd|rd|th)/, "$1")} UTC`).toDateString(),
      );
    }
  });
  it("keeps built-in models when a user gives only a baseUrl, and adds user models", () => {
    const c = buildCatalog({
      models: {
        providers: {
          anthropic: { baseUrl: "http://127.0.0.1:9/", models: [{ id: "claude-test", contextWindow: 1000 }] },
        },
      },
    });
    const p = c.providers.get("anthropic")!;
    expect(p.baseUrl).toBe("http://127.0.0.1:9");
    expect(c.models.get("anthropic/claude-opus-5-5")).toBeDefined();
    expect(c.models.get("anthropic/claude-test")?.origin).toBe("config");
  });
});

describe("isModelAllowed", () => {
  it("matches exact refs, aliases and provider wildcards; empty allows all", () => {
    expect(isModelAllowed(catalog, [], "openai/gpt-5")).toBe(true);
    expect(isModelAllowed(catalog, ["openai/*"], "openai/gpt-5")).toBe(true);
    expect(isModelAllowed(catalog, ["sonnet"], "anthropic/claude-sonnet-5-5")).toBe(true);
    expect(isModelAllowed(catalog, ["sonnet"], "anthropic/claude-opus-5-5")).toBe(false);
  });
  it("reads OpenClaw's spellings in the list as the ids they stand for", () => {
    expect(isModelAllowed(catalog, ["anthropic/opus-4.6"], "anthropic/claude-opus-4-6")).toBe(true);
    expect(isModelAllowed(catalog, ["openrouter:auto"], "openrouter/auto")).toBe(true);
    expect(isModelAllowed(catalog, ["anthropic/opus-4.6"], "anthropic/claude-opus-4-7")).toBe(false);
  });
});
