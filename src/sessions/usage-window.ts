import type { UsageLedger, UsageRow } from "./ledger.js";
import { DAY_MS, dayStart, utcDay } from "../util/utc-period.js";

/** A span of whole UTC days for a ledger query: `from` inclusive, `to` exclusive, epoch ms. */
export interface DayWindow {
  readonly from: number;
  readonly to: number;
  /** First and last day, `YYYY-MM-DD`, both included (OpenClaw's `startDate`/`endDate`). */
  readonly firstDay: string;
  readonly lastDay: string;
}

/**
 * The last `days` UTC days, today among them, as OpenClaw's `usage-cost --days` counts them: `1` is
 * today alone. Today counts whole, so a turn recorded a moment ago is in it whatever the clock says.
 */
export function lastDays(days: number, now: number): DayWindow {
  const today = dayStart(now);
  const from = today - (days - 1) * DAY_MS;
  return { from, to: today + DAY_MS, firstDay: utcDay(from), lastDay: utcDay(today) };
}

/**
 * Today's spend per credential profile, from one ledger query (status views show it beside every
 * profile, so one summary serves them all).
 */
export async function spendTodayByProfile(ledger: UsageLedger, now: number): Promise<ReadonlyMap<string, UsageRow>> {
  const { from, to } = lastDays(1, now);
  const rows = await ledger.summarize({ from, to }, "profile");
  return new Map(rows.map((r) => [r.key, r]));
}
