import { errorMessage, type Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";
import type { Step } from "./pipeline.js";
import type { Attempt, CallOutcome } from "./turn.js";

/**
 * The auto-pin step: keeps an unpinned session on the profile that just answered (an `auto` pin),
 * so the provider's prompt cache stays warm instead of least-recently-used order switching
 * credentials every turn. `/new` and auth order changes drop auto pins; a user's pin, an env key,
 * a fallback model's turn and a one-shot model's (`--once`, not the session's) are left alone. The write only lands if the pin is still the one the
 * turn started with.
 */
export function autoPinStep(services: GatewayServices, log: Log): Step<Attempt, CallOutcome> {
  return async (attempt, next) => {
    const out = await next(attempt);
    const { turn, candidate: used } = attempt;
    if (!out.ok || turn.fallback || turn.selection.source === "once") return out;
    if (used.kind !== "profile" || turn.pin?.source === "user") return out;
    if (turn.pin?.profileId === used.id) return out;
    try {
      await services.sessions.update(
        turn.ctx.sessionKey,
        { profileId: used.id, pinSource: "auto", setBy: "gateway", onlyIfProfileId: turn.pin?.profileId ?? null },
        services.clock(),
      );
    } catch (err) {
      log("warn", `chat: could not remember ${used.id} for ${turn.ctx.sessionKey}: ${errorMessage(err)}`);
    }
    return out;
  };
}
