import type { CommandContext, Reply } from "../../src/gateway/types.js";
import type { Candidate, Resolution } from "../../src/auth/resolver.js";
import type { Catalog } from "../../src/models/catalog.js";
import { formatDuration } from "../../src/auth/health.js";
import { quotaText } from "../../src/auth/quota.js";
import { userError } from "../../src/util/user-error.js";
import {
  chosenByUser,
  currentSelection,
  resolveCurrent,
  type CurrentSelection,
  describeSource,
} from "../../src/gateway/selection.js";
import { fallbackChain } from "../../src/models/fallbacks.js";
import { reasonWithoutCall } from "../../src/auth/unusable-text.js";
import { errorReply } from "./format.js";
import { modelLabel } from "../../src/models/catalog.js";
import { retirementText } from "../../src/models/retirement.js";
import type { UsageRow } from "../../src/sessions/ledger.js";
import { spendTodayByProfile } from "../../src/sessions/usage-window.js";
import { costText } from "../../src/sessions/usage-text.js";

/**
 * The flags a candidate shows: `next`, `pinned`, `cooldown 4m (rate_limit)`, `expired`, `exp 5h`,
 * reason codes, and what its provider last said is left (`quota 0/50 requests until 14:05 UTC`).
 */
export function candidateFlags(c: Candidate, r: Resolution, now: number): string[] {
  const flags: string[] = [];
  if (r.chosen?.id === c.id && c.usable) flags.push("next");
  if (c.source === "pin") flags.push("pinned");
  if (c.health === "expired") flags.push("expired");
  else if (c.expires !== undefined) flags.push(`exp ${formatDuration(c.expires - now)}`);
  switch (c.reason) {
    case undefined:
    case "expired":
      break;
    case "cooldown":
      if (c.cooldown) flags.push(`cooldown ${formatDuration(c.cooldown.until - now)} (${c.cooldown.reason})`);
      else flags.push("cooldown");
      break;
    case "excluded_by_auth_order":
      flags.push("excluded");
      break;
    default:
      flags.push(c.reason);
  }
  const quota = quotaText(c.quota, now);
  if (quota !== undefined) flags.push(quota);
  return flags;
}

const ORDER: Record<Resolution["orderSource"], string> = {
  agent: "agent order",
  config: "auth.order",
  default: "default order",
};

/** Today's spend per profile (UTC day), from one ledger query per status view. */
type SpendToday = ReadonlyMap<string, UsageRow>;

/** `· today $0.42` after a profile that paid for turns today; nothing for one that did not. */
function spendText(spend: SpendToday, profileId: string): string {
  const row = spend.get(profileId);
  return row ? ` · today ${costText(row)}` : "";
}

/** One provider's block: endpoint, api, then every candidate in the resolver's order. */
function providerBlock(catalog: Catalog, r: Resolution, now: number, spend: SpendToday): string[] {
  const p = catalog.providers.get(r.provider);
  const where = p ? `${p.baseUrl || "(no baseUrl)"} · ${p.api}` : "not in the catalog";
  const lines = [`${r.provider} — ${where} · ${ORDER[r.orderSource]}`];
  if (r.candidates.length === 0) lines.push("  (no credentials)");
  r.candidates.forEach((c, i) => {
    const flags = candidateFlags(c, r, now);
    lines.push(
      `  ${i + 1}. ${c.id} ${c.type} ${c.masked}${flags.length ? ` — ${flags.join(", ")}` : ""}${spendText(spend, c.id)}`,
    );
    if (c.why !== undefined) lines.push(`     ${c.why}`);
  });
  if (r.error) {
    lines.push(`  ⚠ ${r.error.message}`);
    if (r.error.hint) lines.push(`  ${r.error.hint}`);
  }
  return lines;
}

/**
 * The configured model's fallback chain and, per entry, whether the resolver has a credential for
 * it now (the one that would be used) or why not; entries never tried say why.
 */
function fallbackBlock(ctx: CommandContext, sel: CurrentSelection, now: number): string[] {
  const { services, agentId } = ctx;
  const chain = fallbackChain(services.config().config, services.catalog(), agentId, sel.configured.ref);
  if (chain.steps.length === 0) return [`Fallbacks: none (${chain.key})`];
  const unused = chosenByUser(sel) ? "; not used while this chat has its own model or pin" : "";
  const lines = [`Fallbacks (${chain.key}${unused}):`];
  const resolver = services.resolver();
  chain.steps.forEach((step, i) => {
    let state: string;
    if (step.skip !== undefined || !step.model) state = `never tried: ${step.why ?? step.skip}`;
    else {
      const r = resolver.resolve({ agentId, provider: step.model.provider, model: step.model.ref });
      state = r.chosen ? `usable now, next ${r.chosen.id}` : reasonWithoutCall(r, now);
    }
    lines.push(`  ${i + 1}. ${step.model?.ref ?? step.configured} — ${state}`);
  });
  return lines;
}

const GROUP_REFUSAL = userError(
  "owner_only",
  "/model status shows credentials, so in a group only an owner may see it.",
  "Send /model status to me in a direct message.",
);

/**
 * `/model status`: the model in use and where it comes from, the agent, the pin, then per provider
 * (the current model's first, then every other with credentials) the endpoint and every candidate
 * the resolver ranked, with masked secrets and flags. Always private where the channel can.
 */
export async function statusReply(ctx: CommandContext): Promise<Reply> {
  if (ctx.invocation.isGroup && !ctx.isOwner) return errorReply(GROUP_REFUSAL);
  const { services, agentId } = ctx;
  const catalog = services.catalog();
  const now = services.clock();
  const sel = await currentSelection(ctx);
  const spend = await spendTodayByProfile(services.sessions.ledger, now);
  const deprecated = catalog.models.get(sel.ref)?.deprecated;
  const lines = [
    `Model: ${modelLabel(catalog, sel.ref)} — ${describeSource(sel, agentId)}${deprecated ? ` (${retirementText(deprecated, now)})` : ""}`,
  ];
  if (sel.source === "session" || sel.source === "parent") {
    lines.push(
      `Default: ${modelLabel(catalog, sel.configured.ref)} — ${describeSource({ ...sel, source: sel.configured.source }, agentId)}`,
    );
  }
  lines.push(`Agent: ${agentId}`);
  lines.push(sel.pin ? `Pinned profile: ${sel.pin.profileId} (${sel.pin.source})` : "Pinned profile: none");
  lines.push(...fallbackBlock(ctx, sel, now));
  lines.push("", ...providerBlock(catalog, resolveCurrent(ctx, sel), now, spend));
  const resolver = services.resolver();
  // Providers the config names profiles for too (an aws-sdk profile of a provider we have no catalog entry for).
  const providers = new Set(catalog.providers.keys());
  for (const meta of Object.values(services.config().config.auth?.profiles ?? {}))
    if (meta.provider) providers.add(meta.provider);
  for (const id of providers) {
    if (id === sel.provider) continue;
    const r = resolver.resolve({ agentId, provider: id });
    if (r.candidates.length) lines.push(...providerBlock(catalog, r, now, spend));
  }
  return { text: lines.join("\n"), private: true };
}
