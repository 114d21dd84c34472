import type { Candidate, PinInput } from "../auth/resolver.js";
import type { CooldownEntry } from "../auth/cooldowns.js";
import type { CurrentSelection } from "../gateway/selection.js";
import type { AnswerSink, CommandContext } from "../gateway/types.js";
import type { CatalogProvider } from "../models/catalog.js";
import type { TokenTally } from "../models/price.js";
import type { ResolvedModel } from "../models/ref.js";
import type { Classification } from "../providers/classify.js";
import type { ChatMessage, CompletionResult } from "../providers/types.js";
import type { LimitUse } from "../sessions/budget-use.js";
import type { TurnFacts } from "./failure-text.js";
import type { TurnFailure } from "./fallback-text.js";

/** Built field by field: V8 builds `...(x ? { a } : {})` far slower than an assignment. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * What a turn's calls used, summed for the usage footer: the counts the providers reported, and
 * the estimated cost of the priced calls. One object per message, shared by the fallback turns.
 */
export interface TurnSpend {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** The sum over the calls whose model has a price. */
  costUsd: number;
  /** Calls whose provider reported usage: without any, there is nothing to show. */
  reported: number;
  /** A call was made with a model that has no price, so the turn's cost is not known. */
  unpriced: boolean;
}

/** A turn's spend before its first call. */
export function noSpend(): TurnSpend {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0, reported: 0, unpriced: false };
}

/** Whether a stop reason says the answer was cut off at the token limit (Anthropic's or OpenAI's word). */
export function cutOff(stopReason: string | undefined): boolean {
  return stopReason === "max_tokens" || stopReason === "length";
}

/** The responder's options with their defaults applied; see `ChatOptions` in responder.ts. */
export interface ChatSettings {
  readonly timeoutMs: number;
  readonly maxAnswerTokens: number;
  readonly systemPrompt?: string | undefined;
}

/** One plain message's turn with one model, as the model step built it; the context of the turn's steps. */
export interface Turn {
  readonly ctx: CommandContext;
  readonly text: string;
  /** The session's model and pin as /model shows them (a thread inherits its parent chat's). */
  readonly selection: CurrentSelection;
  readonly model: ResolvedModel;
  readonly provider: CatalogProvider;
  readonly pin?: PinInput | undefined;
  readonly answerTokens: number;
  readonly facts: TurnFacts;
  /** What is sent: the message alone, until the history step puts the conversation before it. */
  readonly messages: readonly ChatMessage[];
  /** A fallback model's turn: it leaves the session's pin alone. */
  readonly fallback?: boolean;
  /** Where the answer is shown while it is written, when the channel streams. */
  readonly sink?: AnswerSink | undefined;
  /** Aborted by `/stop` for this turn only. */
  readonly stop: AbortController;
  /** Aborted by the responder's close(): a shutdown does not wait out a slow provider. */
  readonly shutdown: AbortSignal;
  /** What the message's calls used so far, filled in by the ledger step, for the footer. */
  readonly spend: TurnSpend;
  /** Set by the budget step when some profile has a limit: the credential step asks it per credential. */
  readonly profileBudget?: ProfileBudget | undefined;
}

/** A turn's view of the credential profiles' budgets. */
export interface ProfileBudget {
  /** The `refuse` limit `profileId` has reached, if any; a `warn` limit it reached adds its line to the reply. */
  reached(profileId: string): Promise<LimitUse | undefined>;
}

/** A reply the turn gives: an answer, or what was written before it stopped or broke off. */
export interface TurnReply {
  readonly kind: "reply";
  /** What the user sees. */
  readonly text: string;
  /** The model's whole answer, for the history; absent when there is none to remember. */
  readonly remember?: string;
}

/** How a turn ended: a reply, or a failure a fallback model may still answer for. */
export type TurnOutcome = TurnReply | TurnFailure;

/** One call with one credential; the context of the attempt's steps. */
export interface Attempt {
  readonly turn: Turn;
  /** The credential, with a fresh token. */
  readonly candidate: Candidate;
}

/**
 * How one call ended; `partial` is the text already streamed when it failed, `usage` the counts
 * the provider reported before it did, `cooldown` the one the cooldown step started.
 */
export type CallOutcome =
  | { readonly ok: true; readonly result: CompletionResult }
  | {
      readonly ok: false;
      readonly failure: Classification;
      readonly partial: string;
      readonly usage?: TokenTally | undefined;
      readonly cooldown?: CooldownEntry | undefined;
    };

/** Whether the turn was stopped by `/stop` or by the shutdown (which wins), or neither. */
export function stoppedBy(turn: Turn): "shutdown" | "stop" | undefined {
  if (turn.shutdown.aborted) return "shutdown";
  return turn.stop.signal.aborted ? "stop" : undefined;
}

/** A reply with nothing to remember. */
export function said(text: string): TurnReply {
  return { kind: "reply", text };
}
