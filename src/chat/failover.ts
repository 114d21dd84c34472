import type { Resolution } from "../auth/resolver.js";
import type { RefreshFailure } from "../auth/oauth-refresh.js";
import type { Classification } from "../providers/classify.js";
import { userErrorLine } from "../util/user-error.js";
import {
  configFailureText,
  cutOffText,
  exhaustedText,
  pinnedFailureText,
  requestFailureText,
  transientText,
  type FailedAttempt,
  type TurnFacts,
} from "./failure-text.js";
import { reasonWithoutCall } from "../auth/unusable-text.js";
import { failureClause, reasonAfterCalls, refused, unavailable } from "./fallback-text.js";
import { said, type TurnOutcome } from "./turn.js";

const TRANSIENT: ReadonlySet<Classification["kind"]> = new Set(["overloaded", "timeout"]);
/** Why a model whose OAuth credential could not be refreshed is passed over. */
export const REFRESH_FAILED = "its OAuth token could not be refreshed";

/** Whether a session pinned by a user is strict (no other credential is tried), and the turn's facts now. */
export interface FailoverFacts {
  readonly strict: boolean;
  readonly facts: TurnFacts;
}

/**
 * What the failed call `done` means for the turn (`failed` is every failed call so far, ending
 * with it): `next` to try the next
 * credential, or how the turn ends. Part of an answer already shown is ended with a note (another
 * credential would start it over); a host that does not resolve fails every credential alike; a
 * user's pin never switches; a request the provider refuses whoever sends it is not sent again,
 * unless the model is not served (another model may answer); an overloaded or slow provider gets
 * one more try elsewhere at most.
 */
export function afterFailedCall(
  done: FailedAttempt,
  failed: readonly FailedAttempt[],
  partial: string,
  { strict, facts }: FailoverFacts,
): TurnOutcome | "next" {
  const f = done.failure;
  if (partial !== "") return said(`${partial}${cutOffText(done, facts)}`);
  if (f.kind === "config")
    return (strict ? refused : unavailable)(configFailureText(done, facts), failureClause(done, facts));
  if (strict) return refused(pinnedFailureText(done, facts), failureClause(done, facts));
  if (f.kind === "format" || f.kind === "unknown") {
    const text = requestFailureText(done, facts);
    return f.reasonCode === "not_found"
      ? unavailable(text, reasonAfterCalls([done], facts))
      : refused(text, failureClause(done, facts));
  }
  if (TRANSIENT.has(f.kind) && failed.filter((a) => TRANSIENT.has(a.failure.kind)).length > 1)
    return unavailable(transientText(done, facts), reasonAfterCalls(failed, facts));
  return "next";
}

/**
 * How the turn ends when the resolver offers no credential left to try: the refresh failures, or
 * the resolver's own error when nothing was called; else every call's failure (or the provider's
 * trouble, when all were overloaded or slow), followed by the refresh failures.
 */
export function noCredentialLeft(
  res: Resolution,
  failed: readonly FailedAttempt[],
  refreshFailures: readonly RefreshFailure[],
  { strict, facts }: FailoverFacts,
): TurnOutcome {
  const refreshText = refreshFailures.map(userErrorLine).join("\n");
  const last = failed[failed.length - 1];
  if (!last) {
    if (refreshText !== "") return (strict ? refused : unavailable)(refreshText, REFRESH_FAILED);
    const text = res.error ? userErrorLine(res.error) : `No usable credential for ${facts.provider}.`;
    // A user pin that cannot serve: its error already says how to unpin.
    return (strict ? refused : unavailable)(text, reasonWithoutCall(res, facts.now));
  }
  const text = failed.every((a) => TRANSIENT.has(a.failure.kind))
    ? transientText(last, facts)
    : exhaustedText(failed, facts);
  return unavailable(refreshText === "" ? text : `${text}\n${refreshText}`, reasonAfterCalls(failed, facts));
}
