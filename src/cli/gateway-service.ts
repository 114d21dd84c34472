import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CliIo } from "./io.js";
import { EXIT, fail } from "./errors.js";
import { stateDir as stateDirOf } from "../config/paths.js";
import { managerTool, serviceManager, toolRunner, type ServiceManager, type ToolCommand } from "../service/manager.js";
import type { ServiceSpec } from "../service/unit-files.js";
import { ensurePrivateDir, readIfExists, writeFileAtomic } from "../util/secure-fs.js";
import { cliBinPath } from "../util/package-root.js";
import { lineDiff } from "../util/line-diff.js";

/** Flags of `openclaw gateway install`. */
export interface InstallOptions {
  readonly port?: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

/** The platform's manager, or a clear failure on one without systemd or launchd. */
export function requireManager(io: CliIo): ServiceManager {
  const manager = serviceManager(io.env);
  if (!manager)
    fail(
      "service_unsupported",
      `Running the gateway as a service is supported on Linux (systemd) and macOS (launchd), not on ${process.platform}.`,
      "Run `openclaw gateway` in the foreground instead.",
    );
  return manager;
}

/** The manager's tool, or a clear failure where it does not exist (a container, CI). */
function requireTool(io: CliIo, manager: ServiceManager): string {
  const tool = managerTool(manager, io.env);
  if (tool === undefined) {
    fail(
      "service_manager_missing",
      `${manager.toolName} was not found on PATH, so the gateway cannot be managed as a ${manager.kind} service here (a container or CI has none).`,
      "Run `openclaw gateway` in the foreground, or under your own supervisor.",
    );
  }
  return tool;
}

/** What the unit runs: this install's node and CLI, and the state dir when it is not the default. */
export function serviceSpec(io: CliIo, port: number | undefined): ServiceSpec {
  const state = stateDirOf(io.env);
  const env: Record<string, string> = {};
  if (state !== path.join(os.homedir(), ".openclaw")) env.OPENCLAW_STATE_DIR = state;
  const configPath = io.env.OPENCLAW_CONFIG_PATH?.trim();
  if (configPath) env.OPENCLAW_CONFIG_PATH = path.resolve(io.cwd, configPath);
  if (port !== undefined) env.OPENCLAW_GATEWAY_PORT = String(port);
  return {
    node: process.execPath,
    cli: cliBinPath(),
    env,
    logDir: path.join(state, "logs"),
  };
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    fail("bad_flag", `--port expects a port number (1-65535), got "${value}".`);
  return n;
}

const show = (cmd: ToolCommand) => cmd.join(" ");

/** Runs manager commands in order, saying what each did; stops at the first failure (exit 1). */
async function runAll(io: CliIo, tool: string, commands: readonly ToolCommand[]): Promise<number> {
  const run = toolRunner(tool, io.env);
  for (const cmd of commands) {
    const r = await run(cmd);
    if (r.code !== 0) {
      const why = r.timedOut ? "timed out" : `exit ${r.code ?? "?"}`;
      io.err(`error: \`${show(cmd)}\` failed (${why})${r.stderr.trim() ? `: ${r.stderr.trim()}` : ""}`);
      return EXIT.problem;
    }
    io.out(`Ran: ${show(cmd)}`);
  }
  return EXIT.ok;
}

/**
 * `openclaw gateway install`: writes the systemd user unit or launchd agent, then enables (systemd)
 * or loads (launchd) it. `--dry-run` prints the file and the commands and changes nothing; an
 * existing, different unit is replaced only with `--force` (the diff is shown either way).
 */
export async function runGatewayInstall(io: CliIo, opts: InstallOptions): Promise<number> {
  const manager = requireManager(io);
  const spec = serviceSpec(io, parsePort(opts.port));
  const text = manager.render(spec);
  if (opts.dryRun) {
    io.out(`Would write ${manager.unitPath}:\n\n${text}`);
    io.out(`Would run:\n${manager.installCommands.map((c) => `  ${show(c)}`).join("\n")}`);
    if (managerTool(manager, io.env) === undefined)
      io.out(`Note: ${manager.toolName} is not on PATH here; install would fail.`);
    return EXIT.ok;
  }
  const tool = requireTool(io, manager);
  const existing = readIfExists(manager.unitPath);
  if (existing !== undefined && existing !== text) {
    const diff = lineDiff(existing, text).filter((l) => !l.startsWith("  "));
    if (!opts.force) {
      io.err(
        `error: ${manager.unitPath} exists and differs from the unit this install would write:\n${diff.join("\n")}`,
      );
      io.err("hint: run `openclaw gateway install --force` to replace it.");
      return EXIT.problem;
    }
    io.out(`Replacing ${manager.unitPath}:\n${diff.join("\n")}`);
  }
  if (existing === text) io.out(`${manager.unitPath} is already up to date.`);
  else {
    if (manager.kind === "launchd") ensurePrivateDir(spec.logDir);
    fs.mkdirSync(path.dirname(manager.unitPath), { recursive: true });
    writeFileAtomic(manager.unitPath, text, { privateDir: false });
    io.out(`Wrote ${manager.unitPath}`);
  }
  const code = await runAll(io, tool, manager.installCommands);
  if (code === EXIT.ok)
    io.out("Installed. Start it with `openclaw gateway start`; check it with `openclaw gateway status`.");
  return code;
}

/** `openclaw gateway uninstall`: stops and disables (or boots out) the service, then removes its file. */
export async function runGatewayUninstall(io: CliIo): Promise<number> {
  const manager = requireManager(io);
  const tool = requireTool(io, manager);
  if (!fs.existsSync(manager.unitPath)) {
    io.out(`Nothing to uninstall: ${manager.unitPath} does not exist.`);
    return EXIT.ok;
  }
  const code = await runAll(io, tool, manager.uninstallCommands);
  if (code !== EXIT.ok) return code;
  fs.rmSync(manager.unitPath);
  io.out(`Removed ${manager.unitPath}`);
  return manager.kind === "systemd" ? runAll(io, tool, [["systemctl", "--user", "daemon-reload"]]) : EXIT.ok;
}

/** `openclaw gateway start|stop|restart`. */
export async function runGatewayAction(io: CliIo, action: "start" | "stop" | "restart"): Promise<number> {
  const manager = requireManager(io);
  const tool = requireTool(io, manager);
  if (!fs.existsSync(manager.unitPath))
    fail(
      "service_not_installed",
      `The gateway service is not installed (${manager.unitPath} does not exist).`,
      "Run `openclaw gateway install` first.",
    );
  return runAll(io, tool, [manager.action(action)]);
}
