import { defaultAgentId } from "../config/agents.js";
import type { CredentialCounts } from "./metrics.js";
import type { GatewayServices } from "./types.js";

/**
 * Per provider with credentials, how many of the default agent's credentials cool down now and
 * how many expire within 24 h, as the resolver sees them (so metrics match `/model status`).
 */
export function credentialCounts(services: GatewayServices): CredentialCounts[] {
  const agentId = defaultAgentId(services.config().config);
  const resolver = services.resolver();
  const out: CredentialCounts[] = [];
  for (const provider of services.catalog().providers.keys()) {
    const { candidates } = resolver.resolve({ agentId, provider });
    if (candidates.length === 0) continue;
    out.push({
      provider,
      cooldowns: candidates.filter((c) => c.cooldown !== undefined).length,
      expiring: candidates.filter((c) => c.health === "expiring").length,
    });
  }
  return out;
}
