import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CliIo } from "./io.js";
import { EXIT, fail } from "./errors.js";
import { configPath as configPathOf, stateDir as stateDirOf, stateEnvFile } from "../config/paths.js";
import { assemble } from "../app/assemble.js";
import { cliLog } from "./cli-log.js";
import { CHANNEL_TOKEN_VARIABLE, channelsWithCredentials } from "../config/channel-credentials.js";
import { UserFacingError } from "../util/user-error.js";
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

/** Why the manager cannot be reached (no user bus), or undefined when it answers. */
async function unreachable(io: CliIo, tool: string, manager: ServiceManager): Promise<string | undefined> {
  if (!manager.reachability) return undefined;
  const r = await toolRunner(tool, io.env)(manager.reachability.probe);
  if (r.code === 0) return undefined;
  return r.timedOut ? "timed out" : r.stderr.trim() || `exit ${r.code ?? "?"}`;
}

/**
 * Warns when the service would have nothing to serve: without Telegram or Discord the gateway runs
 * the console channel, which needs the terminal a service does not have, and ends at once. Looks
 * where the service looks: the config and `<state>/.env`, not this shell's environment.
 */
function warnWithoutChannels(io: CliIo, spec: ServiceSpec): void {
  const home = io.env.HOME || os.homedir();
  const serviceEnv: NodeJS.ProcessEnv = { HOME: home, ...spec.env };
  let channels: readonly string[];
  try {
    const { context: ctx } = assemble({
      env: serviceEnv,
      cwd: home,
      clock: io.clock,
      log: cliLog((line) => io.err(line)),
    });
    channels = channelsWithCredentials(ctx.loaded.config, ctx.env.values);
  } catch (err) {
    if (!(err instanceof UserFacingError)) throw err;
    io.err(`warning: the service will not start until its config loads: ${err.detail.message}`);
    return;
  }
  if (channels.length > 0) return;
  const envFile = stateEnvFile(stateDirOf(serviceEnv));
  io.err(
    `warning: the service would serve no channel: neither Telegram nor Discord is configured in ${configPathOf(serviceEnv)} or ${envFile}, and the console channel needs a terminal, which a service does not have, so the gateway would exit at once.`,
  );
  for (const variable of Object.values(CHANNEL_TOKEN_VARIABLE))
    if (io.env[variable])
      io.err(`warning: ${variable} is set in this shell only; a service does not get your shell's environment.`);
  io.err(
    `hint: put TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN in ${envFile} (or set channels.telegram.botToken / channels.discord.token), then run \`openclaw gateway restart\`.`,
  );
}

/**
 * `openclaw gateway install`: checks that the service manager answers, writes the systemd user
 * unit or launchd agent, then enables (systemd) or loads (launchd) it. `--dry-run` prints the file
 * and the commands and changes nothing; an existing, different unit is replaced only with
 * `--force` (the diff is shown either way). A new unit the manager then refuses is removed again,
 * so a failed install leaves nothing that looks installed.
 */
export async function runGatewayInstall(io: CliIo, opts: InstallOptions): Promise<number> {
  const manager = requireManager(io);
  const spec = serviceSpec(io, parsePort(opts.port));
  const text = manager.render(spec);
  if (opts.dryRun) {
    io.out(`Would write ${manager.unitPath}:\n\n${text}`);
    io.out(`Would run:\n${manager.installCommands.map((c) => `  ${show(c)}`).join("\n")}`);
    const found = managerTool(manager, io.env);
    if (found === undefined) io.out(`Note: ${manager.toolName} is not on PATH here; install would fail.`);
    else {
      const why = await unreachable(io, found, manager);
      if (why !== undefined)
        io.out(`Note: ${manager.toolName} cannot reach its service manager here (${why}); install would fail.`);
    }
    warnWithoutChannels(io, spec);
    return EXIT.ok;
  }
  const tool = requireTool(io, manager);
  const why = await unreachable(io, tool, manager);
  if (why !== undefined)
    fail(
      "service_manager_unreachable",
      `\`${show(manager.reachability?.probe ?? [manager.toolName])}\` cannot reach your user's service manager (${why}), so nothing was installed.`,
      manager.reachability?.hint(io.env),
    );
  warnWithoutChannels(io, spec);
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
  else if (existing === undefined) {
    fs.rmSync(manager.unitPath, { force: true });
    io.err(`Removed ${manager.unitPath} again: the service is not installed.`);
  } else io.err(`${manager.unitPath} is written, but the service is not enabled.`);
  return code;
}

/** Removes the manager's enable links that are still there; says which. */
function removeEnableLinks(io: CliIo, manager: ServiceManager): void {
  for (const link of manager.enableLinks) {
    if (!fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) continue;
    fs.rmSync(link);
    io.out(`Removed ${link}`);
  }
}

/**
 * `openclaw gateway uninstall`: stops and disables (or boots out) the service, then removes its
 * file. The file (and systemd's enable link) is removed even when the manager is missing or
 * unreachable, so nothing is left that looks installed; what could not be done is said, and the
 * exit code is 1.
 */
export async function runGatewayUninstall(io: CliIo): Promise<number> {
  const manager = requireManager(io);
  if (!fs.existsSync(manager.unitPath)) {
    io.out(`Nothing to uninstall: ${manager.unitPath} does not exist.`);
    return EXIT.ok;
  }
  const tool = managerTool(manager, io.env);
  if (tool === undefined) io.err(`error: ${manager.toolName} was not found on PATH.`);
  const stopped = tool !== undefined && (await runAll(io, tool, manager.uninstallCommands)) === EXIT.ok;
  if (!stopped) removeEnableLinks(io, manager);
  fs.rmSync(manager.unitPath);
  io.out(`Removed ${manager.unitPath}`);
  if (stopped) return runAll(io, tool, manager.afterRemoveCommands);
  io.err(
    `warning: the service's file is removed, but ${manager.toolName} could not stop or disable the service. If its gateway still runs, \`openclaw gateway status\` shows its pid; stop that process.`,
  );
  if (tool !== undefined && manager.reachability && (await unreachable(io, tool, manager)) !== undefined)
    io.err(`hint: ${manager.reachability.hint(io.env)}`);
  return EXIT.problem;
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
