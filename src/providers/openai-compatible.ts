import OpenAI from "openai";
import type { CallCredential, CompletionRequest, CompletionResult } from "./types.js";

/**
 * Builds a client for an OpenAI-compatible Chat Completions API (OpenAI, OpenRouter, any provider
 * whose `api` is `openai-completions`). Every option the SDK would otherwise read from the process
 * environment (`OPENAI_API_KEY`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_BASE_URL`) is given
 * explicitly, so the credential the resolver chose is the only one sent. No SDK retries.
 */
export function openAiClient(credential: CallCredential, opts: { baseUrl: string; timeoutMs: number }): OpenAI {
  return new OpenAI({
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
 * Sends one Chat Completions request (`POST <baseUrl>/chat/completions`, non-streaming). OpenAI's
 * own API takes `max_completion_tokens` (its newer models refuse `max_tokens`); other compatible
 * servers are sent the widely supported `max_tokens`.
 */
export async function completeOpenAiCompatible(
  credential: CallCredential,
  req: CompletionRequest,
  opts: { provider: string },
): Promise<CompletionResult> {
  const client = openAiClient(credential, { baseUrl: req.baseUrl, timeoutMs: req.timeoutMs });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (req.system !== undefined) messages.push({ role: "system", content: req.system });
  for (const m of req.messages) messages.push({ role: m.role, content: m.content });
  const limit = opts.provider === "openai" ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens };
  const completion = await client.chat.completions.create(
    { model: req.model, messages, ...limit },
    req.signal ? { signal: req.signal } : undefined,
  );
  const choice = completion.choices[0];
  return {
    text: choice?.message.content ?? "",
    ...(completion.usage
      ? { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens }
      : {}),
    ...(choice?.finish_reason ? { stopReason: choice.finish_reason } : {}),
  };
}
