import type { OpenClawConfig } from "../config/schema.js";
import { allowlistKey, configuredFallbacks, modelAllowlist } from "../config/agents.js";
import type { Catalog } from "./catalog.js";
import type { ModelCost } from "./price.js";
import { isModelAllowed, resolveModelRef, type ResolvedModel } from "./ref.js";

/** Why a configured fallback is never tried. Stable codes: status views, doctor and tests key on them. */
export type FallbackSkip = "unknown_model" | "not_allowed" | "duplicate" | "pricier";

/** `$2.50/$15.00`: input and output USD per million tokens, the basis fallbacks are compared on. */
function priceText(cost: ModelCost): string {
  return `$${cost.input.toFixed(2)}/$${cost.output.toFixed(2)}`;
}

/**
 * Why `fallback` costs more than `primary`, or undefined when it does not or when either has no
 * price (an unknown price cannot be compared). Compared on the input and the output price per
 * million tokens: above on either is above.
 */
function pricierText(fallback: ResolvedModel, primary: ResolvedModel): string | undefined {
  const mine = fallback.model?.cost;
  const theirs = primary.model?.cost;
  if (!mine || !theirs || (mine.input <= theirs.input && mine.output <= theirs.output)) return undefined;
  return `its price (${priceText(mine)} per million input/output tokens) is above ${primary.ref}'s (${priceText(theirs)}); budgets.fallbacks.allowPricier in model-gateway.json allows it`;
}

/** One configured fallback: the model it names, or why it is left out. */
export interface FallbackStep {
  /** As written in the config (a ref or an alias). */
  readonly configured: string;
  /** The model it resolves to; absent for an unknown model. */
  readonly model?: ResolvedModel;
  readonly skip?: FallbackSkip;
  /** Why, in words, when skipped: the unknown model's message or the allowlist key. */
  readonly why?: string;
}

/** The fallbacks of an agent's configured model, in order, each resolved and checked. */
export interface FallbackChain {
  /** The config key the list comes from (or where it would go). */
  readonly key: string;
  readonly steps: readonly FallbackStep[];
}

/**
 * The fallback chain of an agent's configured model ({@link configuredFallbacks}), each entry
 * resolved against the catalog. Entries that name an unknown model, repeat `primaryRef` or an
 * earlier entry, fall outside the agent's `modelPolicy.allow`, or cost more than `primaryRef` (unless
 * `budgets.fallbacks.allowPricier`) are kept with a skip code, so status views, `doctor` and the
 * reply can say why they are never tried.
 */
export function fallbackChain(
  config: OpenClawConfig,
  catalog: Catalog,
  agentId: string,
  primaryRef: string,
): FallbackChain {
  const { key, refs } = configuredFallbacks(config, agentId);
  const allow = modelAllowlist(config, agentId);
  const primary = resolveModelRef(catalog, primaryRef);
  const seen = new Set<string>([primary.ok ? primary.value.ref : primaryRef]);
  const allowPricier = config.budgets?.fallbacks?.allowPricier === true;
  const steps = refs.map((configured): FallbackStep => {
    const r = resolveModelRef(catalog, configured);
    if (!r.ok) return { configured, skip: "unknown_model", why: r.error.message };
    const model = r.value;
    if (seen.has(model.ref)) return { configured, model, skip: "duplicate", why: "already earlier in the chain" };
    seen.add(model.ref);
    if (!isModelAllowed(catalog, allow, model.ref))
      return { configured, model, skip: "not_allowed", why: `not in ${allowlistKey(config, agentId)}` };
    const pricier = primary.ok && !allowPricier ? pricierText(model, primary.value) : undefined;
    if (pricier !== undefined) return { configured, model, skip: "pricier", why: pricier };
    return { configured, model };
  });
  return { key, steps };
}

/** The models a turn may fall back to, in order. */
export function triedFallbacks(chain: FallbackChain): ResolvedModel[] {
  const out: ResolvedModel[] = [];
  for (const s of chain.steps) if (s.model && s.skip === undefined) out.push(s.model);
  return out;
}
