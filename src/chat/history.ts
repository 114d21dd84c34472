import { LRUCache } from "lru-cache";
import type { ChatMessage } from "../providers/types.js";
import type { Step } from "./pipeline.js";
import type { Turn, TurnOutcome } from "./turn.js";

/** A rough token count (characters / 4, rounded up): cheap, and close enough to budget a prompt. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** One exchange: the user's message and the answer it got. Failed turns are never stored. */
interface Exchange {
  readonly user: string;
  readonly assistant: string;
  readonly tokens: number;
}

/** Options of {@link ConversationHistory}. */
export interface HistoryOptions {
  /** Sessions whose history is kept; the least recently used is forgotten first. Default 500. */
  readonly maxSessions?: number;
  /** Most tokens kept per session, whatever the model could take. Default 16,000. */
  readonly maxTokens?: number;
}

/**
 * Conversation history per session, in memory: an LRU of sessions, each bounded by an approximate
 * token budget; the oldest exchanges go first. Stored as whole exchanges so a prompt always starts
 * with a user turn and alternates, as both wire formats require.
 */
export class ConversationHistory {
  private readonly sessions: LRUCache<string, Exchange[]>;
  /** The per-session cap, in approximate tokens. */
  readonly maxTokens: number;

  constructor(opts: HistoryOptions = {}) {
    this.sessions = new LRUCache({ max: opts.maxSessions ?? 500 });
    this.maxTokens = opts.maxTokens ?? 16_000;
  }

  /**
   * The messages to send for a new user message: the newest exchanges that fit in `budgetTokens`
   * together with it, oldest first, then the new message. The new message is always included,
   * even alone over budget (the provider is the judge of its own limit).
   */
  prompt(sessionKey: string, text: string, budgetTokens: number): ChatMessage[] {
    const past = this.sessions.get(sessionKey) ?? [];
    let room = Math.min(budgetTokens, this.maxTokens) - approxTokens(text);
    let first = past.length;
    while (first > 0) {
      const prev = past[first - 1];
      if (!prev || prev.tokens > room) break;
      room -= prev.tokens;
      first--;
    }
    const out: ChatMessage[] = [];
    for (const ex of past.slice(first))
      out.push({ role: "user", content: ex.user }, { role: "assistant", content: ex.assistant });
    out.push({ role: "user", content: text });
    return out;
  }

  /** Records a completed exchange and drops the oldest ones beyond the per-session cap. */
  append(sessionKey: string, user: string, assistant: string): void {
    const past = [
      ...(this.sessions.get(sessionKey) ?? []),
      { user, assistant, tokens: approxTokens(user) + approxTokens(assistant) },
    ];
    let total = past.reduce((n, ex) => n + ex.tokens, 0);
    while (past.length > 0 && total > this.maxTokens) total -= past.shift()?.tokens ?? 0;
    if (past.length === 0) this.sessions.delete(sessionKey);
    else this.sessions.set(sessionKey, past);
  }

  /** Forgets a session's history (`/new`, `/reset`). */
  reset(sessionKey: string): void {
    this.sessions.delete(sessionKey);
  }

  /** Exchanges kept for a session, for status and tests. */
  size(sessionKey: string): number {
    return this.sessions.get(sessionKey)?.length ?? 0;
  }
}

/**
 * The history budget for a model: its context window less room for the answer and a margin for
 * what the estimate misses, never above `cap`. Models without a known window are assumed to
 * take 32k tokens.
 */
export function historyBudget(
  model: { contextWindow?: number | undefined } | undefined,
  answerTokens: number,
  cap: number,
): number {
  const window = model?.contextWindow ?? 32_000;
  const margin = Math.ceil(window * 0.1);
  return Math.max(1_000, Math.min(cap, window - answerTokens - margin));
}

/**
 * The history step: the turn's model is sent the session's earlier exchanges that fit its budget,
 * and a whole answer is remembered (a failure, a stopped or a cut-off one is not). Each model of a
 * turn gets its own prompt, so a fallback model is budgeted by its own context window.
 */
export function historyStep(history: ConversationHistory): Step<Turn, TurnOutcome> {
  return async (turn, next) => {
    const key = turn.ctx.sessionKey;
    const budget = historyBudget(turn.model.model, turn.answerTokens, history.maxTokens);
    const out = await next({ ...turn, messages: history.prompt(key, turn.text, budget) });
    if (out.kind === "reply" && out.remember !== undefined) history.append(key, turn.text, out.remember);
    return out;
  };
}
