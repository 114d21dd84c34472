import { utcDay } from "../util/utc-period.js";

/** Whether a model with this retirement date (ISO day) is already retired on the day of `now`. */
export function isRetired(retires: string, now: number): boolean {
  return retires <= utcDay(now);
}

/**
 * The short form for buttons and autocomplete labels, compared with today: `retired on
 * 2026-06-30` once that day has come, `retires 2026-11-30` before it.
 */
export function retirementLabel(retires: string, now: number): string {
  return isRetired(retires, now) ? `retired on ${retires}` : `retires ${retires}`;
}

/** How lists and status lines word it: `retired on 2026-06-30`, or `deprecated, retires 2026-11-30`. */
export function retirementText(retires: string, now: number): string {
  return isRetired(retires, now) ? retirementLabel(retires, now) : `deprecated, ${retirementLabel(retires, now)}`;
}
