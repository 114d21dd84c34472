import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { buildCatalog } from "../../src/models/catalog.js";
import { estimateCostUsd } from "../../src/models/price.js";

const catalogOf = (raw: unknown) => buildCatalog(configSchema.parse(raw));

describe("model prices", () => {
  it("gives a built-in model its published price and leaves one without a price unpriced", () => {
    const catalog = catalogOf({});
    expect(catalog.models.get("anthropic/claude-opus-5-5")?.cost).toEqual({
      input: 4,
      output: 20,
      cacheRead: 0.2,
      cacheWrite: 5,
    });
    expect(catalog.models.get("anthropic/claude-haiku-4-5")?.cost).toBeUndefined();
    expect(catalog.models.get("openrouter/auto")?.cost).toBeUndefined();
  });

  it("lets models.providers.<p>.models[].cost override the built-in price figure by figure", () => {
    const catalog = catalogOf({
      models: {
        providers: {
          openai: { models: [{ id: "gpt-5.4", name: "GPT-5.4", cost: { input: 2, cacheRead: 0.1 } }] },
          anthropic: { models: [{ id: "claude-haiku-4-5", cost: { input: 1, output: 5 } }] },
          openrouter: { models: [{ id: "x-ai/grok-4", cost: {} }] },
        },
      },
    });
    expect(catalog.models.get("openai/gpt-5.4")?.cost).toEqual({ input: 2, output: 15, cacheRead: 0.1, cacheWrite: 0 });
    // A price the catalog lacks: the figures left out cost nothing, as the user priced the model.
    expect(catalog.models.get("anthropic/claude-haiku-4-5")?.cost).toEqual({
      input: 1,
      output: 5,
      cacheRead: 0,
      cacheWrite: 0,
    });
    // An empty cost gives no figure: still unpriced.
    expect(catalog.models.get("openrouter/x-ai/grok-4")?.cost).toBeUndefined();
  });

  it("refuses a negative price where the config is read", () => {
    const parsed = configSchema.safeParse({
      models: { providers: { openai: { models: [{ id: "gpt-5.4", cost: { input: -1 } }] } } },
    });
    expect(parsed.success).toBe(false);
  });

  it("estimates USD from the four token counts, and says unpriced rather than free", () => {
    const cost = { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 };
    const tokens = { input: 1_000, output: 500, cacheRead: 10_000, cacheWrite: 2_000 };
    // 1000*4 + 500*20 + 10000*0.2 + 2000*5 = 4000 + 10000 + 2000 + 10000 = 26000 per million
    expect(estimateCostUsd(cost, tokens)).toBeCloseTo(0.026, 10);
    expect(estimateCostUsd(undefined, tokens)).toBeUndefined();
  });
});
