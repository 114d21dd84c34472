import crypto from "node:crypto";
import type { OpenClawConfig } from "../config/schema.js";
import type { LeaseStore } from "./lease.js";
import type { Clock } from "../util/clock.js";
import { mayCarryCredentials } from "../util/loopback.js";
import { userError, type UserError } from "../util/user-error.js";
import type { CooldownStore } from "./cooldowns.js";
import { loginAgainCommand, oauthEndpointFor } from "./oauth-endpoints.js";
import { normalizeProfile } from "./profiles.js";
import { registerSecrets } from "./redact.js";
import { withLease } from "./refresh-lock.js";
import type { AuthProfileStore } from "./store.js";
import { refreshGrant, type RefreshFailureKind } from "./token-endpoint.js";

/** An OAuth profile is refreshed before use once it expires within this window. */
export const REFRESH_AHEAD_MS = 5 * 60_000;

/** What the refresher needs. */
export interface RefresherDeps {
  /** The credential store the profile is re-read from and written back to (JSON file or OpenClaw's SQLite). */
  readonly store: Pick<AuthProfileStore, "read" | "update">;
  /** The session store's leases: one refresh at a time across processes (SQLite) or instances (Redis). */
  readonly leases: LeaseStore;
  /** A dead refresh token marks the profile `auth` here, shared by every instance. */
  readonly cooldowns: CooldownStore;
  readonly config: () => OpenClawConfig;
  readonly clock: Clock;
  /** Told after tokens were written back, so cached views re-read the store. */
  readonly onRefreshed?: (agentId: string) => void;
  /** Per token request (default 15 s). */
  readonly timeoutMs?: number;
}

/** A failed refresh: the kind (token endpoint's or ours) and what to tell people. */
export interface RefreshFailure extends UserError {
  readonly kind: RefreshFailureKind | "no_endpoint" | "insecure_endpoint" | "busy" | "gone";
  /** True when waiting may help (timeout, endpoint down, another refresh still running). */
  readonly transient: boolean;
}

/** The access token to use now, or why there is none. */
export type FreshToken =
  | { readonly ok: true; readonly secret: string; readonly expires: number | undefined; readonly refreshed: boolean }
  | { readonly ok: false; readonly failure: RefreshFailure };

/** The profile a refresh is for. */
export interface RefreshTarget {
  readonly agentId: string;
  readonly provider: string;
  readonly profileId: string;
}

function digest(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** True when an OAuth candidate should be refreshed before the call it is chosen for. */
export function needsRefresh(
  c: { readonly type: string; readonly refreshable: boolean; readonly expires?: number | undefined },
  now: number,
  withinMs = REFRESH_AHEAD_MS,
): boolean {
  return c.type === "oauth" && c.refreshable && c.expires !== undefined && c.expires - now <= withinMs;
}

/**
 * Refreshes OAuth profiles through their provider's token endpoint (OAuth 2 `refresh_token`
 * grant), so that a refresh token is spent once however many messages, processes and gateway
 * instances need the profile at the same moment:
 * - in one process, concurrent callers for a profile share one refresh;
 * - across processes and instances, the refresh runs under the session store's lease, and the
 *   profile is re-read from the credential store after the lease is taken: when another holder
 *   refreshed it meanwhile, its tokens are used and nothing is sent;
 * - new tokens are written back to the store the profile came from, keeping every other field;
 * - a dead refresh token (`invalid_grant` and kin) puts the profile in an `auth` cooldown and is
 *   never sent again by this process; timeouts and endpoint outages are transient and cool nothing.
 */
export class OAuthRefresher {
  private readonly inFlight = new Map<string, Promise<FreshToken>>();
  private readonly dead = new Set<string>();

  constructor(private readonly deps: RefresherDeps) {}

  /**
   * The profile's access token, refreshed first when it expires within `withinMs` (default 5
   * minutes; `doctor` asks for 24 h).
   */
  ensureFresh(target: RefreshTarget, opts: { withinMs?: number } = {}): Promise<FreshToken> {
    const withinMs = opts.withinMs ?? REFRESH_AHEAD_MS;
    const key = `${target.agentId}\n${target.provider}\n${target.profileId}\n${withinMs}`;
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.underLease(target, withinMs).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async underLease(target: RefreshTarget, withinMs: number): Promise<FreshToken> {
    const timeoutMs = this.deps.timeoutMs ?? 15_000;
    const lease = await withLease(
      this.deps.leases,
      `oauth-refresh:${target.provider}:${target.profileId}`,
      () => this.refreshHeld(target, withinMs, timeoutMs),
      // The lease outlives one token request; waiters wait for two.
      { ttlMs: timeoutMs * 2, waitMs: timeoutMs * 2 + 5_000, clock: this.deps.clock },
    );
    if (lease.held) return lease.value;
    return this.failed(
      "busy",
      true,
      `Another process is still refreshing ${target.profileId}.`,
      "It is tried again with the next message.",
    );
  }

  private async refreshHeld(target: RefreshTarget, withinMs: number, timeoutMs: number): Promise<FreshToken> {
    const { agentId, provider, profileId } = target;
    const now = this.deps.clock();
    // Re-read under the lease: another process or instance may have refreshed it already.
    const raw = this.deps.store.read(agentId).profiles[profileId];
    if (!raw || raw.provider !== provider)
      return this.failed("gone", false, `The profile ${profileId} is no longer stored.`);
    const current = normalizeProfile(profileId, raw);
    if (current.type !== "oauth" || !current.refreshable || raw.refresh === undefined) {
      return current.secret !== ""
        ? { ok: true, secret: current.secret, expires: current.expires, refreshed: false }
        : this.failed("gone", false, `The profile ${profileId} has no refresh token.`);
    }
    if (current.secret !== "" && current.expires !== undefined && current.expires - now > withinMs)
      return { ok: true, secret: current.secret, expires: current.expires, refreshed: false };
    const spent = raw.refresh;
    if (this.dead.has(digest(spent))) return this.invalidGrant(target, "the token endpoint refused it before");
    const endpoint = oauthEndpointFor(this.deps.config(), provider);
    if (!endpoint)
      return this.failed(
        "no_endpoint",
        false,
        `No OAuth token endpoint is known for ${provider}, so ${profileId} cannot be refreshed.`,
        `Set models.providers.${provider}.oauth.tokenUrl (and .clientId) in the config.`,
      );
    // The config schema refuses such a URL already; this holds for a config built any other way.
    if (!mayCarryCredentials(endpoint.tokenUrl))
      return this.failed(
        "insecure_endpoint",
        false,
        `The OAuth token endpoint of ${provider} is neither https nor on this machine, so ${profileId} was not refreshed: the refresh token is never sent there.`,
        `Set models.providers.${provider}.oauth.tokenUrl to an https:// URL (http:// only to 127.0.0.0/8, [::1] or localhost).`,
      );
    const grant = await refreshGrant(endpoint, spent, { timeoutMs, now: this.deps.clock });
    if (!grant.ok) {
      if (grant.kind === "invalid_grant") {
        this.dead.add(digest(spent));
        return this.invalidGrant(target, grant.detail);
      }
      if (grant.kind === "rejected") {
        await this.markAuth(profileId);
        return this.failed(
          "rejected",
          false,
          `The token endpoint refused to refresh ${profileId} (${grant.detail}).`,
          `Check models.providers.${provider}.oauth.tokenUrl and .clientId, or log in again: ${loginAgainCommand(provider, profileId)}.`,
        );
      }
      if (grant.kind === "redirected") {
        await this.markAuth(profileId);
        return this.failed(
          "redirected",
          false,
          `Refreshing ${profileId} failed: ${grant.detail}.`,
          `Set models.providers.${provider}.oauth.tokenUrl to the endpoint's current address.`,
        );
      }
      return this.failed(
        grant.kind,
        true,
        `Refreshing ${profileId} failed: ${grant.detail}.`,
        "It is tried again with the next message.",
      );
    }
    registerSecrets([grant.access, ...(grant.refresh !== undefined ? [grant.refresh] : [])]);
    const next = grant.refresh ?? spent;
    const used = await this.deps.store.update(agentId, (file) => {
      const cur = file.profiles[profileId];
      // Someone else (OpenClaw itself, a logout) changed it meanwhile: theirs wins.
      if (!cur || cur.refresh !== spent) return cur;
      const updated = { ...cur, access: grant.access, refresh: next, expires: grant.expires, refreshedAt: now };
      file.profiles[profileId] = updated;
      return updated;
    });
    this.deps.onRefreshed?.(agentId);
    if (used && used.refresh !== next) {
      const theirs = normalizeProfile(profileId, used);
      return { ok: true, secret: theirs.secret, expires: theirs.expires, refreshed: false };
    }
    return { ok: true, secret: grant.access, expires: grant.expires, refreshed: true };
  }

  private async invalidGrant(target: RefreshTarget, detail: string): Promise<FreshToken> {
    await this.markAuth(target.profileId);
    return this.failed(
      "invalid_grant",
      false,
      `The OAuth login of ${target.profileId} is no longer valid (${detail}).`,
      `Log in again: ${loginAgainCommand(target.provider, target.profileId)}.`,
    );
  }

  /** Puts the profile in an `auth` cooldown, which every instance sees. */
  private async markAuth(profileId: string): Promise<void> {
    try {
      await this.deps.cooldowns.recordFailure(profileId, { reason: "auth", now: this.deps.clock() });
    } catch {
      // The store is down: this process still never resends the token, and the reply says why.
    }
  }

  private failed(kind: RefreshFailure["kind"], transient: boolean, message: string, hint?: string): FreshToken {
    const e = userError(`oauth_refresh_${kind}`, message, hint);
    return { ok: false, failure: { ...e, kind, transient } };
  }
}
