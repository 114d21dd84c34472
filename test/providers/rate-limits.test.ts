import { describe, expect, it } from "vitest";
import { durationMs, readRateLimits } from "../../src/providers/rate-limits.js";
import { callProvider } from "../../src/providers/call.js";
import { classifyError } from "../../src/providers/classify.js";
import type { CatalogProvider } from "../../src/models/catalog.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { goDuration } from "../fakes/provider-api.js";
import { scaled } from "../support/slowness.js";

const NOW = Date.parse("2027-01-15T08:00:00Z");

function read(headers: Record<string, string>) {
  return readRateLimits(new Headers(headers), NOW);
}

describe("rate-limit headers: Anthropic", () => {
  it("reads every kind's limit, remaining and RFC 3339 reset", () => {
    expect(
      read({
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": "2027-01-15T08:00:30Z",
        "anthropic-ratelimit-tokens-limit": "40000",
        "anthropic-ratelimit-tokens-remaining": "39500",
        "anthropic-ratelimit-tokens-reset": "2027-01-15T08:00:01.5Z",
        "anthropic-ratelimit-input-tokens-limit": "30000",
        "anthropic-ratelimit-input-tokens-remaining": "29600",
        "anthropic-ratelimit-input-tokens-reset": "2027-01-15T09:00:01+01:00",
        "anthropic-ratelimit-output-tokens-limit": "8000",
        "anthropic-ratelimit-output-tokens-remaining": "7900",
        "anthropic-ratelimit-output-tokens-reset": "2027-01-15T08:00:02Z",
      }),
    ).toEqual({
      requests: { limit: 50, remaining: 0, resetAt: NOW + 30_000 },
      tokens: { limit: 40_000, remaining: 39_500, resetAt: NOW + 1500 },
      inputTokens: { limit: 30_000, remaining: 29_600, resetAt: NOW + 1000 },
      outputTokens: { limit: 8000, remaining: 7900, resetAt: NOW + 2000 },
    });
  });

  it("leaves out malformed values and keeps the rest", () => {
    expect(
      read({
        "anthropic-ratelimit-requests-limit": "-1",
        "anthropic-ratelimit-requests-remaining": "12",
        "anthropic-ratelimit-requests-reset": "2027-01-15 08:00:30",
        "anthropic-ratelimit-tokens-limit": "lots",
        "anthropic-ratelimit-tokens-remaining": "1.5",
        "anthropic-ratelimit-tokens-reset": "tomorrow",
      }),
    ).toEqual({ requests: { remaining: 12 } });
  });
});

describe("rate-limit headers: OpenAI-compatible", () => {
  it("reads limit, remaining and duration resets from now", () => {
    expect(
      read({
        "x-ratelimit-limit-requests": "5000",
        "x-ratelimit-remaining-requests": "4999",
        "x-ratelimit-reset-requests": "12ms",
        "x-ratelimit-limit-tokens": "160000",
        "x-ratelimit-remaining-tokens": "0",
        "x-ratelimit-reset-tokens": "6m0s",
      }),
    ).toEqual({
      requests: { limit: 5000, remaining: 4999, resetAt: NOW + 12 },
      tokens: { limit: 160_000, remaining: 0, resetAt: NOW + 360_000 },
    });
  });

  it.each([
    ["1s", 1000],
    ["20ms", 20],
    ["6m0s", 360_000],
    ["1h2m3.5s", 3_723_500],
    ["1.5h", 5_400_000],
    ["250us", 0],
    ["7", 7000],
  ])("reads the duration %s as %d ms", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(["", "6 m", "1d", "m5", "-1s", "1h-2m", "5x"])("does not read %j as a duration", (text) => {
    expect(durationMs(text)).toBeUndefined();
  });

  it("leaves out a malformed reset or count (Azure's -1 for unknown)", () => {
    expect(
      read({
        "x-ratelimit-limit-tokens": "-1",
        "x-ratelimit-remaining-tokens": "-1",
        "x-ratelimit-reset-tokens": "soon",
        "x-ratelimit-remaining-requests": "3",
      }),
    ).toEqual({ requests: { remaining: 3 } });
  });

  it("writes the fake's durations as it reads them", () => {
    for (const ms of [0, 20, 999, 1000, 61_500, 360_000, 3_723_500]) expect(durationMs(goDuration(ms))).toBe(ms);
  });
});

it("no rate-limit header at all: nothing", () => {
  expect(read({ "content-type": "application/json", "x-request-id": "req_1" })).toBeUndefined();
  expect(readRateLimits(undefined, NOW)).toBeUndefined();
});

describe("rate limits through the real SDKs and the loopback fake", () => {
  const fake = useFakeProvider();
  const KEY = "sk-ant-api03-RATELIMITSRATELIMITSrate";
  const clock = () => NOW;
  const ask = {
    model: "claude-haiku-5-5",
    messages: [{ role: "user" as const, content: "hi" }],
    maxTokens: 16,
    timeoutMs: scaled(2000),
    clock,
  };
  const provider = (api: "anthropic-messages" | "openai-completions"): CatalogProvider => ({
    id: api === "anthropic-messages" ? "anthropic" : "openai",
    name: api,
    baseUrl: api === "anthropic-messages" ? fake.url : `${fake.url}/v1`,
    api,
    envKeys: [],
    tokenEnvKeys: [],
    models: [],
  });
  const credential = { secret: KEY, type: "api_key" as const };

  it.each(["anthropic-messages", "openai-completions"] as const)(
    "%s: an answer carries them, streamed or not",
    async (api) => {
      fake.useClock(clock);
      fake.script(KEY, { kind: "text", text: "hello" });
      fake.quota(KEY, { requests: { limit: 50, remaining: 7 }, resetAt: NOW + 30_000 });
      const whole = await callProvider(provider(api), credential, ask);
      const streamed = await callProvider(provider(api), credential, { ...ask, onText: () => undefined });
      for (const r of [whole, streamed]) {
        expect(r.text).toBe("hello");
        expect(r.rateLimits?.requests).toEqual({ limit: 50, remaining: 7, resetAt: NOW + 30_000 });
        expect(r.rateLimits?.tokens).toEqual({ limit: 40_000, remaining: 40_000, resetAt: NOW + 30_000 });
      }
    },
  );

  it.each(["anthropic-messages", "openai-completions"] as const)(
    "%s: a 429's classification carries them",
    async (api) => {
      fake.useClock(clock);
      fake.script(KEY, { kind: "status", status: 429, retryAfterSeconds: 30 });
      fake.quota(KEY, { requests: { limit: 50, remaining: 0 }, resetAt: NOW + 30_000 });
      const err = await callProvider(provider(api), credential, ask).then(
        () => undefined,
        (e: unknown) => e,
      );
      const c = classifyError(err, NOW);
      expect(c.kind).toBe("rate_limit");
      expect(c.rateLimits?.requests).toEqual({ limit: 50, remaining: 0, resetAt: NOW + 30_000 });
    },
  );
});
