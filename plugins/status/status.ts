import type { CommandContext, Reply } from "../../src/gateway/types.js";
import { credentialLabel } from "../../src/auth/resolver.js";
import { formatDuration } from "../../src/auth/health.js";
import { reasonWithoutCall } from "../../src/auth/unusable-text.js";
import { maySeeCredentials } from "../../src/gateway/access.js";
import {
  chosenByUser,
  currentSelection,
  describeSource,
  resolveCurrent,
  type CurrentSelection,
} from "../../src/gateway/selection.js";
import { fallbackChain, triedFallbacks } from "../../src/models/fallbacks.js";
import { modelLabel } from "../../src/models/catalog.js";

/** What every line of `/status` is built from, worked out once per reply. */
interface StatusFacts {
  readonly ctx: CommandContext;
  readonly sel: CurrentSelection;
  readonly now: number;
}

function modelLine({ ctx, sel }: StatusFacts): string {
  return `Model: ${modelLabel(ctx.services.catalog(), sel.ref)} — ${describeSource(sel, ctx.agentId)}`;
}

/** The credential the next request uses, masked; in a group only owners see which (as `/model status`). */
function credentialLine({ ctx, sel, now }: StatusFacts): string {
  if (!maySeeCredentials(ctx)) return "Credential: only owners see which in a group; ask me in a direct message";
  const r = resolveCurrent(ctx, sel);
  if (!r.chosen) return `Credential: none usable — ${r.error?.message ?? reasonWithoutCall(r, now)}`;
  return `Credential: ${credentialLabel(r.chosen)}${r.chosen.source === "pin" ? ", pinned" : ""}`;
}

/** The configured model's fallbacks, in order; a chat's own choice never falls back. */
function fallbackLine({ ctx, sel }: StatusFacts): string {
  const { services, agentId } = ctx;
  const chain = fallbackChain(services.config().config, services.catalog(), agentId, sel.configured.ref);
  const tried = triedFallbacks(chain).map((m) => m.ref);
  if (tried.length === 0) return `Fallbacks: none (${chain.key})`;
  const unused = chosenByUser(sel) ? "; not used while this chat has its own model or pin" : "";
  return `Fallbacks: ${tried.join(" → ")} (${chain.key}${unused})`;
}

function uptimeLine({ ctx, now }: StatusFacts): string {
  return `Uptime: ${formatDuration(now - ctx.services.startedAt)}`;
}

/**
 * The lines of `/status`, in order: one function each, so a further line (this chat's spend, once
 * the usage ledger exists) is one entry here.
 */
const LINES: readonly ((facts: StatusFacts) => string)[] = [modelLine, credentialLine, fallbackLine, uptimeLine];

/**
 * `/status`: answered here, never by a model: the model in use and where it comes from, the
 * credential the next request uses (masked; only owners see it in a group), the fallback chain and
 * the gateway's uptime by the injected clock. Details per provider are `/model status`'s.
 */
export async function statusReply(ctx: CommandContext): Promise<Reply> {
  const facts: StatusFacts = { ctx, sel: await currentSelection(ctx), now: ctx.services.clock() };
  // Private where the channel can, as `/model status`: it names the credential in use.
  return { text: LINES.map((line) => line(facts)).join("\n"), private: true };
}
