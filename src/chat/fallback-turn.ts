import type { FallbackChain } from "../models/fallbacks.js";
import { triedFallbacks } from "../models/fallbacks.js";
import type { ResolvedModel } from "../models/ref.js";
import {
  chosenModelFix,
  fallbackNote,
  fallbacksFailedText,
  type PassedOver,
  type TurnFailure,
} from "./fallback-text.js";

/** What a turn knows about where its model came from. */
export interface FallbackPlan {
  /** The ref the turn tried first. */
  readonly primary: string;
  /** The session (or its parent chat, or a user pin) chose the model: it never falls back. */
  readonly userChose: boolean;
  /** The agent's configured model, for the way back a user-chosen model's failure names. */
  readonly configured: string;
  /** The configured model's fallbacks. */
  readonly chain: FallbackChain;
}

/** Asks one fallback model; a string is its answer. */
export type AskModel = (model: ResolvedModel) => Promise<string | TurnFailure>;

/**
 * What a turn says after its first model gave no answer (OpenClaw's model failover, turn-local: the
 * session's model is not changed). A configured model that could not be reached hands the turn to
 * each fallback in order; the first answer ends with a note naming the model that answered and why
 * the earlier ones did not. A model the user chose never falls back: its failure says how to go back
 * to the configured default. `onStep` hears every hand-over, for the log.
 */
export async function afterFailure(
  first: TurnFailure,
  plan: FallbackPlan,
  ask: AskModel,
  onStep: (from: string, to: string, reason: string) => void = () => {},
): Promise<string> {
  if (!first.unavailable) return first.text;
  const fallbacks = triedFallbacks(plan.chain);
  if (plan.userChose)
    return `${first.text}\n${chosenModelFix(
      plan.primary,
      plan.configured,
      fallbacks.map((m) => m.ref),
    )}`;
  const passed: PassedOver[] = [{ ref: plan.primary, reason: first.reason }];
  for (const model of fallbacks) {
    const prev = passed[passed.length - 1];
    if (prev) onStep(prev.ref, model.ref, prev.reason);
    const out = await ask(model);
    if (typeof out === "string") return `${out}\n\n${fallbackNote(model.ref, passed)}`;
    passed.push({ ref: model.ref, reason: out.reason });
  }
  const skipped = plan.chain.steps.flatMap((s): PassedOver[] =>
    s.skip !== undefined && s.skip !== "duplicate" ? [{ ref: s.configured, reason: s.why ?? s.skip }] : [],
  );
  const tail = fallbacksFailedText(passed.slice(1), skipped);
  return tail ? `${first.text}\n${tail}` : first.text;
}
