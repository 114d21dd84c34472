import { UserFacingError, userError } from "../util/user-error.js";

/** What the service runs: this install's node and CLI, with the environment it needs. */
export interface ServiceSpec {
  /** Absolute path of the node binary (`process.execPath`). */
  readonly node: string;
  /** Absolute path of the `openclaw` CLI script. */
  readonly cli: string;
  /** Environment the gateway gets (`OPENCLAW_STATE_DIR` when not the default, the port). */
  readonly env: Readonly<Record<string, string>>;
  /** Where launchd writes stdout and stderr (`<state>/logs`). */
  readonly logDir: string;
}

/** The systemd unit's name. */
export const SYSTEMD_UNIT = "openclaw-gateway.service";
/** The launchd agent's label. */
export const LAUNCHD_LABEL = "ai.openclaw.gateway";

// C0 and C1 control characters and DEL. A line break in a value would start a new directive in a
// unit (a live `ExecStartPre=`); systemd and XML 1.0 reject the rest.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A value written into a unit file or plist, and the name a person knows it by. */
interface UnitValue {
  readonly name: string;
  readonly value: string;
}

/**
 * Refuses every value that holds a control character, naming where it came from, before anything
 * is rendered. Escaping cannot make a line break safe in a systemd unit.
 */
function refuseControlCharacters(values: readonly UnitValue[], file: string): void {
  for (const { name, value } of values) {
    if (CONTROL.test(value))
      throw new UserFacingError(
        userError(
          "service_unsafe_value",
          `${name} holds a line break or another control character (${JSON.stringify(value)}), which a ${file} cannot hold safely; nothing was written.`,
          "Use a path without line breaks, tabs or other control characters.",
        ),
      );
  }
}

const NODE = "the node binary's path (process.execPath)";
const CLI = "the openclaw CLI's path";

function specValues(spec: ServiceSpec): UnitValue[] {
  return [
    { name: NODE, value: spec.node },
    { name: CLI, value: spec.cli },
    ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
  ];
}

// Inside quotes `\` and `"` are escapes; `%` starts a specifier everywhere.
function systemdQuote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%")}"`;
}

// Exec lines expand `$VAR` and `${VAR}` in arguments, quoted or not; `$$` is a literal `$`. The
// executable itself is never expanded (systemd runs that path as written), so it keeps its `$`.
function systemdArgument(value: string): string {
  return systemdQuote(value).replace(/\$/g, () => "$$");
}

/**
 * The systemd user unit: runs `node <cli> gateway`, restarts on failure after 5 s (at most 10
 * starts in 5 minutes, then systemd gives up and `gateway status` shows it failed), logs to the
 * journal. stdin is /dev/null: a service has no console.
 */
export function systemdUnit(spec: ServiceSpec): string {
  refuseControlCharacters(specValues(spec), "systemd unit");
  // `Environment=` does no variable expansion: `$` is literal there.
  const env = Object.entries(spec.env).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`)}`);
  return [
    "[Unit]",
    "Description=OpenClaw gateway (Telegram, Discord, /model)",
    "After=network-online.target",
    "Wants=network-online.target",
    "StartLimitIntervalSec=300",
    "StartLimitBurst=10",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${systemdQuote(spec.node)} ${systemdArgument(spec.cli)} gateway`,
    ...env,
    "Restart=on-failure",
    "RestartSec=5",
    "TimeoutStopSec=30",
    "StandardInput=null",
    "StandardOutput=journal",
    "StandardError=journal",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}

function xml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * The launchd agent: starts at login, restarts when it exits with a failure (launchd throttles
 * restarts to one per 10 s), logs to `<state>/logs/gateway.log` and `gateway.err.log`.
 */
export function launchdPlist(spec: ServiceSpec): string {
  refuseControlCharacters(
    [
      ...specValues(spec),
      { name: "the log directory (<state>/logs: OPENCLAW_STATE_DIR, or HOME)", value: spec.logDir },
    ],
    "launchd plist",
  );
  const env = Object.entries(spec.env).map(([k, v]) => `      <key>${xml(k)}</key>\n      <string>${xml(v)}</string>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "  <dict>",
    "    <key>Label</key>",
    `    <string>${LAUNCHD_LABEL}</string>`,
    "    <key>ProgramArguments</key>",
    "    <array>",
    `      <string>${xml(spec.node)}</string>`,
    `      <string>${xml(spec.cli)}</string>`,
    "      <string>gateway</string>",
    "    </array>",
    ...(env.length > 0 ? ["    <key>EnvironmentVariables</key>", "    <dict>", ...env, "    </dict>"] : []),
    "    <key>RunAtLoad</key>",
    "    <true/>",
    "    <key>KeepAlive</key>",
    "    <dict>",
    "      <key>SuccessfulExit</key>",
    "      <false/>",
    "    </dict>",
    "    <key>ThrottleInterval</key>",
    "    <integer>10</integer>",
    "    <key>StandardInPath</key>",
    "    <string>/dev/null</string>",
    "    <key>StandardOutPath</key>",
    `    <string>${xml(`${spec.logDir}/gateway.log`)}</string>`,
    "    <key>StandardErrorPath</key>",
    `    <string>${xml(`${spec.logDir}/gateway.err.log`)}</string>`,
    "  </dict>",
    "</plist>",
    "",
  ].join("\n");
}
