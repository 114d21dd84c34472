import { unspokenApiText } from "../providers/call.js";
import { listProfiles, type CredentialType } from "../auth/profiles.js";
import { summarizeLayout, type LayoutSummary } from "../auth/layout.js";
import type { Candidate, OrderDrift, Resolution, SkipReason } from "../auth/resolver.js";
import { envCredentials } from "../auth/env-keys.js";
import { EXPIRING_WINDOW_MS, formatDuration, healthOf, type Health } from "../auth/health.js";
import { QUOTA_KINDS, quotaKindText, quotaText, type QuotaKind } from "../auth/quota.js";
import { maskSecret } from "../util/mask.js";
import { agentDir } from "../config/paths.js";
import { configuredFallbacks, primaryOf } from "../config/agents.js";
import type { OpenClawConfig } from "../config/schema.js";
import { providerOf, resolveModelRef } from "../models/ref.js";
import type { CliContext } from "./cli-context.js";
import { isoOrNull } from "./format.js";
import { addCredentialCommands, recoveryFor, type RecoveryScope } from "../auth/recovery.js";
import { EXIT } from "./errors.js";
import { notInCatalogText } from "../models/near-misses.js";
import { isRetired } from "../models/retirement.js";
import type { UsageRow } from "../sessions/ledger.js";
import { microUsd } from "../sessions/usage-text.js";

/** One credential the resolver considered, as status views show it: masked, never the secret. */
export interface CandidateView {
  readonly id: string;
  readonly kind: Candidate["kind"];
  readonly type: CredentialType;
  readonly source: Candidate["source"];
  readonly masked: string;
  readonly health: Health;
  readonly expiresAt: string | null;
  readonly expires?: number;
  readonly usable: boolean;
  readonly reasonCode: SkipReason | null;
  readonly cooldown: { readonly reason: string; readonly model: string | null; readonly until: string } | null;
  /**
   * What the provider last reported this credential has left (for the model resolved for, else
   * the newest report), per kind of limit, resets as ISO times; null when it reported nothing.
   */
  readonly quota: QuotaView | null;
  readonly email?: string;
  /** An OAuth profile with a refresh token: renewed before use, so expiry is not the end. */
  readonly refreshable: boolean;
  /** When the gateway last refreshed it, or null. */
  readonly lastRefreshAt: string | null;
  /** For env credentials: the variable and where it was set (`process`, `state-dotenv`, ...). */
  readonly variable?: string;
  readonly envSource?: string;
  /** Its model turns since the start of the UTC day (the usage ledger). */
  readonly turnsToday: number;
  /** Estimated cost of those turns (priced turns only). */
  readonly spentTodayUsd: number;
  /** Its turns today with no price: not in {@link spentTodayUsd}, never counted as free. */
  readonly unpricedTurnsToday: number;
}

/** A provider's last rate-limit report for a credential, as `models status --json` prints it. */
export interface QuotaView {
  readonly model: string | null;
  readonly reportedAt: string;
  /** Set while the credential is skipped for `quota_exhausted`: when it is used again. */
  readonly exhaustedUntil: string | null;
  readonly limits: Partial<
    Record<
      QuotaKind,
      { readonly limit: number | null; readonly remaining: number | null; readonly resetAt: string | null }
    >
  >;
}

/** Today's spend per profile id, from the usage ledger (empty when there is no session store yet). */
export type SpendToday = ReadonlyMap<string, UsageRow>;

/** One provider in the auth overview. */
export interface ProviderAuth {
  readonly provider: string;
  readonly name: string;
  /** Model refs of the agent's default route that need this provider. */
  readonly neededBy: readonly string[];
  /** What the resolver would use next, or null. */
  readonly effective: CandidateView | null;
  readonly orderSource: Resolution["orderSource"];
  /** Order lists set aside because they name no stored profile, with the line status shows. */
  readonly orderDrift: readonly (OrderDrift & { readonly text: string })[];
  readonly profiles: { readonly total: number } & Readonly<Record<CredentialType, number>>;
  readonly env: number;
  readonly candidates: readonly CandidateView[];
  readonly error: { readonly code: string; readonly message: string; readonly hint?: string } | null;
}

/** A provider the default route needs but cannot use. */
export interface MissingAuth {
  readonly provider: string;
  readonly neededBy: readonly string[];
  /** True when the primary model needs it (decides `--check`); false for fallbacks only. */
  readonly primary: boolean;
  readonly reasonCode: string;
  readonly commands: readonly string[];
}

/** A stored credential (or env key) with its expiry, for `auth.oauth`. */
export interface TokenStatus {
  readonly id: string;
  readonly provider: string;
  readonly type: CredentialType;
  readonly kind: "profile" | "env";
  readonly masked: string;
  readonly expiresAt: string | null;
  readonly remainingMs: number | null;
  readonly health: Health;
  /** OAuth with a refresh token: the gateway renews it before use. */
  readonly refreshable: boolean;
  /** When the gateway last refreshed it, or null. */
  readonly lastRefreshAt: string | null;
}

/** A credential that cannot be used now, why (stable code) and what to run. */
export interface UnusableProfile {
  readonly id: string;
  readonly provider: string;
  readonly reasonCode: SkipReason;
  readonly detail: string;
  readonly recovery: string;
}

/** Everything `models status` shows; `--json` prints exactly this. */
export interface StatusReport {
  readonly configPath: string;
  readonly configExists: boolean;
  readonly stateDir: string;
  readonly agentId: string;
  readonly agentDir: string;
  readonly authFile: string;
  /** Which credential store is in use (legacy JSON file or OpenClaw 2026.9's SQLite) and where. */
  readonly authStore: LayoutSummary;
  readonly defaultModel: {
    readonly ref: string;
    readonly configured: string;
    readonly source: string;
    readonly provider: string;
    readonly inCatalog: boolean;
    readonly deprecated: string | null;
  };
  readonly fallbacks: readonly string[];
  readonly aliases: Readonly<Record<string, string>>;
  readonly auth: {
    readonly providers: readonly ProviderAuth[];
    readonly missing: readonly MissingAuth[];
    readonly oauth: { readonly warnAfterMs: number; readonly profiles: readonly TokenStatus[] };
    readonly unusableProfiles: readonly UnusableProfile[];
  };
  /**
   * `problems` set exit 1, `warnings` exit 2; `notes` (a default model outside the catalog with its
   * nearest ids, one already retired) are said but leave the exit code alone.
   */
  readonly check: {
    readonly exitCode: number;
    readonly problems: readonly string[];
    readonly warnings: readonly string[];
    readonly notes: readonly string[];
  };
}

/**
 * The agent's configured primary and the key that sets it, in the order `configuredModel` reads
 * them (a model object with only `fallbacks` leaves the primary to the next key).
 */
export function modelSettingSource(config: OpenClawConfig, agentId: string): { primary?: string; source: string } {
  const agents = config.agents;
  const entry = primaryOf(agents?.entries?.[agentId]?.model);
  if (entry !== undefined) return { primary: entry, source: `agents.entries.${agentId}.model` };
  const index = agents?.list?.findIndex((a) => a.id === agentId && primaryOf(a.model) !== undefined) ?? -1;
  const listed = index >= 0 ? primaryOf(agents?.list?.[index]?.model) : undefined;
  if (listed !== undefined) return { primary: listed, source: `agents.list[${index}].model` };
  const defaults = primaryOf(agents?.defaults?.model);
  if (defaults !== undefined) return { primary: defaults, source: "agents.defaults.model" };
  return { source: "built-in default" };
}

const REASON_TEXT: Record<SkipReason, string> = {
  missing_profile: "listed in the auth order but not stored",
  provider_mismatch: "belongs to another provider",
  disabled: "disabled in the config",
  missing_credential: "no secret stored",
  unresolved_ref: "its SecretRef could not be resolved",
  expired: "expired",
  incompatible: "refused for API requests",
  cooldown: "cooling down",
  quota_exhausted: "its rate-limit quota is used up",
  excluded_by_auth_order: "left out of the auth order",
  superseded_by_pin: "a session pin takes precedence",
};

/** A human explanation of why a candidate is skipped, with times where they matter. */
export function reasonDetail(c: Candidate, now: number): string {
  if (!c.reason) return "usable";
  if (c.why !== undefined) return c.why;
  if (c.reason === "expired" && c.expires !== undefined) return `expired ${formatDuration(now - c.expires)} ago`;
  if (c.reason === "provider_mismatch") return `belongs to ${c.provider}`;
  if (c.reason === "unresolved_ref") return c.masked.replace(/^\((.*)\)$/, "$1");
  if (c.reason === "cooldown" && c.cooldown) {
    const on = c.cooldown.model ? ` on ${c.cooldown.model}` : "";
    return `cooling down ${formatDuration(c.cooldown.until - now)} after ${c.cooldown.reason}${on}`;
  }
  if (c.reason === "quota_exhausted" && c.exhaustion)
    return `${REASON_TEXT[c.reason]}: ${quotaText(c.quota, now) ?? quotaKindText(c.exhaustion.kind)}`;
  return REASON_TEXT[c.reason];
}

function view(c: Candidate, envSources: Readonly<Record<string, string>>, spend: SpendToday): CandidateView {
  const variable = c.kind === "env" ? c.id.replace(/^env:/, "").replace(/\[\d+\]$/, "") : undefined;
  return {
    id: c.id,
    kind: c.kind,
    type: c.type,
    source: c.source,
    masked: c.masked,
    health: c.health,
    expiresAt: isoOrNull(c.expires),
    ...(c.expires !== undefined ? { expires: c.expires } : {}),
    usable: c.usable,
    reasonCode: c.reason ?? null,
    cooldown: c.cooldown
      ? { reason: c.cooldown.reason, model: c.cooldown.model ?? null, until: new Date(c.cooldown.until).toISOString() }
      : null,
    quota: quotaView(c),
    ...(c.email !== undefined ? { email: c.email } : {}),
    refreshable: c.refreshable,
    lastRefreshAt: isoOrNull(c.refreshedAt),
    ...(variable !== undefined ? { variable, envSource: envSources[variable] ?? "unknown" } : {}),
    turnsToday: spend.get(c.id)?.turns ?? 0,
    spentTodayUsd: microUsd(spend.get(c.id)?.costUsd ?? 0),
    unpricedTurnsToday: spend.get(c.id)?.unpricedTurns ?? 0,
  };
}

function quotaView(c: Candidate): QuotaView | null {
  const q = c.quota;
  if (!q) return null;
  const limits: QuotaView["limits"] = {};
  for (const kind of QUOTA_KINDS) {
    const w = q.limits[kind];
    if (w) limits[kind] = { limit: w.limit ?? null, remaining: w.remaining ?? null, resetAt: isoOrNull(w.resetAt) };
  }
  return {
    model: q.model ?? null,
    reportedAt: new Date(q.at).toISOString(),
    exhaustedUntil: isoOrNull(c.exhaustion?.until),
    limits,
  };
}

/** The line status views show for a drifted order list. */
export function orderDriftText(provider: string, d: OrderDrift): string {
  const list = d.source === "config" ? `auth.order.${provider}` : `the agent's auth order for ${provider}`;
  return `order drift: ${list} names no stored profile`;
}

/**
 * Builds the `models status` report for the context's agent, with each profile's spend today from
 * `spend`. Reads only; all ranking is the resolver's.
 */
export function buildStatusReport(cli: CliContext, diagnostics: string[], spend: SpendToday = new Map()): StatusReport {
  const { ctx, agentId, io } = cli;
  const now = io.clock();
  const config = ctx.loaded.config;
  const catalog = ctx.catalog;
  const file = cli.profiles();
  const scope: RecoveryScope = { configPath: ctx.loaded.path, stateDir: ctx.stateDir, agentFlag: cli.agentFlag, now };

  const { primary, source } = modelSettingSource(config, agentId);
  // The same list a chat turn walks (an agent's own primary without fallbacks has none).
  const fallbacks = configuredFallbacks(config, agentId).refs;
  const configured = primary ?? catalog.defaultModel;
  const resolvedPrimary = resolveModelRef(catalog, configured);
  if (!resolvedPrimary.ok)
    diagnostics.push(
      `warning: default model "${configured}" (${source}) is not in the catalog: ${resolvedPrimary.error.message}`,
    );
  const primaryRef = resolvedPrimary.ok ? resolvedPrimary.value.ref : configured;
  const primaryProvider = resolvedPrimary.ok ? resolvedPrimary.value.provider : providerOf(configured);
  const primaryModel = resolvedPrimary.ok ? resolvedPrimary.value.model : undefined;

  const needed = new Map<string, string[]>([[primaryProvider, [primaryRef]]]);
  const fallbackRefs: string[] = [];
  for (const f of fallbacks) {
    const r = resolveModelRef(catalog, f);
    if (!r.ok) diagnostics.push(`warning: fallback model "${f}" is not in the catalog: ${r.error.message}`);
    const ref = r.ok ? r.value.ref : f;
    const provider = r.ok ? r.value.provider : providerOf(f);
    fallbackRefs.push(ref);
    needed.set(provider, [...(needed.get(provider) ?? []), ref]);
  }

  // Providers worth showing: needed ones first, then any with stored, configured or env credentials.
  const shown = new Set<string>(needed.keys());
  const others = new Set<string>();
  for (const raw of Object.values(file.profiles)) others.add(raw.provider);
  for (const meta of Object.values(config.auth?.profiles ?? {})) if (meta.provider) others.add(meta.provider);
  for (const p of Object.keys(config.auth?.order ?? {})) others.add(p);
  for (const p of Object.keys(file.order ?? {})) others.add(p);
  for (const p of catalog.providers.values()) if (envCredentials(p, ctx.env.values).length > 0) others.add(p.id);
  for (const p of [...others].sort()) shown.add(p);

  const stored = listProfiles(file);
  const providers: ProviderAuth[] = [];
  const missing: MissingAuth[] = [];
  const unusable = new Map<string, UnusableProfile>();
  const problems: string[] = [];
  const unspokenFallbacks: string[] = [];
  const warnings: string[] = [];

  for (const provider of shown) {
    const neededBy = needed.get(provider) ?? [];
    const model = neededBy[0];
    const res = cli.resolver.resolve({ agentId, provider, ...(model !== undefined ? { model } : {}) });
    const counts = { total: 0, oauth: 0, token: 0, api_key: 0 };
    for (const p of stored) {
      if (p.provider !== provider) continue;
      counts.total++;
      counts[p.type]++;
    }
    const candidates = res.candidates.map((c) => view(c, ctx.env.sources, spend));
    providers.push({
      provider,
      name: catalog.providers.get(provider)?.name ?? provider,
      neededBy,
      effective: res.chosen ? view(res.chosen, ctx.env.sources, spend) : null,
      orderSource: res.orderSource,
      orderDrift: res.orderDrift.map((d) => ({ ...d, text: orderDriftText(provider, d) })),
      profiles: counts,
      env: res.candidates.filter((c) => c.kind === "env").length,
      candidates,
      error: res.error
        ? { code: res.error.code, message: res.error.message, ...(res.error.hint ? { hint: res.error.hint } : {}) }
        : null,
    });
    for (const c of res.candidates) {
      if (c.usable || !c.reason || c.reason === "superseded_by_pin" || unusable.has(c.id)) continue;
      unusable.set(c.id, {
        id: c.id,
        provider: c.provider,
        reasonCode: c.reason,
        detail: reasonDetail(c, now),
        recovery: recoveryFor(c, res, scope),
      });
    }
    if (neededBy.length > 0 && !res.chosen) {
      const isPrimary = provider === primaryProvider;
      const code = res.error?.code ?? "no_credential";
      missing.push({
        provider,
        neededBy,
        primary: isPrimary,
        reasonCode: code,
        commands: addCredentialCommands(provider, catalog.providers.get(provider), scope),
      });
      // Everything cooling down or out of quota recovers by itself; it is reported, not failed.
      if (isPrimary && code !== "all_in_cooldown" && code !== "all_quota_exhausted")
        problems.push(`no usable credential for ${provider} (needed by ${neededBy.join(", ")})`);
    }
    const unspoken =
      neededBy.length > 0 ? unspokenApiText(catalog.providers.get(provider) ?? { id: provider, api: "" }) : undefined;
    // A provider outside the catalog has no api to judge; its missing credential is reported above.
    if (unspoken !== undefined && catalog.providers.has(provider)) {
      if (provider === primaryProvider) problems.push(unspoken);
      else unspokenFallbacks.push(unspoken);
    }
    if (neededBy.length > 0) {
      for (const c of res.candidates)
        if (c.reason === "incompatible") problems.push(`${c.id} cannot be used for ${provider} API requests`);
    }
  }

  const tokens: TokenStatus[] = [];
  for (const p of stored) {
    const health = healthOf(p.expires, now);
    tokens.push({
      id: p.id,
      provider: p.provider,
      type: p.type,
      kind: "profile",
      masked: maskSecret(p.secret),
      expiresAt: isoOrNull(p.expires),
      remainingMs: p.expires === undefined ? null : p.expires - now,
      health,
      refreshable: p.refreshable,
      lastRefreshAt: isoOrNull(p.refreshedAt),
    });
    // A refreshable OAuth profile is renewed before use: its expiry is neither a problem nor a warning.
    if (p.refreshable) continue;
    if (health === "expired") problems.push(`${p.id} expired ${formatDuration(now - (p.expires ?? now))} ago`);
    if (health === "expiring") warnings.push(`${p.id} expires in ${formatDuration((p.expires ?? now) - now)}`);
  }
  for (const pa of providers) {
    for (const c of pa.candidates) {
      if (c.kind !== "env") continue;
      tokens.push({
        id: c.id,
        provider: pa.provider,
        type: c.type,
        kind: "env",
        masked: c.masked,
        expiresAt: null,
        remainingMs: null,
        health: c.health,
        refreshable: false,
        lastRefreshAt: null,
      });
    }
  }

  const aliases: Record<string, string> = {};
  // Plain code-unit order: the first `localeCompare` sets up ICU collation, about 5 ms of start-up.
  for (const [alias, ref] of [...catalog.aliases].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    aliases[alias] = ref;
  const exitCode = problems.length > 0 ? EXIT.problem : warnings.length > 0 ? EXIT.expiring : EXIT.ok;
  const notes: string[] = [...providers.flatMap((p) => p.orderDrift.map((d) => d.text)), ...unspokenFallbacks];
  if (resolvedPrimary.ok && primaryModel === undefined)
    notes.push(`default model ${notInCatalogText(catalog, primaryRef)}`);
  if (primaryModel?.deprecated !== undefined && isRetired(primaryModel.deprecated, now))
    notes.push(
      `default model ${primaryRef} was retired on ${primaryModel.deprecated}; requests to it are expected to fail`,
    );

  return {
    configPath: ctx.loaded.path,
    configExists: ctx.loaded.exists,
    stateDir: ctx.stateDir,
    agentId,
    agentDir: agentDir(ctx.stateDir, agentId),
    authFile: cli.store.pathFor(agentId),
    authStore: summarizeLayout(cli.store.layout(agentId)),
    defaultModel: {
      ref: primaryRef,
      configured,
      source,
      provider: primaryProvider,
      inCatalog: primaryModel !== undefined,
      deprecated: primaryModel?.deprecated ?? null,
    },
    fallbacks: fallbackRefs,
    aliases,
    auth: {
      providers,
      missing,
      oauth: { warnAfterMs: EXPIRING_WINDOW_MS, profiles: tokens },
      unusableProfiles: [...unusable.values()],
    },
    check: { exitCode, problems, warnings, notes },
  };
}
