import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runTool, type ToolResult } from "./run-tool.js";
// One PATH lookup for the CLI; it lives with the first command that needed it.
import { findOnPath } from "../util/find-on-path.js";
import { LAUNCHD_LABEL, SYSTEMD_UNIT, launchdPlist, systemdUnit, type ServiceSpec } from "./unit-files.js";

/** What the service manager says about the gateway's unit. */
export interface ServiceState {
  readonly installed: boolean;
  readonly active: boolean;
  /** The manager's own word: `active (running)`, `inactive (dead)`, `failed`, `not loaded`, … */
  readonly state: string;
  readonly pid?: number;
}

/** A command line for the service manager (the tool name first). */
export type ToolCommand = readonly string[];

/**
 * systemd (Linux, user units) or launchd (macOS, agents): where the unit file goes, how it is
 * rendered, and the commands that load, start, stop and remove it.
 */
export interface ServiceManager {
  readonly kind: "systemd" | "launchd";
  /** `systemctl` or `launchctl`. */
  readonly toolName: string;
  readonly unitPath: string;
  render(spec: ServiceSpec): string;
  /** Run after writing the unit. */
  readonly installCommands: readonly ToolCommand[];
  /** Run before removing the unit. */
  readonly uninstallCommands: readonly ToolCommand[];
  /** Run after removing the unit, when the uninstall commands worked. */
  readonly afterRemoveCommands: readonly ToolCommand[];
  /**
   * Links the install commands create beside the unit (systemd's `default.target.wants/` link).
   * Uninstall removes them itself when the manager could not, so no dangling link is left.
   */
  readonly enableLinks: readonly string[];
  /**
   * A read-only call that fails when the manager cannot be reached at all (systemd without a user
   * bus), and what to tell the person then. Install runs it before writing anything.
   */
  readonly reachability?: { readonly probe: ToolCommand; hint(env: NodeJS.ProcessEnv): string };
  action(action: "start" | "stop" | "restart"): ToolCommand;
  /** Asks the manager (with `run`) what state the unit is in. */
  state(run: (cmd: ToolCommand) => Promise<ToolResult>): Promise<ServiceState>;
}

function installed(file: string): boolean {
  return fs.existsSync(file);
}

/**
 * Why `systemctl --user` finds no bus, and the fix: the user manager runs only during a login
 * session unless lingering is on, and `su`/`sudo` shells lack the variables that locate it.
 */
function userBusHint(env: NodeJS.ProcessEnv): string {
  const uid = process.getuid?.() ?? 1000;
  const user = env.USER || env.LOGNAME || "$USER";
  const unset = ["XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"].filter((k) => !env[k]);
  return [
    `Your user's systemd instance runs only while you are logged in, unless lingering is on: run \`loginctl enable-linger ${user}\` (over SSH, or to keep the gateway running after you log out), then log in again.`,
    `A shell from su or sudo also needs XDG_RUNTIME_DIR=/run/user/${uid} and DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/${uid}/bus${unset.length > 0 ? ` (not set here: ${unset.join(", ")})` : ""}.`,
    "A container without systemd has no user manager: run `openclaw gateway` in the foreground under its own supervisor.",
  ].join(" ");
}

function systemd(home: string, env: NodeJS.ProcessEnv): ServiceManager {
  const configHome = env.XDG_CONFIG_HOME || path.join(home, ".config");
  const unitPath = path.join(configHome, "systemd", "user", SYSTEMD_UNIT);
  const ctl = (...args: string[]): ToolCommand => ["systemctl", "--user", ...args];
  return {
    kind: "systemd",
    toolName: "systemctl",
    unitPath,
    render: systemdUnit,
    installCommands: [ctl("daemon-reload"), ctl("enable", SYSTEMD_UNIT)],
    uninstallCommands: [ctl("disable", "--now", SYSTEMD_UNIT)],
    afterRemoveCommands: [ctl("daemon-reload")],
    // The unit's `WantedBy=default.target`.
    enableLinks: [path.join(path.dirname(unitPath), "default.target.wants", SYSTEMD_UNIT)],
    reachability: { probe: ctl("show", "--property=Version"), hint: userBusHint },
    action: (a) => ctl(a, SYSTEMD_UNIT),
    async state(run) {
      const r = await run(ctl("show", SYSTEMD_UNIT, "--property=LoadState,ActiveState,SubState,MainPID", "--no-pager"));
      if (r.code !== 0)
        return {
          installed: installed(unitPath),
          active: false,
          state: `unknown (${(r.stderr || r.stdout).trim() || `exit ${r.code}`})`,
        };
      const props = new Map(
        r.stdout.split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as const),
      );
      const active = props.get("ActiveState") ?? "unknown";
      const pid = Number(props.get("MainPID") ?? 0);
      return {
        installed: installed(unitPath) && props.get("LoadState") !== "not-found",
        active: active === "active",
        state: `${active} (${props.get("SubState") ?? "?"})`,
        ...(pid > 0 ? { pid } : {}),
      };
    },
  };
}

function launchd(home: string, uid: number): ServiceManager {
  const unitPath = path.join(home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
  const domain = `gui/${uid}`;
  const target = `${domain}/${LAUNCHD_LABEL}`;
  return {
    kind: "launchd",
    toolName: "launchctl",
    unitPath,
    render: launchdPlist,
    installCommands: [["launchctl", "bootstrap", domain, unitPath]],
    uninstallCommands: [["launchctl", "bootout", target]],
    afterRemoveCommands: [],
    enableLinks: [],
    action: (a) =>
      a === "start"
        ? ["launchctl", "kickstart", target]
        : a === "restart"
          ? ["launchctl", "kickstart", "-k", target]
          : ["launchctl", "kill", "SIGTERM", target],
    async state(run) {
      const r = await run(["launchctl", "print", target]);
      if (r.code !== 0) return { installed: installed(unitPath), active: false, state: "not loaded" };
      const state = /^\s*state = (.+)$/m.exec(r.stdout)?.[1]?.trim() ?? "unknown";
      const pid = Number(/^\s*pid = (\d+)$/m.exec(r.stdout)?.[1] ?? 0);
      return { installed: installed(unitPath), active: state === "running", state, ...(pid > 0 ? { pid } : {}) };
    },
  };
}

/**
 * The service manager of this platform: systemd user units on Linux, launchd agents on macOS;
 * undefined elsewhere. Chosen by platform, not by which tool exists, so `--dry-run` shows the
 * right file on a machine (a container) without the tool.
 */
export function serviceManager(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): ServiceManager | undefined {
  const home = env.HOME || os.homedir();
  if (platform === "linux") return systemd(home, env);
  if (platform === "darwin") return launchd(home, process.getuid?.() ?? 501);
  return undefined;
}

/** The manager's tool on `PATH`, or undefined (a container, CI). */
export function managerTool(manager: ServiceManager, env: NodeJS.ProcessEnv): string | undefined {
  return findOnPath(manager.toolName, env.PATH);
}

/** Runs a manager command with the tool found on `PATH`. */
export function toolRunner(tool: string, env: NodeJS.ProcessEnv): (cmd: ToolCommand) => Promise<ToolResult> {
  return (cmd) => runTool(tool, cmd.slice(1), env);
}
