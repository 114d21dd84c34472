import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import {
  classifyError,
  MAX_DETAIL,
  ProviderRequestError,
  retryAfterMs,
  type Classification,
} from "../../src/providers/classify.js";
import { CLAUDE_CODE_ONLY_MESSAGE } from "../fakes/provider-api.js";

const NOW = 1_800_000_000_000;
const SECRET = "sk-ant-api03-Zq8Wm2Lr5Tx9Vb3Nc7Hd1Kf6Jg4Ps0Ye";

function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): unknown {
  return Anthropic.APIError.generate(
    status,
    { type: "error", error: { type, message } },
    undefined,
    new Headers(headers),
  );
}

function openaiError(
  status: number,
  error: { message: string; type?: string; code?: string | null },
  headers: Record<string, string> = {},
): unknown {
  return OpenAI.APIError.generate(
    status,
    { error: { type: null, code: null, param: null, ...error } },
    undefined,
    new Headers(headers),
  );
}

// `undefined` in an expectation asserts the field is absent or undefined.
type Row = [name: string, error: unknown, expected: { [K in keyof Classification]?: Classification[K] | undefined }];

const table: Row[] = [
  [
    "anthropic 401",
    anthropicError(401, "authentication_error", "invalid x-api-key"),
    { kind: "auth", reasonCode: "unauthorized", status: 401 },
  ],
  [
    "anthropic 403",
    anthropicError(403, "permission_error", "no permission"),
    { kind: "auth", reasonCode: "forbidden", status: 403 },
  ],
  [
    "openai 401",
    openaiError(401, { message: "Incorrect API key provided.", code: "invalid_api_key" }),
    { kind: "auth", status: 401 },
  ],
  [
    "anthropic 429 with retry-after seconds",
    anthropicError(429, "rate_limit_error", "slow down", { "retry-after": "7" }),
    { kind: "rate_limit", reasonCode: "rate_limited", retryAfterMs: 7000 },
  ],
  [
    "retry-after-ms wins over retry-after",
    anthropicError(429, "rate_limit_error", "slow down", { "retry-after-ms": "1500", "retry-after": "7" }),
    { kind: "rate_limit", retryAfterMs: 1500 },
  ],
  [
    "retry-after as an HTTP date",
    anthropicError(429, "rate_limit_error", "slow down", { "retry-after": new Date(NOW + 20_000).toUTCString() }),
    { kind: "rate_limit", retryAfterMs: 20_000 },
  ],
  [
    "429 without retry-after",
    anthropicError(429, "rate_limit_error", "slow down"),
    { kind: "rate_limit", retryAfterMs: undefined },
  ],
  [
    "openai 429 insufficient_quota is billing",
    openaiError(429, { message: "You exceeded your current quota.", code: "insufficient_quota" }),
    { kind: "billing" },
  ],
  [
    "anthropic 402",
    anthropicError(402, "billing_error", "Your credit balance is too low to access the Anthropic API."),
    { kind: "billing", status: 402 },
  ],
  [
    "openai 402",
    openaiError(402, { message: "Insufficient balance.", code: "insufficient_quota" }),
    { kind: "billing", status: 402 },
  ],
  [
    "anthropic 400 credit balance is billing",
    anthropicError(
      400,
      "invalid_request_error",
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing.",
    ),
    { kind: "billing", status: 400 },
  ],
  ["openrouter 403 key limit is billing", openaiError(403, { message: "Key limit exceeded" }), { kind: "billing" }],
  [
    "402 usage window is a rate limit",
    openaiError(402, { message: "Daily limit reached, resets tomorrow" }),
    { kind: "rate_limit", reasonCode: "usage_limit" },
  ],
  [
    "anthropic 529",
    anthropicError(529, "overloaded_error", "Overloaded"),
    { kind: "overloaded", reasonCode: "overloaded", status: 529 },
  ],
  [
    "anthropic 500",
    anthropicError(500, "api_error", "Internal server error"),
    { kind: "overloaded", reasonCode: "server_error" },
  ],
  ["503", openaiError(503, { message: "unavailable" }), { kind: "overloaded", reasonCode: "overloaded" }],
  ["504 gateway timeout", openaiError(504, { message: "gateway timeout" }), { kind: "timeout" }],
  ["SDK timeout (anthropic)", new Anthropic.APIConnectionTimeoutError(), { kind: "timeout", reasonCode: "timeout" }],
  ["SDK timeout (openai)", new OpenAI.APIConnectionTimeoutError(), { kind: "timeout", reasonCode: "timeout" }],
  ["user abort", new Anthropic.APIUserAbortError(), { kind: "timeout", reasonCode: "aborted" }],
  ["DOM AbortError", new DOMException("aborted", "AbortError"), { kind: "timeout", reasonCode: "aborted" }],
  [
    "connection refused",
    new Anthropic.APIConnectionError({ message: "Connection error." }),
    { kind: "overloaded", reasonCode: "connection_error" },
  ],
  [
    "anthropic 400",
    anthropicError(400, "invalid_request_error", "max_tokens: must be positive"),
    { kind: "format", reasonCode: "invalid_request", status: 400 },
  ],
  ["openai 422", openaiError(422, { message: "bad" }), { kind: "format", reasonCode: "invalid_request" }],
  ["404 model", anthropicError(404, "not_found_error", "model: nope"), { kind: "format", reasonCode: "not_found" }],
  [
    "malformed 200 (bare SyntaxError)",
    new SyntaxError("Unexpected end of JSON input"),
    { kind: "format", reasonCode: "malformed_response" },
  ],
  [
    "Claude Code-only credential",
    anthropicError(400, "invalid_request_error", CLAUDE_CODE_ONLY_MESSAGE),
    { kind: "incompatible", reasonCode: "claude_code_only", status: 400 },
  ],
  [
    "Claude Code-only behind a 401",
    anthropicError(401, "authentication_error", CLAUDE_CODE_ONLY_MESSAGE),
    { kind: "incompatible" },
  ],
  [
    "streamed rate_limit_error without status",
    Object.assign(new Error("rate limited"), { type: "rate_limit_error" }),
    { kind: "rate_limit" },
  ],
  ["streamed overloaded without status", new Error("Overloaded"), { kind: "overloaded" }],
  [
    "our own request error",
    new ProviderRequestError("format", "unsupported_api", "x"),
    { kind: "format", reasonCode: "unsupported_api" },
  ],
  ["418", anthropicError(418, "teapot", "short and stout"), { kind: "unknown", reasonCode: "unknown" }],
  ["a thrown string", "boom", { kind: "unknown" }],
  ["a plain Error", new Error("something odd"), { kind: "unknown", detail: "an unexpected Error" }],
  [
    "a credential a header cannot carry",
    new TypeError('Headers.append: "Bearer sk-ant-api03-abc\ndef" is an invalid header value.'),
    { kind: "auth", reasonCode: "invalid_header" },
  ],
  [
    "the same, wrapped by the SDK",
    new Anthropic.APIConnectionError({
      message: "Connection error.",
      cause: new TypeError('Invalid character in header content ["x-api-key"]'),
    }),
    { kind: "auth", reasonCode: "invalid_header" },
  ],
  [
    "connection refused, with its code",
    new Anthropic.APIConnectionError({
      message: "Connection error.",
      cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    }),
    { kind: "overloaded", reasonCode: "connection_error", detail: "no connection (ECONNREFUSED)" },
  ],
  [
    "a host that does not resolve is a configuration error, not an outage (anthropic)",
    new Anthropic.APIConnectionError({
      message: "Connection error.",
      cause: Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND api.example.invalid"), {
          code: "ENOTFOUND",
          syscall: "getaddrinfo",
          hostname: "api.example.invalid",
        }),
      }),
    }),
    {
      kind: "config",
      reasonCode: "host_not_found",
      detail: "its host api.example.invalid does not resolve (ENOTFOUND)",
    },
  ],
  [
    "the same through the OpenAI SDK",
    new OpenAI.APIConnectionError({
      cause: Object.assign(new TypeError("fetch failed"), {
        cause: { code: "ENOTFOUND", hostname: "openrouter.example.invalid" },
      }),
    }),
    { kind: "config", detail: "its host openrouter.example.invalid does not resolve (ENOTFOUND)" },
  ],
];

describe("classifyError", () => {
  it.each(table)("%s", (_name, error, expected) => {
    const got = classifyError(error, NOW);
    for (const [k, v] of Object.entries(expected)) expect(got[k as keyof Classification], k).toEqual(v);
  });

  // Errors of the HTTP and SDK layers quote request headers and response bodies: none of their text is kept.
  it.each([
    [
      "a header error",
      new TypeError(`Headers.append: "Bearer ${SECRET.slice(0, 20)}\n${SECRET.slice(20)}" is an invalid header value.`),
    ],
    ["a parse error quoting the body", new SyntaxError(`Unexpected token 'k', "key=${SECRET}" is not valid JSON`)],
    [
      "a wrapped fetch error",
      new OpenAI.APIConnectionError({ cause: new Error(`connect to proxy with ${SECRET} failed`) }),
    ],
    ["a plain error", new Error(`boom ${SECRET}`)],
    ["a thrown string", `boom ${SECRET}`],
    [
      "a 500 whose body is not JSON",
      Anthropic.APIError.generate(500, undefined, `<html>${SECRET}</html>`, new Headers()),
    ],
  ])("keeps no raw text of %s", (_name, error) => {
    const detail = classifyError(error, NOW).detail;
    expect(detail).not.toContain(SECRET.slice(13, 25));
    expect(detail).not.toContain("\n");
  });

  it("keeps the provider's structured message as one line, at most MAX_DETAIL characters", () => {
    const long = `line one\nline two ${"x".repeat(400)}`;
    const detail = classifyError(anthropicError(400, "invalid_request_error", long), NOW).detail;
    expect(detail.startsWith("line one line two xxx")).toBe(true);
    expect(detail.length).toBe(MAX_DETAIL);
  });

  it("keeps the provider's message as detail", () => {
    expect(classifyError(anthropicError(402, "billing_error", "Your credit balance is too low"), NOW).detail).toBe(
      "Your credit balance is too low",
    );
    expect(classifyError(openaiError(401, { message: "Incorrect API key provided." }), NOW).detail).toBe(
      "Incorrect API key provided.",
    );
  });
});

describe("retryAfterMs", () => {
  const h = (v: Record<string, string>) => new Headers(v);
  it.each([
    [{ "retry-after": "7" }, 7000],
    [{ "retry-after": "0.5" }, 500],
    [{ "retry-after-ms": "250" }, 250],
    [{ "retry-after": "-3" }, undefined],
    [{ "retry-after": "soon" }, undefined],
    [{ "retry-after": "99999999" }, 24 * 60 * 60 * 1000],
    [{}, undefined],
  ] as const)("%j → %s", (headers, expected) => {
    expect(retryAfterMs(h(headers), NOW)).toBe(expected);
  });
  it("reads a past HTTP date as zero", () => {
    expect(retryAfterMs(h({ "retry-after": new Date(NOW - 5000).toUTCString() }), NOW)).toBe(0);
  });
});
