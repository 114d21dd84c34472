import type { ProbeResult, ProbeRow } from "../providers/probe.js";
import { EXIT } from "./errors.js";
import type { StatusReport } from "./status-report.js";

/**
 * A probe that says the credential cannot serve requests: a call was made and it failed for a
 * reason other than a rate limit (which passes by itself, as a cooldown does). Rows of credentials
 * that were not called (excluded, expired, ...) are already judged by the status report.
 */
function failed(row: ProbeRow): boolean {
  return row.latencyMs !== null && row.status !== "ok" && row.status !== "rate_limit";
}

/**
 * The report with failed probes of the default model's credentials counted as `--check` problems
 * (exit 1): a live 401 is as broken as a missing key. Probes of other providers stay in the table.
 */
export function withProbeFindings(report: StatusReport, probed: ProbeResult): StatusReport {
  const extra = probed.probes
    .filter((row) => row.provider === report.defaultModel.provider && failed(row))
    .map(
      (row) =>
        `probe of ${row.profileId} failed: ${row.status} (${row.reasonCode})${row.model ? ` with ${row.model}` : ""}`,
    );
  if (extra.length === 0) return report;
  const problems = [...report.check.problems, ...extra];
  return { ...report, check: { ...report.check, problems, exitCode: EXIT.problem } };
}
