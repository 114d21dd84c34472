/** A budget's period: a UTC calendar day or month. */
export type PeriodKind = "daily" | "monthly";

/** One period: `from` inclusive, `to` exclusive, epoch ms. */
export interface Period {
  readonly from: number;
  readonly to: number;
}

/** Milliseconds in a UTC day (UTC has no daylight saving; leap seconds are not in epoch ms). */
export const DAY_MS = 86_400_000;

/** Midnight UTC at or before `at`. */
export function dayStart(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

/** A day {@link utcDay} formatted. */
interface FormattedDay {
  readonly start: number;
  readonly text: string;
}

const NO_DAY: FormattedDay = { start: Number.NaN, text: "" };
// The last two days formatted: a ledger query asks for today and tomorrow in turn.
let newestDay = NO_DAY;
let olderDay = NO_DAY;

/** The UTC calendar day of `at` as `YYYY-MM-DD`, the form of ledger days and catalog retirement dates. */
export function utcDay(at: number): string {
  const start = dayStart(at);
  if (start === newestDay.start) return newestDay.text;
  if (start === olderDay.start) return olderDay.text;
  olderDay = newestDay;
  newestDay = { start, text: new Date(start).toISOString().slice(0, 10) };
  return newestDay.text;
}

/**
 * The UTC day (00:00 to the next 00:00) or month (the 1st 00:00 to the next 1st) that `now` falls
 * in. Calendar arithmetic on purpose: a month is 28 to 31 days, and UTC has no daylight saving.
 */
export function periodAt(kind: PeriodKind, now: number): Period {
  if (kind === "daily") {
    const from = dayStart(now);
    return { from, to: from + DAY_MS };
  }
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1) };
}

/** `2026-12-08 00:00 UTC`: when a period ends, as people read it. */
export function utcMinute(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
