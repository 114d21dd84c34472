import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { CLI, cliEnv } from "../support/cli.js";
import { scaled } from "../support/slowness.js";

/** Every process started here, killed on exit even when a test's cleanup never ran. */
const running = new Set<ChildProcessWithoutNullStreams>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

/**
 * `openclaw gateway` as a child process with both streams captured. Started with
 * `OPENCLAW_GATEWAY_PORT=0`, so the kernel picks a free port (no race with parallel test files);
 * {@link GatewayChild.listening} reads the bound port from the start-up log line.
 */
export class GatewayChild {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  private waiters: Array<() => void> = [];

  /**
   * `env` is added to (and may override) {@link cliEnv}; the working directory defaults to the state
   * dir; `args` follow `gateway` (`--log-format json`).
   */
  constructor(stateDir: string, env: Record<string, string> = {}, cwd = stateDir, args: readonly string[] = []) {
    this.child = spawn(process.execPath, [CLI, "gateway", ...args], {
      cwd,
      env: cliEnv(stateDir, { OPENCLAW_GATEWAY_PORT: "0", ...env }),
    });
    running.add(this.child);
    this.child.once("exit", () => {
      running.delete(this.child);
      this.wake();
    });
    this.child.stdout.setEncoding("utf8").on("data", (d: string) => {
      this.stdout += d;
      this.wake();
    });
    this.child.stderr.setEncoding("utf8").on("data", (d: string) => {
      this.stderr += d;
      this.wake();
    });
  }

  /** True until the process has exited. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once `stream` (from character `from` on) matches `re`; rejects on timeout or exit. */
  async waitFor(
    stream: "stdout" | "stderr",
    re: RegExp,
    timeoutMs = scaled(10_000),
    from = 0,
  ): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this[stream].slice(from));
      if (m) return m;
      if (!this.alive)
        throw new Error(
          `gateway exited (${this.child.exitCode ?? this.child.signalCode}) before ${re} on ${stream}:\n${this.stderr}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `no ${re} on ${stream} within ${timeoutMs} ms; stderr:\n${this.stderr}\nstdout:\n${this.stdout}`,
        );
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /**
   * Console channel: sends one line and resolves with the new stdout once it matches `until`
   * (console replies are printed in order, one input line at a time).
   */
  async send(line: string, until: RegExp, timeoutMs = scaled(10_000)): Promise<string> {
    const from = this.stdout.length;
    this.child.stdin.write(`${line}\n`);
    await this.waitFor("stdout", until, timeoutMs, from);
    return this.stdout.slice(from);
  }

  /**
   * The HTTP port the gateway bound (from its start-up line `…; http <host>:<port>`), once
   * `/readyz` says every channel is connected.
   */
  async listening(timeoutMs = scaled(15_000)): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const port = Number((await this.waitFor("stderr", /; http \S+:(\d+)$/m, timeoutMs))[1]);
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return port;
      if (!this.alive || Date.now() > deadline)
        throw new Error(`gateway on port ${port} not ready within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code. */
  async stop(graceMs = 5_000): Promise<number | null> {
    if (!this.alive) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
