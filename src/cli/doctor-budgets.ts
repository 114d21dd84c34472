import { keyStep, limitsOf, type BudgetLimit, type BudgetsConfig } from "../config/budgets.js";
import { spentClause, usd } from "../chat/budget-text.js";
import { isReached, limitFilter, limitUse, type LimitUse } from "../sessions/budget-use.js";
import type { UsageLedger } from "../sessions/ledger.js";
import { periodAt, utcMinute } from "../util/utc-period.js";
import type { Finding } from "./doctor-finding.js";

/** A limit as configured, with the chats it covers when it is a chat limit. */
interface Configured {
  readonly limit: BudgetLimit;
  /** For a chat limit: the sessions it counts, each on its own. */
  readonly covers?: (sessionKey: string) => boolean;
}

/**
 * Whether a session key names the chat a `chats.byChannel` key does: its channel, and the chat,
 * topic or peer id as one or more of its segments (`*`: any chat of the channel).
 */
function namesChat(sessionKey: string, channel: string, chatKey: string): boolean {
  const lower = sessionKey.toLowerCase();
  if (!lower.includes(`:${channel.toLowerCase()}:`)) return false;
  if (chatKey === "*") return true;
  const key = chatKey.toLowerCase();
  return lower.endsWith(`:${key}`) || lower.includes(`:${key}:`);
}

function configured(budgets: BudgetsConfig): Configured[] {
  const out: Configured[] = [];
  const add = (limits: BudgetLimit[], covers?: (key: string) => boolean) => {
    for (const limit of limits) out.push(covers ? { limit, covers } : { limit });
  };
  add(limitsOf(budgets.gateway, "gateway", undefined, "budgets.gateway"));
  for (const [id, set] of Object.entries(budgets.agents ?? {}))
    add(limitsOf(set, "agent", id, `budgets.agents${keyStep(id)}`));
  for (const [id, set] of Object.entries(budgets.profiles ?? {}))
    add(limitsOf(set, "profile", id, `budgets.profiles${keyStep(id)}`));
  const named: ((key: string) => boolean)[] = [];
  for (const [channel, chats] of Object.entries(budgets.chats?.byChannel ?? {}))
    for (const [chatKey, set] of Object.entries(chats)) {
      const covers = (key: string) => namesChat(key, channel, chatKey);
      named.push(covers);
      add(limitsOf(set, "chat", undefined, `budgets.chats.byChannel.${channel}[${JSON.stringify(chatKey)}]`), covers);
    }
  // The default counts the chats no override names.
  add(limitsOf(budgets.chats?.default, "chat", undefined, "budgets.chats.default"), (key) =>
    named.every((covers) => !covers(key)),
  );
  return out;
}

/** The chat limit's use by the chat that spent the most this period, with that chat's key. */
async function topChat(
  ledger: UsageLedger,
  c: Configured,
  now: number,
): Promise<{ use: LimitUse; sessionKey: string } | undefined> {
  const period = periodAt(c.limit.period, now);
  const rows = await ledger.summarize(limitFilter(c.limit, period), "chat");
  const top = rows.filter((r) => c.covers?.(r.key)).sort((a, b) => b.costUsd - a.costUsd)[0];
  return (
    top && { use: { limit: { ...c.limit, subject: top.key }, period, spentUsd: top.costUsd }, sessionKey: top.key }
  );
}

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
  for (const c of configured(budgets)) {
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
