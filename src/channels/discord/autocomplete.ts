import type { APIApplicationCommandOptionChoice } from "discord.js";
import type { PluginHost } from "../../gateway/host.js";
import type { CommandInvocation } from "../../gateway/types.js";
import type { SkipReason } from "../../auth/resolver.js";
import { modelAllowlist } from "../../config/agents.js";
import { isModelAllowed, resolveModelRef } from "../../models/ref.js";
import type { Catalog } from "../../models/catalog.js";
import { clip } from "./messages.js";
import { PROVIDER_OPTION, REF_OPTION } from "./register.js";
import { DISCORD_CAPABILITIES } from "./invocation.js";

/** The option being typed in, as Discord sends it with an autocomplete interaction. */
export interface FocusedOption {
  readonly name: string;
  readonly value: string;
}

type OptionChoice = APIApplicationCommandOptionChoice<string>;

/** Discord shows at most 25 suggestions, each name and value at most 100 characters. */
export const MAX_CHOICES = 25;
const MAX_VALUE = 100;
const KEYWORDS = ["list", "status", "default"] as const;
// A pin is refused for these reasons, so suggesting the profile would only lead to an error.
const NOT_PINNABLE: ReadonlySet<SkipReason> = new Set(["missing_profile", "provider_mismatch", "disabled", "missing_credential", "unresolved_ref", "expired", "incompatible"]);

interface Ranked {
  readonly choice: OptionChoice;
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

function choice(name: string, value: string): OptionChoice | undefined {
  return value.length <= MAX_VALUE ? { name: clip(name, 100), value } : undefined;
}

function top(ranked: Ranked[]): OptionChoice[] {
  const seen = new Set<string>();
  const out: OptionChoice[] = [];
  // Array#sort is stable: equal ranks keep catalog order.
  for (const { choice: c } of ranked.sort((a, b) => a.rank - b.rank)) {
    if (seen.has(c.value)) continue;
    seen.add(c.value);
    out.push(c);
    if (out.length === MAX_CHOICES) break;
  }
  return out;
}

/**
 * Suggestions for `/model ref` and `/models provider`: keywords (`list`, `status`, `default`),
 * aliases and models within the agent's allowlist, and after an `@` the profiles of that model's
 * provider that could be pinned (ids only, never secrets; owners only in groups). Senders who may
 * not use commands get nothing.
 */
export function autocompleteChoices(host: PluginHost, inv: CommandInvocation, focused: FocusedOption): OptionChoice[] {
  const access = host.access(inv.channel, inv.sender.id);
  if (!access.allowed) return [];
  const ctx = host.context(inv, DISCORD_CAPABILITIES, access);
  const services = host.services;
  const catalog = services.catalog();
  const allow = modelAllowlist(services.config().config, ctx.agentId);
  const mayPin = !inv.isGroup || access.isOwner;
  if (inv.command === "model" && focused.name === REF_OPTION) {
    const typed = focused.value.trim();
    const at = typed.indexOf("@", typed.lastIndexOf("/") + 1);
    if (at >= 0) return mayPin ? profileChoices(host, ctx.agentId, catalog, allow, typed.slice(0, at), typed.slice(at + 1)) : [];
    return refChoices(catalog, allow, typed.toLowerCase(), mayPin);
  }
  if (inv.command === "models" && focused.name === PROVIDER_OPTION) return providerChoices(catalog, allow, focused.value.trim().toLowerCase());
  return [];
}

function refChoices(catalog: Catalog, allow: readonly string[], q: string, mayStatus: boolean): OptionChoice[] {
  if (/\s/.test(q)) return []; // flags or a second word: the typed text is submitted as it is
  const ranked: Ranked[] = [];
  const add = (c: OptionChoice | undefined, rank: number | undefined) => {
    if (c && rank !== undefined) ranked.push({ choice: c, rank });
  };
  for (const k of KEYWORDS) {
    if (k === "status" && !mayStatus) continue;
    add(choice(k, k), q === "" ? 0 : k.startsWith(q) ? (k === q ? 0 : 1) : undefined);
  }
  for (const [alias, ref] of catalog.aliases) {
    if (!isModelAllowed(catalog, allow, ref)) continue;
    add(choice(`${alias} → ${ref}`, alias), q === "" ? 1 : rankOf(q, alias, ref));
  }
  for (const m of catalog.models.values()) {
    if (!isModelAllowed(catalog, allow, m.ref)) continue;
    const label = m.name !== m.id ? `${m.ref} · ${m.name}` : m.ref;
    add(choice(m.deprecated ? `${label} (retires ${m.deprecated})` : label, m.ref), q === "" ? 2 : rankOf(q, m.ref, m.id, m.name));
  }
  return top(ranked);
}

function profileChoices(host: PluginHost, agentId: string, catalog: Catalog, allow: readonly string[], modelPart: string, prefix: string): OptionChoice[] {
  const resolved = resolveModelRef(catalog, modelPart);
  if (!resolved.ok || !isModelAllowed(catalog, allow, resolved.value.ref)) return [];
  const { provider, ref } = resolved.value;
  const resolution = host.services.resolver().resolve({ agentId, provider, model: ref });
  const ranked: Ranked[] = [];
  for (const c of resolution.candidates) {
    if (c.kind !== "profile" || (c.reason !== undefined && NOT_PINNABLE.has(c.reason))) continue;
    const rank = prefix === "" ? 1 : rankOf(prefix.toLowerCase(), c.id);
    const value = `${modelPart}@${c.id}`;
    const note = c.reason === "cooldown" ? ", cooling down" : "";
    const picked = choice(`${value} (${c.type}${note})`, value);
    if (picked && rank !== undefined) ranked.push({ choice: picked, rank });
  }
  return top(ranked);
}

function providerChoices(catalog: Catalog, allow: readonly string[], q: string): OptionChoice[] {
  const ranked: Ranked[] = [];
  for (const p of catalog.providers.values()) {
    const allowed = allow.length === 0 || allow.includes(`${p.id}/*`) || p.models.some((m) => isModelAllowed(catalog, allow, m.ref));
    const rank = q === "" ? 1 : rankOf(q, p.id, p.name);
    const c = choice(p.name !== p.id ? `${p.name} (${p.id})` : p.id, p.id);
    if (allowed && c && rank !== undefined) ranked.push({ choice: c, rank });
  }
  return top(ranked);
}
