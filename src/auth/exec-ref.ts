import { createRequire } from "node:module";

/**
 * `node:child_process` on first use: loading it (with `net` and `stream` behind it) cost every
 * command about 10 ms of its start, and only an `exec` SecretRef runs a program.
 */
const childProcess = () => createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");

/** The longest an exec ref may run, whatever `timeoutMs` says: a resolver is not a job runner. */
export const MAX_EXEC_TIMEOUT_MS = 60_000;
/** The most an exec ref may print, whatever `maxOutputBytes` says. */
export const MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;

/** What running a resolver program gave: its stdout, or why there is none (never its output). */
export type ExecOutcome = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly why: string };

/** A resolver program to run once. */
export interface ExecRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly input: string;
  readonly env: Readonly<Record<string, string>>;
  /** Clamped to {@link MAX_EXEC_TIMEOUT_MS}. */
  readonly timeoutMs: number;
  /** Clamped to {@link MAX_EXEC_OUTPUT_BYTES}. */
  readonly maxOutputBytes: number;
}

/** Kills every process of the group `pid` leads; one that is gone already is fine. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group has ended.
  }
}

/**
 * Runs a resolver program without a shell and without blocking the event loop, in its own
 * process group: on timeout, or when it prints more than allowed, the whole group is killed, so
 * a helper it started cannot outlive it. Its output (stdout or stderr) never reaches `why`.
 */
export function runExecProgram(run: ExecRun): Promise<ExecOutcome> {
  const timeoutMs = Math.min(run.timeoutMs, MAX_EXEC_TIMEOUT_MS);
  const maxBytes = Math.min(run.maxOutputBytes, MAX_EXEC_OUTPUT_BYTES);
  const capped = (asked: number, cap: number, unit: string) =>
    asked > cap ? ` (the configured ${asked} ${unit} is capped at ${cap})` : "";
  return new Promise((resolve) => {
    let child: import("node:child_process").ChildProcess;
    try {
      child = childProcess().spawn(run.command, [...run.args], {
        env: run.env,
        detached: true,
        stdio: ["pipe", "pipe", "ignore"],
        shell: false,
        windowsHide: true,
      });
    } catch {
      resolve({ ok: false, why: `${run.command} could not run` });
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let failure: string | undefined;
    const stop = (why: string) => {
      failure ??= why;
      killGroup(child.pid);
    };
    const timer = setTimeout(
      () => stop(`${run.command} timed out after ${timeoutMs} ms${capped(run.timeoutMs, MAX_EXEC_TIMEOUT_MS, "ms")}`),
      timeoutMs,
    );
    child.stdout?.on("data", (d: Buffer) => {
      bytes += d.length;
      if (bytes > maxBytes)
        stop(
          `${run.command} printed more than ${maxBytes} bytes${capped(run.maxOutputBytes, MAX_EXEC_OUTPUT_BYTES, "bytes")}`,
        );
      else chunks.push(d);
    });
    // A program that exits before reading its request closes the pipe; that is not our failure.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(run.input);
    child.on("error", () => {
      clearTimeout(timer);
      resolve({ ok: false, why: `${run.command} could not run` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure !== undefined) resolve({ ok: false, why: failure });
      else if (code !== 0) resolve({ ok: false, why: `${run.command} exited with status ${code ?? signal}` });
      else resolve({ ok: true, stdout: Buffer.concat(chunks).toString("utf8") });
    });
  });
}
