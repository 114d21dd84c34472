import type { UsageLedger } from "../sessions/ledger.js";
import type { BudgetsConfig } from "../config/budgets.js";
import { configuredLimits, limitUse, topChat } from "../sessions/budget-use.js";
import { DAY_MS, periodAt, utcDay } from "../util/utc-period.js";
import { lastDays } from "../sessions/usage-window.js";

/** How many days the Spend view charts (today among them). */
export const SPEND_DAYS = 30;

/** Cost of one UTC day, in USD, per credential profile. */
export interface SpendDay {
  /** `YYYY-MM-DD`. */
  readonly day: string;
  readonly byProfile: Readonly<Record<string, number>>;
}

/** Tokens used by one model over the shown days. */
export interface ModelTokens {
  readonly model: string;
  readonly input: number;
  readonly output: number;
}

/** A configured budget and how much of it this period used. */
export interface BudgetRow {
  /** Where it is set: `budgets.gateway.daily`, `budgets.chats.default.monthly`. */
  readonly key: string;
  readonly action: string;
  readonly limitUsd: number;
  readonly spentUsd: number;
  /** A chat limit counts each chat alone: the chat that spent the most this period, or null. */
  readonly perChat: boolean;
  readonly topChat: string | null;
  /** When the period ends and the use starts again from 0 (epoch ms). */
  readonly resetsAtMs: number;
}

/** The Spend view's data. */
export interface SpendReport {
  /** The last {@link SPEND_DAYS} UTC days, oldest first, every day present. */
  readonly days: readonly SpendDay[];
  /** Largest cost first. */
  readonly tokensByModel: readonly ModelTokens[];
  /** Turns of the window with no price: never counted as free, so said apart. */
  readonly unpricedTurns: number;
  readonly budgets: readonly BudgetRow[];
}

/** Every configured budget with its use now, as `doctor` reports them. */
async function budgetRows(ledger: UsageLedger, budgets: BudgetsConfig | undefined, now: number): Promise<BudgetRow[]> {
  if (budgets === undefined) return [];
  return Promise.all(
    configuredLimits(budgets).map(async (c): Promise<BudgetRow> => {
      const top = c.covers ? await topChat(ledger, c, now) : undefined;
      const spentUsd = c.covers ? (top?.use.spentUsd ?? 0) : (await limitUse(ledger, c.limit, now)).spentUsd;
      return {
        key: c.limit.key,
        action: c.limit.action,
        limitUsd: c.limit.usd,
        spentUsd,
        perChat: c.covers !== undefined,
        topChat: top?.sessionKey ?? null,
        resetsAtMs: periodAt(c.limit.period, now).to,
      };
    }),
  );
}

/**
 * The Spend view from the usage ledger, over the last {@link SPEND_DAYS} UTC days: cost per day and
 * profile (one summary per profile that spent) and tokens per model, then each configured budget
 * with its use this period. Unpriced turns add no cost; their count is given apart.
 */
export async function spendReport(
  ledger: UsageLedger,
  budgets: BudgetsConfig | undefined,
  now: number,
): Promise<SpendReport> {
  const window = lastDays(SPEND_DAYS, now);
  const range = { from: window.from, to: window.to };
  const [profiles, models] = await Promise.all([ledger.summarize(range, "profile"), ledger.summarize(range, "model")]);
  const perProfile = await Promise.all(profiles.map((p) => ledger.summarize({ ...range, profileId: p.key }, "day")));
  const days: SpendDay[] = [];
  const byDay = new Map<string, Record<string, number>>();
  for (let at = window.from; at < window.to; at += DAY_MS) {
    const byProfile: Record<string, number> = {};
    days.push({ day: utcDay(at), byProfile });
    byDay.set(utcDay(at), byProfile);
  }
  profiles.forEach((p, i) => {
    for (const row of perProfile[i] ?? []) {
      const slot = byDay.get(row.key);
      if (slot && row.costUsd > 0) slot[p.key] = row.costUsd;
    }
  });
  return {
    days,
    tokensByModel: models.map((m) => ({ model: m.key, input: m.inputTokens, output: m.outputTokens })),
    unpricedTurns: profiles.reduce((n, p) => n + p.unpricedTurns, 0),
    budgets: await budgetRows(ledger, budgets, now),
  };
}

/**
 * How long one answer from the ledger serves every page that asks. Each open page asks every
 * second, and a report is several ledger summaries; a turn's cost shows within this.
 */
export const SPEND_FRESH_MS = 5000;

/**
 * `compute(now)`, run at most once per {@link SPEND_FRESH_MS} of `clock` whoever asks; a failed
 * run is not kept.
 */
export function freshFor<T>(clock: () => number, compute: (now: number) => Promise<T>): () => Promise<T> {
  let kept: { readonly at: number; readonly value: Promise<T> } | undefined;
  return () => {
    const now = clock();
    // A clock set back is no reason to keep an answer.
    if (!kept || now - kept.at >= SPEND_FRESH_MS || now < kept.at) {
      const value = compute(now);
      value.catch(() => {
        if (kept?.value === value) kept = undefined;
      });
      kept = { at: now, value };
    }
    return kept.value;
  };
}
