import OpenAI from "openai";
import type { TokenTally } from "../models/price.js";
import { readEvents, truncatedStream } from "./event-stream.js";
import type { CallCredential, CompletionRequest, CompletionResult } from "./types.js";

/**
 * Builds a client for an OpenAI-compatible Chat Completions API (OpenAI, OpenRouter, any provider
 * whose `api` is `openai-completions`). Every option the SDK would otherwise read from the process
 * environment (`OPENAI_API_KEY`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_BASE_URL`) is given
 * explicitly, so the credential the resolver chose is the only one sent. No SDK retries.
 */
export function openAiClient(
  credential: CallCredential,
  opts: { baseUrl: string; timeoutMs: number; headers?: Readonly<Record<string, string>> | undefined },
): OpenAI {
  return new OpenAI({
    defaultHeaders: { ...opts.headers },
    apiKey: credential.secret,
    baseURL: opts.baseUrl,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: opts.timeoutMs,
    logLevel: "off",
  });
}

/**
 * Sends one Chat Completions request (`POST <baseUrl>/chat/completions`). OpenAI's own API takes
 * `max_completion_tokens` (its newer models refuse `max_tokens`); other compatible servers are
 * sent the widely supported `max_tokens`. With `req.onText` the answer streams (`data:` chunks
 * with `choices[0].delta.content`, then `data: [DONE]`) and each piece is handed over as it arrives.
 */
export async function completeOpenAiCompatible(
  credential: CallCredential,
  req: CompletionRequest,
  opts: { provider: string },
): Promise<CompletionResult> {
  const client = openAiClient(credential, { baseUrl: req.baseUrl, timeoutMs: req.timeoutMs, headers: req.headers });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (req.system !== undefined) messages.push({ role: "system", content: req.system });
  for (const m of req.messages) messages.push({ role: m.role, content: m.content });
  const limit = opts.provider === "openai" ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens };
  const generated: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = { model: req.model, messages, ...limit };
  if (req.temperature !== undefined) generated.temperature = req.temperature;
  // Extra fields go on the wire as they are (the SDK sends unknown body keys); they win, as in OpenClaw.
  const params = req.extraBody
    ? ({ ...generated, ...req.extraBody } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
    : generated;
  if (req.onText) return streamOpenAi(client, params, req, req.onText, opts.provider);
  const completion = await client.chat.completions.create(params, req.signal ? { signal: req.signal } : undefined);
  const choice = completion.choices[0];
  return {
    text: choice?.message.content ?? "",
    ...(completion.usage ? { usage: openAiTokens(completion.usage) } : {}),
    ...(choice?.finish_reason ? { stopReason: choice.finish_reason } : {}),
  };
}

// Usage comes in a last chunk of its own where `include_usage` is known to be honoured; a stricter
// compatible server could refuse the unknown field. Elsewhere a streamed answer reports no usage
// and the ledger counts it unpriced.
function usageOption(provider: string): { stream_options?: { include_usage: true } } {
  return provider === "openai" || provider === "openrouter" ? { stream_options: { include_usage: true } } : {};
}

async function streamOpenAi(
  client: OpenAI,
  params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
  req: CompletionRequest,
  onText: (delta: string) => void,
  provider: string,
): Promise<CompletionResult> {
  let text = "";
  let usage: TokenTally | undefined;
  let stopReason: string | undefined;
  await readEvents(
    (signal) => client.chat.completions.create({ ...params, stream: true, ...usageOption(provider) }, { signal }),
    { idleMs: req.timeoutMs, ...(req.signal ? { signal: req.signal } : {}) },
    (chunk) => {
      if (chunk.usage) {
        usage = openAiTokens(chunk.usage);
        req.onUsage?.(usage);
      }
      const choice = chunk.choices[0];
      const delta = choice?.delta.content;
      if (delta) {
        text += delta;
        onText(delta);
      }
      if (choice?.finish_reason) stopReason = choice.finish_reason;
    },
  );
  if (stopReason === undefined) throw truncatedStream();
  return {
    text,
    ...(usage ? { usage } : {}),
    ...(stopReason !== undefined ? { stopReason } : {}),
  };
}

/**
 * OpenAI's usage fields as our four counts. Its `prompt_tokens` includes the cached tokens that
 * `prompt_tokens_details.cached_tokens` names, so input is the uncached rest and the cached ones
 * count as cache reads only: as OpenClaw's token-use doc has it (a tier is chosen by uncached input
 * plus cache reads and writes), no token is counted, or priced, twice. OpenAI bills no cache
 * writes. A count above the prompt (a server's mistake) is capped at it.
 */
function openAiTokens(usage: OpenAI.CompletionUsage): TokenTally {
  const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens);
  return { input: usage.prompt_tokens - cached, output: usage.completion_tokens, cacheRead: cached, cacheWrite: 0 };
}
