import { keyStep, limitsOf, type BudgetLimit, type BudgetsConfig } from "../config/budgets.js";
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

/** A limit as configured, with the chats it covers when it is a chat limit. */
export interface ConfiguredLimit {
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

/**
 * Every limit the budgets configure: the gateway's, each agent's and profile's, each named chat's
 * and the default every other chat has (as `doctor` and the control page list them).
 */
export function configuredLimits(budgets: BudgetsConfig): ConfiguredLimit[] {
  const out: ConfiguredLimit[] = [];
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
export async function topChat(
  ledger: UsageLedger,
  c: ConfiguredLimit,
  now: number,
): Promise<{ use: LimitUse; sessionKey: string } | undefined> {
  const period = periodAt(c.limit.period, now);
  const rows = await ledger.summarize(limitFilter(c.limit, period), "chat");
  const top = rows.filter((r) => c.covers?.(r.key)).sort((a, b) => b.costUsd - a.costUsd)[0];
  return (
    top && { use: { limit: { ...c.limit, subject: top.key }, period, spentUsd: top.costUsd }, sessionKey: top.key }
  );
}
