/**
 * `openclaw gateway install|uninstall|start|stop|restart|status` (issue 14) against a fake
 * `systemctl` on PATH that records its calls, run in-process; `status` probes a real gateway.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { createIo } from "../../src/cli/io.js";
import { systemdUnit, launchdPlist } from "../../src/service/unit-files.js";
import { runTool } from "../../src/service/run-tool.js";
import { findOnPath } from "../../src/util/find-on-path.js";
import { UserFacingError } from "../../src/util/user-error.js";
import { fakeSystemctl, type FakeSystemctl } from "../fakes/service-manager.js";
import { closeAfter, startGateway, stopGateways } from "../support/gateway-run.js";
import { startFakeTelegram } from "../fakes/telegram-bot-api.js";

const UNIT = ".config/systemd/user/openclaw-gateway.service";
const WANTS_LINK = ".config/systemd/user/default.target.wants/openclaw-gateway.service";
const PROBE = "--user show --property=Version";
const NO_BUS = "Failed to connect to bus: No medium found";
afterEach(stopGateways);

// `systemd-analyze verify` is the judge of a unit file. CI must have it (.ci/run installs it);
// elsewhere its tests are skipped, saying so in their names and once on the console.
const inCi = process.env.CI === "true" || process.env.CI === "1";
const systemdAnalyze = findOnPath("systemd-analyze", process.env.PATH);
const NO_ANALYZE = "systemd-analyze is not on PATH (the Debian package systemd provides it)";
if (systemdAnalyze === undefined && !inCi) console.warn(`skipping the systemd-analyze verify tests: ${NO_ANALYZE}`);
const verifyIt = systemdAnalyze !== undefined || inCi ? it : it.skip;
const verifyTitle = (title: string) => (systemdAnalyze === undefined ? `${title} (skipped: ${NO_ANALYZE})` : title);

/** Runs `systemd-analyze verify`; throws with systemd's complaint on a unit it rejects. */
function verify(...files: string[]): void {
  if (systemdAnalyze === undefined) throw new Error(`CI must run systemd-analyze verify: ${NO_ANALYZE}`);
  execFileSync(systemdAnalyze, ["verify", ...files], { stdio: "pipe", timeout: 60_000 });
}

interface Machine {
  readonly home: string;
  readonly state: string;
  readonly systemctl: FakeSystemctl;
  readonly env: NodeJS.ProcessEnv;
}

function machine(extraPath = "/usr/bin:/bin"): Machine {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-home-"));
  const state = path.join(home, "custom-state");
  const systemctl = fakeSystemctl();
  return {
    home,
    state,
    systemctl,
    env: { HOME: home, PATH: `${systemctl.bin}:${extraPath}`, OPENCLAW_STATE_DIR: state },
  };
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = new PassThrough().on("data", (d: Buffer) => void (stdout += d.toString("utf8")));
  const err = new PassThrough().on("data", (d: Buffer) => void (stderr += d.toString("utf8")));
  const code = await runCli(
    args,
    createIo({
      env,
      cwd: os.tmpdir(),
      stdin: () => new PassThrough(),
      stdout: out,
      stderr: err,
      promptOutput: () => err,
    }),
  );
  return { code, stdout, stderr };
}

describe("gateway install", () => {
  it("--dry-run prints a unit that runs this node and CLI with the state dir, and changes nothing", async () => {
    const m = machine();
    const r = await cli(["gateway", "install", "--dry-run", "--port", "18790"], m.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Would write ${path.join(m.home, UNIT)}`);
    expect(r.stdout).toContain(`ExecStart="${process.execPath}" "${path.resolve("dist/openclaw.cjs")}" gateway`);
    expect(r.stdout).toContain(`Environment="OPENCLAW_STATE_DIR=${m.state}"`);
    expect(r.stdout).toContain('Environment="OPENCLAW_GATEWAY_PORT=18790"');
    expect(r.stdout).toMatch(/Restart=on-failure\nRestartSec=5/);
    expect(r.stdout).toContain("systemctl --user daemon-reload\n  systemctl --user enable openclaw-gateway.service");
    expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
    // Only the read-only question whether the user's service manager answers.
    expect(m.systemctl.calls()).toEqual([PROBE]);
  });

  verifyIt(verifyTitle("writes a unit that systemd-analyze verify accepts, with $, %, quotes and spaces"), () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-unit-"));
    const file = path.join(dir, "openclaw-gateway.service");
    fs.writeFileSync(
      file,
      systemdUnit({
        node: process.execPath,
        cli: '/srv/a b/$HOME "x" 100%/openclaw.cjs',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's own ${VAR} syntax, kept literal
        env: { OPENCLAW_STATE_DIR: "/tmp/with space/100%/$USER/${HOME}", OPENCLAW_CONFIG_PATH: '/c/"q"\\x.json' },
        logDir: "/tmp",
      }),
    );
    verify(file);
  });

  it("renders $ as $$ in ExecStart's arguments only, and escapes quotes, backslashes and specifiers", () => {
    const unit = systemdUnit({
      node: "/opt/node $v/bin/node",
      cli: '/srv/a b/$HOME "x" 100%/openclaw.cjs',
      env: { OPENCLAW_STATE_DIR: '/st $x/"q"/50%\\', OPENCLAW_GATEWAY_PORT: "18790" },
      logDir: "/l",
    });
    // systemd runs the executable's path as written; it expands $ in the arguments (`$$` is a
    // literal `$`) but never in Environment=, where `$` is literal.
    expect(unit).toBe(
      [
        "[Unit]",
        "Description=OpenClaw gateway (Telegram, Discord, /model)",
        "After=network-online.target",
        "Wants=network-online.target",
        "StartLimitIntervalSec=300",
        "StartLimitBurst=10",
        "",
        "[Service]",
        "Type=simple",
        'ExecStart="/opt/node $v/bin/node" "/srv/a b/$$HOME \\"x\\" 100%%/openclaw.cjs" gateway',
        'Environment="OPENCLAW_STATE_DIR=/st $x/\\"q\\"/50%%\\\\"',
        'Environment="OPENCLAW_GATEWAY_PORT=18790"',
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
      ].join("\n"),
    );
  });

  it("refuses a control character in any value of a unit or plist, naming the variable", () => {
    const base = { node: "/opt/node", cli: "/opt/cli.js", env: {}, logDir: "/l" };
    const refusal = (render: () => string) => {
      try {
        render();
      } catch (err) {
        if (err instanceof UserFacingError) return err.detail;
        throw err;
      }
      throw new Error("rendered a value with a control character");
    };
    for (const c of ["\n", "\r", "\t", "\u0000", "\u001b", "\u007f", "\u0085", "\u009f"]) {
      for (const render of [systemdUnit, launchdPlist]) {
        expect(refusal(() => render({ ...base, env: { OPENCLAW_STATE_DIR: `/tmp/x${c}y` } }))).toMatchObject({
          code: "service_unsafe_value",
          message: expect.stringMatching(/^OPENCLAW_STATE_DIR holds a line break or another control character/),
        });
        expect(refusal(() => render({ ...base, cli: `/opt/cli${c}.js` })).message).toMatch(/^the openclaw CLI's path/);
        expect(refusal(() => render({ ...base, node: `/opt/no${c}de` })).message).toMatch(/^the node binary's path/);
      }
    }
    // Only the plist holds the log directory.
    expect(refusal(() => launchdPlist({ ...base, logDir: "/l\nx" })).message).toMatch(/^the log directory/);
    expect(systemdUnit({ ...base, logDir: "/l\nx" })).not.toContain("/l\nx");
  });

  it("install refuses a state dir with a line break (a unit injection) and writes nothing", async () => {
    const m = machine();
    const injected = "/tmp/x\nExecStartPre=/bin/sh -c id";
    for (const args of [
      ["gateway", "install"],
      ["gateway", "install", "--dry-run"],
    ]) {
      const r = await cli(args, { ...m.env, OPENCLAW_STATE_DIR: injected });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'error: OPENCLAW_STATE_DIR holds a line break or another control character ("/tmp/x\\nExecStartPre=/bin/sh -c id"), which a systemd unit cannot hold safely; nothing was written.',
      );
      expect(r.stdout).not.toContain("ExecStartPre");
    }
    const config = await cli(["gateway", "install"], { ...m.env, OPENCLAW_CONFIG_PATH: "/tmp/a\tb.json" });
    expect(config.code).toBe(1);
    expect(config.stderr).toContain("error: OPENCLAW_CONFIG_PATH holds a line break");
    expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
    expect(m.systemctl.calls()).toEqual([]);
  });

  it("escapes quotes, specifiers and XML in paths", () => {
    const spec = { node: "/opt/node", cli: "/a b/main.js", env: { OPENCLAW_STATE_DIR: '/s"x%<&' }, logDir: "/l" };
    expect(systemdUnit(spec)).toContain('Environment="OPENCLAW_STATE_DIR=/s\\"x%%<&"');
    const plist = launchdPlist(spec);
    expect(plist).toContain('<string>/s"x%&lt;&amp;</string>'.replace('"', "&quot;"));
    expect(plist).toContain("<key>Label</key>\n    <string>ai.openclaw.gateway</string>");
    expect(plist).toContain("<string>/l/gateway.err.log</string>");
  });

  it("install, start, status --json, restart, stop and uninstall call systemctl --user and say what they did", async () => {
    const m = machine();
    const install = await cli(["gateway", "install"], m.env);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain(`Wrote ${path.join(m.home, UNIT)}`);
    expect(install.stdout).toContain("Ran: systemctl --user enable openclaw-gateway.service");
    expect(fs.readFileSync(path.join(m.home, UNIT), "utf8")).toContain(`OPENCLAW_STATE_DIR=${m.state}`);

    const start = await cli(["gateway", "start"], m.env);
    expect(start).toMatchObject({ code: 0, stdout: "Ran: systemctl --user start openclaw-gateway.service\n" });

    // The gateway the service would run: a real one on this state dir's port, whose details
    // status reads with the metrics token.
    const gw = await startGateway({ gateway: { port: 0, metrics: { token: "status-metrics-token-0123456789" } } });
    const status = await cli(["gateway", "status", "--json"], {
      ...m.env,
      OPENCLAW_STATE_DIR: gw.stateDir,
      OPENCLAW_GATEWAY_PORT: String(gw.port),
    });
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as Record<string, any>;
    expect(json.verdict).toBe("ready");
    expect(json.service).toMatchObject({
      manager: "systemd",
      installed: true,
      active: true,
      state: "active (running)",
      pid: 4242,
    });
    expect(json.http.healthz.ok).toBe(true);
    expect(json.gateway).toMatchObject({
      stateDir: gw.stateDir,
      channels: [{ name: "console", state: "connected" }],
      store: { kind: "sqlite" },
      storeUp: true,
    });

    expect((await cli(["gateway", "restart"], m.env)).stdout).toBe(
      "Ran: systemctl --user restart openclaw-gateway.service\n",
    );
    expect((await cli(["gateway", "stop"], m.env)).stdout).toBe(
      "Ran: systemctl --user stop openclaw-gateway.service\n",
    );
    expect(fs.readlinkSync(path.join(m.home, WANTS_LINK))).toBe("../openclaw-gateway.service");
    const uninstall = await cli(["gateway", "uninstall"], m.env);
    expect(uninstall.code).toBe(0);
    expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
    expect(fs.lstatSync(path.join(m.home, WANTS_LINK), { throwIfNoEntry: false })).toBeUndefined();
    expect(m.systemctl.calls()).toEqual([
      PROBE,
      "--user daemon-reload",
      "--user enable openclaw-gateway.service",
      "--user start openclaw-gateway.service",
      "--user show openclaw-gateway.service --property=LoadState,ActiveState,SubState,MainPID --no-pager",
      "--user restart openclaw-gateway.service",
      "--user stop openclaw-gateway.service",
      "--user disable --now openclaw-gateway.service",
      "--user daemon-reload",
    ]);
  });

  it("refuses to overwrite a different unit without --force, showing the diff", async () => {
    const m = machine();
    expect((await cli(["gateway", "install"], m.env)).code).toBe(0);
    const again = await cli(["gateway", "install"], m.env);
    expect(again.stdout).toContain("is already up to date");
    const refused = await cli(["gateway", "install", "--port", "19000"], m.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('+ Environment="OPENCLAW_GATEWAY_PORT=19000"');
    expect(refused.stderr).toContain("--force");
    expect(fs.readFileSync(path.join(m.home, UNIT), "utf8")).not.toContain("19000");
    const forced = await cli(["gateway", "install", "--port", "19000", "--force"], m.env);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(m.home, UNIT), "utf8")).toContain("OPENCLAW_GATEWAY_PORT=19000");
  });

  it("says so and exits 1 where systemctl does not exist", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-nopath-"));
    const m = machine();
    for (const verb of ["install", "start", "stop", "restart"]) {
      const r = await cli(["gateway", verb], { ...m.env, PATH: empty });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("systemctl was not found on PATH");
    }
    expect(await cli(["gateway", "uninstall"], { ...m.env, PATH: empty })).toMatchObject({
      code: 0,
      stdout: `Nothing to uninstall: ${path.join(m.home, UNIT)} does not exist.\n`,
    });
  });

  it("install checks the user bus before writing anything and explains lingering", async () => {
    const m = machine();
    m.systemctl.failWith(NO_BUS);
    const r = await cli(["gateway", "install"], { ...m.env, USER: "ada" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: \`systemctl --user show --property=Version\` cannot reach your user's service manager (${NO_BUS}), so nothing was installed.`,
    );
    expect(r.stderr).toContain("run `loginctl enable-linger ada`");
    expect(r.stderr).toContain("(not set here: XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS)");
    expect(r.stdout).toBe("");
    expect(fs.existsSync(path.join(m.home, ".config"))).toBe(false);
    expect(m.systemctl.calls()).toEqual([PROBE]);

    const dry = await cli(["gateway", "install", "--dry-run"], m.env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      `Note: systemctl cannot reach its service manager here (${NO_BUS}); install would fail.`,
    );

    const status = await cli(["gateway", "status", "--json"], { ...m.env, OPENCLAW_GATEWAY_PORT: "1" });
    expect((JSON.parse(status.stdout) as { service: unknown }).service).toMatchObject({
      manager: "systemd",
      installed: false,
    });
  });

  it.skipIf(findOnPath("systemctl", "/usr/bin:/bin") === undefined)(
    `the real systemctl without a user bus is caught the same way${findOnPath("systemctl", "/usr/bin:/bin") === undefined ? " (skipped: no systemctl in /usr/bin or /bin)" : ""}`,
    async () => {
      const m = machine();
      const runtime = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-runtime-"));
      // A runtime dir without a bus socket: systemctl cannot reach any manager, whatever this machine runs.
      const r = await cli(["gateway", "install"], {
        ...m.env,
        PATH: "/usr/bin:/bin",
        XDG_RUNTIME_DIR: runtime,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${runtime}/bus`,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /cannot reach your user's service manager \(Failed to connect to bus: .+\), so nothing was installed/,
      );
      expect(r.stderr).toContain("loginctl enable-linger");
      expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
    },
  );

  it("a new unit the manager then refuses is removed again", async () => {
    const m = machine();
    m.systemctl.failWith("Failed to enable unit: Unit file openclaw-gateway.service is masked.", "enable");
    const r = await cli(["gateway", "install"], m.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "`systemctl --user enable openclaw-gateway.service` failed (exit 1): Failed to enable unit",
    );
    expect(r.stderr).toContain(`Removed ${path.join(m.home, UNIT)} again: the service is not installed.`);
    expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
  });

  it("uninstall removes the unit and its enable link even when systemctl fails or is missing, and says what it could not do", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-nopath-"));
    for (const broken of ["no bus", "no systemctl"]) {
      const m = machine();
      expect((await cli(["gateway", "install"], m.env)).code).toBe(0);
      expect(fs.lstatSync(path.join(m.home, WANTS_LINK)).isSymbolicLink()).toBe(true);
      if (broken === "no bus") m.systemctl.failWith(NO_BUS);
      const r = await cli(["gateway", "uninstall"], broken === "no bus" ? m.env : { ...m.env, PATH: empty });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        broken === "no bus"
          ? `error: \`systemctl --user disable --now openclaw-gateway.service\` failed (exit 1): ${NO_BUS}`
          : "error: systemctl was not found on PATH.",
      );
      expect(r.stdout).toBe(`Removed ${path.join(m.home, WANTS_LINK)}\nRemoved ${path.join(m.home, UNIT)}\n`);
      expect(r.stderr).toContain(
        "warning: the service's file is removed, but systemctl could not stop or disable the service.",
      );
      if (broken === "no bus")
        expect(r.stderr).toContain("hint: Your user's systemd instance runs only while you are logged in");
      expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
      expect(fs.lstatSync(path.join(m.home, WANTS_LINK), { throwIfNoEntry: false })).toBeUndefined();
      const status = await cli(["gateway", "status", "--json"], { ...m.env, OPENCLAW_GATEWAY_PORT: "1" });
      if (broken === "no bus")
        expect((JSON.parse(status.stdout) as { service: unknown }).service).toMatchObject({ installed: false });
    }
  });

  it("install warns when the service would have no channel to serve", async () => {
    const m = machine();
    const alone = await cli(["gateway", "install", "--dry-run"], { ...m.env, TELEGRAM_BOT_TOKEN: "123:shell-only" });
    expect(alone.code).toBe(0);
    const envFile = path.join(m.state, ".env");
    expect(alone.stderr).toContain(
      `warning: the service would serve no channel: neither Telegram nor Discord is configured in ${path.join(m.state, "openclaw.json")} or ${envFile}, and the console channel needs a terminal`,
    );
    expect(alone.stderr).toContain("warning: TELEGRAM_BOT_TOKEN is set in this shell only");
    expect(alone.stderr).toContain(`hint: put TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN in ${envFile}`);

    fs.mkdirSync(m.state, { recursive: true, mode: 0o700 });
    fs.writeFileSync(envFile, "TELEGRAM_BOT_TOKEN=123:from-the-state-env\n", { mode: 0o600 });
    const served = await cli(["gateway", "install"], m.env);
    expect(served.code).toBe(0);
    expect(served.stderr).not.toContain("warning");

    fs.writeFileSync(
      path.join(m.state, "openclaw.json"),
      JSON.stringify({ channels: { telegram: { enabled: false } } }),
    );
    const disabled = await cli(["gateway", "install", "--dry-run"], m.env);
    expect(disabled.stderr).toContain("warning: the service would serve no channel");

    fs.writeFileSync(path.join(m.state, "openclaw.json"), "{ channels: ");
    const broken = await cli(["gateway", "install", "--dry-run"], m.env);
    expect(broken.code).toBe(0);
    expect(broken.stderr).toContain("warning: the service will not start until its config loads:");
  });

  it("never waits on a tool that hangs", async () => {
    const r = await runTool("/bin/sleep", ["30"], process.env, 200);
    expect(r).toMatchObject({ code: null, timedOut: true });
  });
});

describe("gateway status exit codes", () => {
  it("1 when nothing answers on the port", async () => {
    const m = machine();
    const r = await cli(["gateway", "status"], { ...m.env, OPENCLAW_GATEWAY_PORT: "1" });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Service: systemd unit not installed, inactive (dead)");
    expect(r.stdout).toMatch(/\/healthz unreachable/);
    expect(r.stdout).toContain("Status: down");
  });

  it("2 when the gateway answers but a channel is down", async () => {
    const m = machine();
    const telegram = closeAfter(await startFakeTelegram());
    telegram.failNext("getMe", { error_code: 401, description: "Unauthorized" }, 1_000_000);
    const gw = await startGateway(
      { gateway: { port: 0 }, channels: { telegram: { apiRoot: telegram.apiRoot } } },
      { TELEGRAM_BOT_TOKEN: telegram.token },
    );
    const r = await cli(["gateway", "status"], {
      ...m.env,
      OPENCLAW_STATE_DIR: gw.stateDir,
      OPENCLAW_GATEWAY_PORT: String(gw.port),
    });
    expect(r.code).toBe(2);
    // No metrics token: the gateway names the channel and keeps the rest to itself.
    expect(r.stdout).toContain("Not ready: channel telegram");
    expect(r.stdout).toContain("Details: the gateway shows them only with gateway.metrics.token set");
    expect(r.stdout).not.toContain(gw.stateDir);
    expect(r.stdout).toContain("Status: degraded");
  });

  it("0 when ready; --deep makes a credential expiring within 24 h a 2", async () => {
    const m = machine();
    // With the metrics token in the config, status gets the whole report.
    const gw = await startGateway({ gateway: { port: 0, metrics: { token: "status-metrics-token-0123456789" } } });
    const env = { ...m.env, OPENCLAW_STATE_DIR: gw.stateDir, OPENCLAW_GATEWAY_PORT: String(gw.port) };
    const plain = await cli(["gateway", "status"], env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/Gateway: \d+\.\d+\.\d+, pid \d+, up \d+s/);
    expect(plain.stdout).toContain("Channels: console (stdin/stdout) connected");
    expect(plain.stdout).toContain("Status: ready");
    const deep = await cli(["gateway", "status", "--deep"], env);
    expect(deep.code).toBe(2);
    expect(deep.stdout).toContain("Credentials: expiring soon");
  });
});

describe("examples/systemd/openclaw-auth-check", () => {
  const dir = path.resolve("examples/systemd");

  verifyIt(verifyTitle("are units systemd-analyze verify accepts"), () => {
    verify(path.join(dir, "openclaw-auth-check.service"), path.join(dir, "openclaw-auth-check.timer"));
  });

  it("succeeds on 0, warns on 2 and fails on 1 from `models status --check`", () => {
    const unit = fs.readFileSync(path.join(dir, "openclaw-auth-check.service"), "utf8");
    const script = /^ExecStart=\/bin\/sh -c '([\s\S]*)'$/m.exec(unit.replace(/\\\n/g, ""))?.[1];
    expect(script).toBeDefined();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-fake-cli-"));
    const run = (code: number) => {
      fs.writeFileSync(path.join(bin, "openclaw"), `#!/bin/sh\nexit ${code}\n`, { mode: 0o755 });
      try {
        return {
          code: 0,
          out: execFileSync("/bin/sh", ["-c", script ?? ""], {
            env: { PATH: `${bin}:/usr/bin:/bin` },
            encoding: "utf8",
          }),
        };
      } catch (err) {
        const e = err as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    expect(run(0)).toEqual({ code: 0, out: "" });
    expect(run(2)).toEqual({
      code: 0,
      out: "<4>openclaw: a credential expires within 24 h; run: openclaw models status\n",
    });
    expect(run(1)).toMatchObject({
      code: 1,
      out: expect.stringContaining("<3>openclaw: a credential the default model needs is missing"),
    });
  });
});

describe("daemon (OpenClaw's older name of the service commands)", () => {
  it("installs, starts, stops and uninstalls exactly as gateway does; alone it shows its commands and exits 1", async () => {
    const m = machine();
    const viaGateway = machine();
    const [dry, gatewayDry] = await Promise.all([
      cli(["daemon", "install", "--dry-run"], m.env),
      cli(["gateway", "install", "--dry-run"], viaGateway.env),
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split(m.home).join("~").split(m.state).join("<state>")).toBe(
      gatewayDry.stdout.split(viaGateway.home).join("~").split(viaGateway.state).join("<state>"),
    );
    expect((await cli(["daemon", "install"], m.env)).code).toBe(0);
    expect((await cli(["daemon", "stop"], m.env)).stdout).toBe("Ran: systemctl --user stop openclaw-gateway.service\n");
    expect((await cli(["daemon", "uninstall"], m.env)).code).toBe(0);
    expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
    expect(m.systemctl.calls()).toContain("--user stop openclaw-gateway.service");
    expect(m.systemctl.calls()).toContain("--user disable --now openclaw-gateway.service");
    const bare = await cli(["daemon"], m.env);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/status \[options\]/);
  });
});
