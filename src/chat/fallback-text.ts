import { coolingClause } from "../auth/unusable-text.js";
import { describeFailure, type FailedAttempt, type TurnFacts } from "./failure-text.js";
import type { Classification } from "../providers/classify.js";

/**
 * A turn that got no answer from its model: the text a user sees when nothing else answers, and the
 * short reason a fallback's note gives for passing the model over.
 */
export interface TurnFailure {
  readonly kind: "failure";
  readonly text: string;
  /** A clause without a capital or full stop: `every anthropic credential is cooling down (rate limit, 4m left)`. */
  readonly reason: string;
  /**
   * No credential could reach the model (cooldown, billing, auth, none set up) or the provider is
   * down: a configured model's fallbacks may answer instead. False for a request the provider
   * refused and for a pinned profile's failure.
   */
  readonly unavailable: boolean;
}

/** The model cannot be reached now; a configured model may hand the turn to its fallbacks. */
export function unavailable(text: string, reason: string): TurnFailure {
  return { kind: "failure", text, reason, unavailable: true };
}

/** A failure another model of the chain need not hide: a bad request, a pinned profile's failure. */
export function refused(text: string, reason: string): TurnFailure {
  return { kind: "failure", text, reason, unavailable: false };
}

/** One failed call as a clause: `Anthropic is overloaded (529)`. */
export function failureClause(a: FailedAttempt, facts: TurnFacts): string {
  return `${facts.providerName} ${describeFailure(a, facts)}`;
}

const FAILURE_WORDS: Record<Classification["kind"], string> = {
  rate_limit: "rate limit",
  auth: "auth error",
  billing: "billing",
  incompatible: "Claude Code-only token",
  overloaded: "overloaded",
  config: "host not found",
  timeout: "timeout",
  format: "request refused",
  unknown: "unknown error",
};

/** Why the calls of a turn all failed: credentials cooling down, or the provider down or slow. */
export function reasonAfterCalls(failed: readonly FailedAttempt[], facts: TurnFacts): string {
  const last = failed[failed.length - 1];
  if (!last) return `no ${facts.provider} credential answered`;
  if (
    last.failure.reasonCode === "not_found" ||
    last.failure.kind === "config" ||
    failed.every((a) => a.failure.kind === "overloaded" || a.failure.kind === "timeout")
  )
    return failureClause(last, facts);
  const cooldowns = failed.flatMap((a) => (a.cooldown ? [a.cooldown] : []));
  if (cooldowns.length === failed.length) {
    const soonest = Math.min(...cooldowns.map((c) => c.until));
    return coolingClause(
      facts.provider,
      cooldowns.map((c) => c.reason),
      soonest,
      facts.now,
    );
  }
  const why = [...new Set(failed.map((a) => FAILURE_WORDS[a.failure.kind]))].join(", ");
  return `every ${facts.provider} credential failed (${why})`;
}

/** A model of the chain that could not answer either, and why. */
export interface PassedOver {
  readonly ref: string;
  readonly reason: string;
}

/**
 * The line that ends a reply a fallback gave: which model answered and why the ones before it did
 * not. `passed[0]` is the configured model; later entries are fallbacks that failed too.
 */
export function fallbackNote(answeredBy: string, passed: readonly PassedOver[]): string {
  const [first, ...rest] = passed;
  const why = [
    first?.reason ?? "the configured model could not answer",
    ...rest.map((p) => `${p.ref} too: ${p.reason}`),
  ];
  return `— answered by ${answeredBy}: ${why.join("; ")}`;
}

/** What follows the configured model's failure text when every fallback failed or was left out. */
export function fallbacksFailedText(failed: readonly PassedOver[], skipped: readonly PassedOver[]): string {
  const lines: string[] = [];
  if (failed.length) lines.push(`Fallbacks failed too: ${failed.map((p) => `${p.ref} (${p.reason})`).join("; ")}.`);
  if (skipped.length) lines.push(`Fallbacks not tried: ${skipped.map((p) => `${p.ref} (${p.reason})`).join("; ")}.`);
  return lines.join("\n");
}

/**
 * The fix for a one-shot model (`--once`), which never falls back: the chat's own model is one
 * message away. `command` is the model command's declared name.
 */
export function onceModelFix(chosen: string, command: string): string {
  return `This message asked for ${chosen} with --once, so no other model is tried. Send it again without --once to use this chat's model; /${command} list shows the others.`;
}

/**
 * The fix for a model the user chose, which never falls back: go back to the configured default
 * (naming its fallbacks, when it has some) or pick another model. `command` is the model command's
 * declared name.
 */
export function chosenModelFix(
  chosen: string,
  configured: string,
  fallbacks: readonly string[],
  command: string,
): string {
  const back =
    configured === chosen
      ? `/${command} default goes back to the configured default${fallbacks.length ? `, which falls back to ${fallbacks.join(", ")}` : ""}`
      : `/${command} default goes back to ${configured}${fallbacks.length ? ` (falling back to ${fallbacks.join(", ")})` : ""}`;
  return `This chat chose ${chosen}, so no other model is tried. ${back}; /${command} list shows the others.`;
}
