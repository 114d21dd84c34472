import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { clockEnv } from "./clock-env.js";
import { scaled } from "./slowness.js";

/** The repository root (this file is `test/support/cli.ts`). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built binary; tests run the real compiled CLI, as users do. */
export const CLI = path.join(ROOT, "dist", "openclaw.cjs");

/** Fails clearly when `npm run build` has not been run. */
export function requireBuild(): void {
  if (!fs.existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before these tests.`);
}

/** The environment for a CLI process confined to a temp state dir (no real HOME, no shell keys). */
export function cliEnv(stateDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: stateDir,
    OPENCLAW_STATE_DIR: stateDir,
    NO_COLOR: "1",
    ...clockEnv(),
    ...extra,
  };
}

/** Runs the CLI to completion. */
export function runCli(args: string[], opts: { stateDir: string; input?: string; env?: Record<string, string> }) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.stateDir,
    env: cliEnv(opts.stateDir, opts.env),
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: scaled(15_000),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A long-running gateway process fed line by line, for tests that interleave two instances. */
export class GatewayProcess {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = "";
  private waiters: Array<() => void> = [];

  private errors = "";

  constructor(stateDir: string, env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI, "gateway"], { cwd: stateDir, env: cliEnv(stateDir, env) });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (d: string) => {
      this.buffer += d;
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (d: string) => (this.errors += d));
  }

  /** Everything printed so far. */
  get output(): string {
    return this.buffer;
  }

  /** Sends one line and resolves with the new output once it contains `until`. */
  async send(line: string, until: RegExp, timeoutMs = scaled(10_000)): Promise<string> {
    const start = this.buffer.length;
    this.child.stdin.write(`${line}\n`);
    const deadline = Date.now() + timeoutMs;
    while (!until.test(this.buffer.slice(start))) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `no ${until} after ${JSON.stringify(line)}; got: ${this.buffer.slice(start)}; stderr: ${this.errors}; exit: ${this.child.exitCode}`,
        );
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.buffer.slice(start);
  }

  /** Sends a signal and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.kill(signal);
    return exited;
  }
}
