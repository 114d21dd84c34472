/**
 * The usage ledger (issue #30): one entry per model call that reached a provider, kept in the
 * session store's backend so every instance's turns add up. Entries hold ids and counts, never a
 * secret. Old entries are rolled up into one row per UTC day and dimension set, so every query
 * below is answered the same way before and after a roll-up, at a granularity of one day.
 */

/** How the call ended, as the ledger counts it. */
export type LedgerOutcome = "ok" | "cut_off" | "stopped" | "fallback" | "failed";

/** Token counts as the provider reported them (its own usage fields, the final count of a stream). */
export interface TokenCounts {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

/** One call's entry. */
export interface LedgerEntry {
  /**
   * Unique per call, chosen by the caller before the first write: a retried write of the same id
   * never counts the call twice.
   */
  readonly id: string;
  /** Epoch ms when the call ended. */
  readonly at: number;
  /** `telegram`, `discord`, `console`. */
  readonly channel: string;
  /** The chat session's key (DESIGN section 5). */
  readonly sessionKey: string;
  readonly agentId: string;
  readonly provider: string;
  /** `provider/model`. */
  readonly model: string;
  /** The credential profile id that paid (`anthropic:work`, or `env:ANTHROPIC_API_KEY`). */
  readonly profileId: string;
  readonly tokens: TokenCounts;
  /** Estimated cost in USD; absent when the model has no price (counted as unpriced, never as free). */
  readonly costUsd?: number | undefined;
  readonly outcome: LedgerOutcome;
}

/**
 * Which entries a query covers: `from` inclusive, `to` exclusive, epoch ms; the rest narrow it.
 * The whole UTC days inside the range are answered from the daily sums; the partial days at its
 * edges from the raw entries, which are gone once their day is rolled up (such a partial day then
 * counts nothing). A range on UTC midnights (today: midnight to the next midnight) is the
 * cheapest, and the only kind a roll-up never changes.
 */
export interface UsageFilter {
  readonly from: number;
  readonly to: number;
  readonly sessionKey?: string | undefined;
  readonly agentId?: string | undefined;
  readonly profileId?: string | undefined;
  readonly provider?: string | undefined;
}

/** What a summary groups by; `day` is the UTC day `YYYY-MM-DD`, `chat` the session key. */
export type UsageGroup = "day" | "provider" | "model" | "profile" | "chat" | "agent" | "channel";

/** Sums over a set of entries (`gateway usage-cost --json`'s `totals`). */
export interface UsageTotals {
  readonly turns: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  /** The sum over priced turns only. */
  readonly costUsd: number;
  readonly unpricedTurns: number;
}

/** One group of a summary: its key and its sums. */
export interface UsageRow extends UsageTotals {
  readonly key: string;
}

/** A chat's usage footer (`/usage off|tokens|full`). */
export type UsageFooter = "off" | "tokens" | "full";

/** The ledger as every backend offers it. */
export interface UsageLedger {
  /** Records one entry; resolves once durable. The same `id` twice counts once. */
  record(entry: LedgerEntry): Promise<void>;
  /** Sums the entries the filter covers, every instance's up to this moment (budgets rely on it). */
  totals(filter: UsageFilter): Promise<UsageTotals>;
  /**
   * Sums per group, largest cost first (`day`: oldest first). For views: this instance's entries
   * are in at once, another instance's once the store has seen its write (as for session pins).
   */
  summarize(filter: UsageFilter, by: UsageGroup): Promise<UsageRow[]>;
  /** Rolls entries older than `before` (epoch ms) up by UTC day; returns how many entries it folded. */
  rollUp(before: number): Promise<number>;
  /** The chat's footer setting; `off` when never set. */
  footer(sessionKey: string): Promise<UsageFooter>;
  /** Remembers the chat's footer setting across restarts and instances. */
  setFooter(sessionKey: string, footer: UsageFooter): Promise<void>;
}
