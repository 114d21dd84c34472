import type { UsageLedger, UsageRow } from "./ledger.js";

const DAY_MS = 86_400_000;

/** Epoch ms of the start of the UTC day that holds `at`. */
export function utcDayStart(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

/** The UTC day that holds `at`, as `YYYY-MM-DD` (the ledger's `day` keys and OpenClaw's dates). */
export function utcDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

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
  const today = utcDayStart(now);
  const from = today - (days - 1) * DAY_MS;
  return { from, to: today + DAY_MS, firstDay: utcDate(from), lastDay: utcDate(today) };
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
