import type { Candidate, Resolution } from "./resolver.js";
import { formatDuration } from "./health.js";
import { resetTimeText } from "./quota.js";
import type { CatalogProvider } from "../models/catalog.js";
import { stateEnvFile } from "../config/paths.js";
import { loginAgainCommand } from "./oauth-endpoints.js";

/** What a recovery suggestion needs to know besides the candidate. */
export interface RecoveryScope {
  readonly configPath: string;
  readonly stateDir: string;
  /** ` --agent <id>` or empty for the default agent. */
  readonly agentFlag: string;
  readonly now: number;
}

/** The command that stores a fresh credential of the same kind under the same profile id. */
export function renewCommand(provider: string, type: Candidate["type"], profileId: string, agentFlag: string): string {
  if (type === "api_key")
    return `openclaw models auth paste-api-key --provider ${provider} --profile-id ${profileId}${agentFlag}`;
  if (type === "oauth")
    return `openclaw models auth logout ${profileId}${agentFlag}, then add a credential with openclaw models auth paste-api-key --provider ${provider}${agentFlag}`;
  return `openclaw models auth paste-token --provider ${provider} --profile-id ${profileId}${agentFlag}`;
}

/** The agent order with `drop` removed or `add` appended, as an `order set`/`order clear` command. */
function orderCommand(res: Resolution, scope: RecoveryScope, edit: { drop?: string; add?: string }): string {
  const listed = res.candidates
    .filter((c) => c.source === "agent-order" || c.source === "config-order")
    .map((c) => c.id);
  const next = listed.filter((id) => id !== edit.drop);
  if (edit.add !== undefined) next.push(edit.add);
  if (res.orderSource === "config") {
    return `edit auth.order.${res.provider} in ${scope.configPath} (or override it: openclaw models auth order set --provider ${res.provider} ${next.join(" ")}${scope.agentFlag})`;
  }
  if (next.length === 0) return `openclaw models auth order clear --provider ${res.provider}${scope.agentFlag}`;
  return `openclaw models auth order set --provider ${res.provider} ${next.join(" ")}${scope.agentFlag}`;
}

/**
 * How to make an unusable candidate usable again (or stop it being listed). A command to run when
 * one exists; otherwise the exact config key to edit.
 */
export function recoveryFor(c: Candidate, res: Resolution, scope: RecoveryScope): string {
  switch (c.reason) {
    case "expired":
    case "missing_credential":
      return renewCommand(c.provider, c.type, c.id, scope.agentFlag);
    case "missing_profile":
    case "provider_mismatch":
      return orderCommand(res, scope, { drop: c.id });
    case "excluded_by_auth_order":
      return orderCommand(res, scope, { add: c.id });
    case "disabled":
      return `remove auth.profiles.${c.id}.disabled from ${scope.configPath}`;
    case "incompatible":
      // An aws-sdk profile has nothing to renew: only another credential (or model) helps.
      if (c.why !== undefined)
        return `choose a model of another provider, or give ${c.provider} an API key: openclaw models auth paste-api-key --provider ${c.provider}${scope.agentFlag}`;
      return `openclaw models auth paste-api-key --provider ${c.provider}${scope.agentFlag}`;
    case "cooldown": {
      const left = c.cooldown ? formatDuration(c.cooldown.until - scope.now) : "a while";
      // An OAuth login the provider refused (a dead refresh token, a revoked grant) does not heal by waiting.
      if (c.type === "oauth" && c.cooldown?.reason === "auth")
        return `log in again: ${loginAgainCommand(c.provider, c.id)}${scope.agentFlag} (tried again in ${left})`;
      return `none needed: retried automatically in ${left}`;
    }
    case "quota_exhausted": {
      const at = c.exhaustion?.until ?? scope.now;
      return `none needed: used again after its rate limit resets at ${resetTimeText(at, scope.now)} (in ${formatDuration(at - scope.now)})`;
    }
    default:
      return `openclaw models auth list --provider ${c.provider}${scope.agentFlag}`;
  }
}

/** Commands that give a provider a usable credential, best first. */
export function addCredentialCommands(
  provider: string,
  catalogProvider: CatalogProvider | undefined,
  scope: RecoveryScope,
): string[] {
  const out = [`openclaw models auth paste-api-key --provider ${provider}${scope.agentFlag}`];
  if (provider === "anthropic") {
    out.push(`openclaw models auth setup-token --provider anthropic${scope.agentFlag}`);
  }
  const envKey = catalogProvider?.envKeys[0];
  if (envKey) out.push(`add ${envKey}=... to ${stateEnvFile(scope.stateDir)}`);
  return out;
}
