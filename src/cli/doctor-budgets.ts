import type { BudgetsConfig } from "../config/budgets.js";
import { spentClause } from "../chat/budget-text.js";
import { usd } from "../sessions/usage-text.js";
import { configuredLimits, isReached, limitUse, topChat, type LimitUse } from "../sessions/budget-use.js";
import type { UsageLedger } from "../sessions/ledger.js";
import { periodAt, utcMinute } from "../util/utc-period.js";
import type { Finding } from "./doctor-finding.js";

function percent(use: LimitUse): string {
  return `${Math.floor((use.spentUsd / use.limit.usd) * 100)}%`;
}

/**
 * One line per configured budget: its limit and action, what has been spent against it this
 * period (for a chat limit, by the chat that spent the most), and when it resets. `ledger` is
 * undefined when no session store exists yet, so nothing has been spent. Spending is not a problem
 * to fix, so every line is `info`, a reached limit included; a ledger turned off (`recording`
 * false) is, since no budget can then be reached.
 */
export async function budgetFindings(
  budgets: BudgetsConfig | undefined,
  ledger: UsageLedger | undefined,
  now: number,
  recording = true,
): Promise<Finding[]> {
  if (budgets === undefined) return [];
  const findings: Finding[] = [];
  if (!recording)
    findings.push({
      check: "budgets",
      severity: "warn",
      message: "usage.ledger is false, so no new turn is counted and no budget can be reached",
      fix: "remove usage.ledger (or set it to true) in model-gateway.json, or remove budgets",
    });
  for (const c of configuredLimits(budgets)) {
    const { limit } = c;
    const resets = `resets at ${utcMinute(periodAt(limit.period, now).to)}`;
    const head = `${limit.key}: ${usd(limit.usd)} ${limit.period}${c.covers ? " per chat" : ""}, ${limit.action}`;
    let use: string;
    if (ledger === undefined) use = "nothing spent yet (no session store)";
    else if (c.covers) {
      const top = await topChat(ledger, c, now);
      use = top
        ? `most spent: ${top.sessionKey}, ${spentClause(top.use)} (${percent(top.use)}${isReached(top.use) ? ", reached" : ""})`
        : "no chat has spent anything this period";
    } else {
      const u = await limitUse(ledger, limit, now);
      use = `${spentClause(u)} (${percent(u)}${isReached(u) ? ", reached" : ""})`;
    }
    findings.push({ check: "budgets", severity: "info", message: `${head}; ${use}; ${resets}` });
  }
  return findings;
}
