import type { FailureInput } from "../auth/cooldowns.js";
import type { Candidate } from "../auth/resolver.js";
import { redactText } from "../auth/redact.js";
import { errorMessage, type Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";
import type { Classification } from "../providers/classify.js";
import type { Step } from "./pipeline.js";
import { stoppedBy, type Attempt, type CallOutcome } from "./turn.js";

/**
 * What a failure cools: auth, billing and incompatible the profile; a rate limit the profile for
 * that model, honouring `retry-after`; nothing for overloaded, timeout, format or unknown.
 */
function failureInput(f: Classification, model: string, now: number): FailureInput | undefined {
  if (f.kind === "auth" || f.kind === "billing" || f.kind === "incompatible") return { reason: f.kind, now };
  if (f.kind !== "rate_limit") return undefined;
  return f.retryAfterMs !== undefined
    ? { reason: "rate_limit", model, now, retryAfterMs: f.retryAfterMs }
    : { reason: "rate_limit", model, now };
}

/**
 * The cooldown step: records in the shared store that a credential answered (its last use) or the
 * cooldown its failure calls for, and the rate limits the provider reported either way (so the
 * resolver can skip a profile at zero), and hands that cooldown on for the failure text. A stopped call
 * cools nothing: the credential did nothing wrong. A store that cannot be written is logged, and
 * the turn goes on.
 */
export function cooldownStep(services: GatewayServices, log: Log): Step<Attempt, CallOutcome> {
  const record = async <T>(what: string, c: Candidate, write: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await write();
    } catch (err) {
      log("error", redactText(`chat: could not record the ${what} of ${c.id}: ${errorMessage(err)}`));
      return undefined;
    }
  };
  return async (attempt, next) => {
    const out = await next(attempt);
    const { turn, candidate } = attempt;
    const store = services.sessions.cooldowns;
    if (out.ok) {
      const limits = out.result.rateLimits;
      await record("success", candidate, () =>
        store.recordSuccess(candidate.id, turn.model.ref, services.clock(), limits),
      );
      return out;
    }
    // What the provider says is left, whatever the failure: a stopped call's answer counted too.
    const limits = out.failure.rateLimits;
    if (limits)
      await record("quota", candidate, () =>
        store.recordRateLimits(candidate.id, turn.model.ref, limits, services.clock()),
      );
    if (stoppedBy(turn)) return out;
    const input = failureInput(out.failure, turn.model.ref, services.clock());
    if (!input) return out;
    const cooldown = await record("cooldown", candidate, () => store.recordFailure(candidate.id, input));
    return cooldown ? { ...out, cooldown } : out;
  };
}
