import { redactText } from "../auth/redact.js";
import { errorMessage, type Log } from "../gateway/log.js";
import { UserFacingError } from "../util/user-error.js";
import type { Step } from "./pipeline.js";
import { said, type Turn, type TurnOutcome } from "./turn.js";

/** What a turn says when something failed on our side. */
export const GENERIC_FAILURE = "Something went wrong while asking the model; it has been logged. Please try again.";

/**
 * The guard step: a turn that throws (an unreadable credential file, a store that fails) is
 * logged, redacted, and answered with a reply, never a throw. An error written for people is shown
 * where masked secrets may be (DMs and owners): it names a path on the host, which is not for
 * everyone in a group.
 */
export function guardStep(log: Log): Step<Turn, TurnOutcome> {
  return async (turn, next) => {
    try {
      return await next(turn);
    } catch (err) {
      log("error", redactText(`chat session=${turn.ctx.sessionKey} failed: ${errorMessage(err)}`));
      if (err instanceof UserFacingError && turn.facts.showMasked) return said(err.message);
      return said(GENERIC_FAILURE);
    }
  };
}
