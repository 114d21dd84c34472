/**
 * Stopping the real gateway process (issue 26, section 6): a SIGTERM that finds an answer in flight
 * (console or Telegram) or a channel still connecting cancels that work and exits 0 within the drain,
 * and every line it writes to stderr follows `--log-format json`.
 */
import { spawn } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROOT, requireBuild } from "../support/cli.js";
import { writeStateDir } from "../support/state.js";
import { scaled } from "../support/slowness.js";
import { GatewayChild } from "../scaleout/support.js";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-api.js";
import { startFakeTelegram } from "../fakes/telegram-bot-api.js";
import { eventually } from "../sessions/child.js";

const TOKEN = `sk-ant-oat01-${"Q".repeat(84)}Fq1x`;

let provider: FakeProvider;
const children: GatewayChild[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  requireBuild();
  provider = await startFakeProvider();
  // Every call hangs: an answer is in flight until the gateway cancels it.
  provider.script(TOKEN, { kind: "hang" });
});
afterAll(() => provider.close());
afterEach(async () => {
  for (const c of children.splice(0)) if (c.alive) c.child.kill("SIGKILL");
  for (const close of closers.splice(0)) await close();
});

function stateDir(config: object = {}): string {
  return writeStateDir({
    prefix: "openclaw-shutdown-",
    config: { ...config, models: { providers: { anthropic: { baseUrl: provider.url } } } },
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "token", provider: "anthropic", token: TOKEN, expires: Date.now() + 5 * 3_600_000 },
      },
    },
  });
}

function gateway(state: string, env: Record<string, string> = {}): GatewayChild {
  const gw = new GatewayChild(state, env, state, ["--log-format", "json"]);
  children.push(gw);
  return gw;
}

/** SIGTERM, and the exit code; a gateway still alive after a generous wait is killed and fails the test. */
async function terminate(gw: GatewayChild): Promise<number | null> {
  return gw.stop(scaled(10_000));
}

/** Every stderr line, parsed: each must be one JSON object with time, level, component and msg. */
function jsonLines(stderr: string): { level: string; component: string; msg: string }[] {
  const lines = stderr.split("\n").filter((l) => l !== "");
  return lines.map((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`not a JSON log line: ${line}`);
    }
    expect(parsed).toEqual({
      time: expect.any(String),
      level: expect.any(String),
      component: expect.any(String),
      msg: expect.any(String),
    });
    return parsed as { level: string; component: string; msg: string };
  });
}

describe("SIGTERM with work in flight", { timeout: scaled(40_000) }, () => {
  it("console: cancels the answer in flight, says so, and exits 0 with JSON log lines only", async () => {
    const gw = gateway(stateDir());
    await gw.waitFor("stdout", /Console chat/);
    gw.child.stdin.write("hello there\n");
    await eventually(() => provider.requestsFor(TOKEN).length > 0, 10_000, "the model call");

    expect(await terminate(gw)).toBe(0);
    expect(gw.stdout).toContain(
      "> hello there\n(The gateway stopped before the answer was complete; send it again.)\n",
    );
    const lines = jsonLines(gw.stderr);
    expect(lines.map((l) => l.msg)).toContain("shutting down");
    expect(lines.some((l) => l.msg.includes("took longer"))).toBe(false);
  });

  it("Telegram: cancels the answer in flight, tells the chat, confirms the update and exits 0", async () => {
    const telegram = await startFakeTelegram();
    closers.push(() => telegram.close());
    const config = {
      channels: { telegram: { apiRoot: telegram.apiRoot } },
      commands: { allowFrom: { telegram: ["42"] } },
    };
    const gw = gateway(stateDir(config), {
      TELEGRAM_BOT_TOKEN: telegram.token,
    });
    await gw.waitFor("stderr", /ready \(long polling\)/);
    const before = provider.requestsFor(TOKEN).length;
    telegram.userMessage({
      chat: { id: 42, type: "private" },
      from: { id: 42, first_name: "Ada" },
      text: "hello there",
    });
    await eventually(() => provider.requestsFor(TOKEN).length > before, 10_000, "the model call");

    expect(await terminate(gw)).toBe(0);
    const sent = [...telegram.callsTo("sendMessage"), ...telegram.callsTo("editMessageText")].map(
      (c) => c.payload.text,
    );
    expect(sent).toContain("(The gateway stopped before the answer was complete; send it again.)");
    // The update is confirmed: a restarted gateway does not answer it again.
    expect(telegram.pendingUpdateCount).toBe(0);
    const lines = jsonLines(gw.stderr);
    expect(lines.some((l) => l.msg.includes("took longer"))).toBe(false);
  });

  it("a channel still connecting: the pending call is abandoned and the gateway exits 0", async () => {
    // A Bot API root that accepts connections and never answers: getMe stays in flight.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => void sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          silent.close(() => resolve());
        }),
    );
    const apiRoot = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const gw = gateway(stateDir({ channels: { telegram: { apiRoot } } }), {
      TELEGRAM_BOT_TOKEN: "123456:connecting-token",
    });
    await gw.waitFor("stderr", /channels telegram \(long polling\)/);
    await eventually(() => sockets.size > 0, 10_000, "the getMe call");

    expect(await terminate(gw)).toBe(0);
    const lines = jsonLines(gw.stderr);
    expect(lines.some((l) => l.msg.includes("took longer"))).toBe(false);
  });
});

describe("a drain that takes too long", () => {
  it("ends in the forced exit with its warning written in the gateway's log format", async () => {
    // A process that never finishes draining: the signal handler of the binary, with a JSON log.
    const script = [
      `import { exitPromptlyOnSignals, logDrainTo } from ${JSON.stringify(`${ROOT}/dist/src/cli/signals.js`)};`,
      `import { formattedLog } from ${JSON.stringify(`${ROOT}/dist/src/gateway/log-format.js`)};`,
      `logDrainTo(formattedLog((l) => process.stderr.write(l + "\\n"), { format: "json", level: "info" }));`,
      `exitPromptlyOnSignals("gateway");`,
      "setInterval(() => {}, 1000);",
      `process.stdout.write("ready\\n");`,
    ].join("\n");
    const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(jsonLines(stderr)).toEqual([
      {
        level: "warn",
        component: "gateway",
        msg: "shutdown took longer than 1000 ms; exiting now",
        time: expect.any(String),
      },
    ]);
  });
});
