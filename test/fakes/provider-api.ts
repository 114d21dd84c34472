/**
 * A loopback fake of the two provider APIs the gateway talks to, so tests can
 * drive the real `@anthropic-ai/sdk` and `openai` clients against scripted
 * successes, provider-shaped errors, hangs and garbage without network access.
 *
 * - Anthropic: `POST /v1/messages` (SDK `baseURL: fake.url`)
 * - OpenAI-compatible: `POST /v1/chat/completions` (SDK `baseURL: fake.url + '/v1'`)
 *
 * A request with `stream: true` gets its scripted text as server-sent events in each API's own
 * format (Anthropic: `message_start` … `content_block_delta` … `message_stop`; OpenAI: `data:`
 * chunks, then `data: [DONE]`), optionally slowed down or broken off with an error event.
 *
 * Usage is reported as each real API reports it. Anthropic: `input_tokens` (the uncached part),
 * `cache_read_input_tokens`, `cache_creation_input_tokens` and `output_tokens`; streamed,
 * `message_start` carries the input and cache counts with a first output count of 1, and
 * `message_delta` the cumulative (final) output count. OpenAI: `prompt_tokens` (cached tokens
 * included), `prompt_tokens_details.cached_tokens` and `completion_tokens`; streamed, only when the
 * request asks with `stream_options.include_usage`, in a last chunk with empty `choices` (every
 * earlier chunk then carries `usage: null`).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Exact message Anthropic returns when a Claude Code-only credential is used elsewhere. */
export const CLAUDE_CODE_ONLY_MESSAGE =
  "This credential is only authorized for use with Claude Code and cannot be used for other API requests.";

/** HTTP statuses a script can ask for; each maps to the provider's own error type. */
export type ScriptedStatus = 400 | 401 | 402 | 403 | 429 | 500 | 529;

/** How a scripted text is streamed when the request asks for a stream. */
export interface StreamShape {
  /** Pieces the text is cut into (default 4, at most one per character). */
  readonly chunks?: number;
  /** Pause before each piece after the first, in ms (default 0). */
  readonly gapMs?: number;
  /** After this many pieces, an error event ends the stream instead of the rest. */
  readonly failAfter?: number;
  /** The error that event carries (default 429). */
  readonly failWith?: ScriptedStatus;
}

/**
 * The token counts a scripted answer reports; each defaults to an estimate from the text (input,
 * output) or 0 (cache). `input` is the uncached input, as Anthropic counts it; OpenAI's
 * `prompt_tokens` is reported as `input + cacheRead`, as OpenAI counts it. OpenAI reports no cache
 * writes.
 */
export interface ScriptedUsage {
  readonly input?: number;
  readonly output?: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

/** One scripted answer to one request. */
export type Scripted =
  | {
      kind: "text";
      text: string;
      stream?: StreamShape;
      usage?: ScriptedUsage;
      /** Ends as cut off at the token limit (`max_tokens` / `length`) instead of complete. */
      cutOff?: boolean;
    }
  | { kind: "status"; status: ScriptedStatus; retryAfterSeconds?: number; message?: string }
  | { kind: "claude-code-only" }
  | { kind: "hang" }
  | { kind: "malformed" };

/** Which wire format a request was served in. */
export type ProviderApi = "anthropic" | "openai";

/** What the fake saw for one routed request. */
export interface RecordedRequest {
  api: ProviderApi;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** `null` when no credential header was sent. */
  credential: string | null;
  credentialHeader: "x-api-key" | "authorization" | null;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  anthropicBeta: string | undefined;
  anthropicVersion: string | undefined;
  model: string | undefined;
  messages: unknown[] | undefined;
  /** `max_tokens`, or OpenAI's `max_completion_tokens` when that is what was sent. */
  maxTokens: number | undefined;
  /** `Date.now()` when the request body had been read. */
  at: number;
}

/** Handle on a running fake; see {@link startFakeProvider}. */
export interface FakeProvider {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Every routed request in arrival order. Cleared in place by {@link FakeProvider.reset}. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Replaces the script for `credential`: each request with it consumes the next
   * response, and the last one repeats forever.
   */
  script(credential: string, ...responses: Scripted[]): void;
  /** Makes unscripted credentials succeed with `text` (`null` restores the 401). */
  defaultText(text: string | null): void;
  requestsFor(credential: string): RecordedRequest[];
  /** Forgets recorded requests, scripts and the default text. */
  reset(): void;
  /** Ends hanging requests and open keep-alive sockets, then stops listening. */
  close(): Promise<void>;
}

interface ErrorShape {
  anthropicType: string;
  anthropicMessage: string;
  openaiType: string;
  openaiCode: string | null;
  openaiMessage: string;
}

// Default wording follows what the real APIs say, so log/UX code under test
// sees realistic text when a script gives no message.
const ERRORS: Record<ScriptedStatus, ErrorShape> = {
  400: {
    anthropicType: "invalid_request_error",
    anthropicMessage: "Invalid request.",
    openaiType: "invalid_request_error",
    openaiCode: null,
    openaiMessage: "Invalid request.",
  },
  401: {
    anthropicType: "authentication_error",
    anthropicMessage: "invalid x-api-key",
    openaiType: "invalid_request_error",
    openaiCode: "invalid_api_key",
    openaiMessage: "Incorrect API key provided.",
  },
  402: {
    anthropicType: "billing_error",
    anthropicMessage: "Your credit balance is too low to access the Anthropic API.",
    openaiType: "insufficient_quota",
    openaiCode: "insufficient_quota",
    openaiMessage: "Insufficient balance.",
  },
  403: {
    anthropicType: "permission_error",
    anthropicMessage: "Your API key does not have permission to use the specified resource.",
    openaiType: "permission_error",
    openaiCode: null,
    openaiMessage: "You are not allowed to access this resource.",
  },
  429: {
    anthropicType: "rate_limit_error",
    anthropicMessage: "This request would exceed your organization's rate limit. Please try again later.",
    openaiType: "requests",
    openaiCode: "rate_limit_exceeded",
    openaiMessage: "Rate limit reached. Please try again later.",
  },
  500: {
    anthropicType: "api_error",
    anthropicMessage: "Internal server error",
    openaiType: "server_error",
    openaiCode: null,
    openaiMessage: "The server had an error while processing your request.",
  },
  529: {
    anthropicType: "overloaded_error",
    anthropicMessage: "Overloaded",
    openaiType: "server_error",
    openaiCode: null,
    openaiMessage: "The engine is currently overloaded, please try again later.",
  },
};

const ROUTES: Record<string, ProviderApi> = {
  "/v1/messages": "anthropic",
  "/v1/chat/completions": "openai",
};

type StatusScript = Extract<Scripted, { kind: "status" }>;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header(headers, "authorization") ?? "")?.[1];
}

function extractCredential(
  api: ProviderApi,
  headers: IncomingHttpHeaders,
): Pick<RecordedRequest, "credential" | "credentialHeader"> {
  // Anthropic's API takes either header; OpenAI-compatible APIs only Bearer.
  const apiKey = api === "anthropic" ? header(headers, "x-api-key") : undefined;
  if (apiKey) return { credential: apiKey, credentialHeader: "x-api-key" };
  const token = bearer(headers);
  if (token) return { credential: token, credentialHeader: "authorization" };
  return { credential: null, credentialHeader: null };
}

function field<T>(body: unknown, key: string, guard: (v: unknown) => v is T): T | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[key];
  return guard(value) ? value : undefined;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown): v is number => typeof v === "number";
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isObject = (v: unknown): v is object => typeof v === "object" && v !== null;
const isTrue = (v: unknown): v is true => v === true;

function estimateTokens(value: unknown): number {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Cuts text into `count` pieces of nearly equal length (fewer for short text), never inside a code point. */
function cutInto(text: string, count: number): string[] {
  const points = Array.from(text);
  const n = Math.max(1, Math.min(count, points.length));
  const pieces: string[] = [];
  for (let i = 0; i < n; i++)
    pieces.push(points.slice(Math.floor((i * points.length) / n), Math.floor(((i + 1) * points.length) / n)).join(""));
  return pieces;
}

type TextScript = Extract<Scripted, { kind: "text" }>;

/** The four counts a text answer reports. */
function usageOf(rec: RecordedRequest, scripted: TextScript): Required<ScriptedUsage> {
  const u = scripted.usage ?? {};
  return {
    input: u.input ?? estimateTokens(rec.messages),
    output: u.output ?? estimateTokens(scripted.text),
    cacheRead: u.cacheRead ?? 0,
    cacheWrite: u.cacheWrite ?? 0,
  };
}

/** Anthropic's `usage` object of a whole message. */
function anthropicUsage(u: Required<ScriptedUsage>, output: number) {
  return {
    input_tokens: u.input,
    output_tokens: output,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
    service_tier: "standard",
  };
}

/** OpenAI's `usage` object: `prompt_tokens` includes the cached tokens. */
function openAiUsage(u: Required<ScriptedUsage>) {
  const prompt = u.input + u.cacheRead;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output,
    total_tokens: prompt + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts a fake provider on an ephemeral loopback port. */
export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, { responses: Scripted[]; served: number }>();
  const hanging = new Set<ServerResponse>();
  let fallbackText: string | null = null;
  let counter = 0;

  const nextScripted = (credential: string | null): Scripted => {
    const entry = credential === null ? undefined : scripts.get(credential);
    if (!entry) {
      if (fallbackText !== null) return { kind: "text", text: fallbackText };
      return {
        kind: "status",
        status: 401,
        ...(credential === null ? { message: "x-api-key header is required" } : {}),
      };
    }
    const index = Math.min(entry.served, entry.responses.length - 1);
    entry.served += 1;
    const picked = entry.responses[index];
    if (!picked) throw new Error("fake provider: empty script");
    return picked;
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    extraHeaders: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { "content-type": "application/json", ...extraHeaders });
    res.end(JSON.stringify(body));
  };

  const requestIdHeader = (api: ProviderApi, id: string): Record<string, string> =>
    api === "anthropic" ? { "request-id": id } : { "x-request-id": id };

  const sendError = (res: ServerResponse, api: ProviderApi, scripted: StatusScript): void => {
    const shape = ERRORS[scripted.status];
    const requestId = `req_fake_${++counter}`;
    const headers: Record<string, string> = requestIdHeader(api, requestId);
    if (scripted.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(scripted.retryAfterSeconds);
    }
    const body =
      api === "anthropic"
        ? {
            type: "error",
            error: { type: shape.anthropicType, message: scripted.message ?? shape.anthropicMessage },
            request_id: requestId,
          }
        : {
            error: {
              message: scripted.message ?? shape.openaiMessage,
              type: shape.openaiType,
              param: null,
              code: shape.openaiCode,
            },
          };
    sendJson(res, scripted.status, body, headers);
  };

  const sendText = (res: ServerResponse, api: ProviderApi, rec: RecordedRequest, scripted: TextScript): void => {
    const n = ++counter;
    const model = rec.model ?? "fake-model";
    const { text } = scripted;
    const usage = usageOf(rec, scripted);
    const headers = requestIdHeader(api, `req_fake_${n}`);
    if (api === "anthropic") {
      sendJson(
        res,
        200,
        {
          id: `msg_fake_${n}`,
          type: "message",
          role: "assistant",
          model,
          content: [{ type: "text", text, citations: null }],
          stop_reason: scripted.cutOff ? "max_tokens" : "end_turn",
          stop_sequence: null,
          stop_details: null,
          container: null,
          usage: anthropicUsage(usage, usage.output),
        },
        headers,
      );
      return;
    }
    sendJson(
      res,
      200,
      {
        id: `chatcmpl-fake${n}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null },
            logprobs: null,
            finish_reason: scripted.cutOff ? "length" : "stop",
          },
        ],
        usage: openAiUsage(usage),
      },
      headers,
    );
  };

  const sendStream = async (
    res: ServerResponse,
    api: ProviderApi,
    rec: RecordedRequest,
    scripted: TextScript,
  ): Promise<void> => {
    const n = ++counter;
    const model = rec.model ?? "fake-model";
    const { text } = scripted;
    const shape = scripted.stream ?? {};
    const usage = usageOf(rec, scripted);
    // With include_usage, every chunk carries `usage` (null until the last one).
    const includeUsage = field(field(rec.body, "stream_options", isObject), "include_usage", isTrue) === true;
    const pieces = cutInto(text, shape.chunks ?? 4);
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      ...requestIdHeader(api, `req_fake_${n}`),
    });
    hanging.add(res);
    res.on("close", () => hanging.delete(res));
    const write = (event: string | undefined, data: unknown) =>
      res.write(
        `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
      );
    const openAiChunk = (delta: object, finish: string | null) => ({
      id: `chatcmpl-fake${n}`,
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    if (api === "anthropic") {
      write("message_start", {
        type: "message_start",
        message: {
          id: `msg_fake_${n}`,
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // The real API's first output count is a placeholder; message_delta's is the final one.
          usage: anthropicUsage(usage, 1),
        },
      });
      write("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      });
    } else {
      write(undefined, openAiChunk({ role: "assistant", content: "" }, null));
    }
    for (const [i, piece] of pieces.entries()) {
      if (i === shape.failAfter) {
        const e = ERRORS[shape.failWith ?? 429];
        if (api === "anthropic")
          write("error", { type: "error", error: { type: e.anthropicType, message: e.anthropicMessage } });
        else
          write(undefined, {
            error: { message: e.openaiMessage, type: e.openaiType, param: null, code: e.openaiCode },
          });
        res.end();
        return;
      }
      if (i > 0 && shape.gapMs) await new Promise((r) => setTimeout(r, shape.gapMs));
      if (res.destroyed) return;
      if (api === "anthropic")
        write("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: piece },
        });
      else write(undefined, openAiChunk({ content: piece }, null));
    }
    if (api === "anthropic") {
      write("content_block_stop", { type: "content_block_stop", index: 0 });
      write("message_delta", {
        type: "message_delta",
        delta: { stop_reason: scripted.cutOff ? "max_tokens" : "end_turn", stop_sequence: null },
        usage: { output_tokens: usage.output },
      });
      write("message_stop", { type: "message_stop" });
    } else {
      write(undefined, openAiChunk({}, scripted.cutOff ? "length" : "stop"));
      if (includeUsage) write(undefined, { ...openAiChunk({}, null), choices: [], usage: openAiUsage(usage) });
      write(undefined, "[DONE]");
    }
    res.end();
  };

  const respond = (res: ServerResponse, api: ProviderApi, rec: RecordedRequest, scripted: Scripted): void => {
    switch (scripted.kind) {
      case "text":
        return sendText(res, api, rec, scripted);
      case "status":
        return sendError(res, api, scripted);
      case "claude-code-only":
        return sendError(res, api, { kind: "status", status: 400, message: CLAUDE_CODE_ONLY_MESSAGE });
      case "hang":
        // Held until the client gives up (socket close) or close() destroys it.
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id":"msg_fake_truncated","type":"message","content":[{"type":"te');
        return;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const api = req.method === "POST" ? ROUTES[path] : undefined;
    if (!api) {
      // Not recorded, but the message names the path so a wrong baseURL is obvious.
      sendJson(res, 404, {
        type: "error",
        error: { type: "not_found_error", message: `fake provider: no route for ${req.method} ${path}` },
      });
      return;
    }

    const raw = await readBody(req);
    let body: unknown = raw;
    let parsed = true;
    try {
      body = JSON.parse(raw);
    } catch {
      parsed = false;
    }

    const rec: RecordedRequest = {
      api,
      path,
      ...extractCredential(api, req.headers),
      headers: req.headers,
      body,
      anthropicBeta: header(req.headers, "anthropic-beta"),
      anthropicVersion: header(req.headers, "anthropic-version"),
      model: field(body, "model", isString),
      messages: field(body, "messages", isArray),
      maxTokens: field(body, "max_tokens", isNumber) ?? field(body, "max_completion_tokens", isNumber),
      at: Date.now(),
    };
    requests.push(rec);

    if (!parsed) {
      sendError(res, api, { kind: "status", status: 400, message: "fake provider: request body is not valid JSON" });
      return;
    }
    const scripted = nextScripted(rec.credential);
    if (field(body, "stream", isTrue) && scripted.kind === "text") {
      await sendStream(res, api, rec, scripted);
      return;
    }
    respond(res, api, rec, scripted);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 500, {
        type: "error",
        error: { type: "api_error", message: `fake provider bug: ${String(err)}` },
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(credential, ...responses) {
      if (responses.length === 0) throw new Error("fake provider: script() needs at least one response");
      scripts.set(credential, { responses, served: 0 });
    },
    defaultText(text) {
      fallbackText = text;
    },
    requestsFor(credential) {
      return requests.filter((r) => r.credential === credential);
    },
    reset() {
      requests.length = 0;
      scripts.clear();
      fallbackText = null;
    },
    close() {
      // Idempotent so both a test and an afterAll hook may call it.
      closing ??= new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from the SDKs' fetch would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
