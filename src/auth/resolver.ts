import type { OpenClawConfig } from "../config/schema.js";
import type { Catalog } from "../models/catalog.js";
import type { AuthProfilesFile, CredentialType } from "./profiles.js";
import { normalizeProfile } from "./profiles.js";
import { envCredentials } from "./env-keys.js";
import { activeCooldown, type CooldownEntry, type CooldownStore } from "./cooldowns.js";
import {
  quotaExhaustion,
  quotaFor,
  quotaKindText,
  resetTimeText,
  type QuotaEntry,
  type QuotaExhaustion,
} from "./quota.js";
import { formatDuration, healthOf, type Health } from "./health.js";
import { maskSecret } from "../util/mask.js";
import { describeRef, type SecretRef, type SecretRefResult } from "./secret-ref.js";
import { registerSecrets } from "./redact.js";
import { userError, type UserError } from "../util/user-error.js";
import type { Clock } from "../util/clock.js";

/** Where a candidate's place in the ranking came from. */
export type CandidateSource = "pin" | "agent-order" | "config-order" | "stored" | "env" | "config";

/** Why a candidate is not used next. Stable codes: status views and tests key on them. */
export type SkipReason =
  | "missing_profile"
  | "provider_mismatch"
  | "disabled"
  | "missing_credential"
  | "unresolved_ref"
  | "expired"
  | "incompatible"
  | "cooldown"
  /** The provider said it has no requests or tokens left for this model until a reset still to come. */
  | "quota_exhausted"
  | "excluded_by_auth_order"
  | "superseded_by_pin";

/** What identifies a credential and how it is shown. Holds the secret: mask before showing. */
export interface CredentialIdentity {
  readonly id: string;
  readonly provider: string;
  /** `config`: `models.providers.<p>.apiKey`, OpenClaw's last resort after profiles and env keys. */
  readonly kind: "profile" | "env" | "config";
  readonly type: CredentialType;
  readonly source: CandidateSource;
  readonly secret: string;
  readonly masked: string;
}

/** One credential the resolver considered, with the verdict. Holds the secret: mask before showing. */
export interface Candidate extends CredentialIdentity {
  readonly health: Health;
  readonly expires?: number | undefined;
  readonly email?: string | undefined;
  /** An OAuth profile with a refresh token: used even when expired, refreshed before the call. */
  readonly refreshable: boolean;
  /** When the gateway last refreshed it (epoch ms). */
  readonly refreshedAt?: number | undefined;
  /** Usable now (not skipped, not cooling down). */
  readonly usable: boolean;
  readonly reason?: SkipReason | undefined;
  /** Why it is skipped, where the reason code alone does not say it (an `aws-sdk` profile). */
  readonly why?: string | undefined;
  readonly cooldown?: CooldownEntry | undefined;
  /**
   * What the provider last reported this credential has left: for the model resolved for, or the
   * newest report when no model was named (status views).
   */
  readonly quota?: QuotaEntry | undefined;
  /** Why it is skipped for `quota_exhausted`: the window at zero and when it resets. */
  readonly exhaustion?: QuotaExhaustion | undefined;
}

/** When a waiting candidate (cooling down, out of quota) is free again, epoch ms. */
export function freeAt(c: Candidate): number {
  return c.cooldown?.until ?? c.exhaustion?.until ?? 0;
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
  /** The model ref, for per-model rate-limit cooldowns and quotas. */
  readonly model?: string;
  readonly pin?: PinInput;
}

/**
 * An explicit order list (the agent's, or config `auth.order.<provider>`) that names no stored
 * profile at all, e.g. after profiles were renamed or logged out elsewhere. It is set aside and
 * the stored profiles are used in default order instead of answering "no credential".
 */
export interface OrderDrift {
  readonly source: "agent" | "config";
  readonly ids: readonly string[];
}

/** The resolver's answer: the chosen credential (or an error) and every candidate in ranked order. */
export interface Resolution {
  readonly agentId: string;
  readonly provider: string;
  readonly model?: string | undefined;
  readonly chosen?: Candidate;
  readonly error?: UserError;
  readonly candidates: readonly Candidate[];
  /** Which list ordered the profiles. */
  readonly orderSource: "agent" | "config" | "default";
  /** Order lists set aside because they name no stored profile; empty when none drifted. */
  readonly orderDrift: readonly OrderDrift[];
}

/** What the resolver reads. All of it is in memory; nothing here touches the disk per call. */
export interface ResolverDeps {
  readonly config: OpenClawConfig;
  readonly catalog: Catalog;
  readonly profiles: { get(agentId: string): AuthProfilesFile };
  readonly env: Readonly<Record<string, string>>;
  readonly cooldowns: CooldownStore;
  readonly clock: Clock;
  /**
   * Resolves a profile's SecretRef (`keyRef`/`tokenRef`). Called when a credential list is
   * prepared, i.e. at first use after each re-read of the store, never per message. Without it,
   * every ref is unresolved.
   */
  readonly secretRefs?: (ref: SecretRef) => SecretRefResult;
  /**
   * The `<state>/.env` this process reads (`$OPENCLAW_STATE_DIR/.env`, else `~/.openclaw/.env`),
   * named where a hint says to put a provider's key there.
   */
  readonly envFile?: string;
}

const TYPE_RANK: Record<CredentialType, number> = { oauth: 0, token: 1, api_key: 2 };

/** The mask of a credential the resolver hands out; registering it keeps it out of every log and reply. */
function inUse(secret: string): string {
  registerSecrets([secret]);
  return maskSecret(secret);
}

/** The time-independent part of a candidate, computed once per credential file and provider. */
interface Prepared extends CredentialIdentity {
  readonly expires: number | undefined;
  readonly email: string | undefined;
  readonly refreshable: boolean;
  readonly refreshedAt: number | undefined;
  /** A reason that holds whatever the time: missing, wrong provider, disabled, empty, excluded. */
  readonly fixedReason: SkipReason | undefined;
  readonly why?: string | undefined;
}

/**
 * Why an `aws-sdk` profile is skipped. OpenClaw's Bedrock mode signs each request with the AWS
 * SDK's own credential chain; it stores no key or token, and we have no AWS signer.
 */
/**
 * OpenAI's OAuth login (`models auth login --provider openai`, OpenClaw's too) signs in to ChatGPT:
 * its token is accepted by ChatGPT's own backend, not by the OpenAI API this gateway calls, so a call
 * with it would fail with an auth error every time.
 */
const CHATGPT_LOGIN_WHY =
  "a ChatGPT sign-in: OpenClaw uses it with ChatGPT's own backend; the OpenAI API this gateway calls does not accept it";

const AWS_SDK_WHY =
  "mode aws-sdk: OpenClaw signs these requests with AWS SDK credentials, which this gateway cannot use (it holds no key or token)";

/** A provider's ranking skeleton for one credential file. */
interface PreparedList {
  readonly orderSource: Resolution["orderSource"];
  readonly orderDrift: readonly OrderDrift[];
  readonly entries: readonly Prepared[];
  /** With no explicit order, the first `storedCount` entries are re-ranked by last use per call. */
  readonly storedCount: number;
}

/**
 * The one credential resolver (DESIGN section 3), used by model calls and every status view:
 * session pin > agent order > config `auth.order` > stored profiles (oauth > token > api_key,
 * least recently used first) > env keys. Unusable credentials are skipped with a reason; cooling
 * ones move to the end. A user pin is strict: if it cannot be used the answer is an error.
 *
 * It runs per message, so what does not change with time (parsed profiles, masks, orders, env
 * keys) is prepared once per credential file object and kept until the file is re-read.
 */
export class CredentialResolver {
  private readonly prepared = new WeakMap<AuthProfilesFile, Map<string, PreparedList>>();
  private readonly pins = new WeakMap<AuthProfilesFile, Map<string, Prepared>>();
  private readonly headers = new Map<string, Readonly<Record<string, string>>>();

  constructor(private readonly deps: ResolverDeps) {}

  /** Resolves the credential for the next call. */
  resolve(req: ResolveRequest): Resolution {
    const now = this.deps.clock();
    const file = this.deps.profiles.get(req.agentId);
    const list = this.listFor(file, req.provider);
    const entries = list.storedCount > 1 ? this.byLastUse(list.entries, list.storedCount) : list.entries;
    const pin = req.pin;
    const pinned = pin
      ? this.candidate(this.pinEntry(file, pin.profileId, req.provider), "pin", req.model, now, false)
      : undefined;
    // A usable user or auto pin supersedes every other candidate; they are still listed for status.
    const supersede = pinned?.usable === true;

    const usable: Candidate[] = [];
    const cooling: Candidate[] = [];
    const skipped: Candidate[] = [];
    // The pin leads the list whenever it decides the answer: usable, or a user pin that cannot serve.
    const pinLeads = pinned !== undefined && (supersede || pin?.source === "user");
    if (pinLeads) usable.push(pinned);
    for (const e of entries) {
      if (pinLeads && e.id === pinned.id) continue;
      const c = this.candidate(e, e.source, req.model, now, supersede);
      // Superseded candidates keep their would-be place: right after the pin, before cooling ones.
      if (c.usable || c.reason === "superseded_by_pin") usable.push(c);
      else if (c.reason === "cooldown" || c.reason === "quota_exhausted") cooling.push(c);
      else skipped.push(c);
    }
    if (cooling.length > 1) cooling.sort((a, b) => freeAt(a) - freeAt(b));
    const candidates = usable.length === 0 && cooling.length === 0 ? skipped : usable.concat(cooling, skipped);
    const { agentId, provider, model } = req;
    const { orderSource, orderDrift } = list;

    if (pinned && pin?.source === "user" && !supersede) {
      // Strict: a user pin that cannot serve is an error, never a silent switch to another credential.
      const rest = candidates
        .filter((c) => c !== pinned)
        .map((c): Candidate => (c.usable ? { ...c, usable: false, reason: "superseded_by_pin" } : c));
      return {
        agentId,
        provider,
        model,
        orderSource,
        orderDrift,
        error: this.pinError(pinned, provider, now),
        candidates: [pinned, ...rest],
      };
    }
    // An unusable auto pin only kept a provider cache warm: the normal order applies.
    const chosen = usable[0];
    if (chosen) return { agentId, provider, model, orderSource, orderDrift, chosen, candidates };
    const error = this.noneError(provider, cooling, now);
    return { agentId, provider, model, orderSource, orderDrift, error, candidates };
  }

  private candidate(
    e: Prepared,
    source: CandidateSource,
    model: string | undefined,
    now: number,
    superseded: boolean,
  ): Candidate {
    const health = healthOf(e.expires, now);
    let reason: SkipReason | undefined =
      e.fixedReason ?? (health === "expired" && !e.refreshable ? "expired" : undefined);
    let cooldown: CooldownEntry | undefined;
    let exhaustion: QuotaExhaustion | undefined;
    const state = this.deps.cooldowns.get(e.id);
    const quota = quotaFor(state?.quotas, model);
    if (reason === undefined) {
      cooldown = activeCooldown(state, model, now);
      // A report for another model says nothing about this one: quotas count per model.
      exhaustion = model !== undefined ? quotaExhaustion(quota, now) : undefined;
      if (cooldown) reason = cooldown.reason === "incompatible" ? "incompatible" : "cooldown";
      else if (exhaustion) reason = "quota_exhausted";
      else if (superseded) reason = "superseded_by_pin";
    }
    return {
      id: e.id,
      provider: e.provider,
      kind: e.kind,
      type: e.type,
      source,
      secret: e.secret,
      masked: e.masked,
      health,
      expires: e.expires,
      email: e.email,
      refreshable: e.refreshable,
      refreshedAt: e.refreshedAt,
      usable: reason === undefined,
      reason,
      why: reason === e.fixedReason ? e.why : undefined,
      cooldown,
      quota,
      exhaustion: reason === "quota_exhausted" ? exhaustion : undefined,
    };
  }

  /** Stored profiles are prepared in type-then-id order; last use only re-ranks within a type. */
  private byLastUse(entries: readonly Prepared[], storedCount: number): readonly Prepared[] {
    const { cooldowns } = this.deps;
    let used = false;
    for (let i = 0; i < storedCount && !used; i++) used = cooldowns.get(entries[i]?.id ?? "")?.lastUsedAt !== undefined;
    if (!used) return entries;
    const stored = entries.slice(0, storedCount);
    stored.sort(
      (a, b) =>
        TYPE_RANK[a.type] - TYPE_RANK[b.type] ||
        (cooldowns.get(a.id)?.lastUsedAt ?? 0) - (cooldowns.get(b.id)?.lastUsedAt ?? 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return stored.concat(entries.slice(storedCount));
  }

  private listFor(file: AuthProfilesFile, provider: string): PreparedList {
    let byProvider = this.prepared.get(file);
    if (!byProvider) this.prepared.set(file, (byProvider = new Map()));
    let list = byProvider.get(provider);
    if (!list) byProvider.set(provider, (list = this.prepare(file, provider)));
    return list;
  }

  private prepare(file: AuthProfilesFile, provider: string): PreparedList {
    const { config, catalog, env } = this.deps;
    const orderDrift: OrderDrift[] = [];
    // A list that names no stored profile at all has drifted (renamed or logged out elsewhere):
    // it is set aside rather than leaving the provider with no credential. An empty list is
    // OpenClaw's way to say the provider has no usable profile: it stays, and excludes them all.
    const live = (source: OrderDrift["source"], ids: readonly string[] | undefined) => {
      if (ids === undefined || ids.length === 0) return ids;
      if (ids.some((id) => id in file.profiles)) return ids;
      if (ids.length > 0) orderDrift.push({ source, ids });
      return undefined;
    };
    const agentOrder = live("agent", file.order?.[provider]);
    const configOrder = agentOrder ? undefined : live("config", config.auth?.order?.[provider]);
    const explicit = agentOrder ?? configOrder;
    const entries: Prepared[] = [];
    let storedCount = 0;
    if (explicit) {
      const source: CandidateSource = agentOrder ? "agent-order" : "config-order";
      for (const id of explicit) entries.push(this.prepareProfile(file, id, provider, source));
      const listed = new Set(explicit);
      for (const [id, raw] of Object.entries(file.profiles)) {
        if (raw.provider !== provider || listed.has(id)) continue;
        const e = this.prepareProfile(file, id, provider, "stored");
        entries.push(e.fixedReason ? e : { ...e, fixedReason: "excluded_by_auth_order" });
      }
    } else {
      for (const [id, raw] of Object.entries(file.profiles)) {
        if (raw.provider === provider) entries.push(this.prepareProfile(file, id, provider, "stored"));
      }
      entries.sort((a, b) => TYPE_RANK[a.type] - TYPE_RANK[b.type] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      storedCount = entries.length;
      // The drifted ids stay listed, skipped, so status views can say which ones are gone.
      const source: CandidateSource = orderDrift[0]?.source === "agent" ? "agent-order" : "config-order";
      for (const id of new Set(orderDrift.flatMap((d) => d.ids)))
        entries.push(this.prepareProfile(file, id, provider, source));
    }
    // An aws-sdk profile lives in the config alone (it has no secret to store): list it, skipped.
    const listedIds = new Set(entries.map((e) => e.id));
    for (const [id, meta] of Object.entries(config.auth?.profiles ?? {}))
      if (meta.mode === "aws-sdk" && meta.provider === provider && !listedIds.has(id))
        entries.push(this.prepareProfile(file, id, provider, "stored"));
    const p = catalog.providers.get(provider);
    const disabled = explicit?.length === 0;
    if (p) {
      for (const e of envCredentials(p, env)) {
        entries.push({
          id: e.id,
          provider: e.provider,
          kind: "env",
          type: e.type,
          source: "env",
          secret: e.secret,
          masked: inUse(e.secret),
          expires: undefined,
          email: undefined,
          refreshable: false,
          refreshedAt: undefined,
          fixedReason: disabled ? "excluded_by_auth_order" : undefined,
        });
      }
    }
    const fromConfig = this.configKey(provider);
    if (fromConfig) entries.push(disabled ? { ...fromConfig, fixedReason: "excluded_by_auth_order" } : fromConfig);
    const orderSource = agentOrder ? "agent" : configOrder ? "config" : "default";
    return { orderSource, orderDrift, entries, storedCount };
  }

  /** `models.providers.<p>.apiKey` (a value or a SecretRef) as a candidate, when it is set. */
  private configKey(provider: string): Prepared | undefined {
    const input = this.deps.config.models?.providers?.[provider]?.apiKey;
    if (input === undefined || input === "") return undefined;
    let secret = "";
    let masked: string;
    let fixedReason: SkipReason | undefined;
    if (typeof input === "string") {
      secret = input;
      masked = inUse(secret);
    } else {
      const ref: SecretRef = { ...input, provider: input.provider ?? "default" };
      const r = this.deps.secretRefs?.(ref) ?? { ok: false, why: "SecretRefs are not resolved here" };
      if (r.ok) secret = r.value;
      masked = r.ok ? inUse(secret) : `(ref ${describeRef(ref)}: ${r.why})`;
      if (!r.ok) fixedReason = "unresolved_ref";
    }
    return {
      id: `models.providers.${provider}.apiKey`,
      provider,
      kind: "config",
      type: "api_key",
      source: "config",
      secret,
      masked,
      expires: undefined,
      email: undefined,
      refreshable: false,
      refreshedAt: undefined,
      fixedReason,
    };
  }

  /**
   * The headers `models.providers.<p>.headers` sends with every request, SecretRefs resolved
   * (a header whose ref cannot be resolved is left out). Read once per resolver, i.e. per config.
   */
  headersFor(provider: string): Readonly<Record<string, string>> {
    let h = this.headers.get(provider);
    if (h) return h;
    const out: Record<string, string> = {};
    for (const [name, input] of Object.entries(this.deps.config.models?.providers?.[provider]?.headers ?? {})) {
      if (typeof input === "string") out[name] = input;
      else {
        const r = this.deps.secretRefs?.({ ...input, provider: input.provider ?? "default" });
        if (r?.ok) out[name] = r.value;
        if (r?.ok) registerSecrets([r.value]);
      }
    }
    h = out;
    this.headers.set(provider, h);
    return h;
  }

  private pinEntry(file: AuthProfilesFile, id: string, provider: string): Prepared {
    let byId = this.pins.get(file);
    if (!byId) this.pins.set(file, (byId = new Map()));
    const key = `${provider}\n${id}`;
    let e = byId.get(key);
    if (!e) byId.set(key, (e = this.prepareProfile(file, id, provider, "pin")));
    return e;
  }

  private prepareProfile(file: AuthProfilesFile, id: string, wanted: string, source: CandidateSource): Prepared {
    const raw = file.profiles[id];
    const meta = this.deps.config.auth?.profiles?.[id];
    if (meta?.mode === "aws-sdk") {
      return {
        id,
        provider: meta.provider ?? wanted,
        kind: "profile",
        type: "api_key",
        source,
        secret: "",
        masked: "(aws-sdk)",
        expires: undefined,
        email: undefined,
        refreshable: false,
        refreshedAt: undefined,
        fixedReason: (meta.provider ?? wanted) !== wanted ? "provider_mismatch" : "incompatible",
        why: AWS_SDK_WHY,
      };
    }
    if (!raw) {
      return {
        id,
        provider: wanted,
        kind: "profile",
        type: "api_key",
        source,
        secret: "",
        masked: "(missing)",
        expires: undefined,
        email: undefined,
        refreshable: false,
        refreshedAt: undefined,
        fixedReason: "missing_profile",
      };
    }
    const p = normalizeProfile(id, raw);
    // Never used here, but it must never be printed either.
    if (p.refreshable && raw.refresh) registerSecrets([raw.refresh]);
    let secret = p.secret;
    let masked = inUse(secret);
    let unresolved = false;
    if (p.ref && p.provider === wanted) {
      const r = this.deps.secretRefs?.(p.ref) ?? { ok: false, why: "SecretRefs are not resolved here" };
      if (r.ok) ({ value: secret } = r);
      unresolved = !r.ok;
      masked = r.ok ? inUse(secret) : `(ref ${describeRef(p.ref)}: ${r.why})`;
    }
    const chatGptLogin = p.provider === "openai" && p.type === "oauth";
    const fixedReason: SkipReason | undefined =
      p.provider !== wanted
        ? "provider_mismatch"
        : this.deps.config.auth?.profiles?.[id]?.disabled
          ? "disabled"
          : unresolved
            ? "unresolved_ref"
            : secret === "" && !p.refreshable
              ? "missing_credential"
              : chatGptLogin
                ? "incompatible"
                : undefined;
    return {
      id,
      provider: p.provider,
      kind: "profile",
      type: p.type,
      source,
      secret,
      masked,
      expires: p.expires,
      email: p.email,
      refreshable: p.refreshable,
      refreshedAt: p.refreshedAt,
      fixedReason,
      ...(chatGptLogin ? { why: CHATGPT_LOGIN_WHY } : {}),
    };
  }

  private pinError(pinned: Candidate, provider: string, now: number): UserError {
    const unpin = "Use /model default to unpin, or pin another profile with /model <model>@<profileId>.";
    switch (pinned.reason) {
      case "missing_profile":
        return userError("pin_missing", `The pinned profile ${pinned.id} no longer exists.`, unpin);
      case "provider_mismatch":
        return userError(
          "pin_provider_mismatch",
          `The pinned profile ${pinned.id} belongs to ${pinned.provider}, not ${provider}.`,
          unpin,
        );
      case "disabled":
        return userError("pin_disabled", `The pinned profile ${pinned.id} is disabled in the config.`, unpin);
      case "missing_credential":
        return userError("pin_missing_credential", `The pinned profile ${pinned.id} has no secret stored.`, unpin);
      case "unresolved_ref":
        return userError(
          "pin_unresolved_ref",
          `The secret of the pinned profile ${pinned.id} cannot be read now: ${pinned.masked}.`,
          unpin,
        );
      case "expired":
        return userError(
          "pin_expired",
          `The pinned profile ${pinned.id} expired ${formatDuration(now - (pinned.expires ?? now))} ago.`,
          `Renew it with \`openclaw models auth paste-token --provider ${provider} --profile-id ${pinned.id}\`. ${unpin}`,
        );
      case "incompatible":
        return userError(
          "pin_incompatible",
          `The pinned profile ${pinned.id} cannot be used for API requests (${pinned.why ?? "Claude Code only"}).`,
          `Use an Anthropic API key instead. ${unpin}`,
        );
      case "quota_exhausted": {
        const x = pinned.exhaustion;
        const until = x ? `${resetTimeText(x.until, now)} (in ${formatDuration(x.until - now)})` : "its reset";
        const what = x ? `${x.limit !== undefined ? `all ${x.limit} ` : "all "}${quotaKindText(x.kind)}` : "its quota";
        return userError(
          "pin_quota_exhausted",
          `The pinned profile ${pinned.id} has used ${what} of its rate limit until ${until}; pinned sessions do not switch credentials.`,
          `Try again then. ${unpin}`,
        );
      }
      default: {
        const c = pinned.cooldown;
        const left = c ? formatDuration(c.until - now) : "a while";
        const why =
          c?.reason === "rate_limit" ? "a rate limit" : c?.reason === "billing" ? "a billing error" : "an auth error";
        return userError(
          "pin_cooldown",
          `The pinned profile ${pinned.id} is cooling down for ${left} after ${why}; pinned sessions do not switch credentials.`,
          unpin,
        );
      }
    }
  }

  private noneError(provider: string, cooling: readonly Candidate[], now: number): UserError {
    const soonest = cooling[0];
    if (soonest && cooling.every((c) => c.reason === "quota_exhausted")) {
      const at = freeAt(soonest);
      return userError(
        "all_quota_exhausted",
        `Every ${provider} credential has used its rate limit for this model; the next resets at ${resetTimeText(at, now)} (in ${formatDuration(at - now)}).`,
        "Try again then, or add another credential.",
      );
    }
    if (soonest) {
      return userError(
        "all_in_cooldown",
        `Every ${provider} credential is cooling down; the next is free in ${formatDuration(freeAt(soonest) - now)}.`,
        "Try again then, or add another credential.",
      );
    }
    const envKey = this.deps.catalog.providers.get(provider)?.envKeys[0] ?? `${provider.toUpperCase()}_API_KEY`;
    return userError(
      "no_credential",
      `No usable credential for ${provider}.`,
      `Run \`openclaw models auth paste-api-key --provider ${provider}\` or put ${envKey} in ${this.deps.envFile ?? "the state dir's .env"}.`,
    );
  }
}

/** `anthropic:work (token sk-ant-o…Fq1x)`: a credential with its masked secret, never the secret. */
export function credentialLabel(c: Candidate): string {
  return `${c.id} (${c.type} ${c.masked})`;
}
