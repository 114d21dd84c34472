import type { CliIo } from "./io.js";
import { openCliContext, type CliContext } from "./cli-context.js";
import type { ProbeResult } from "../providers/probe.js";
import { UserFacingError, userError } from "../util/user-error.js";
import {
  buildStatusReport,
  type CandidateView,
  type ProviderAuth,
  type SpendToday,
  type StatusReport,
} from "./status-report.js";
import { spendTodayByProfile } from "../sessions/usage-window.js";
import { costText } from "../sessions/usage-text.js";
import { columns, expiryText, healthWord, toJson, wrapList } from "./format.js";
import { EXIT } from "./errors.js";
import { storedOrKnownProvider } from "./save-credential.js";
import { retirementText } from "../models/retirement.js";
import { formatDuration } from "../auth/health.js";
import { withProbeFindings } from "./probe-check.js";

/** Flags of `openclaw models status` (and bare `openclaw models`). */
export interface ModelsStatusOptions {
  readonly agent?: string;
  readonly json?: boolean;
  readonly plain?: boolean;
  readonly check?: boolean;
  /** Live probes: a tiny request per credential (`--probe` and its `--probe-*` flags). */
  readonly probe?: boolean;
  readonly probeProvider?: string[];
  readonly probeProfile?: string[];
  readonly probeTimeout?: string;
  readonly probeConcurrency?: string;
  readonly probeMaxTokens?: string;
}

function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UserFacingError(userError("bad_flag", `${flag} expects a positive whole number, got "${value}".`));
  return n;
}

/** Runs `--probe`; the provider SDKs are loaded only here. */
async function probes(cli: CliContext, opts: ModelsStatusOptions): Promise<ProbeResult> {
  const { runProbes } = await import("../providers/probe.js");
  return runProbes(
    {
      resolver: cli.resolver,
      catalog: cli.ctx.catalog,
      config: cli.ctx.loaded.config,
      profiles: (id) => cli.profiles(id),
      clock: cli.io.clock,
    },
    {
      agentId: cli.agentId,
      ...(opts.probeProvider ? { provider: opts.probeProvider } : {}),
      ...(opts.probeProfile ? { profile: opts.probeProfile } : {}),
      timeoutMs: positive(opts.probeTimeout, "--probe-timeout", 8000),
      concurrency: positive(opts.probeConcurrency, "--probe-concurrency", 2),
      maxTokens: positive(opts.probeMaxTokens, "--probe-max-tokens", 8),
    },
  );
}

/** Today's spend per profile, read from the session store when there is one (no store: nothing spent). */
async function spendToday(cli: CliContext): Promise<SpendToday> {
  const store = await cli.app.existingSessions();
  return store ? spendTodayByProfile(store.ledger, cli.io.clock()) : new Map();
}

/**
 * `openclaw models status`: config, default model, aliases and an auth overview per provider.
 * With `--check` the exit code says whether the default route can run: 0 fine, 1 missing, expired
 * or incompatible credential (or any expired profile), 2 only something expiring within 24 h.
 */
export async function runModelsStatus(io: CliIo, opts: ModelsStatusOptions): Promise<number> {
  const cli = await openCliContext(io, { agent: opts.agent });
  try {
    // Checked first: a typo would otherwise probe nothing and pass.
    for (const id of (opts.probeProvider ?? []).flatMap((v) => v.split(",")))
      if (id.trim() !== "") storedOrKnownProvider(cli, id);
    const diagnostics: string[] = [];
    const built = buildStatusReport(cli, diagnostics, await spendToday(cli));
    for (const d of diagnostics) io.err(d);
    const probed = opts.probe ? await probes(cli, opts) : undefined;
    const report = probed ? withProbeFindings(built, probed) : built;
    if (opts.json) io.out(toJson(probed ? { ...report, probes: probed.probes } : report));
    else {
      const lines = opts.plain ? renderPlain(report, io.clock()) : renderText(report, io.clock());
      if (probed) {
        // In text the table goes before the closing Check section, which also judges the probes.
        const { formatProbeTable } = await import("../providers/probe.js");
        const at = opts.plain ? lines.length : lines.findLastIndex((l) => l.startsWith("Check: "));
        lines.splice(
          at,
          0,
          ...(opts.plain ? ["", "Probes", formatProbeTable(probed)] : ["Probes", formatProbeTable(probed), ""]),
        );
      }
      io.out(lines.join("\n"));
    }
    return opts.check ? report.check.exitCode : EXIT.ok;
  } finally {
    await cli.close();
  }
}

const SOURCE_TEXT = { pin: "session pin" } as const;

const ENV_SOURCE_TEXT: Record<string, string> = {
  process: "shell env",
  "cwd-dotenv": "./.env",
  "state-dotenv": "state .env",
  config: "config env",
};

function orderText(p: ProviderAuth): string {
  if (p.orderSource === "agent") return "agent order";
  if (p.orderSource === "config") return `config auth.order.${p.provider}`;
  return "default order";
}

function describeEffective(p: ProviderAuth): string {
  const e = p.effective;
  if (!e) return `none: ${p.error?.message ?? "no usable credential"}`;
  const from =
    e.kind === "env"
      ? `${e.variable ?? "env"} from ${ENV_SOURCE_TEXT[e.envSource ?? ""] ?? "env"}`
      : e.kind === "config"
        ? "from the config"
        : e.source === "pin"
          ? SOURCE_TEXT.pin
          : orderText(p);
  return `${e.id} (${e.type}, ${from})`;
}

/** `ok`, `EXPIRED`, or the skip reason (with `EXPIRED` when that is also true). */
function stateText(c: CandidateView): string {
  if (c.usable && c.refreshable && (c.health === "expired" || c.health === "expiring")) return "refreshable";
  if (c.usable) return healthWord(c.health);
  if (c.reasonCode === "expired") return "EXPIRED";
  return c.health === "expired" ? `${c.reasonCode ?? "unusable"}, EXPIRED` : (c.reasonCode ?? "unusable");
}

function candidateRow(c: CandidateView, chosen: string | undefined, now: number): string[] {
  const marker = c.id === chosen ? "→" : " ";
  const expiry = c.kind === "env" ? (ENV_SOURCE_TEXT[c.envSource ?? ""] ?? "env") : expiryText(c.expires, now);
  return [marker, c.id, c.type, c.masked, stateText(c), expiry, spentText(c)];
}

/** `today $0.42` for a profile that paid for turns today; empty (and so unprinted) for one that did not. */
function spentText(c: CandidateView): string {
  if (c.turnsToday === 0) return "";
  return `today ${costText({ turns: c.turnsToday, costUsd: c.spentTodayUsd, unpricedTurns: c.unpricedTurnsToday })}`;
}

/** The human view: sections with headings, aligned columns, the effective credential marked `→`. */
export function renderText(r: StatusReport, now: number): string[] {
  const lines: string[] = [];
  const aliasLines = wrapList(
    Object.entries(r.aliases).map(([a, ref]) => `${a} → ${ref}`),
    88,
  );
  const deprecated = r.defaultModel.deprecated ? `, ${retirementText(r.defaultModel.deprecated, now)}` : "";
  const notInCatalog = r.defaultModel.inCatalog ? "" : ", not in the catalog";
  lines.push(
    ...columns([
      ["Config", r.configExists ? r.configPath : `${r.configPath} (not found, using defaults)`],
      ["Agent", r.agentId],
      ["Agent dir", r.agentDir],
      ["Auth store", r.authStore.text],
      ...(r.authStore.ignoredFile ? [["", `ignored: ${r.authStore.ignoredFile} (see \`openclaw doctor\`)`]] : []),
      ["Default", `${r.defaultModel.ref} (${r.defaultModel.source}${deprecated}${notInCatalog})`],
      ["Fallbacks", r.fallbacks.length ? r.fallbacks.join(", ") : "none"],
      ...(aliasLines.length ? aliasLines.map((l, i) => [i === 0 ? "Aliases" : "", l]) : [["Aliases", "none"]]),
    ]),
  );

  lines.push("", "Auth overview");
  for (const p of r.auth.providers) {
    const need = p.neededBy.length ? ` · needed by ${p.neededBy.join(", ")}` : "";
    lines.push(`  ${p.provider} (${p.name})${need}`);
    const typeCounts = (["oauth", "token", "api_key"] as const)
      .filter((t) => p.profiles[t] > 0)
      .map((t) => `${p.profiles[t]} ${t}`);
    const profileText =
      p.profiles.total === 0 ? "none stored" : `${p.profiles.total} stored (${typeCounts.join(", ")})`;
    lines.push(
      ...columns(
        [
          ["effective", describeEffective(p)],
          ["profiles", `${profileText} · env keys: ${p.env}`],
          ...p.orderDrift.map((d) => ["order", `${d.text} (${d.ids.join(", ")}); using the stored profiles`]),
        ],
        "    ",
      ),
    );
    if (p.candidates.length)
      lines.push(
        ...columns(
          p.candidates.map((c) => candidateRow(c, p.effective?.id, now)),
          "    ",
        ),
      );
  }

  if (r.auth.missing.length) {
    lines.push("", "Missing auth");
    for (const m of r.auth.missing) {
      const role = m.primary ? "default model" : "fallback";
      lines.push(`  ${m.provider}: no usable credential (${role} ${m.neededBy.join(", ")}; ${m.reasonCode})`);
      m.commands.forEach((c, i) => lines.push(`    ${i === 0 ? "fix:" : " or:"} ${c}`));
    }
  }

  const tokens = r.auth.oauth.profiles.filter((t) => t.kind === "profile" && t.expiresAt !== null);
  lines.push("", "Tokens");
  if (tokens.length === 0) lines.push("  none with an expiry");
  else {
    lines.push(
      ...columns(
        tokens.map((t) => [
          t.id,
          t.type,
          t.refreshable && t.health !== "ok" ? "refreshable" : healthWord(t.health),
          expiryText(t.expiresAt === null ? undefined : Date.parse(t.expiresAt), now),
          t.expiresAt ?? "",
          t.lastRefreshAt ? `refreshed ${formatDuration(now - Date.parse(t.lastRefreshAt))} ago` : "",
        ]),
        "  ",
      ),
    );
  }

  if (r.auth.unusableProfiles.length) {
    lines.push("", "Unusable profiles");
    for (const u of r.auth.unusableProfiles) {
      lines.push(`  ${u.id}  ${u.reasonCode}: ${u.detail}`);
      lines.push(`    fix: ${u.recovery}`);
    }
  }

  const { problems, warnings, notes } = r.check;
  const noteText = notes.length ? `${notes.length} note${notes.length > 1 ? "s" : ""}` : "";
  lines.push("");
  if (problems.length === 0 && warnings.length === 0) lines.push(`Check: ok${noteText ? `, ${noteText}` : ""}`);
  else {
    const parts = [
      problems.length ? `${problems.length} problem${problems.length > 1 ? "s" : ""}` : "",
      warnings.length ? `${warnings.length} expiring` : "",
      noteText,
    ].filter(Boolean);
    lines.push(`Check: ${parts.join(", ")} (--check exits ${r.check.exitCode})`);
  }
  for (const p of problems) lines.push(`  ✗ ${p}`);
  for (const w of warnings) lines.push(`  ! ${w}`);
  for (const n of notes) lines.push(`  ? ${n}`);
  return lines;
}

/** `--plain`: one tab-separated record per line, first field the record kind, no decoration. */
export function renderPlain(r: StatusReport, now: number): string[] {
  const row = (...cells: (string | number | null | undefined)[]) =>
    cells.map((c) => (c === null || c === undefined ? "-" : String(c))).join("\t");
  const out = [
    row("config", r.configPath, r.configExists ? "exists" : "missing"),
    row("agent", r.agentId, r.agentDir),
    row("default", r.defaultModel.ref, r.defaultModel.source),
    ...r.fallbacks.map((f) => row("fallback", f)),
    ...Object.entries(r.aliases).map(([a, ref]) => row("alias", a, ref)),
  ];
  for (const p of r.auth.providers) {
    out.push(
      row(
        "provider",
        p.provider,
        p.effective?.id ?? "none",
        p.orderSource,
        p.profiles.total,
        p.env,
        p.neededBy.join(",") || null,
      ),
    );
    for (const c of p.candidates) {
      out.push(
        row(
          "credential",
          p.provider,
          c.id,
          c.type,
          c.masked,
          c.health,
          c.kind === "env" ? c.envSource : expiryText(c.expires, now),
          c.usable ? "usable" : c.reasonCode,
        ),
      );
    }
  }
  for (const m of r.auth.missing) out.push(row("missing", m.provider, m.reasonCode, m.commands[0]));
  for (const t of r.auth.oauth.profiles)
    if (t.kind === "profile")
      out.push(
        row("token", t.id, t.type, t.health, t.expiresAt, t.refreshable ? "refreshable" : null, t.lastRefreshAt),
      );
  for (const u of r.auth.unusableProfiles) out.push(row("unusable", u.id, u.reasonCode, u.recovery));
  for (const n of r.check.notes) out.push(row("note", n));
  out.push(row("check", r.check.exitCode));
  return out;
}
