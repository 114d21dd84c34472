import type { CommandContext, Suggestion } from "../../src/gateway/types.js";
import type { SkipReason } from "../../src/auth/resolver.js";
import { modelAllowlist } from "../../src/config/agents.js";
import { isModelAllowed, resolveModelRef } from "../../src/models/ref.js";
import type { Catalog } from "../../src/models/catalog.js";
import { retirementLabel } from "../../src/models/retirement.js";
import { mayPin } from "./rights.js";
import { maySeeCredentials } from "../../src/gateway/access.js";

/** Option names of the plugin's commands, as declared in `index.ts`. */
export const REF_OPTION = "ref";
export const PROVIDER_OPTION = "provider";
export const PAGE_OPTION = "page";

const KEYWORDS = ["list", "status", "default"] as const;
// A pin is refused for these reasons, so suggesting the profile would only lead to an error.
const NOT_PINNABLE: ReadonlySet<SkipReason> = new Set([
  "missing_profile",
  "provider_mismatch",
  "disabled",
  "missing_credential",
  "unresolved_ref",
  "expired",
  "incompatible",
]);

interface Ranked {
  readonly suggestion: Suggestion;
  /** 0 exact, 1 prefix, 2 contains. */
  readonly rank: number;
}

function rankOf(q: string, ...texts: string[]): number | undefined {
  let best: number | undefined;
  for (const t of texts) {
    const s = t.toLowerCase();
    const r = s === q ? 0 : s.startsWith(q) ? 1 : s.includes(q) ? 2 : undefined;
    if (r !== undefined && (best === undefined || r < best)) best = r;
  }
  return best;
}

/** Best first, each value once; how many to show is the channel's call. */
function top(ranked: Ranked[]): Suggestion[] {
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  // Array#sort is stable: equal ranks keep catalog order.
  for (const { suggestion: s } of ranked.sort((a, b) => a.rank - b.rank)) {
    if (seen.has(s.value)) continue;
    seen.add(s.value);
    out.push(s);
  }
  return out;
}

/**
 * Suggestions for `/model ref` and `/models provider`: keywords (`list`, `status`, `default`),
 * aliases and models within the agent's allowlist, and after an `@` the profiles of that model's
 * provider that could be pinned (ids only, never secrets), to callers who may pin here. `status`
 * only to callers who may see it.
 */
export function completeOption(command: string, option: string, partial: string, ctx: CommandContext): Suggestion[] {
  const services = ctx.services;
  const catalog = services.catalog();
  const allow = modelAllowlist(services.config().config, ctx.agentId);
  if (command === "model" && option === REF_OPTION) {
    const typed = partial.trim();
    const at = typed.indexOf("@", typed.lastIndexOf("/") + 1);
    if (at >= 0)
      return mayPin(ctx) ? profileSuggestions(ctx, catalog, allow, typed.slice(0, at), typed.slice(at + 1)) : [];
    return refSuggestions(catalog, allow, typed.toLowerCase(), maySeeCredentials(ctx), services.clock());
  }
  if (command === "models" && option === PROVIDER_OPTION)
    return providerSuggestions(catalog, allow, partial.trim().toLowerCase());
  return [];
}

function refSuggestions(
  catalog: Catalog,
  allow: readonly string[],
  q: string,
  mayStatus: boolean,
  now: number,
): Suggestion[] {
  if (/\s/.test(q)) return []; // flags or a second word: the typed text is submitted as it is
  const ranked: Ranked[] = [];
  const add = (label: string, value: string, rank: number | undefined) => {
    if (rank !== undefined) ranked.push({ suggestion: { label, value }, rank });
  };
  for (const k of KEYWORDS) {
    if (k === "status" && !mayStatus) continue;
    add(k, k, q === "" ? 0 : k.startsWith(q) ? (k === q ? 0 : 1) : undefined);
  }
  for (const [alias, ref] of catalog.aliases) {
    if (!isModelAllowed(catalog, allow, ref)) continue;
    add(`${alias} → ${ref}`, alias, q === "" ? 1 : rankOf(q, alias, ref));
  }
  for (const m of catalog.models.values()) {
    if (!isModelAllowed(catalog, allow, m.ref)) continue;
    const label = m.name !== m.id ? `${m.ref} · ${m.name}` : m.ref;
    add(
      m.deprecated ? `${label} (${retirementLabel(m.deprecated, now)})` : label,
      m.ref,
      q === "" ? 2 : rankOf(q, m.ref, m.id, m.name),
    );
  }
  return top(ranked);
}

function profileSuggestions(
  ctx: CommandContext,
  catalog: Catalog,
  allow: readonly string[],
  modelPart: string,
  prefix: string,
): Suggestion[] {
  const resolved = resolveModelRef(catalog, modelPart);
  if (!resolved.ok || !isModelAllowed(catalog, allow, resolved.value.ref)) return [];
  const { provider, ref } = resolved.value;
  const resolution = ctx.services.resolver().resolve({ agentId: ctx.agentId, provider, model: ref });
  const ranked: Ranked[] = [];
  for (const c of resolution.candidates) {
    if (c.kind !== "profile" || (c.reason !== undefined && NOT_PINNABLE.has(c.reason))) continue;
    const rank = prefix === "" ? 1 : rankOf(prefix.toLowerCase(), c.id);
    const value = `${modelPart}@${c.id}`;
    const note = c.reason === "cooldown" ? ", cooling down" : "";
    if (rank !== undefined) ranked.push({ suggestion: { label: `${value} (${c.type}${note})`, value }, rank });
  }
  return top(ranked);
}

function providerSuggestions(catalog: Catalog, allow: readonly string[], q: string): Suggestion[] {
  const ranked: Ranked[] = [];
  for (const p of catalog.providers.values()) {
    const allowed =
      allow.length === 0 || allow.includes(`${p.id}/*`) || p.models.some((m) => isModelAllowed(catalog, allow, m.ref));
    const rank = q === "" ? 1 : rankOf(q, p.id, p.name);
    if (allowed && rank !== undefined)
      ranked.push({ suggestion: { label: p.name !== p.id ? `${p.name} (${p.id})` : p.id, value: p.id }, rank });
  }
  return top(ranked);
}
