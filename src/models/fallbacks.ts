import type { OpenClawConfig } from "../config/schema.js";
import { allowlistKey, configuredFallbacks, modelAllowlist } from "../config/agents.js";
import type { Catalog } from "./catalog.js";
import { isModelAllowed, resolveModelRef, type ResolvedModel } from "./ref.js";

/** Why a configured fallback is never tried. Stable codes: status views, doctor and tests key on them. */
export type FallbackSkip = "unknown_model" | "not_allowed" | "duplicate";

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
 * earlier entry, or fall outside the agent's `modelPolicy.allow` are kept with a skip code, so status
 * views and `doctor` can say why they are never tried.
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
  const steps = refs.map((configured): FallbackStep => {
    const r = resolveModelRef(catalog, configured);
    if (!r.ok) return { configured, skip: "unknown_model", why: r.error.message };
    const model = r.value;
    if (seen.has(model.ref)) return { configured, model, skip: "duplicate", why: "already earlier in the chain" };
    seen.add(model.ref);
    if (!isModelAllowed(catalog, allow, model.ref))
      return { configured, model, skip: "not_allowed", why: `not in ${allowlistKey(config, agentId)}` };
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
