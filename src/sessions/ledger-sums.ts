import { DAY_MS, dayStart, utcDay } from "../util/utc-period.js";
import type { LedgerEntry, UsageFilter, UsageFooter, UsageGroup, UsageRow, UsageTotals } from "./ledger.js";

/** The dimensions each daily sum is kept per, as every backend stores them; `day` is the UTC day. */
export type LedgerDimensions = Pick<
  LedgerEntry,
  "channel" | "sessionKey" | "agentId" | "provider" | "model" | "profileId"
> & { readonly day: string };

/** A half-open range of epoch ms, `[from, to)`; empty when `to <= from`. */
export interface MsRange {
  readonly from: number;
  readonly to: number;
}

/**
 * How a query range is answered: the whole UTC days inside it from the daily sums, the partial
 * days at its edges from the raw entries (empty ranges when the edges fall on midnight).
 */
export interface RangeSplit {
  readonly wholeDays: MsRange;
  readonly head: MsRange;
  readonly tail: MsRange;
}

/** Splits `[from, to)` into whole UTC days and the partial days at its edges. */
export function splitRange(from: number, to: number): RangeSplit {
  const firstWhole = from === dayStart(from) ? from : dayStart(from) + DAY_MS;
  const lastWhole = dayStart(to);
  if (firstWhole >= lastWhole) {
    // No whole day inside: the raw entries answer all of it.
    return { wholeDays: { from, to: from }, head: { from, to }, tail: { from: to, to } };
  }
  return {
    wholeDays: { from: firstWhole, to: lastWhole },
    head: { from, to: firstWhole },
    tail: { from: lastWhole, to },
  };
}

/** Sums of no entry. */
export const NO_USAGE: UsageTotals = {
  turns: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
  unpricedTurns: 0,
};

/** One entry's contribution to the sums: an entry without a price adds an unpriced turn and no cost. */
export function entryTotals(entry: LedgerEntry): UsageTotals {
  return {
    turns: 1,
    inputTokens: entry.tokens.input,
    outputTokens: entry.tokens.output,
    cacheReadTokens: entry.tokens.cacheRead,
    cacheWriteTokens: entry.tokens.cacheWrite,
    costUsd: entry.costUsd ?? 0,
    unpricedTurns: entry.costUsd === undefined ? 1 : 0,
  };
}

/** `a + b`, field by field. */
export function addTotals(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    turns: a.turns + b.turns,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
    unpricedTurns: a.unpricedTurns + b.unpricedTurns,
  };
}

/** The dimensions an entry is summed under. */
export function entryDimensions(entry: LedgerEntry): LedgerDimensions {
  return {
    day: utcDay(entry.at),
    channel: entry.channel,
    sessionKey: entry.sessionKey,
    agentId: entry.agentId,
    provider: entry.provider,
    model: entry.model,
    profileId: entry.profileId,
  };
}

/**
 * Refuses an entry a backend could not sum (a bug in the caller, never user input): token counts
 * must be whole and non-negative, a cost finite and non-negative. Checked before the first write,
 * so a refused entry leaves nothing behind.
 */
export function checkEntry(entry: LedgerEntry): void {
  const { input, output, cacheRead, cacheWrite } = entry.tokens;
  for (const n of [input, output, cacheRead, cacheWrite]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`ledger entry ${entry.id}: token count ${n}`);
  }
  if (entry.costUsd !== undefined && !(Number.isFinite(entry.costUsd) && entry.costUsd >= 0)) {
    throw new RangeError(`ledger entry ${entry.id}: cost ${entry.costUsd}`);
  }
  if (!Number.isFinite(entry.at)) throw new RangeError(`ledger entry ${entry.id}: time ${entry.at}`);
}

/** True when the dimensions pass the filter's narrowing fields (its range is checked elsewhere). */
export function matchesFilter(dims: LedgerDimensions, filter: UsageFilter): boolean {
  return (
    (filter.sessionKey === undefined || dims.sessionKey === filter.sessionKey) &&
    (filter.agentId === undefined || dims.agentId === filter.agentId) &&
    (filter.profileId === undefined || dims.profileId === filter.profileId) &&
    (filter.provider === undefined || dims.provider === filter.provider)
  );
}

/** The key of a summary group. */
export function groupKey(dims: LedgerDimensions, by: UsageGroup): string {
  switch (by) {
    case "day":
      return dims.day;
    case "provider":
      return dims.provider;
    case "model":
      return dims.model;
    case "profile":
      return dims.profileId;
    case "chat":
      return dims.sessionKey;
    case "agent":
      return dims.agentId;
    case "channel":
      return dims.channel;
  }
}

/** Sums per group, in the order {@link sortRows} gives. */
export function groupRows(
  parts: Iterable<{ readonly dims: LedgerDimensions; readonly totals: UsageTotals }>,
  by: UsageGroup,
): UsageRow[] {
  const groups = new Map<string, UsageTotals>();
  for (const { dims, totals } of parts) {
    const key = groupKey(dims, by);
    groups.set(key, addTotals(groups.get(key) ?? NO_USAGE, totals));
  }
  return sortRows(
    [...groups].map(([key, totals]) => ({ key, ...totals })),
    by,
  );
}

/** The contract's order: days oldest first, every other group largest cost first (then most turns, then by key). */
export function sortRows(rows: UsageRow[], by: UsageGroup): UsageRow[] {
  const byKey = (a: UsageRow, b: UsageRow) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return rows.sort(by === "day" ? byKey : (a, b) => b.costUsd - a.costUsd || b.turns - a.turns || byKey(a, b));
}

/** A stored footer setting; anything unknown reads as `off`. */
export function asFooter(raw: string | null | undefined): UsageFooter {
  return raw === "tokens" || raw === "full" ? raw : "off";
}
