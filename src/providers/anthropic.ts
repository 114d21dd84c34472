import Anthropic from "@anthropic-ai/sdk";
import type { TokenTally } from "../models/price.js";
import { readEvents, truncatedStream } from "./event-stream.js";
import type { CallCredential, CompletionRequest, CompletionResult } from "./types.js";

/** The beta flag Anthropic requires for setup-tokens and OAuth access tokens sent as bearer. */
export const OAUTH_BETA = "oauth-2025-04-20";

/** Setup-tokens made by `claude setup-token` start with this. */
export const SETUP_TOKEN_PREFIX = "sk-ant-oat";

/**
 * True when the credential must go as a bearer token with {@link OAUTH_BETA}: a `token` or `oauth`
 * credential, or anything that looks like a setup-token even when stored as an API key.
 */
export function isBearerToken(credential: CallCredential): boolean {
  return credential.type !== "api_key" || credential.secret.startsWith(SETUP_TOKEN_PREFIX);
}

// The SDK appends `/v1/messages`; a base URL written with the `/v1` suffix would double it.
function sdkBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/**
 * Builds an Anthropic client for one credential. API keys go as `apiKey` (SDK 1.x sends them as
 * `Authorization: Bearer`, which the API accepts); setup-tokens and OAuth tokens go as `authToken`
 * with `anthropic-beta: oauth-2025-04-20`, never as `x-api-key`. Passing the credential explicitly
 * keeps the SDK from reading `ANTHROPIC_API_KEY`/`ANTHROPIC_AUTH_TOKEN` from the process. No SDK
 * retries: failover is ours.
 */
export function anthropicClient(
  credential: CallCredential,
  opts: { baseUrl: string; timeoutMs: number; headers?: Readonly<Record<string, string>> | undefined },
): Anthropic {
  const common = {
    baseURL: sdkBaseUrl(opts.baseUrl),
    maxRetries: 0,
    timeout: opts.timeoutMs,
    logLevel: "off" as const,
  };
  const configured = opts.headers ?? {};
  if (isBearerToken(credential)) {
    // A configured anthropic-beta (a proxy's features) is added to the OAuth flag, never replaces it.
    const beta = Object.entries(configured).find(([k]) => k.toLowerCase() === "anthropic-beta")?.[1];
    return new Anthropic({
      ...common,
      authToken: credential.secret,
      apiKey: null,
      defaultHeaders: { ...configured, "anthropic-beta": beta ? `${OAUTH_BETA},${beta}` : OAUTH_BETA },
    });
  }
  return new Anthropic({ ...common, apiKey: credential.secret, authToken: null, defaultHeaders: { ...configured } });
}

/**
 * Sends one Messages API request (`POST /v1/messages`) and returns its text. With `req.onText` the
 * answer streams (SSE: `message_start`, `content_block_delta`, `message_delta`, `message_stop`) and
 * each text delta is handed over as it arrives.
 */
export async function completeAnthropic(credential: CallCredential, req: CompletionRequest): Promise<CompletionResult> {
  const client = anthropicClient(credential, { baseUrl: req.baseUrl, timeoutMs: req.timeoutMs, headers: req.headers });
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model: req.model,
    max_tokens: req.maxTokens,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  // No temperature: the Messages API of the installed SDK has no such field any more.
  if (req.system !== undefined) params.system = req.system;
  if (req.onText) return streamAnthropic(client, params, req, req.onText);
  const message = await client.messages.create(params, req.signal ? { signal: req.signal } : undefined);
  const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
  return {
    text,
    usage: anthropicTokens(message.usage),
    ...(message.stop_reason ? { stopReason: message.stop_reason } : {}),
  };
}

async function streamAnthropic(
  client: Anthropic,
  params: Anthropic.MessageCreateParamsNonStreaming,
  req: CompletionRequest,
  onText: (delta: string) => void,
): Promise<CompletionResult> {
  let text = "";
  let usage: TokenTally | undefined;
  const heard = (next: TokenTally) => {
    usage = next;
    req.onUsage?.(next);
  };
  let stopReason: string | undefined;
  let complete = false;
  await readEvents(
    (signal) => client.messages.create({ ...params, stream: true }, { signal }),
    { idleMs: req.timeoutMs, ...(req.signal ? { signal: req.signal } : {}) },
    (event) => {
      if (event.type === "message_start") heard(anthropicTokens(event.message.usage));
      else if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
        text += event.delta.text;
        onText(event.delta.text);
      } else if (event.type === "message_delta") {
        heard(anthropicDeltaTokens(usage, event.usage));
        if (event.delta.stop_reason) stopReason = event.delta.stop_reason;
      } else if (event.type === "message_stop") complete = true;
    },
  );
  if (!complete) throw truncatedStream();
  return {
    text,
    ...(usage !== undefined ? { usage } : {}),
    ...(stopReason !== undefined ? { stopReason } : {}),
  };
}

/**
 * Anthropic's usage fields as our four counts. Its `input_tokens` already leaves out the tokens
 * read from or written to the cache, which it counts apart, so each maps to its own kind.
 */
function anthropicTokens(usage: Anthropic.Usage): TokenTally {
  return {
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
  };
}

/**
 * A streamed answer's counts after a `message_delta`: its counts are cumulative, so each one it
 * carries replaces the count so far (`output_tokens` is the final count, not an increment); the
 * input and cache counts it may leave out stay as `message_start` gave them.
 */
function anthropicDeltaTokens(before: TokenTally | undefined, usage: Anthropic.MessageDeltaUsage): TokenTally {
  return {
    input: usage.input_tokens ?? before?.input ?? 0,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens ?? before?.cacheRead ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? before?.cacheWrite ?? 0,
  };
}
