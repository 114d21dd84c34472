import { describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { callProvider, providerModelId } from "../../src/providers/call.js";
import { classifyError } from "../../src/providers/classify.js";
import { isBearerToken } from "../../src/providers/anthropic.js";
import type { CatalogProvider } from "../../src/models/catalog.js";
import { scaled } from "../support/slowness.js";

const KEY = "sk-ant-api03-CALLCALLCALLCALLCALLcall";
/** The time failures are classified at (only a `retry-after` date depends on it). */
const NOW = Date.parse("2026-11-01T00:00:00Z");
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
    expect(r.usage?.output).toBeGreaterThan(0);
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
    expect(classifyError(none, NOW)).toMatchObject({ kind: "format", reasonCode: "no_base_url" });
    expect((none as Error).message).toContain("models.providers.acme.baseUrl");
    const odd = await callProvider(
      provider({ id: "acme", baseUrl: fake.url, api: "google-gemini" }),
      { secret: KEY, type: "api_key" },
      ask,
    ).catch((e: unknown) => e);
    expect(classifyError(odd, NOW)).toMatchObject({ kind: "format", reasonCode: "unsupported_api" });
    expect(fake.requests).toHaveLength(0);
  });

  it("a malformed OpenAI answer classifies as format too", async () => {
    fake.script(KEY, { kind: "malformed" });
    const err = await callProvider(
      provider({ id: "openai", baseUrl: `${fake.url}/v1`, api: "openai-completions" }),
      { secret: KEY, type: "api_key" },
      ask,
    ).catch((e: unknown) => e);
    expect(classifyError(err, NOW).kind).toBe("format");
  });
});

describe("callProvider, streaming", () => {
  const openai = () => provider({ id: "openai", baseUrl: `${fake.url}/v1`, api: "openai-completions" });
  const credential = { secret: KEY, type: "api_key" as const };

  it.each([
    ["Anthropic", () => provider({ baseUrl: fake.url }), "end_turn"],
    ["OpenAI-compatible", openai, "stop"],
  ])("hands %s text over piece by piece and returns the whole", async (_name, target, stop) => {
    fake.script(KEY, { kind: "text", text: "a streamed answer", stream: { chunks: 6 } });
    const deltas: string[] = [];
    const r = await callProvider(target(), credential, { ...ask, onText: (d) => deltas.push(d) });
    expect(deltas.length).toBe(6);
    expect(deltas.join("")).toBe("a streamed answer");
    expect(r).toMatchObject({ text: "a streamed answer", stopReason: stop });
    expect(r.usage?.output).toBeGreaterThan(0);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true });
  });

  it.each([
    ["Anthropic", () => provider({ baseUrl: fake.url })],
    ["OpenAI-compatible", openai],
  ])("a %s stream broken off by a 429 throws a rate limit after the pieces that came", async (_name, target) => {
    fake.script(KEY, { kind: "text", text: "0123456789", stream: { chunks: 10, failAfter: 3 } });
    const deltas: string[] = [];
    const err = await callProvider(target(), credential, { ...ask, onText: (d) => deltas.push(d) }).catch(
      (e: unknown) => e,
    );
    expect(deltas).toEqual(["0", "1", "2"]);
    expect(classifyError(err, NOW)).toMatchObject({ kind: "rate_limit" });
  });

  it.each([
    ["Anthropic", () => provider({ baseUrl: fake.url })],
    ["OpenAI-compatible", openai],
  ])(
    "a %s stream answered with something else than events is malformed, never an empty answer",
    async (_name, target) => {
      fake.script(KEY, { kind: "malformed" });
      const err = await callProvider(target(), credential, { ...ask, onText: () => undefined }).catch(
        (e: unknown) => e,
      );
      expect(classifyError(err, NOW)).toMatchObject({ kind: "format", reasonCode: "malformed_response" });
    },
  );

  it("a stream that goes silent times out although its headers came at once", async () => {
    fake.script(KEY, { kind: "text", text: "slow", stream: { chunks: 2, gapMs: scaled(3000) } });
    const deltas: string[] = [];
    const err = await callProvider(provider({ baseUrl: fake.url }), credential, {
      ...ask,
      timeoutMs: scaled(200),
      onText: (d) => deltas.push(d),
    }).catch((e: unknown) => e);
    expect(deltas).toEqual(["sl"]);
    expect(classifyError(err, NOW)).toMatchObject({ kind: "timeout", reasonCode: "timeout" });
  });

  it("an abort mid-stream fails as aborted, never as a complete answer", async () => {
    fake.script(KEY, { kind: "text", text: "abcdefgh", stream: { chunks: 8, gapMs: 30 } });
    const stop = new AbortController();
    const deltas: string[] = [];
    const err = await callProvider(provider({ baseUrl: fake.url }), credential, {
      ...ask,
      signal: stop.signal,
      onText: (d) => {
        deltas.push(d);
        if (deltas.length === 2) stop.abort();
      },
    }).catch((e: unknown) => e);
    expect(deltas).toEqual(["a", "b"]);
    expect(classifyError(err, NOW)).toMatchObject({ kind: "timeout", reasonCode: "aborted" });
  });
});

describe("callProvider, usage", () => {
  const anthropic = () => provider({ baseUrl: fake.url });
  const openai = () => provider({ id: "openai", baseUrl: `${fake.url}/v1`, api: "openai-completions" });
  const credential = { secret: KEY, type: "api_key" as const };
  const usage = { input: 120, output: 30, cacheRead: 1_000, cacheWrite: 50 };
  const streamed = { onText: () => undefined };

  it.each([
    ["whole", {}],
    ["streamed", streamed],
  ])("takes Anthropic's own counts, cache reads and writes apart (%s)", async (_name, how) => {
    fake.script(KEY, { kind: "text", text: "cached", usage, stream: { chunks: 3 } });
    const r = await callProvider(anthropic(), credential, { ...ask, ...how });
    // Streamed: message_start's output count of 1 is replaced by message_delta's final 30, not added.
    expect(r.usage).toEqual(usage);
  });

  it.each([
    ["whole", {}],
    ["streamed", streamed],
  ])("counts OpenAI's cached prompt tokens as cache reads only, not as input too (%s)", async (_name, how) => {
    fake.script(KEY, { kind: "text", text: "cached", usage, stream: { chunks: 3 } });
    const r = await callProvider(openai(), credential, { ...ask, ...how });
    // The fake sends prompt_tokens 1120 with cached_tokens 1000, as OpenAI does; it bills no cache writes.
    expect(r.usage).toEqual({ input: 120, output: 30, cacheRead: 1_000, cacheWrite: 0 });
  });

  it("reports no usage for a compatible server's stream it did not ask for usage", async () => {
    fake.script(KEY, { kind: "text", text: "plain", stream: { chunks: 2 } });
    const custom = provider({ id: "local", baseUrl: `${fake.url}/v1`, api: "openai-completions" });
    const r = await callProvider(custom, credential, { ...ask, ...streamed });
    expect(r.text).toBe("plain");
    expect(r.usage).toBeUndefined();
  });

  it("hears the input and cache counts of an Anthropic stream that breaks off", async () => {
    fake.script(KEY, { kind: "text", text: "0123456789", usage, stream: { chunks: 10, failAfter: 3 } });
    const heard: unknown[] = [];
    await callProvider(anthropic(), credential, { ...ask, ...streamed, onUsage: (u) => heard.push(u) }).catch(
      () => undefined,
    );
    expect(heard).toEqual([{ input: 120, output: 1, cacheRead: 1_000, cacheWrite: 50 }]);
  });

  it.each([
    ["Anthropic", anthropic, "max_tokens"],
    ["OpenAI-compatible", openai, "length"],
  ])("passes on %s's stop reason of an answer cut off at the limit", async (_name, target, reason) => {
    fake.script(KEY, { kind: "text", text: "cut", cutOff: true });
    const r = await callProvider(target(), credential, ask);
    expect(r.stopReason).toBe(reason);
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
