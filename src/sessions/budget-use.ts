import type { BudgetLimit } from "../config/budgets.js";
import { periodAt, type Period } from "../util/utc-period.js";
import type { UsageFilter, UsageLedger } from "./ledger.js";

/** A limit with what has been spent against it in the period `now` falls in. */
export interface LimitUse {
  readonly limit: BudgetLimit;
  readonly period: Period;
  /** Priced turns only: an unpriced turn has no cost to count. */
  readonly spentUsd: number;
}

/** The ledger entries a limit counts: its period, narrowed to its chat, agent or profile. */
export function limitFilter(limit: BudgetLimit, period: Period): UsageFilter {
  switch (limit.scope) {
    case "chat":
      return { from: period.from, to: period.to, sessionKey: limit.subject };
    case "agent":
      return { from: period.from, to: period.to, agentId: limit.subject };
    case "profile":
      return { from: period.from, to: period.to, profileId: limit.subject };
    case "gateway":
      return { from: period.from, to: period.to };
  }
}

/**
 * What has been spent against `limit` in its current period: one totals query on the shared
 * ledger, so every instance on the same store counts every instance's turns.
 */
export async function limitUse(ledger: UsageLedger, limit: BudgetLimit, now: number): Promise<LimitUse> {
  const period = periodAt(limit.period, now);
  const totals = await ledger.totals(limitFilter(limit, period));
  // Rounded to a billionth of a dollar: however a backend adds float costs, ten turns of $0.10
  // reach a $1.00 limit, as the reply shows them.
  return { limit, period, spentUsd: Math.round(totals.costUsd * 1e9) / 1e9 };
}

/** True when the spend has reached the limit: a `refuse` limit refuses the next turn. */
export function isReached(use: LimitUse): boolean {
  return use.spentUsd >= use.limit.usd;
}
