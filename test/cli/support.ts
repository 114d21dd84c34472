import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { Clock } from "../../src/util/clock.js";

export { CLI as BIN, requireBuild } from "../support/cli.js";
import { CLI as BIN } from "../support/cli.js";
import { runInProcess } from "../support/in-process-cli.js";
import { clockEnv } from "../support/clock-env.js";
import { scaled } from "../support/slowness.js";

const TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const issued: string[] = [];

function randomChars(n: number): string {
  const bytes = crypto.randomBytes(n);
  let out = "";
  for (const b of bytes) out += TOKEN_CHARS[b % TOKEN_CHARS.length];
  return out;
}

/** A realistic Anthropic setup-token (`sk-ant-oat01-` + 90 chars), remembered for the leak check. */
export function setupToken(): string {
  const s = `sk-ant-oat01-${randomChars(90)}`;
  issued.push(s);
  return s;
}

/** A realistic Anthropic API key (`sk-ant-api03-` + 90 chars), remembered for the leak check. */
export function apiKey(prefix = "sk-ant-api03-"): string {
  const s = `${prefix}${randomChars(90)}`;
  issued.push(s);
  return s;
}

/** Every stdout and stderr the suite saw, checked at the end for whole secrets. */
const outputs: { args: string; text: string }[] = [];

/** Asserts no output contains any issued secret, whole or its unmasked middle. */
export function expectNoSecretLeaked(): void {
  expect(issued.length).toBeGreaterThan(0);
  expect(outputs.length).toBeGreaterThan(0);
  for (const s of issued) {
    const middle = s.slice(13, 13 + 40);
    for (const o of outputs) {
      if (o.text.includes(s) || o.text.includes(middle))
        throw new Error(`secret leaked by \`openclaw ${o.args}\`:\n${o.text}`);
    }
  }
}

/** A private sandbox: state dir, HOME and working directory, all temporary. */
export interface Sandbox {
  readonly root: string;
  readonly state: string;
  readonly home: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** `<state>/agents/<agent>/agent/auth-profiles.json` */
  profilesPath(agent?: string): string;
  readonly configPath: string;
  writeConfig(config: unknown, mode?: number): void;
  /** `model-gateway.json`: our own settings. */
  readonly ownConfigPath: string;
  writeOwnConfig(config: unknown): void;
  writeProfiles(file: unknown, agent?: string, mode?: number): void;
  readConfig(): Record<string, any>;
  readProfiles(agent?: string): Record<string, any>;
  run(args: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

/** Extra inputs of one CLI run. */
export interface RunOptions {
  /** Text piped to stdin (stdin is a pipe, never a TTY, unless `tty` is set). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Run the built binary under a pseudo-terminal (`script`), so stdin is a TTY. Without it the
   * command tree runs in-process, which costs milliseconds instead of a Node start per command.
   */
  readonly tty?: boolean;
  /** The time the command sees (in-process runs only); the real clock when absent. */
  readonly clock?: Clock;
  /**
   * Types each `text` once the output (after the previous answer) contains `after`, as a person
   * would. Typing earlier would make the terminal echo it before a prompt hides input.
   */
  readonly answers?: readonly { readonly after: string; readonly text: string }[];
}

/** What one run printed and how it exited. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const roots: string[] = [];

/** Removes every sandbox this test file created. */
export function removeSandboxes(): void {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
}

/** Creates a sandbox; the environment has no provider keys from the developer's shell. */
export function sandbox(): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-cli-"));
  roots.push(root);
  const state = path.join(root, "state");
  const home = path.join(root, "home");
  const cwd = path.join(root, "cwd");
  for (const d of [home, cwd]) fs.mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    OPENCLAW_STATE_DIR: state,
    HOME: home,
    LANG: "C.UTF-8",
    ...clockEnv(),
  };
  const profilesPath = (agent = "main") => path.join(state, "agents", agent, "agent", "auth-profiles.json");
  const configPath = path.join(state, "openclaw.json");
  const writeJson = (file: string, value: unknown, mode: number) => {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2), { mode });
    fs.chmodSync(file, mode);
  };
  return {
    root,
    state,
    home,
    cwd,
    env,
    profilesPath,
    configPath,
    writeConfig: (config, mode = 0o600) => writeJson(configPath, config, mode),
    ownConfigPath: path.join(state, "model-gateway.json"),
    writeOwnConfig: (config) => writeJson(path.join(state, "model-gateway.json"), config, 0o600),
    writeProfiles: (file, agent = "main", mode = 0o600) => writeJson(profilesPath(agent), file, mode),
    readConfig: () => JSON.parse(fs.readFileSync(configPath, "utf8")) as Record<string, any>,
    readProfiles: (agent = "main") => JSON.parse(fs.readFileSync(profilesPath(agent), "utf8")) as Record<string, any>,
    run: (args, opts = {}) => runCli(args, { ...opts, env: { ...env, ...opts.env } }, cwd),
  };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs one CLI command and records its output for the leak check: in-process through
 * `runCli(argv, io)` with piped (non-TTY) stdin, or as the built binary for `gateway` and `tty`.
 */
export async function runCli(
  args: readonly string[],
  opts: RunOptions & { env: NodeJS.ProcessEnv },
  cwd: string,
): Promise<RunResult> {
  // The gateway reads the real stdin and handles signals: it is always its own process. Its
  // `usage-cost` only reads the session store, like any other command.
  if (opts.tty || (args[0] === "gateway" && args[1] !== "usage-cost")) return runProcess(args, opts, cwd);
  const r = await runInProcess(args, {
    env: opts.env,
    cwd,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  outputs.push({ args: args.join(" "), text: `${r.stdout}\n${r.stderr}` });
  return r;
}

function runProcess(
  args: readonly string[],
  opts: RunOptions & { env: NodeJS.ProcessEnv },
  cwd: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = opts.tty
      ? // A pseudo-terminal has no size until one is set; prompts wrap at every character without it.
        spawn(
          "script",
          [
            "-qefc",
            `stty cols 120 rows 40; ${[process.execPath, BIN, ...args].map(shellQuote).join(" ")}`,
            "/dev/null",
          ],
          { cwd, env: opts.env },
        )
      : spawn(process.execPath, [BIN, ...args], { cwd, env: opts.env });
    let stdout = "";
    let stderr = "";
    const answers = [...(opts.answers ?? [])];
    let seen = 0;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const next = answers[0];
      if (!next) return;
      const fresh = stdout.slice(seen).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
      if (!fresh.includes(next.after)) return;
      answers.shift();
      seen = stdout.length;
      if (answers.length === 0) child.stdin.end(next.text);
      else child.stdin.write(next.text);
    });
    // A prompt that never appears would otherwise hang the suite until the test times out.
    const timer = setTimeout(() => child.kill("SIGKILL"), scaled(15_000));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      outputs.push({ args: args.join(" "), text: `${stdout}\n${stderr}` });
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else if (answers.length === 0) child.stdin.end();
  });
}

/** Octal permission bits of a path, e.g. `0600`. */
export function modeOf(p: string): string {
  return `0${(fs.statSync(p).mode & 0o777).toString(8)}`;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
