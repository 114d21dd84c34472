import type { RefreshFailure } from "../auth/oauth-refresh.js";
import type { PinInput, Resolution, ResolveRequest } from "../auth/resolver.js";
import type { Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";
import type { CompletionResult } from "../providers/types.js";
import { userErrorLine } from "../util/user-error.js";
import type { LimitUse } from "../sessions/budget-use.js";
import { budgetLine, budgetRefusalText, budgetsReachedReason, budgetsReachedText } from "./budget-text.js";
import { pinnedRefreshText, type FailedAttempt } from "./failure-text.js";
import { afterFailedCall, noCredentialLeft, REFRESH_FAILED } from "./failover.js";
import { refused, unavailable } from "./fallback-text.js";
import { stoppedReply } from "./in-flight.js";
import { freshCredential } from "./refresh.js";
import {
  cutOff,
  said,
  type Attempt,
  type CallOutcome,
  type Mutable,
  type Turn,
  type TurnOutcome,
  type TurnReply,
} from "./turn.js";

const EMPTY_ANSWER = "(The model returned no text.)";

function resolve(services: GatewayServices, turn: Turn, pin: PinInput | undefined): Resolution {
  const request: Mutable<ResolveRequest> = {
    agentId: turn.ctx.agentId,
    provider: turn.provider.id,
    model: turn.model.ref,
  };
  if (pin) request.pin = pin;
  return services.resolver().resolve(request);
}

/** The reply of a call that answered; an answer cut off at the token limit says so. */
function answered(turn: Turn, { text, stopReason }: CompletionResult): TurnReply {
  const body = text === "" ? EMPTY_ANSWER : text;
  const shown = cutOff(stopReason) ? `${body}\n\n[the answer was cut off at ${turn.answerTokens} tokens]` : body;
  return text === "" ? said(shown) : { kind: "reply", text: shown, remember: text };
}

/**
 * The credential step, last of a turn: asks the resolver for the next credential (DESIGN section
 * 3), refreshes it when it is an OAuth token about to expire, and runs the attempt's steps with it,
 * until one answers or {@link afterFailedCall} ends the turn. Each credential is tried at most
 * once per turn. An `auto` pin is a preference for the first call only; after a failure the
 * normal order applies. A session a user pinned never switches credentials. A credential past its
 * profile's `refuse` budget is passed over like an unusable one (and logged), unless the user
 * pinned it: then the turn is refused, with nothing sent.
 */
export function credentialStep(
  services: GatewayServices,
  log: Log,
  attempt: (attempt: Attempt) => Promise<CallOutcome>,
): (turn: Turn) => Promise<TurnOutcome> {
  return async (turn) => {
    const strict = turn.pin?.source === "user";
    const tried = new Set<string>();
    const failed: FailedAttempt[] = [];
    const refreshFailures: RefreshFailure[] = [];
    const overBudget: LimitUse[] = [];
    let pin = turn.pin;
    for (;;) {
      const res = resolve(services, turn, pin);
      const next =
        res.chosen && !tried.has(res.chosen.id) ? res.chosen : res.candidates.find((c) => c.usable && !tried.has(c.id));
      if (!next) {
        if (failed.length === 0 && refreshFailures.length === 0 && overBudget.length > 0)
          return unavailable(budgetsReachedText(overBudget), budgetsReachedReason(turn.provider.id));
        return noCredentialLeft(res, failed, refreshFailures, {
          strict,
          facts: { ...turn.facts, now: services.clock() },
        });
      }
      tried.add(next.id);
      const reached = await turn.profileBudget?.reached(next.id);
      if (reached) {
        log(
          "info",
          budgetLine(turn.ctx.sessionKey, reached, strict ? "refused (pinned)" : `skipped credential=${next.id}`),
        );
        if (strict)
          return refused(budgetRefusalText(reached, turn.facts.commands.model), budgetsReachedReason(turn.provider.id));
        overBudget.push(reached);
        pin = undefined;
        continue;
      }
      const ready = await freshCredential(services, log, turn.ctx.agentId, next);
      if (!("secret" in ready)) {
        if (strict) return refused(pinnedRefreshText(userErrorLine(ready), next.id, turn.facts), REFRESH_FAILED);
        refreshFailures.push(ready);
        pin = undefined;
        continue;
      }
      const out = await attempt({ turn, candidate: ready });
      if (out.ok) return answered(turn, out.result);
      const stopped = stoppedReply(turn, out.partial);
      if (stopped) return stopped;
      const done: FailedAttempt = out.cooldown
        ? { candidate: next, failure: out.failure, cooldown: out.cooldown }
        : { candidate: next, failure: out.failure };
      failed.push(done);
      const verdict = afterFailedCall(done, failed, out.partial, {
        strict,
        facts: { ...turn.facts, now: services.clock() },
      });
      if (verdict !== "next") return verdict;
      pin = undefined;
    }
  };
}
