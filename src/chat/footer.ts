import { redactText } from "../auth/redact.js";
import { errorMessage, type Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";
import type { UsageFooter } from "../sessions/ledger.js";
import type { Step } from "./pipeline.js";
import type { Turn, TurnOutcome, TurnSpend } from "./turn.js";

/** `950`, `1.2k`, `3.4M`: token counts as a footer shows them, short. */
function count(n: number): string {
  if (n < 1_000) return String(n);
  if (n < 1_000_000) return `${trim(n / 1_000)}k`;
  return `${trim(n / 1_000_000)}M`;
}

function trim(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, "");
}

/**
 * The usage footer of a turn, one line in the spirit of OpenClaw's: `tokens` shows input and
 * output (and cache reads and writes, when there were any), `full` adds the estimated cost, or
 * `unpriced` when a call's model has no price.
 */
export function footerLine(setting: Exclude<UsageFooter, "off">, spend: TurnSpend): string {
  let line = `Usage: ${count(spend.input)} in / ${count(spend.output)} out`;
  if (spend.cacheRead > 0 || spend.cacheWrite > 0)
    line += ` · cache ${count(spend.cacheRead)} read / ${count(spend.cacheWrite)} write`;
  if (setting === "full") line += spend.unpriced ? " · unpriced" : ` · ~$${spend.costUsd.toFixed(4)}`;
  return line;
}

/**
 * The footer step, outermost of a turn: the chat's `/usage` setting is read while the turn runs
 * (so it costs the turn no wait, and a change made anywhere shows on the next turn), and when it is
 * `tokens` or `full` the reply ends with {@link footerLine} over what every call of the turn used,
 * once a provider reported usage. A streamed answer gets it on its final text, with the provider's
 * final count. Only the shown text changes: the history keeps the answer alone. A setting that
 * cannot be read is logged and shows no footer.
 */
export function footerStep(services: GatewayServices, log: Log, recording: () => boolean): Step<Turn, TurnOutcome> {
  return async (turn, next) => {
    const key = turn.ctx.sessionKey;
    const setting = recording()
      ? services.sessions.ledger.footer(key).catch((err: unknown): UsageFooter => {
          log("warn", redactText(`usage footer session=${key} not read: ${errorMessage(err)}`));
          return "off";
        })
      : undefined;
    const out = await next(turn);
    const footer = setting ? await setting : "off";
    if (footer === "off" || out.kind !== "reply" || turn.spend.reported === 0) return out;
    return { ...out, text: `${out.text}\n\n${footerLine(footer, turn.spend)}` };
  };
}
