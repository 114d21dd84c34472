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

/** The last day {@link utcDay} formatted, and the one before: a ledger query asks for today and tomorrow. */
let lastDays = [
  { start: Number.NaN, text: "" },
  { start: Number.NaN, text: "" },
];

/** The UTC calendar day of `at` as `YYYY-MM-DD`, the form of ledger days and catalog retirement dates. */
export function utcDay(at: number): string {
  const start = dayStart(at);
  const [a, b] = lastDays as [{ start: number; text: string }, { start: number; text: string }];
  if (start === a.start) return a.text;
  if (start === b.start) return b.text;
  const day = { start, text: new Date(start).toISOString().slice(0, 10) };
  lastDays = [day, a];
  return day.text;
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
