import type { OpenClawConfig } from "../config/schema.js";
import type { Catalog } from "../models/catalog.js";
import type { AuthProfilesFile, CredentialType } from "./profiles.js";
import { normalizeProfile } from "./profiles.js";
import { envCredentials } from "./env-keys.js";
import { activeCooldown, type CooldownEntry, type CooldownStore } from "./cooldowns.js";
import { formatDuration, healthOf, type Health } from "./health.js";
import { maskSecret } from "./mask.js";
import { userError, type UserError } from "../util/user-error.js";
import type { Clock } from "../util/clock.js";

/** Where a candidate's place in the ranking came from. */
export type CandidateSource = "pin" | "agent-order" | "config-order" | "stored" | "env";

/** Why a candidate is not used next. Stable codes: status views and tests key on them. */
export type SkipReason =
  | "missing_profile"
  | "provider_mismatch"
  | "disabled"
  | "missing_credential"
  | "expired"
  | "incompatible"
  | "cooldown"
  | "excluded_by_auth_order"
  | "superseded_by_pin";

/** One credential the resolver considered, with the verdict. Holds the secret: mask before showing. */
export interface Candidate {
  readonly id: string;
  readonly provider: string;
  readonly kind: "profile" | "env";
  readonly type: CredentialType;
  readonly source: CandidateSource;
  readonly secret: string;
  readonly masked: string;
  readonly health: Health;
  readonly expires?: number;
  readonly email?: string;
  /** Usable now (not skipped, not cooling down). */
  readonly usable: boolean;
  readonly reason?: SkipReason;
  readonly cooldown?: CooldownEntry;
}

/** A session pin: the profile a user (or the gateway, `auto`) chose for a chat session. */
export interface PinInput {
  readonly profileId: string;
  readonly source: "user" | "auto";
}

/** What to resolve a credential for. */
export interface ResolveRequest {
  readonly agentId: string;
  readonly provider: string;
  /** The model ref, for per-model rate-limit cooldowns. */
  readonly model?: string;
  readonly pin?: PinInput;
}

/** The resolver's answer: the chosen credential (or an error) and every candidate in ranked order. */
export interface Resolution {
  readonly agentId: string;
  readonly provider: string;
  readonly model?: string;
  readonly chosen?: Candidate;
  readonly error?: UserError;
  readonly candidates: readonly Candidate[];
  /** Which list ordered the profiles. */
  readonly orderSource: "agent" | "config" | "default";
}

/** What the resolver reads. All of it is in memory; nothing here touches the disk per call. */
export interface ResolverDeps {
  readonly config: OpenClawConfig;
  readonly catalog: Catalog;
  readonly profiles: { get(agentId: string): AuthProfilesFile };
  readonly env: Readonly<Record<string, string>>;
  readonly cooldowns: CooldownStore;
  readonly clock: Clock;
}

const TYPE_RANK: Record<CredentialType, number> = { oauth: 0, token: 1, api_key: 2 };

/**
 * The one credential resolver (DESIGN section 3), used by model calls and every status view:
 * session pin > agent order > config `auth.order` > stored profiles (oauth > token > api_key,
 * least recently used first) > env keys. Unusable credentials are skipped with a reason; cooling
 * ones move to the end. A user pin is strict: if it cannot be used the answer is an error.
 */
export class CredentialResolver {
  constructor(private readonly deps: ResolverDeps) {}

  /** Resolves the credential for the next call. */
  resolve(req: ResolveRequest): Resolution {
    const { config, profiles, cooldowns, clock } = this.deps;
    const now = clock();
    const file = profiles.get(req.agentId);
    const agentOrder = file.order?.[req.provider];
    const configOrder = config.auth?.order?.[req.provider];
    const orderSource: Resolution["orderSource"] = agentOrder ? "agent" : configOrder ? "config" : "default";
    const explicit = agentOrder ?? configOrder;

    const evaluate = (id: string, source: CandidateSource): Candidate => {
      const raw = file.profiles[id];
      if (!raw) {
        return { id, provider: req.provider, kind: "profile", type: "api_key", source, secret: "", masked: "(missing)", health: "static", usable: false, reason: "missing_profile" };
      }
      const p = normalizeProfile(id, raw);
      const base = {
        id,
        provider: p.provider,
        kind: "profile" as const,
        type: p.type,
        source,
        secret: p.secret,
        masked: maskSecret(p.secret),
        health: healthOf(p.expires, now),
        ...(p.expires !== undefined ? { expires: p.expires } : {}),
        ...(p.email !== undefined ? { email: p.email } : {}),
      };
      const reason = this.staticReason(p.provider, req.provider, id, p.secret, base.health);
      if (reason) return { ...base, usable: false, reason };
      return this.withCooldown(base, req.model, now);
    };

    let ranked: Candidate[];
    if (explicit) {
      ranked = explicit.map((id) => evaluate(id, agentOrder ? "agent-order" : "config-order"));
      const listed = new Set(explicit);
      for (const [id, raw] of Object.entries(file.profiles)) {
        if (raw.provider !== req.provider || listed.has(id)) continue;
        ranked.push({ ...evaluate(id, "stored"), usable: false, reason: "excluded_by_auth_order" });
      }
    } else {
      const ids = Object.entries(file.profiles)
        .filter(([, raw]) => raw.provider === req.provider)
        .map(([id, raw]) => ({ id, p: normalizeProfile(id, raw) }))
        .sort(
          (a, b) =>
            TYPE_RANK[a.p.type] - TYPE_RANK[b.p.type] ||
            (cooldowns.get(a.id)?.lastUsedAt ?? 0) - (cooldowns.get(b.id)?.lastUsedAt ?? 0) ||
            a.id.localeCompare(b.id),
        );
      ranked = ids.map(({ id }) => evaluate(id, "stored"));
    }
    const provider = this.deps.catalog.providers.get(req.provider);
    if (provider) {
      for (const e of envCredentials(provider, this.deps.env)) {
        const base = { id: e.id, provider: e.provider, kind: "env" as const, type: e.type, source: "env" as const, secret: e.secret, masked: maskSecret(e.secret), health: "static" as const };
        ranked.push(this.withCooldown(base, req.model, now));
      }
    }

    const usable = ranked.filter((c) => c.usable);
    const cooling = ranked.filter((c) => !c.usable && c.reason === "cooldown").sort((a, b) => (a.cooldown?.until ?? 0) - (b.cooldown?.until ?? 0));
    const skipped = ranked.filter((c) => !c.usable && c.reason !== "cooldown");
    const ordered = [...usable, ...cooling, ...skipped];
    const common = { agentId: req.agentId, provider: req.provider, orderSource, ...(req.model !== undefined ? { model: req.model } : {}) };

    if (req.pin) {
      const pinned = evaluate(req.pin.profileId, "pin");
      const rest = ordered
        .filter((c) => c.id !== pinned.id)
        .map((c): Candidate => (c.usable ? { ...c, usable: false, reason: "superseded_by_pin" } : c));
      if (pinned.usable) return { ...common, chosen: pinned, candidates: [pinned, ...rest] };
      if (req.pin.source === "user") {
        return { ...common, error: this.pinError(pinned, req.provider, now), candidates: [pinned, ...rest] };
      }
      // An auto pin only keeps a provider cache warm; when it cannot serve, normal order applies.
    }

    const chosen = usable[0];
    if (chosen) return { ...common, chosen, candidates: ordered };
    return { ...common, error: this.noneError(req.provider, cooling, now), candidates: ordered };
  }

  private staticReason(profileProvider: string, wanted: string, id: string, secret: string, health: Health): SkipReason | undefined {
    if (profileProvider !== wanted) return "provider_mismatch";
    if (this.deps.config.auth?.profiles?.[id]?.disabled) return "disabled";
    if (secret === "") return "missing_credential";
    if (health === "expired") return "expired";
    return undefined;
  }

  private withCooldown<T extends Omit<Candidate, "usable" | "reason" | "cooldown">>(base: T, model: string | undefined, now: number): Candidate {
    const cooldown = activeCooldown(this.deps.cooldowns.get(base.id), model, now);
    if (!cooldown) return { ...base, usable: true };
    return { ...base, usable: false, reason: cooldown.reason === "incompatible" ? "incompatible" : "cooldown", cooldown };
  }

  private pinError(pinned: Candidate, provider: string, now: number): UserError {
    const unpin = "Use /model default to unpin, or pin another profile with /model <model>@<profileId>.";
    switch (pinned.reason) {
      case "missing_profile":
        return userError("pin_missing", `The pinned profile ${pinned.id} no longer exists.`, unpin);
      case "provider_mismatch":
        return userError("pin_provider_mismatch", `The pinned profile ${pinned.id} belongs to ${pinned.provider}, not ${provider}.`, unpin);
      case "disabled":
        return userError("pin_disabled", `The pinned profile ${pinned.id} is disabled in the config.`, unpin);
      case "missing_credential":
        return userError("pin_missing_credential", `The pinned profile ${pinned.id} has no secret stored.`, unpin);
      case "expired":
        return userError("pin_expired", `The pinned profile ${pinned.id} expired ${formatDuration(now - (pinned.expires ?? now))} ago.`, `Renew it with \`openclaw models auth paste-token --provider ${provider} --profile-id ${pinned.id}\`. ${unpin}`);
      case "incompatible":
        return userError("pin_incompatible", `The pinned profile ${pinned.id} cannot be used for API requests (Claude Code only).`, `Use an Anthropic API key instead. ${unpin}`);
      default: {
        const c = pinned.cooldown;
        const left = c ? formatDuration(c.until - now) : "a while";
        const why = c?.reason === "rate_limit" ? "a rate limit" : c?.reason === "billing" ? "a billing error" : "an auth error";
        return userError("pin_cooldown", `The pinned profile ${pinned.id} is cooling down for ${left} after ${why}; pinned sessions do not switch credentials.`, unpin);
      }
    }
  }

  private noneError(provider: string, cooling: readonly Candidate[], now: number): UserError {
    const soonest = cooling[0]?.cooldown;
    if (soonest) {
      return userError("all_in_cooldown", `Every ${provider} credential is cooling down; the next is free in ${formatDuration(soonest.until - now)}.`, "Try again then, or add another credential.");
    }
    const envKey = this.deps.catalog.providers.get(provider)?.envKeys[0] ?? `${provider.toUpperCase()}_API_KEY`;
    return userError(
      "no_credential",
      `No usable credential for ${provider}.`,
      `Run \`openclaw models auth paste-api-key --provider ${provider}\` or put ${envKey} in ~/.openclaw/.env.`,
    );
  }
}
