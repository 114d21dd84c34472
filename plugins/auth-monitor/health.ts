import type { Candidate, Resolution } from "../../src/auth/resolver.js";
import { formatDuration } from "../../src/auth/health.js";
import { defaultAgentId } from "../../src/config/agents.js";
import { providerOf, resolveModelRef } from "../../src/models/ref.js";
import { configuredFor } from "../../src/gateway/selection.js";
import { recoveryFor, renewCommand, type RecoveryScope } from "../../src/auth/recovery.js";
import type { GatewayServices } from "../../src/gateway/types.js";

/** What an owner hears about; `ok` is silence. */
export type AuthState = "ok" | "expiring" | "expired" | "auth" | "billing" | "incompatible";

/** One credential the default model needs, with its state and the command that fixes it. */
export interface CredentialHealth {
  readonly id: string;
  readonly provider: string;
  /** The secret masked (`sk-ant-o…Fq1x`); the secret itself never leaves this module. */
  readonly masked: string;
  readonly state: AuthState;
  /** `expires in 5h`, `expired 2h ago`, `rejected by anthropic (auth)`, … */
  readonly detail: string;
  readonly fix?: string;
}

function stateOf(c: Candidate): AuthState {
  if (c.reason === "expired" || c.health === "expired") return "expired";
  if (c.reason === "incompatible" || c.cooldown?.reason === "incompatible") return "incompatible";
  if (c.cooldown?.reason === "auth") return "auth";
  if (c.cooldown?.reason === "billing") return "billing";
  if (c.health === "expiring") return "expiring";
  return "ok";
}

function detailOf(c: Candidate, state: AuthState, now: number): string {
  switch (state) {
    case "expiring":
      return `expires in ${formatDuration((c.expires ?? now) - now)}`;
    case "expired":
      return c.expires !== undefined ? `expired ${formatDuration(now - c.expires)} ago` : "expired";
    case "auth":
      return `rejected by ${c.provider} (auth failure)`;
    case "billing":
      return `disabled by ${c.provider} for billing`;
    case "incompatible":
      return `not accepted by ${c.provider}'s API (incompatible)`;
    case "ok":
      return "ok";
  }
}

function fixOf(c: Candidate, state: AuthState, res: Resolution, scope: RecoveryScope): string | undefined {
  if (state === "ok") return undefined;
  if (state === "billing")
    return `check the ${c.provider} account's billing, then: openclaw models auth list --provider ${c.provider}`;
  if (state === "expired" || state === "incompatible") return recoveryFor(c, res, scope);
  return renewCommand(c.provider, c.type, c.id, "");
}

/**
 * The health of every credential the default agent's model needs, as the resolver sees it (so the
 * monitor agrees with `/model status` and `models status --check`).
 */
export function credentialHealth(services: GatewayServices): CredentialHealth[] {
  const loaded = services.config();
  const catalog = services.catalog();
  const agentId = defaultAgentId(loaded.config);
  const ref = configuredFor(loaded.config, catalog, agentId).ref;
  const resolved = resolveModelRef(catalog, ref);
  const provider = resolved.ok ? resolved.value.provider : providerOf(ref);
  const model = resolved.ok ? resolved.value.ref : ref;
  const now = services.clock();
  const res = services.resolver().resolve({ agentId, provider, model });
  const scope: RecoveryScope = { configPath: loaded.path, stateDir: services.stateDir, agentFlag: "", now };
  return res.candidates
    .filter(
      (c) =>
        c.reason !== "excluded_by_auth_order" && c.reason !== "missing_profile" && c.reason !== "superseded_by_pin",
    )
    .map((c) => {
      const state = stateOf(c);
      const fix = fixOf(c, state, res, scope);
      return {
        id: c.id,
        provider: c.provider,
        masked: c.masked,
        state,
        detail: detailOf(c, state, now),
        ...(fix !== undefined ? { fix } : {}),
      };
    });
}
