import { execFile } from "node:child_process";

/** How a service-manager command ended. */
export interface ToolResult {
  /** Exit code; `null` when it was killed (timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Longest a `systemctl`/`launchctl` call may take before it is killed: these commands never hang. */
export const TOOL_TIMEOUT_MS = 15_000;

/**
 * Runs a tool with a timeout (killed with SIGKILL after {@link TOOL_TIMEOUT_MS}), no stdin and
 * captured output. Never rejects: a failure to start is an exit code 127 with the reason on stderr.
 */
export function runTool(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = TOOL_TIMEOUT_MS,
): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env, timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8", maxBuffer: 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr, timedOut: false });
        const timedOut = err.killed === true && err.signal === "SIGKILL";
        const code = typeof err.code === "number" ? err.code : timedOut ? null : 127;
        resolve({
          code,
          stdout,
          stderr: stderr || (typeof err.code === "string" ? `${err.code}: ${err.message}` : ""),
          timedOut,
        });
      },
    );
    child.stdin?.end();
  });
}
