import type { CredentialResolver } from "../auth/resolver.js";
import { EXPIRING_WINDOW_MS, formatDuration } from "../auth/health.js";
import { listProfiles, type AuthProfilesFile } from "../auth/profiles.js";
import type { AuthProfileStore } from "../auth/store.js";
import type { Assembly } from "../app/assemble.js";
import type { LoadedContext } from "../config/context.js";
import { existingObjectAt, updateConfigFile } from "../config/write.js";
import type { CliIo } from "./io.js";
import type { Finding } from "./doctor-finding.js";
import { orderDriftText } from "./status-report.js";
import { secretProviderSchema, secretProvidersOf } from "../auth/secret-ref.js";
import { MAX_EXEC_OUTPUT_BYTES, MAX_EXEC_TIMEOUT_MS } from "../auth/exec-ref.js";
import { untrusted, untrustedProgram } from "../util/file-trust.js";

/**
 * Order lists that name no stored profile (DESIGN section 3, issue 18's order drift). Reported as
 * a warning; `--fix` removes such a list: the agent's own from its credential store, a config
 * `auth.order.<provider>` only when no agent stores any of its ids.
 */
export async function orderDriftFindings(
  ctx: LoadedContext,
  files: ReadonlyMap<string, AuthProfilesFile>,
  resolver: CredentialResolver,
  store: AuthProfileStore,
  fix: boolean,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const configOrder = ctx.loaded.config.auth?.order ?? {};
  const storedAnywhere = (id: string) => [...files.values()].some((f) => id in f.profiles);
  const configDrift = Object.entries(configOrder).filter(([, ids]) => ids.length > 0 && !ids.some(storedAnywhere));
  for (const [provider, ids] of configDrift) {
    const text = `${orderDriftText(provider, { source: "config", ids })} (${ids.join(", ")}); the stored profiles are used instead`;
    if (!fix) {
      findings.push({ check: "auth-order", severity: "warn", message: text, fix: "openclaw doctor --fix removes it" });
      continue;
    }
    await updateConfigFile(ctx.loaded.path, ctx.stateDir, (raw) => {
      const order = existingObjectAt(raw, "auth", "order");
      if (!order || !(provider in order)) return false;
      delete order[provider];
      const auth = existingObjectAt(raw, "auth");
      if (auth && Object.keys(order).length === 0) delete auth.order;
      return true;
    });
    findings.push({
      check: "auth-order",
      severity: "fixed",
      message: `removed auth.order.${provider} from ${ctx.loaded.path}: it named only ${ids.join(", ")}, which no longer exist`,
    });
  }
  for (const [agentId, file] of files) {
    for (const provider of Object.keys(file.order ?? {})) {
      const drift = resolver.resolve({ agentId, provider }).orderDrift.find((d) => d.source === "agent");
      if (!drift) continue;
      const text = `agent ${agentId}: ${orderDriftText(provider, drift)} (${drift.ids.join(", ")})`;
      if (!fix) {
        findings.push({
          check: "auth-order",
          severity: "warn",
          message: text,
          fix: `openclaw doctor --fix removes it (or: openclaw models auth order clear --provider ${provider})`,
        });
        continue;
      }
      await store.update(agentId, (f) => {
        if (!f.order) return;
        delete f.order[provider];
        if (Object.keys(f.order).length === 0) delete f.order;
      });
      findings.push({ check: "auth-order", severity: "fixed", message: `${text}: removed` });
    }
  }
  return findings;
}

/**
 * Refreshable OAuth profiles expiring within 24 h: fine as they are (the gateway refreshes them
 * before use), and refreshed now with `--fix`, through the same lease as the gateway's refreshes.
 */
export async function oauthRefreshFindings(
  app: Assembly,
  io: CliIo,
  files: ReadonlyMap<string, AuthProfilesFile>,
  fix: boolean,
): Promise<Finding[]> {
  const now = io.clock();
  const due = [...files].flatMap(([agentId, file]) =>
    listProfiles(file)
      .filter((p) => p.refreshable && p.expires !== undefined && p.expires - now <= EXPIRING_WINDOW_MS)
      .map((p) => ({ agentId, p })),
  );
  if (due.length === 0) return [];
  const when = (expires: number | undefined) =>
    expires === undefined || expires > now
      ? `expires in ${formatDuration((expires ?? now) - now)}`
      : `expired ${formatDuration(now - expires)} ago`;
  if (!fix)
    return due.map(({ agentId, p }) => ({
      check: "oauth",
      severity: "ok",
      message: `${p.id} (agent ${agentId}) ${when(p.expires)}; refreshable, so it is refreshed before use (doctor --fix refreshes it now)`,
    }));

  // The store stays open for the rest of doctor, which closes it.
  const refresher = await app.refresher();
  const findings: Finding[] = [];
  for (const { agentId, p } of due) {
    const got = await refresher.ensureFresh(
      { agentId, provider: p.provider, profileId: p.id },
      { withinMs: EXPIRING_WINDOW_MS },
    );
    if (got.ok) {
      io.rememberSecrets([got.secret]);
      findings.push({
        check: "oauth",
        severity: got.refreshed ? "fixed" : "ok",
        message: `${p.id} (agent ${agentId}) ${got.refreshed ? "refreshed" : "was refreshed by another process"}; ${when(got.expires)}`,
      });
    } else {
      const f = got.failure;
      findings.push({
        check: "oauth",
        severity: f.transient ? "warn" : "error",
        message: `${p.id} (agent ${agentId}): ${f.message}`,
        ...(f.hint !== undefined ? { fix: f.hint } : {}),
      });
    }
  }
  return findings;
}

/**
 * File and exec SecretRef providers others could subvert, which the resolver therefore refuses:
 * a config file, or an exec program or its directory, that someone else may change.
 */
export function secretProviderFindings(ctx: LoadedContext): Finding[] {
  const providers = secretProvidersOf(ctx.loaded.config);
  if (typeof providers !== "object" || providers === null) return [];
  const findings: Finding[] = [];
  let refsFromConfig = false;
  for (const [alias, raw] of Object.entries(providers)) {
    const p = secretProviderSchema.safeParse(raw);
    if (!p.success || p.data.source === "env") continue;
    refsFromConfig = true;
    const { timeoutMs, maxOutputBytes } = p.data;
    if (p.data.source === "exec" && timeoutMs !== undefined && timeoutMs > MAX_EXEC_TIMEOUT_MS)
      findings.push({
        check: "secrets",
        severity: "info",
        message: `secrets.providers.${alias}.timeoutMs ${timeoutMs} is capped at ${MAX_EXEC_TIMEOUT_MS} ms`,
      });
    if (p.data.source === "exec" && maxOutputBytes !== undefined && maxOutputBytes > MAX_EXEC_OUTPUT_BYTES)
      findings.push({
        check: "secrets",
        severity: "info",
        message: `secrets.providers.${alias}.maxOutputBytes ${maxOutputBytes} is capped at ${MAX_EXEC_OUTPUT_BYTES} bytes`,
      });
    const unsafe =
      p.data.source === "exec" && p.data.command !== undefined ? untrustedProgram(p.data.command) : undefined;
    if (unsafe)
      findings.push({
        check: "secrets",
        severity: "error",
        message: `secrets.providers.${alias}: ${unsafe.problem}, so its exec refs are refused`,
        fix: unsafe.fix,
      });
  }
  const config = refsFromConfig ? untrusted(ctx.loaded.path) : undefined;
  if (config)
    findings.push({
      check: "secrets",
      severity: "error",
      message: `${config.problem}, so its file and exec SecretRefs are refused (it names what they read and run)`,
      fix: config.fix,
    });
  return findings;
}
