import { needsRefresh, type RefreshFailure } from "../auth/oauth-refresh.js";
import { redactText } from "../auth/redact.js";
import type { Candidate } from "../auth/resolver.js";
import type { Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";

/**
 * The credential with a fresh access token: an OAuth profile expiring within 5 minutes is
 * refreshed first (the refresher spends each refresh token once, however many turns need it). A
 * failure says why it could not be, for the reply; anything else is returned as it is.
 */
export async function freshCredential(
  services: GatewayServices,
  log: Log,
  agentId: string,
  c: Candidate,
): Promise<Candidate | RefreshFailure> {
  const refresher = services.refresher;
  if (!refresher || c.kind !== "profile" || !needsRefresh(c, services.clock())) return c;
  const fresh = await refresher.ensureFresh({ agentId, provider: c.provider, profileId: c.id });
  if (!fresh.ok) {
    const f = fresh.failure;
    log("warn", redactText(`chat: refresh of ${c.id} failed: ${f.code}: ${f.message}`));
    return f;
  }
  if (fresh.refreshed) log("info", `chat: refreshed the OAuth profile ${c.id}`);
  return { ...c, secret: fresh.secret, expires: fresh.expires, health: "ok" };
}
