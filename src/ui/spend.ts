/**
 * What the control page shows of money, read through one small port so the page does
 * not depend on how the usage ledger stores it. Absent (`undefined` where a {@link SpendSource} is
 * expected): there is no ledger, and the page says so.
 */

/** Cost of one day, in USD, per credential profile. */
export interface SpendDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  readonly byProfile: Readonly<Record<string, number>>;
}

/** Tokens used by one model over the shown days. */
export interface ModelTokens {
  readonly model: string;
  readonly input: number;
  readonly output: number;
}

/** A configured budget and how much of it is used. */
export interface BudgetUse {
  readonly name: string;
  readonly period: string;
  readonly limitUsd: number;
  readonly usedUsd: number;
}

/** The Spend view's data. */
export interface SpendReport {
  /** The last {@link SPEND_DAYS} days, oldest first, every day present. */
  readonly days: readonly SpendDay[];
  readonly tokensByModel: readonly ModelTokens[];
  readonly budgets: readonly BudgetUse[];
}

/** A profile's money today, for the credentials view. */
export interface ProfileUsage {
  readonly spendTodayUsd: number;
}

/** How many days the Spend view charts. */
export const SPEND_DAYS = 30;

/** Where the page reads spend, quotas and budgets. */
export interface SpendSource {
  report(now: number): Promise<SpendReport>;
  /** Usage by profile id; profiles without any are left out. */
  profiles(now: number): Promise<ReadonlyMap<string, ProfileUsage>>;
}
