import { redactText } from "../auth/redact.js";
import type { Log } from "../gateway/log.js";
import { chosenByUser } from "../gateway/selection.js";
import type { GatewayServices } from "../gateway/types.js";
import { fallbackChain, triedFallbacks, type FallbackChain, type FallbackSkip } from "../models/fallbacks.js";
import type { ResolvedModel } from "../models/ref.js";
import {
  chosenModelFix,
  fallbackNote,
  fallbacksFailedText,
  onceModelFix,
  unavailable,
  type PassedOver,
  type TurnFailure,
} from "./fallback-text.js";
import { answerTokensFor } from "./model.js";
import type { Step } from "./pipeline.js";
import { said, type ChatSettings, type Turn, type TurnOutcome } from "./turn.js";

/** What a turn knows about where its model came from. */
export interface FallbackPlan {
  /** The ref the turn tried first. */
  readonly primary: string;
  /** The session (or its parent chat, or a user pin) chose the model: it never falls back. */
  readonly userChose: boolean;
  /** The model is for this message only (`--once`): the way back is the chat's own model. */
  readonly once?: boolean;
  /** The agent's configured model, for the way back a user-chosen model's failure names. */
  readonly configured: string;
  /** The configured model's fallbacks. */
  readonly chain: FallbackChain;
  /** The model command's declared name, for the way back. */
  readonly command: string;
}

/** Asks one fallback model; a string is its answer. */
export type AskModel = (model: ResolvedModel) => Promise<string | TurnFailure>;

/**
 * What a turn says after its first model gave no answer (OpenClaw's model failover, turn-local: the
 * session's model is not changed). A configured model that could not be reached hands the turn to
 * each fallback in order; the first answer ends with a note naming the model that answered and why
 * the earlier ones did not, and the fallbacks left out for costing more than the configured model.
 * A model the user chose never falls back: its failure says how to go back to the configured
 * default. `onStep` hears every hand-over, for the log.
 */
export async function afterFailure(
  first: TurnFailure,
  plan: FallbackPlan,
  ask: AskModel,
  onStep: (from: string, to: string, reason: string) => void = () => {},
): Promise<string> {
  if (!first.unavailable) return first.text;
  const fallbacks = triedFallbacks(plan.chain);
  if (plan.userChose) {
    const fix = plan.once
      ? onceModelFix(plan.primary, plan.command)
      : chosenModelFix(
          plan.primary,
          plan.configured,
          fallbacks.map((m) => m.ref),
          plan.command,
        );
    return `${first.text}\n${fix}`;
  }
  const passed: PassedOver[] = [{ ref: plan.primary, reason: first.reason }];
  const skippedAs = (skip: (code: FallbackSkip) => boolean) =>
    plan.chain.steps.flatMap((s): PassedOver[] =>
      s.skip !== undefined && skip(s.skip) ? [{ ref: s.configured, reason: s.why ?? s.skip }] : [],
    );
  for (const model of fallbacks) {
    const prev = passed[passed.length - 1];
    if (prev) onStep(prev.ref, model.ref, prev.reason);
    const out = await ask(model);
    if (typeof out === "string") {
      const forPrice = fallbacksFailedText(
        [],
        skippedAs((code) => code === "pricier"),
      );
      return `${out}\n\n${fallbackNote(model.ref, passed)}${forPrice ? `\n${forPrice}` : ""}`;
    }
    passed.push({ ref: model.ref, reason: out.reason });
  }
  const skipped = skippedAs((code) => code !== "duplicate");
  const tail = fallbacksFailedText(passed.slice(1), skipped);
  return tail ? `${first.text}\n${tail}` : first.text;
}

/**
 * The fallback step: when the steps after it got no answer from the turn's model, a configured
 * model hands the same message to its fallbacks (each runs those steps again as a fallback turn,
 * which leaves the session's pin alone), as {@link afterFailure} decides; a model the user chose
 * says how to go back. Every hand-over is logged.
 */
export function fallbackStep(services: GatewayServices, log: Log, settings: ChatSettings): Step<Turn, TurnOutcome> {
  return async (turn, next) => {
    const out = await next(turn);
    if (out.kind === "reply") return out;
    const { ctx, selection } = turn;
    const plan: FallbackPlan = {
      primary: turn.model.ref,
      userChose: chosenByUser(selection),
      once: selection.source === "once",
      configured: selection.configured.ref,
      chain: fallbackChain(services.config().config, services.catalog(), ctx.agentId, selection.configured.ref),
      command: turn.facts.commands.model,
    };
    const ask: AskModel = async (model) => {
      const provider = services.catalog().providers.get(model.provider);
      if (!provider) return unavailable("", `${model.provider} is not a known provider`);
      const answer = await next({
        ...turn,
        model,
        provider,
        pin: undefined,
        answerTokens: answerTokensFor(services, settings, model, ctx.agentId),
        facts: { ...turn.facts, provider: provider.id, providerName: provider.name, model: model.ref },
        fallback: true,
      });
      return answer.kind === "reply" ? answer.text : answer;
    };
    const text = await afterFailure(out, plan, ask, (from, to, reason) =>
      log("info", redactText(`chat session=${ctx.sessionKey} fallback from=${from} to=${to} reason="${reason}"`)),
    );
    return said(text);
  };
}
