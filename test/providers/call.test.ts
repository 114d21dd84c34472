import { describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { callProvider, providerModelId } from "../../src/providers/call.js";
import { classifyError } from "../../src/providers/classify.js";
import { isBearerToken } from "../../src/providers/anthropic.js";
import type { CatalogProvider } from "../../src/models/catalog.js";
import { scaled } from "../support/slowness.js";

const KEY = "sk-ant-api03-CALLCALLCALLCALLCALLcall";
const ask = {
  model: "claude-haiku-5-5",
  messages: [{ role: "user" as const, content: "hi" }],
  maxTokens: 16,
  timeoutMs: scaled(2000),
};

function provider(over: Partial<CatalogProvider>): CatalogProvider {
  return {
    id: "anthropic",
    name: "Anthropic",
    baseUrl: "",
    api: "anthropic-messages",
    envKeys: [],
    tokenEnvKeys: [],
    models: [],
    ...over,
  };
}

const fake = useFakeProvider();

describe("callProvider", () => {
  it("returns the text and usage of an Anthropic answer", async () => {
    fake.script(KEY, { kind: "text", text: "hello" });
    const r = await callProvider(provider({ baseUrl: fake.url }), { secret: KEY, type: "api_key" }, ask);
    expect(r).toMatchObject({ text: "hello", stopReason: "end_turn" });
    expect(r.outputTokens).toBeGreaterThan(0);
  });

  it("accepts an Anthropic base URL written with /v1", async () => {
    fake.script(KEY, { kind: "text", text: "still here" });
    const r = await callProvider(provider({ baseUrl: `${fake.url}/v1` }), { secret: KEY, type: "api_key" }, ask);
    expect(r.text).toBe("still here");
    expect(fake.requests[0]?.path).toBe("/v1/messages");
  });

  it("sends a system prompt where each API wants it", async () => {
    fake.defaultText("ok");
    await callProvider(
      provider({ baseUrl: fake.url }),
      { secret: KEY, type: "api_key" },
      { ...ask, system: "be brief" },
    );
    await callProvider(
      provider({ id: "openai", baseUrl: `${fake.url}/v1`, api: "openai-completions" }),
      { secret: KEY, type: "api_key" },
      { ...ask, system: "be brief" },
    );
    expect(fake.requests[0]?.body).toMatchObject({ system: "be brief" });
    expect(fake.requests[1]?.messages?.[0]).toEqual({ role: "system", content: "be brief" });
  });

  it("refuses a provider without an endpoint or with an API we do not speak, as format errors", async () => {
    const none = await callProvider(provider({ id: "acme", baseUrl: "" }), { secret: KEY, type: "api_key" }, ask).catch(
      (e: unknown) => e,
    );
    expect(classifyError(none)).toMatchObject({ kind: "format", reasonCode: "no_base_url" });
    expect((none as Error).message).toContain("models.providers.acme.baseUrl");
    const odd = await callProvider(
      provider({ id: "acme", baseUrl: fake.url, api: "google-gemini" }),
      { secret: KEY, type: "api_key" },
      ask,
    ).catch((e: unknown) => e);
    expect(classifyError(odd)).toMatchObject({ kind: "format", reasonCode: "unsupported_api" });
    expect(fake.requests).toHaveLength(0);
  });

  it("a malformed OpenAI answer classifies as format too", async () => {
    fake.script(KEY, { kind: "malformed" });
    const err = await callProvider(
      provider({ id: "openai", baseUrl: `${fake.url}/v1`, api: "openai-completions" }),
      { secret: KEY, type: "api_key" },
      ask,
    ).catch((e: unknown) => e);
    expect(classifyError(err).kind).toBe("format");
  });
});

describe("helpers", () => {
  it("providerModelId drops only the provider part, except on OpenRouter's own routers", () => {
    expect([
      providerModelId("anthropic/claude-x"),
      providerModelId("openrouter/anthropic/claude-x"),
      providerModelId("openrouter/auto"),
      providerModelId("bare"),
    ]).toEqual(["claude-x", "anthropic/claude-x", "openrouter/auto", "bare"]);
  });

  it("isBearerToken: tokens, OAuth, and setup-tokens stored as keys", () => {
    expect(isBearerToken({ type: "token", secret: "anything" })).toBe(true);
    expect(isBearerToken({ type: "oauth", secret: "anything" })).toBe(true);
    expect(isBearerToken({ type: "api_key", secret: "sk-ant-oat01-xyz" })).toBe(true);
    expect(isBearerToken({ type: "api_key", secret: "sk-ant-api03-xyz" })).toBe(false);
  });
});
