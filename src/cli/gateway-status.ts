import type { CliIo } from "./io.js";
import { EXIT } from "./errors.js";
import { toJson } from "./format.js";
import { bindAddress, gatewayPort, localBaseUrl } from "../gateway/address.js";
import type { PublicReadiness, ReadinessReport } from "../gateway/readiness.js";
import { formatDuration } from "../auth/health.js";
import { managerTool, serviceManager, toolRunner, type ServiceState } from "../service/manager.js";
import { cliAssembly, openCliContext } from "./cli-context.js";
import { buildStatusReport } from "./status-report.js";

/** Flags of `openclaw gateway status`. */
export interface GatewayStatusOptions {
  readonly deep?: boolean;
  readonly json?: boolean;
}

/** Exit codes of `gateway status` (DESIGN section 8). */
export const STATUS_EXIT = { ready: 0, down: 1, degraded: 2 } as const;

/** How long each HTTP probe may take. */
const PROBE_MS = 3000;

interface Probe {
  readonly url: string;
  readonly healthz: { readonly ok: boolean; readonly status?: number; readonly error?: string };
  readonly readyz?: { readonly status: number; readonly report?: ReadinessReport | PublicReadiness };
}

/** True for the whole report, which `/readyz` gives only to a caller with the metrics token. */
function isDetailed(report: ReadinessReport | PublicReadiness): report is ReadinessReport {
  return "channels" in report;
}

async function probe(base: string, metricsToken: string | undefined): Promise<Probe> {
  const url = `${base}/healthz`;
  try {
    const health = await fetch(url, { signal: AbortSignal.timeout(PROBE_MS) });
    await health.body?.cancel();
    const ready = await fetch(`${base}/readyz`, {
      signal: AbortSignal.timeout(PROBE_MS),
      ...(metricsToken !== undefined ? { headers: { authorization: `Bearer ${metricsToken}` } } : {}),
    });
    const report = ready.headers.get("content-type")?.includes("json")
      ? ((await ready.json()) as ReadinessReport | PublicReadiness)
      : undefined;
    return {
      url: base,
      healthz: { ok: health.ok, status: health.status },
      readyz: { status: ready.status, ...(report ? { report } : {}) },
    };
  } catch (err) {
    const cause =
      err instanceof Error && err.cause instanceof Error
        ? err.cause.message
        : err instanceof Error
          ? err.message
          : String(err);
    return { url: base, healthz: { ok: false, error: cause } };
  }
}

type ServiceView =
  | ({ readonly manager: "systemd" | "launchd"; readonly unitPath: string } & ServiceState)
  | { readonly manager: "none"; readonly note: string };

async function serviceView(io: CliIo): Promise<ServiceView> {
  const manager = serviceManager(io.env);
  if (!manager) return { manager: "none", note: `no service manager on ${process.platform}` };
  const tool = managerTool(manager, io.env);
  if (tool === undefined) return { manager: "none", note: `${manager.toolName} not found on PATH` };
  return { manager: manager.kind, unitPath: manager.unitPath, ...(await manager.state(toolRunner(tool, io.env))) };
}

/**
 * `openclaw gateway status`: the service manager's view (installed, active, pid), an HTTP probe of
 * `/healthz` and `/readyz`, what the running gateway reports about itself, and with `--deep` the
 * `models status --check` verdict. Exit 0 ready, 1 down (not answering, or no usable credential
 * for the default model), 2 degraded (answering but not ready, or a credential expiring).
 */
export async function runGatewayStatus(io: CliIo, opts: GatewayStatusOptions): Promise<number> {
  const app = cliAssembly(io);
  const ctx = app.context;
  for (const w of ctx.loaded.warnings) io.err(`warning: ${w}`);
  const port = gatewayPort(ctx.loaded.config, io.env, true) ?? 0;
  const address = bindAddress(ctx.loaded.config.gateway);
  const metricsToken = ctx.loaded.config.gateway?.metrics?.token;
  const [service, http] = await Promise.all([serviceView(io), probe(localBaseUrl(address, port), metricsToken)]);
  let deep: { exitCode: number; problems: readonly string[]; warnings: readonly string[] } | undefined;
  if (opts.deep) {
    const cli = await openCliContext(io, { app });
    try {
      const diagnostics: string[] = [];
      deep = buildStatusReport(cli, diagnostics).check;
    } finally {
      await cli.close();
    }
  }
  const report = http.readyz?.report;
  let exitCode: number = STATUS_EXIT.ready;
  if (!http.healthz.ok || deep?.exitCode === EXIT.problem) exitCode = STATUS_EXIT.down;
  else if (http.readyz?.status !== 200 || deep?.exitCode === EXIT.expiring) exitCode = STATUS_EXIT.degraded;
  const verdict = exitCode === STATUS_EXIT.ready ? "ready" : exitCode === STATUS_EXIT.down ? "down" : "degraded";
  if (opts.json) {
    io.out(
      toJson({
        verdict,
        exitCode,
        service,
        http: {
          url: http.url,
          healthz: http.healthz,
          readyz: http.readyz ? { status: http.readyz.status } : undefined,
        },
        gateway: report,
        ...(deep ? { check: deep } : {}),
      }),
    );
    return exitCode;
  }
  const lines: string[] = [];
  if (service.manager === "none") lines.push(`Service: unknown (${service.note})`);
  else {
    const pid = service.pid !== undefined ? `, pid ${service.pid}` : "";
    lines.push(
      `Service: ${service.manager} unit ${service.installed ? "installed" : "not installed"}, ${service.state}${pid} (${service.unitPath})`,
    );
  }
  lines.push(
    `HTTP: ${http.url}  /healthz ${http.healthz.ok ? "ok" : `unreachable${http.healthz.error ? ` (${http.healthz.error})` : ""}`}${http.readyz ? `  /readyz ${http.readyz.status}` : ""}`,
  );
  if (report && !isDetailed(report)) {
    for (const c of report.channelsNotReady) lines.push(`Not ready: channel ${c}`);
    lines.push("Details: the gateway shows them only with gateway.metrics.token set");
  } else if (report) {
    lines.push(`Gateway: ${report.version}, pid ${report.pid}, up ${formatDuration(report.uptimeSeconds * 1000)}`);
    lines.push(`State: ${report.stateDir}`, `Config: ${report.configPath}`);
    lines.push(`Store: ${report.store.kind} ${report.store.where} (${report.storeUp ? "answering" : "NOT answering"})`);
    lines.push(`Channels: ${report.channels.map((c) => `${c.name} (${c.mode}) ${c.state}`).join(", ") || "none"}`);
    for (const n of report.notReady) lines.push(`Not ready: ${n}`);
  }
  if (deep) {
    lines.push(
      `Credentials: ${deep.exitCode === EXIT.ok ? "ok" : deep.exitCode === EXIT.expiring ? "expiring soon" : "problem"}`,
    );
    for (const p of [...deep.problems, ...deep.warnings]) lines.push(`  - ${p}`);
  }
  lines.push(`Status: ${verdict}`);
  io.out(lines.join("\n"));
  return exitCode;
}
