import type { CooldownReason } from "./cooldowns.js";
import { formatDuration } from "./health.js";
import type { Resolution } from "./resolver.js";

const COOLDOWN_WORDS: Record<CooldownReason, string> = {
  rate_limit: "rate limit",
  auth: "auth error",
  billing: "billing",
  incompatible: "Claude Code-only token",
};

function distinct(words: readonly string[]): string {
  return [...new Set(words)].join(", ");
}

/**
 * Every credential of `provider` cooling down, as a clause without a capital or full stop: `every
 * anthropic credential is cooling down (rate limit, 4m left)`, `until` being the soonest end.
 */
export function coolingClause(
  provider: string,
  reasons: readonly CooldownReason[],
  until: number,
  now: number,
): string {
  const why = distinct(reasons.map((r) => COOLDOWN_WORDS[r]));
  return `every ${provider} credential is cooling down (${why}, ${formatDuration(until - now)} left)`;
}

/**
 * Why the resolver offered no credential at all (so no call was made): every one cooling down, none
 * set up, or none usable. The chat turn's failure text and `/model status` both say it this way.
 */
export function reasonWithoutCall(res: Resolution, now: number): string {
  const cooling = res.candidates.filter((c) => c.reason === "cooldown" && c.cooldown);
  const soonest = Math.min(...cooling.map((c) => c.cooldown?.until ?? Number.POSITIVE_INFINITY));
  if (cooling.length > 0)
    return coolingClause(
      res.provider,
      cooling.flatMap((c) => (c.cooldown ? [c.cooldown.reason] : [])),
      soonest,
      now,
    );
  if (res.candidates.length === 0) return `no ${res.provider} credential is set up`;
  const why = distinct(res.candidates.map((c) => (c.reason ?? "unusable").replaceAll("_", " ")));
  return `no ${res.provider} credential is usable (${why})`;
}
