import type { GatewayServices } from "../gateway/types.js";
import { defaultAgentId } from "../config/agents.js";
import { candidateFlags } from "../../plugins/model/status.js";
import { quotaText } from "../auth/quota.js";
import { configuredFor } from "../gateway/selection.js";

/** One credential as the page shows it: masked exactly as `/model status` masks it, never the secret. */
export interface CredentialRow {
  readonly id: string;
  readonly kind: "profile" | "env" | "config";
  readonly type: string;
  readonly masked: string;
  /** `/model status`'s flags (`next`, `cooldown 4m (rate_limit)`, `expired`, `exp 5h`, reason codes), then `pinned in 2 chats`, `expiring`, `refreshable`. */
  readonly flags: readonly string[];
  /** What its provider last said is left, as `/model status` says it (`quota 0/50 requests until 14:05 UTC`), or null. */
  readonly quota: string | null;
  readonly usable: boolean;
  /** When its cooldown ends (epoch ms), or null. */
  readonly cooldownUntilMs: number | null;
  /** What it paid today (UTC), as `/model status` says it (`$0.42`, `$0.40 + 1 unpriced`), or null. */
  readonly spentToday: string | null;
}

/** One provider's credentials in the resolver's order. */
export interface ProviderRow {
  readonly provider: string;
  readonly name: string;
  /** Where the order comes from: `agent` (`models auth order set`), `config` (`auth.order`), `default`. */
  readonly orderSource: string;
  readonly credentials: readonly CredentialRow[];
  readonly error: string | null;
}

/** The Credentials view's data. */
export interface CredentialsView {
  readonly agentId: string;
  readonly defaultModel: string;
  readonly providers: readonly ProviderRow[];
}

/**
 * Every provider that has credentials (the catalog's and those the config names profiles for),
 * each with its candidates as the resolver ranks them for the default agent, as `/model status`
 * lists them.
 */
export function credentialsView(
  services: GatewayServices,
  spentToday: ReadonlyMap<string, string>,
  pins: ReadonlyMap<string, number>,
): CredentialsView {
  const config = services.config().config;
  const catalog = services.catalog();
  const agentId = defaultAgentId(config);
  const now = services.clock();
  const resolver = services.resolver();
  const providers = new Set(catalog.providers.keys());
  for (const meta of Object.values(config.auth?.profiles ?? {})) if (meta.provider) providers.add(meta.provider);
  const rows: ProviderRow[] = [];
  for (const provider of providers) {
    const r = resolver.resolve({ agentId, provider });
    if (r.candidates.length === 0) continue;
    rows.push({
      provider,
      name: catalog.providers.get(provider)?.name ?? provider,
      orderSource: r.orderSource,
      error: r.error ? r.error.message : null,
      credentials: r.candidates.map((c) => {
        const quota = quotaText(c.quota, now) ?? null;
        // The quota has a column of its own.
        const flags = candidateFlags(c, r, now).filter((f) => f !== quota);
        const pinnedBy = pins.get(c.id) ?? 0;
        if (pinnedBy > 0) flags.push(`pinned in ${pinnedBy} chat${pinnedBy === 1 ? "" : "s"}`);
        if (c.health === "expiring") flags.push("expiring");
        if (c.refreshable) flags.push("refreshable");
        return {
          id: c.id,
          kind: c.kind,
          type: c.type,
          masked: c.masked,
          flags,
          quota,
          usable: c.usable,
          cooldownUntilMs: c.cooldown?.until ?? null,
          spentToday: spentToday.get(c.id) ?? null,
        };
      }),
    });
  }
  return { agentId, defaultModel: configuredFor(config, catalog, agentId).ref, providers: rows };
}
