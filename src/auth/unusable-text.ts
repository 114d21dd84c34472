import type { CooldownReason } from "./cooldowns.js";
import { formatDuration } from "./health.js";
import { freeAt, type Resolution } from "./resolver.js";

/** A profile skipped until its provider's rate-limit window resets, among the cooldown reasons. */
type WaitReason = CooldownReason | "quota";

const COOLDOWN_WORDS: Record<WaitReason, string> = {
  quota: "rate-limit quota used up",
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
export function coolingClause(provider: string, reasons: readonly WaitReason[], until: number, now: number): string {
  const why = distinct(reasons.map((r) => COOLDOWN_WORDS[r]));
  return `every ${provider} credential is cooling down (${why}, ${formatDuration(until - now)} left)`;
}

/**
 * Why the resolver offered no credential at all (so no call was made): every one cooling down or
 * out of quota, none
 * set up, or none usable. The chat turn's failure text and `/model status` both say it this way.
 */
export function reasonWithoutCall(res: Resolution, now: number): string {
  const cooling = res.candidates.filter(
    (c) => (c.reason === "cooldown" && c.cooldown) || (c.reason === "quota_exhausted" && c.exhaustion),
  );
  const soonest = Math.min(...cooling.map(freeAt));
  if (cooling.length > 0)
    return coolingClause(
      res.provider,
      cooling.map((c): WaitReason => c.cooldown?.reason ?? "quota"),
      soonest,
      now,
    );
  if (res.candidates.length === 0) return `no ${res.provider} credential is set up`;
  const why = distinct(res.candidates.map((c) => (c.reason ?? "unusable").replaceAll("_", " ")));
  return `no ${res.provider} credential is usable (${why})`;
}
