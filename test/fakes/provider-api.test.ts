import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { CLAUDE_CODE_ONLY_MESSAGE, startFakeProvider } from "./provider-api.js";
import { useFakeProvider } from "./use-fake-provider.js";

const MODEL = "claude-sonnet-4-6";
const ask = { model: MODEL, max_tokens: 64, messages: [{ role: "user" as const, content: "hi" }] };

const fake = useFakeProvider();

function anthropic(apiKey: string, extra: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey, baseURL: fake.url, maxRetries: 0, ...extra });
}

/** Awaits a promise that must reject and hands back the rejection for assertions. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to reject");
}

describe("fake provider: Anthropic /v1/messages", () => {
  it("serves scripted text to the real SDK and records the request", async () => {
    fake.script("sk-ant-api-1", { kind: "text", text: "hello there" });

    const msg = await anthropic("sk-ant-api-1").messages.create(ask);

    expect(msg.content).toEqual([{ type: "text", text: "hello there", citations: null }]);
    expect(msg.stop_reason).toBe("end_turn");
    const [rec] = fake.requestsFor("sk-ant-api-1");
    expect(rec).toMatchObject({
      api: "anthropic",
      path: "/v1/messages",
      model: MODEL,
      maxTokens: 64,
      messages: ask.messages,
    });
    // SDK 1.x sends `apiKey` as `Authorization: Bearer`, not `x-api-key`.
    expect(rec?.credentialHeader).toBe("authorization");
    expect(rec?.headers["x-api-key"]).toBeUndefined();
    expect(rec?.anthropicVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("accepts x-api-key from clients that send it", async () => {
    fake.script("sk-ant-raw", { kind: "text", text: "ok" });

    const res = await fetch(`${fake.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-raw", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(ask),
    });

    expect(res.status).toBe(200);
    expect(fake.requestsFor("sk-ant-raw")[0]).toMatchObject({
      credentialHeader: "x-api-key",
      anthropicVersion: "2023-06-01",
    });
  });

  it("sees a setup-token sent via authToken as Bearer with the oauth beta header", async () => {
    const token = "sk-ant-oat01-setup-token";
    fake.script(token, { kind: "text", text: "via oauth" });
    const client = new Anthropic({
      authToken: token,
      baseURL: fake.url,
      maxRetries: 0,
      defaultHeaders: { "anthropic-beta": "oauth-2025-04-20" },
    });

    await client.messages.create(ask);

    const [rec] = fake.requestsFor(token);
    expect(rec?.credentialHeader).toBe("authorization");
    expect(rec?.headers.authorization).toBe(`Bearer ${token}`);
    expect(rec?.anthropicBeta).toBe("oauth-2025-04-20");
  });

  it("consumes scripts in order, repeats the last, and exposes retry-after on RateLimitError", async () => {
    fake.script(
      "sk-ant-limited",
      { kind: "status", status: 429, retryAfterSeconds: 7 },
      { kind: "text", text: "recovered" },
    );
    const client = anthropic("sk-ant-limited");

    const err = await rejection(client.messages.create(ask));
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimit = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get("retry-after")).toBe("7");
    expect(rateLimit.type).toBe("rate_limit_error");
    expect(rateLimit.requestID).toMatch(/^req_fake_/);

    expect((await client.messages.create(ask)).content[0]).toMatchObject({ text: "recovered" });
    expect((await client.messages.create(ask)).content[0]).toMatchObject({ text: "recovered" });
    expect(fake.requestsFor("sk-ant-limited")).toHaveLength(3);
  });

  it("returns the Claude Code-only 400 with the exact message", async () => {
    fake.script("sk-ant-oat01-cc", { kind: "claude-code-only" });

    const err = await rejection(anthropic("sk-ant-oat01-cc").messages.create(ask));

    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const bad = err as InstanceType<typeof Anthropic.BadRequestError>;
    expect(bad.status).toBe(400);
    expect(bad.type).toBe("invalid_request_error");
    expect(bad.apiMessage).toBe(CLAUDE_CODE_ONLY_MESSAGE);
  });

  it("maps scripted statuses to Anthropic error types", async () => {
    fake.script("sk-ant-billing", { kind: "status", status: 402 });
    fake.script("sk-ant-busy", { kind: "status", status: 529, message: "busy" });

    const billing = await rejection(anthropic("sk-ant-billing").messages.create(ask));
    const busy = await rejection(anthropic("sk-ant-busy").messages.create(ask));

    expect(billing).toMatchObject({ status: 402, type: "billing_error" });
    expect(busy).toBeInstanceOf(Anthropic.InternalServerError);
    expect(busy).toMatchObject({ status: 529, type: "overloaded_error", apiMessage: "busy" });
  });

  it("lets the SDK timeout abort a hanging request", async () => {
    fake.script("sk-ant-hang", { kind: "hang" });

    const err = await rejection(anthropic("sk-ant-hang", { timeout: 200 }).messages.create(ask));

    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(fake.requestsFor("sk-ant-hang")).toHaveLength(1);
  });

  it("answers a malformed body that the SDK cannot parse", async () => {
    fake.script("sk-ant-garbage", { kind: "malformed" });

    // Not an APIError: the SDK's JSON.parse failure escapes as a bare SyntaxError.
    await expect(anthropic("sk-ant-garbage").messages.create(ask)).rejects.toBeInstanceOf(SyntaxError);
  });

  it("rejects unknown credentials unless a default text is set", async () => {
    const err = await rejection(anthropic("sk-ant-unknown").messages.create(ask));
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(err).toMatchObject({ status: 401, type: "authentication_error", apiMessage: "invalid x-api-key" });

    fake.defaultText("anyone welcome");
    const msg = await anthropic("sk-ant-unknown").messages.create(ask);
    expect(msg.content[0]).toMatchObject({ text: "anyone welcome" });
  });

  it("streams scripted text as SSE that the SDK's own accumulator reads", async () => {
    fake.script("sk-ant-stream", { kind: "text", text: "one two three four five", stream: { chunks: 5, gapMs: 20 } });
    const deltas: string[] = [];
    const arrivals: number[] = [];
    const stream = anthropic("sk-ant-stream").messages.stream(ask);
    stream.on("text", (t) => {
      deltas.push(t);
      arrivals.push(performance.now());
    });
    const msg = await stream.finalMessage();

    expect(deltas).toHaveLength(5);
    expect(deltas.join("")).toBe("one two three four five");
    expect(msg.content).toMatchObject([{ type: "text", text: "one two three four five" }]);
    expect(msg).toMatchObject({ stop_reason: "end_turn" });
    expect(msg.usage.output_tokens).toBeGreaterThan(1);
    // The pieces arrive apart, not in one burst at the end.
    expect((arrivals[4] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(60);
  });

  it("breaks a stream off with an error event after the scripted piece", async () => {
    fake.script("sk-ant-cut", { kind: "text", text: "abcdefgh", stream: { chunks: 4, failAfter: 2 } });
    const deltas: string[] = [];
    const err = await rejection(
      (async () => {
        const events = await anthropic("sk-ant-cut").messages.create({ ...ask, stream: true });
        for await (const e of events)
          if (e.type === "content_block_delta" && e.delta.type === "text_delta") deltas.push(e.delta.text);
      })(),
    );
    expect(deltas).toEqual(["ab", "cd"]);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err).toMatchObject({ type: "rate_limit_error" });
  });
});

describe("fake provider: OpenAI-compatible /v1/chat/completions", () => {
  function openai(apiKey: string): OpenAI {
    return new OpenAI({ apiKey, baseURL: `${fake.url}/v1`, maxRetries: 0 });
  }

  it("serves scripted text to the real SDK", async () => {
    fake.script("sk-openai-1", { kind: "text", text: "hi from gpt" });

    const completion = await openai("sk-openai-1").chat.completions.create({
      model: "gpt-4o-mini",
      max_completion_tokens: 32,
      messages: [{ role: "user", content: "hi" }],
    });

    expect(completion.choices[0]?.message.content).toBe("hi from gpt");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(fake.requestsFor("sk-openai-1")[0]).toMatchObject({
      api: "openai",
      path: "/v1/chat/completions",
      credentialHeader: "authorization",
      model: "gpt-4o-mini",
      maxTokens: 32,
    });
  });

  it("surfaces a 402 in OpenAI's error envelope", async () => {
    fake.script("sk-openai-broke", { kind: "status", status: 402, retryAfterSeconds: 30 });

    const err = await rejection(
      openai("sk-openai-broke").chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
      }),
    );

    expect(err).toBeInstanceOf(OpenAI.APIError);
    const apiErr = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiErr.status).toBe(402);
    expect(apiErr.code).toBe("insufficient_quota");
    expect(apiErr.headers?.get("retry-after")).toBe("30");
  });

  it("streams scripted text as chunks that the SDK's stream helper reads", async () => {
    fake.script("sk-openai-stream", { kind: "text", text: "streamed from gpt", stream: { chunks: 3 } });
    const deltas: string[] = [];
    const stream = openai("sk-openai-stream").chat.completions.stream({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream_options: { include_usage: true },
    });
    stream.on("content.delta", ({ delta }) => void deltas.push(delta));
    const done = await stream.finalChatCompletion();

    expect(deltas).toEqual(["strea", "med fr", "om gpt"]);
    expect(done.choices[0]).toMatchObject({ message: { content: "streamed from gpt" }, finish_reason: "stop" });
    expect(done.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("breaks a stream off with OpenAI's error chunk", async () => {
    fake.script("sk-openai-cut", { kind: "text", text: "abcdef", stream: { chunks: 3, failAfter: 1 } });
    const deltas: string[] = [];
    const err = await rejection(
      (async () => {
        const chunks = await openai("sk-openai-cut").chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "hi" }],
          stream: true,
        });
        for await (const c of chunks) if (c.choices[0]?.delta.content) deltas.push(c.choices[0].delta.content);
      })(),
    );
    expect(deltas).toEqual(["ab"]);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toMatchObject({ code: "rate_limit_exceeded" });
  });
});

describe("fake provider: lifecycle", () => {
  it("close() ends hanging requests instead of waiting for them", async () => {
    const own = await startFakeProvider();
    own.script("sk-hang", { kind: "hang" });
    const pending = fetch(`${own.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-hang" },
      body: JSON.stringify(ask),
    });
    await expect.poll(() => own.requests.length).toBe(1);

    await own.close();

    await expect(pending).rejects.toThrow();
    await own.close(); // idempotent
  });
});
