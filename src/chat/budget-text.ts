import type { BudgetLimit } from "../config/budgets.js";
import type { LimitUse } from "../sessions/budget-use.js";
import { usd } from "../sessions/usage-text.js";
import { utcMinute } from "../util/utc-period.js";

/** Whom a limit is about, as a chat reads it: `this chat`, `agent main`, `credential anthropic:work`. */
function whose(limit: BudgetLimit): string {
  switch (limit.scope) {
    case "chat":
      return "this chat";
    case "agent":
      return `agent ${limit.subject ?? ""}`;
    case "profile":
      return `credential ${limit.subject ?? ""}`;
    case "gateway":
      return "this gateway";
  }
}

const SO_FAR = { daily: "today (UTC)", monthly: "this month (UTC)" } as const;

/** `$2.03 of $2.00 spent today (UTC)`. */
export function spentClause(use: LimitUse): string {
  return `${usd(use.spentUsd)} of ${usd(use.limit.usd)} spent ${SO_FAR[use.limit.period]}`;
}

/** Who may change the limit, and where. */
function raiseText(limit: BudgetLimit): string {
  return `An owner may raise it: ${limit.key}.usd in model-gateway.json.`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The reply to a turn refused at a limit: which limit, what was spent, when it resets and who may
 * raise it. `pinned` is the model command's name when a profile the chat pinned is the one past
 * its limit (how to unpin is then the quicker way out).
 */
export function budgetRefusalText(use: LimitUse, pinned?: string): string {
  const { limit } = use;
  const head = `${capitalized(whose(limit))} has reached its ${limit.period} budget: ${spentClause(use)}.`;
  const why =
    pinned !== undefined
      ? " This chat pinned it, so nothing was sent to the model."
      : " Nothing was sent to the model.";
  const unpin = pinned !== undefined ? ` /${pinned} default unpins it.` : "";
  return `${head}${why}\nIt resets at ${utcMinute(use.period.to)}. ${raiseText(limit)}${unpin}`;
}

/**
 * The reply when every credential the turn could use is past its limit: the first one's refusal,
 * naming the others. Nothing was sent.
 */
export function budgetsReachedText(uses: readonly LimitUse[]): string {
  const [first, ...rest] = uses;
  if (first === undefined) return "";
  const others = rest.length
    ? `\nAlso past their budgets: ${rest.map((u) => `${u.limit.subject ?? ""} (${spentClause(u)})`).join("; ")}.`
    : "";
  return `${budgetRefusalText(first)}${others}`;
}

/** The short reason a fallback note gives for a provider whose credentials are all past their budgets. */
export function budgetsReachedReason(provider: string): string {
  return `every ${provider} credential is past its budget`;
}

/** The 80% and 100% marks of a `warn` limit. */
export type WarnMark = 80 | 100;

/** The line a `warn` limit adds to a reply, once per period at each mark. */
export function budgetWarningText(use: LimitUse, mark: WarnMark): string {
  const { limit } = use;
  const percent = Math.floor((use.spentUsd / limit.usd) * 100);
  const over = mark === 100 ? "; answers go on, as this limit only warns" : "";
  return `Budget: ${whose(limit)} has spent ${usd(use.spentUsd)} of its ${usd(limit.usd)} ${limit.period} budget ${SO_FAR[limit.period]} (${percent}%)${over}; it resets at ${utcMinute(use.period.to)}.`;
}

/** One log line about a limit: the session, the limit, the spend and what was done. */
export function budgetLine(sessionKey: string, use: LimitUse, what: string): string {
  const { limit } = use;
  return `chat session=${sessionKey} budget=${limit.key} spent=${usd(use.spentUsd)} limit=${usd(limit.usd)} ${what}`;
}

/**
 * The reply to a turn a `refuse` limit covers on a model without a price: its cost could not be
 * counted against the limit, so nothing is sent (an unpriced turn is never counted as free).
 */
export function unpricedRefusalText(limit: BudgetLimit, model: string, provider: string, command: string): string {
  return (
    `${capitalized(whose(limit))} has a ${limit.period} budget (${limit.key}), but ${model} has no price, so what it costs could not be counted. Nothing was sent to the model.\n` +
    `Pick a priced model (/${command} list), or an owner may give it one: cost under models.providers.${provider}.models[] in openclaw.json.`
  );
}
