import { fail } from "./errors.js";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `365d`, `12h`, `30m`, `90s` or `2w` into milliseconds; anything else is a clear error. */
export function parseDuration(text: string, flag = "--expires-in"): number {
  const m = /^\s*(\d+)\s*([smhdw])\s*$/i.exec(text);
  const amount = m?.[1] !== undefined ? Number(m[1]) : NaN;
  const unit = m?.[2] !== undefined ? UNIT_MS[m[2].toLowerCase()] : undefined;
  if (!unit || !Number.isSafeInteger(amount) || amount <= 0) {
    fail("invalid_duration", `${flag} expects a positive duration such as 365d, 12h or 30m; got "${text}".`);
  }
  return amount * unit;
}
