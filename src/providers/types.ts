import type { CredentialType } from "../auth/profiles.js";
import type { TokenTally } from "../models/price.js";

/** One turn of a conversation as both wire formats take it: plain text, no tools. */
export interface ChatMessage {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/** The credential a call is made with. Only the client modules ever put `secret` on the wire. */
export interface CallCredential {
  /** The key, setup-token or OAuth access token. Never log it; use `maskSecret`. */
  readonly secret: string;
  readonly type: CredentialType;
}

/** One completion request, in provider-neutral terms. */
export interface CompletionRequest {
  /** The provider's endpoint root (catalog `baseUrl`, e.g. `https://api.anthropic.com`). */
  readonly baseUrl: string;
  /** The model id as the provider knows it: the part of `provider/model` after the first `/`. */
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  /** The answer's token limit (`max_tokens` / `max_completion_tokens`). */
  readonly maxTokens: number;
  /**
   * Gives up after this long; the SDK's timeout error is classified as `timeout`. When streaming,
   * it bounds the wait for each next event instead of the whole answer.
   */
  readonly timeoutMs: number;
  readonly system?: string;
  /** Aborts the request (gateway shutdown, `/stop`). */
  readonly signal?: AbortSignal;
  /**
   * Streams the answer: called with each piece of text as it arrives. Absent: one non-streaming
   * request whose answer comes whole.
   */
  readonly onText?: (delta: string) => void;
  /** `models.providers.<p>.headers`, SecretRefs resolved: sent with the request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `params.temperature`: OpenAI-compatible requests only (Anthropic's Messages API has none now). */
  readonly temperature?: number;
  /**
   * Further top-level body fields (`params.extra_body`/`extraBody`, `chat_template_kwargs`):
   * OpenAI-compatible requests only, as in OpenClaw; they win over the fields we generate.
   */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  /**
   * Hears a streamed answer's token counts each time the provider reports them (Anthropic's
   * `message_start`, then each `message_delta`), so a call that breaks off or is stopped still
   * knows what it used. The result carries the final count.
   */
  readonly onUsage?: (usage: TokenTally) => void;
}

/** What a completion produced. */
export interface CompletionResult {
  /** Every text block joined; empty when the model produced no text. */
  readonly text: string;
  /**
   * The provider's own count of the call's tokens (a stream's final count); absent when it
   * reported none (an OpenAI-compatible stream without `include_usage`).
   */
  readonly usage?: TokenTally;
  /** The provider's stop/finish reason as it was sent (`end_turn`, `max_tokens`, `stop`, `length`). */
  readonly stopReason?: string;
}
