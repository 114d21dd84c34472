import type { AuthProfilesFile } from "../auth/profiles.js";
import type { Candidate, CredentialResolver, SkipReason } from "../auth/resolver.js";
import { configuredModel } from "../config/agents.js";
import type { ModelSetting, OpenClawConfig } from "../config/schema.js";
import type { Catalog, CatalogProvider } from "../models/catalog.js";
import { resolveModelRef } from "../models/ref.js";
import { callProvider, providerModelId } from "./call.js";
import { classifyError, type Classification } from "./classify.js";
import { systemClock, type Clock } from "../util/clock.js";

/** DESIGN section 3's probe status buckets. */
export type ProbeStatus =
  | "ok"
  | "auth"
  | "rate_limit"
  | "billing"
  | "timeout"
  | "format"
  | "incompatible"
  | "no_model"
  | "unknown";

/** One probed (or deliberately not probed) credential. This is the JSON contract of `--probe`. */
export interface ProbeRow {
  /** Profile id (`anthropic:work`) or env credential id (`env:ANTHROPIC_API_KEY`). */
  readonly profileId: string;
  readonly provider: string;
  /** The `provider/model` ref the probe asked, or null when none was called. */
  readonly model: string | null;
  readonly status: ProbeStatus;
  /**
   * Stable code: `ok`; a classification code after a call (`unauthorized`, `rate_limited`,
   * `billing`, `timeout`, `claude_code_only`, `overloaded`, ...); or, when no call was made, the
   * resolver's skip reason (`excluded_by_auth_order`, `expired`, `missing_credential`, `disabled`,
   * `missing_profile`, ...) or `no_model`.
   */
  readonly reasonCode: string;
  /** Round trip of the call in ms; null when no call was made. */
  readonly latencyMs: number | null;
}

/** What `models status --probe --json` prints. */
export interface ProbeResult {
  readonly probes: readonly ProbeRow[];
}

/**
 * What probes read. A {@link CliContext} has all of it (`resolver`, `ctx.catalog`,
 * `ctx.loaded.config`, `profiles`); so do gateway services (`resolver()`, `catalog()`,
 * `config().config`).
 */
export interface ProbeDeps {
  readonly resolver: Pick<CredentialResolver, "resolve" | "headersFor">;
  readonly catalog: Catalog;
  readonly config: OpenClawConfig;
  /** The agent's credential file; when given, providers outside the catalog are probed too (as `no_model`). */
  readonly profiles?: (agentId: string) => AuthProfilesFile;
  /** A monotonic millisecond clock for latencies. Default `performance.now`. */
  readonly elapsed?: () => number;
  /** The wall clock a provider's `retry-after` date is read against. Default the system clock. */
  readonly clock?: Clock;
}

/** Which credentials to probe and how. Defaults follow `openclaw models status --probe`. */
export interface ProbeOptions {
  readonly agentId: string;
  /** Only these providers (`--probe-provider`). Empty or absent: every provider with a credential. */
  readonly provider?: readonly string[];
  /** Only these credential ids (`--probe-profile`, repeatable; entries may be comma lists). */
  readonly profile?: readonly string[];
  /** Per-probe timeout in ms (`--probe-timeout`). Default 8000. */
  readonly timeoutMs?: number;
  /** Probes in flight at once (`--probe-concurrency`). Default 2. */
  readonly concurrency?: number;
  /** The answer's token limit (`--probe-max-tokens`). Default 8. */
  readonly maxTokens?: number;
}

/** The defaults of {@link ProbeOptions}, for help texts. */
export const PROBE_DEFAULTS = { timeoutMs: 8000, concurrency: 2, maxTokens: 8 } as const;

const PROBE_PROMPT = "Reply with OK.";

// Credentials the resolver would never use: reported with its reason, not called.
const NOT_CALLED: Partial<Record<SkipReason, ProbeStatus>> = {
  excluded_by_auth_order: "unknown",
  missing_profile: "unknown",
  provider_mismatch: "unknown",
  disabled: "unknown",
  missing_credential: "auth",
  unresolved_ref: "auth",
  expired: "auth",
};

/**
 * The probe bucket of a classified failure. Overloaded and unreachable providers (and a host that
 * does not resolve, reason `host_not_found`) say nothing about the credential: `unknown`.
 */
export function probeStatusOf(failure: Classification): ProbeStatus {
  switch (failure.kind) {
    case "auth":
    case "rate_limit":
    case "billing":
    case "timeout":
    case "format":
    case "incompatible":
      return failure.kind;
    case "overloaded":
    case "config":
    case "unknown":
      return "unknown";
  }
}

function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function fallbacksOf(setting: ModelSetting | undefined): readonly string[] {
  return setting !== undefined && typeof setting !== "string" ? (setting.fallbacks ?? []) : [];
}

/**
 * The model a provider is probed with: the agent's primary model when it is this provider's, else
 * a configured fallback of this provider, else the catalog default, else the provider's first
 * model that is not deprecated. Undefined when the provider has no model to ask (`no_model`).
 */
export function probeModel(
  deps: Pick<ProbeDeps, "catalog" | "config">,
  agentId: string,
  provider: string,
): string | undefined {
  const { catalog, config } = deps;
  const agents = config.agents;
  const wanted = [
    configuredModel(config, agentId),
    ...fallbacksOf(agents?.entries?.[agentId]?.model),
    ...fallbacksOf(agents?.list?.find((a) => a.id === agentId)?.model),
    ...fallbacksOf(agents?.defaults?.model),
    catalog.defaultModel,
  ];
  for (const input of wanted) {
    if (input === undefined) continue;
    const r = resolveModelRef(catalog, input);
    if (r.ok && r.value.provider === provider) return r.value.ref;
  }
  const models = catalog.providers.get(provider)?.models ?? [];
  return (models.find((m) => m.deprecated === undefined) ?? models[0])?.ref;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      // `i` is below items.length, checked on the line above.
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

type Planned =
  | { readonly row: ProbeRow }
  | { readonly candidate: Candidate; readonly provider: CatalogProvider; readonly model: string };

/**
 * Live-probes credentials (`openclaw models status --probe`): for every provider with a credential
 * the agent's resolver knows (stored profiles and env keys), a tiny request per candidate in the
 * resolver's order. Credentials the resolver would never use (excluded by `auth.order`, expired,
 * missing, disabled) are reported with their reason code and not called; credentials cooling down
 * are called anyway, since a probe is how one sees that they recovered. Probes record no cooldowns
 * and no successes: they are a diagnosis, not traffic. The result holds no secret.
 */
export async function runProbes(deps: ProbeDeps, opts: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? PROBE_DEFAULTS.timeoutMs;
  const concurrency = opts.concurrency ?? PROBE_DEFAULTS.concurrency;
  const maxTokens = opts.maxTokens ?? PROBE_DEFAULTS.maxTokens;
  const elapsed = deps.elapsed ?? (() => performance.now());
  const clock = deps.clock ?? systemClock;
  const onlyProviders = splitList(opts.provider);
  const onlyProfiles = new Set(splitList(opts.profile));

  const providers = new Set<string>(deps.catalog.providers.keys());
  if (deps.profiles) for (const raw of Object.values(deps.profiles(opts.agentId).profiles)) providers.add(raw.provider);
  const selected = onlyProviders.length > 0 ? onlyProviders : [...providers];

  const plan: Planned[] = [];
  const seen = new Set<string>();
  for (const providerId of selected) {
    const model = probeModel(deps, opts.agentId, providerId);
    const res = deps.resolver.resolve({
      agentId: opts.agentId,
      provider: providerId,
      ...(model !== undefined ? { model } : {}),
    });
    const provider = deps.catalog.providers.get(providerId);
    for (const c of res.candidates) {
      if (onlyProfiles.size > 0 && !onlyProfiles.has(c.id)) continue;
      seen.add(c.id);
      const base = { profileId: c.id, provider: providerId, latencyMs: null };
      const skipped = !c.usable && c.reason !== undefined ? NOT_CALLED[c.reason] : undefined;
      if (skipped !== undefined && c.reason !== undefined)
        plan.push({ row: { ...base, model: null, status: skipped, reasonCode: c.reason } });
      else if (model === undefined || !provider)
        plan.push({ row: { ...base, model: null, status: "no_model", reasonCode: "no_model" } });
      else plan.push({ candidate: c, provider, model });
    }
  }
  for (const id of onlyProfiles) {
    const prefix = id.includes(":") ? id.slice(0, id.indexOf(":")) : "";
    if (seen.has(id) || (onlyProviders.length > 0 && !onlyProviders.includes(prefix))) continue;
    plan.push({
      row: {
        profileId: id,
        provider: prefix,
        model: null,
        status: "unknown",
        reasonCode: "missing_profile",
        latencyMs: null,
      },
    });
  }

  const probes = await pool(plan, concurrency, async (p): Promise<ProbeRow> => {
    if ("row" in p) return p.row;
    const { candidate: c, provider, model } = p;
    const started = elapsed();
    const row = { profileId: c.id, provider: provider.id, model };
    try {
      await callProvider(
        provider,
        { secret: c.secret, type: c.type },
        {
          model: providerModelId(model),
          messages: [{ role: "user", content: PROBE_PROMPT }],
          maxTokens,
          timeoutMs,
          headers: deps.resolver.headersFor(provider.id),
        },
      );
      return { ...row, status: "ok", reasonCode: "ok", latencyMs: Math.round(elapsed() - started) };
    } catch (err) {
      const failure = classifyError(err, clock());
      return {
        ...row,
        status: probeStatusOf(failure),
        reasonCode: failure.reasonCode,
        latencyMs: Math.round(elapsed() - started),
      };
    }
  });
  return { probes };
}

/** The human table of probe results, one credential per line, with a summary line. */
export function formatProbeTable(result: ProbeResult): string {
  if (result.probes.length === 0) return "No credentials to probe.";
  const header = ["Profile", "Provider", "Model", "Status", "Reason", "Latency"];
  const rows = result.probes.map((p) => [
    p.profileId,
    p.provider,
    p.model ?? "-",
    p.status,
    p.reasonCode,
    p.latencyMs === null ? "-" : `${p.latencyMs}ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const ok = result.probes.filter((p) => p.status === "ok").length;
  const counts = new Map<ProbeStatus, number>();
  for (const p of result.probes) if (p.status !== "ok") counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const bad = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
  const summary = `${result.probes.length} credential${result.probes.length === 1 ? "" : "s"}: ${ok} ok${bad ? `, ${bad}` : ""}.`;
  return [line(header), ...rows.map(line), "", summary].join("\n");
}
