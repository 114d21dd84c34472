/** How a stored credential stands in time. */
export type Health = "ok" | "expiring" | "expired" | "static";

/** A credential expiring within this window is `expiring`. */
export const EXPIRING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Health from an optional expiry (epoch ms). No expiry is `static`: keys do not age. */
export function healthOf(expires: number | undefined, now: number): Health {
  if (expires === undefined) return "static";
  if (expires <= now) return "expired";
  if (expires - now <= EXPIRING_WINDOW_MS) return "expiring";
  return "ok";
}

/** A short human duration: `45s`, `4m`, `5h`, `3d`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.round(h / 24)}d`;
}
