import { userError, type Result } from "./user-error.js";

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS = Object.keys(UNIT_MS) as Unit[];
/** `1d`, `2h`, `30m`, `90s` and combinations in that order (`1h30m`), whole numbers only. */
const DURATION = /^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/;

/** The bounds of a timed switch, as people read them in the error. */
export const MIN_DURATION_MS = UNIT_MS.m;
export const MAX_DURATION_MS = 30 * UNIT_MS.d;

const HINT = "Write a duration such as 90s, 30m, 2h, 1d or 1h30m: at least 1 minute, at most 30 days.";

/**
 * Reads a duration as people type it (`90s`, `30m`, `2h`, `1d`, `1h30m`, case-insensitive) into
 * milliseconds, from 1 minute to 30 days. Anything else is a `bad_duration` error that says the form
 * and the bounds.
 */
export function parseDuration(text: string): Result<number> {
  const m = text === "" ? null : DURATION.exec(text.toLowerCase());
  if (!m || m.slice(1).every((g) => g === undefined))
    return { ok: false, error: userError("bad_duration", `"${text}" is not a duration.`, HINT) };
  let ms = 0;
  UNITS.forEach((unit, i) => {
    ms += Number(m[i + 1] ?? 0) * UNIT_MS[unit];
  });
  if (ms < MIN_DURATION_MS || ms > MAX_DURATION_MS) {
    const which = ms < MIN_DURATION_MS ? "shorter than 1 minute" : "longer than 30 days";
    return { ok: false, error: userError("bad_duration", `${text} is ${which}.`, HINT) };
  }
  return { ok: true, value: ms };
}

/**
 * A span for people, its two largest units: `1h 20m`, `2d 3h`, `45m`, `30s`. Rounded up to the
 * minute from one minute on, so "1m left" never means "ended".
 */
export function spanText(ms: number): string {
  const total = Math.max(0, ms);
  const seconds = Math.ceil(total / UNIT_MS.s);
  if (seconds < 60) return `${seconds}s`;
  let rest = Math.ceil(total / UNIT_MS.m) * UNIT_MS.m;
  const parts: string[] = [];
  for (const unit of UNITS) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    rest -= n * UNIT_MS[unit];
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !p.startsWith("0")).join(" ");
}

/**
 * A moment as a UTC clock time (`15:30 UTC`), with the date in front when it is not on `now`'s UTC
 * day (`2026-12-09 15:30 UTC`).
 */
export function utcTimeText(at: number, now: number): string {
  const iso = new Date(at).toISOString();
  const day = iso.slice(0, 10);
  const time = `${iso.slice(11, 16)} UTC`;
  return day === new Date(now).toISOString().slice(0, 10) ? time : `${day} ${time}`;
}
