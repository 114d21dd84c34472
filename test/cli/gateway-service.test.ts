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
import { fakeSystemctl, type FakeSystemctl } from "../fakes/service-manager.js";
import { closeAfter, startGateway, stopGateways } from "../support/gateway-run.js";
import { startFakeTelegram } from "../fakes/telegram-bot-api.js";

const UNIT = ".config/systemd/user/openclaw-gateway.service";
afterEach(stopGateways);

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
    expect(m.systemctl.calls()).toEqual([]);
  });

  it.skipIf(findOnPath("systemd-analyze", process.env.PATH) === undefined)(
    "writes a unit that systemd-analyze verify accepts",
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-unit-"));
      const file = path.join(dir, "openclaw-gateway.service");
      fs.writeFileSync(
        file,
        systemdUnit({
          node: process.execPath,
          cli: path.resolve("dist/openclaw.cjs"),
          env: { OPENCLAW_STATE_DIR: "/tmp/with space/100%" },
          logDir: "/tmp",
        }),
      );
      // Throws (with systemd's complaint) on a unit it rejects.
      execFileSync("systemd-analyze", ["verify", file], { stdio: "pipe", timeout: 60_000 });
    },
  );

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
    const uninstall = await cli(["gateway", "uninstall"], m.env);
    expect(uninstall.code).toBe(0);
    expect(fs.existsSync(path.join(m.home, UNIT))).toBe(false);
    expect(m.systemctl.calls()).toEqual([
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

  it("says so and exits 1 where systemctl does not exist, or fails", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-nopath-"));
    const m = machine();
    for (const verb of ["install", "uninstall", "start", "stop", "restart"]) {
      const r = await cli(["gateway", verb], { ...m.env, PATH: empty });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("systemctl was not found on PATH");
    }
    m.systemctl.failWith("Failed to connect to bus: No medium found");
    const r = await cli(["gateway", "install"], m.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("`systemctl --user daemon-reload` failed (exit 1): Failed to connect to bus");
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

  it.skipIf(findOnPath("systemd-analyze", process.env.PATH) === undefined)(
    "are units systemd-analyze verify accepts",
    () => {
      execFileSync(
        "systemd-analyze",
        ["verify", path.join(dir, "openclaw-auth-check.service"), path.join(dir, "openclaw-auth-check.timer")],
        { stdio: "pipe", timeout: 60_000 },
      );
    },
  );

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
