/**
 * The gateway's HTTP server as an operator sees it (issue 14, DESIGN section 8): it starts before
 * any channel connects, `/healthz` answers while a channel is down, `/readyz` names what is not
 * ready, `/metrics` counts commands, and each retry of a failing channel is a warning.
 */
import { PassThrough } from "node:stream";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { runGateway } from "../../src/app/run.js";
import { startFakeProvider } from "../fakes/provider-api.js";
import { startFakeTelegram } from "../fakes/telegram-bot-api.js";
import { writeStateDir } from "../support/state.js";
import { TOKEN, closeAfter, consoleLine, startGateway, stopGateways } from "../support/gateway-run.js";
import { eventually } from "../sessions/child.js";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";
import { refusedPort } from "../support/refused-port.js";

/** Generous: these waits end as soon as the condition holds; only a hang hits the limit. */
const WAIT_MS = 20_000;

const METRICS_TOKEN = "metrics-bearer-token-0123456789";
const AUTHORIZED = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };
afterEach(stopGateways);

function sample(metrics: string, name: string, labels: string): number {
  const line = metrics.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(" ").pop());
}

describe("gateway HTTP server with only the console channel", () => {
  it("starts no channel whose config says enabled: false, even with its token in the environment", async () => {
    const gw = await startGateway(
      {
        gateway: { port: 0 },
        // Roots nothing listens on: a channel started by mistake fails at once instead of reaching out.
        channels: {
          telegram: { enabled: false, apiRoot: "http://127.0.0.1:9" },
          discord: { enabled: false, apiBase: "http://127.0.0.1:9/api" },
        },
      },
      { TELEGRAM_BOT_TOKEN: "123456:telegram-token-not-used", DISCORD_BOT_TOKEN: "discord-token-not-used" },
    );
    expect(gw.logs[0]).toMatch(/; channels console \(stdin\/stdout\);/);
  });

  it("answers /healthz, /readyz and /metrics, and counts /model commands", async () => {
    const gw = await startGateway({ gateway: { port: 0 } });
    expect(gw.logs[0]).toMatch(
      /^\[info\] openclaw gateway \d+\.\d+\.\d+; state .*openclaw-obs-.*; config .*openclaw\.json; channels console \(stdin\/stdout\); store sqlite .*sessions\.sqlite; http 127\.0\.0\.1:\d+$/,
    );

    expect((await fetch(`${gw.base}/healthz`)).status).toBe(200);
    // With no metrics token configured, no request gets the details (paths, pid), whatever it sends.
    const ready = await fetch(`${gw.base}/readyz`, AUTHORIZED);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, channelsNotReady: [] });

    const before = await (await fetch(`${gw.base}/metrics`)).text();
    const labels = 'channel="console",command="model",outcome="ok"';
    await consoleLine(gw, "/model status", /anthropic — /);
    const metrics = await fetch(`${gw.base}/metrics`);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const after = await metrics.text();
    expect(sample(after, "openclaw_commands_total", labels)).toBe(
      sample(before, "openclaw_commands_total", labels) + 1,
    );
    expect(after).toContain("openclaw_session_store_up 1");
    expect(after).toContain('openclaw_credentials_expiring{provider="anthropic"} 1');
    expect(after).toContain('openclaw_credential_cooldowns{provider="anthropic"} 0');
    expect(after).toContain("# TYPE openclaw_model_requests_total counter");
    expect(after).toContain("# TYPE openclaw_model_request_duration_seconds histogram");
    expect(after).toContain("process_cpu_user_seconds_total");
    expect(after).not.toContain(TOKEN);
    expect(after).not.toContain("local");
  });

  it("tells a host that does not resolve as a configuration error, and counts it apart from outages", async () => {
    // `.invalid` never resolves (RFC 6761): the SDK's DNS lookup fails with ENOTFOUND.
    const gw = await startGateway({
      gateway: { port: 0 },
      models: { providers: { anthropic: { baseUrl: "http://openclaw-test.invalid" } } },
    });
    const reply = await consoleLine(gw, "hello", /configuration error/);
    expect(reply).toContain(
      "> hello\nAnthropic could not be reached: its host openclaw-test.invalid does not resolve (ENOTFOUND). " +
        "This is a configuration error, not an outage: check models.providers.anthropic.baseUrl in the config " +
        "(and that this machine can resolve host names).\n",
    );
    expect(reply).not.toContain("try again");
    const metrics = await (await fetch(`${gw.base}/metrics`)).text();
    expect(sample(metrics, "openclaw_model_requests_total", 'provider="anthropic",outcome="config"')).toBe(1);
    expect(sample(metrics, "openclaw_model_requests_total", 'provider="anthropic",outcome="overloaded"')).toBe(0);
    expect(gw.logs.join("\n")).toMatch(/status=config reason=host_not_found/);
  });

  it("counts each call's tokens by kind and its estimated cost, by provider, model and profile", async () => {
    const fake = closeAfter(await startFakeProvider());
    fake.script(TOKEN, { kind: "text", text: "counted", usage: { input: 1_000, output: 50, cacheRead: 2_000 } });
    const gw = await startGateway({
      gateway: { port: 0 },
      agents: { defaults: { model: "anthropic/claude-opus-5-5" } },
      models: { providers: { anthropic: { baseUrl: fake.url } } },
    });
    await consoleLine(gw, "hello", /counted/);
    await consoleLine(gw, "again", /counted/);
    const metrics = await (await fetch(`${gw.base}/metrics`)).text();
    const labels = 'provider="anthropic",model="anthropic/claude-opus-5-5",profile="anthropic:work"';
    expect(sample(metrics, "openclaw_tokens_total", `${labels},kind="input"`)).toBe(2_000);
    expect(sample(metrics, "openclaw_tokens_total", `${labels},kind="output"`)).toBe(100);
    expect(sample(metrics, "openclaw_tokens_total", `${labels},kind="cacheRead"`)).toBe(4_000);
    expect(sample(metrics, "openclaw_tokens_total", `${labels},kind="cacheWrite"`)).toBe(0);
    // 2 × (1000 × 4 + 50 × 20 + 2000 × 0.2) / 1e6
    expect(sample(metrics, "openclaw_cost_usd_total", labels)).toBeCloseTo(0.0108, 10);
    // No chat or user id in any label.
    expect(metrics).not.toContain("agent:main");
    expect(metrics).not.toContain("local");
  });

  it("serves /metrics and the details of /readyz only with the bearer token when gateway.metrics.token is set", async () => {
    const gw = await startGateway({ gateway: { port: 0, metrics: { token: METRICS_TOKEN } } });
    expect((await fetch(`${gw.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${gw.base}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await fetch(`${gw.base}/metrics`, AUTHORIZED);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("openclaw_session_store_up");

    for (const headers of [{}, { authorization: "Bearer wrong" }]) {
      const anonymous = await fetch(`${gw.base}/readyz`, { headers });
      expect(anonymous.status).toBe(200);
      const text = await anonymous.text();
      expect(JSON.parse(text)).toEqual({ ready: true, channelsNotReady: [] });
      expect(text).not.toContain(gw.stateDir);
    }
    const detailed = await fetch(`${gw.base}/readyz`, AUTHORIZED);
    expect(detailed.status).toBe(200);
    expect(await detailed.json()).toMatchObject({
      ready: true,
      storeUp: true,
      notReady: [],
      channels: [{ name: "console", mode: "stdin/stdout", state: "connected" }],
      store: { kind: "sqlite" },
      stateDir: gw.stateDir,
      pid: process.pid,
    });
    expect(gw.logs.join("\n")).not.toContain(METRICS_TOKEN);
  });

  it("runs no HTTP server without a configured port", async () => {
    const stateDir = writeStateDir({ prefix: "openclaw-obs-", config: {} });
    const logs: string[] = [];
    const input = new PassThrough();
    input.end("/model status\n");
    let port: number | undefined;
    await runGateway({
      processEnv: { OPENCLAW_STATE_DIR: stateDir },
      cwd: stateDir,
      input,
      output: new PassThrough(),
      log: (_, m) => void logs.push(m),
      onListening: (p) => (port = p),
    });
    expect(port).toBeUndefined();
    expect(logs[0]).toContain("no HTTP server (set gateway.port");
  });
});

describe("gateway HTTP server with a Telegram channel that cannot connect", () => {
  it("listens before Telegram connects, warns on each retry with its back-off, and reports the channel down until it connects", async () => {
    const telegram = closeAfter(await startFakeTelegram());
    // Telegram refuses getMe until the failures are cleared; then the channel recovers without a restart.
    telegram.failNext("getMe", { error_code: 401, description: "Unauthorized" }, 1_000_000);
    const gw = await startGateway(
      {
        gateway: { port: 0, metrics: { token: METRICS_TOKEN } },
        channels: { telegram: { apiRoot: telegram.apiRoot } },
      },
      { TELEGRAM_BOT_TOKEN: telegram.token },
    );
    expect(gw.logs[0]).toContain("channels telegram (long polling)");
    expect((await fetch(`${gw.base}/healthz`)).status).toBe(200);

    await eventually(
      () => gw.logs.filter((l) => l.includes("telegram: could not connect")).length >= 2,
      WAIT_MS,
      "two retry warnings",
    );
    const warnings = gw.logs.filter((l) => l.includes("telegram: could not connect"));
    expect(warnings[0]).toMatch(/^\[warn\] telegram: could not connect \(attempt 1\): .*; retrying in 20ms$/);
    expect(warnings[1]).toMatch(/\(attempt 2\).*retrying in 40ms$/);
    const anonymous = await fetch(`${gw.base}/readyz`);
    expect(anonymous.status).toBe(503);
    expect(await anonymous.json()).toEqual({ ready: false, channelsNotReady: ["telegram"] });
    const down = await fetch(`${gw.base}/readyz`, AUTHORIZED);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { notReady: string[]; channels: { name: string; state: string }[] };
    expect(body.notReady).toEqual([
      expect.stringMatching(/^channel telegram: down \(Telegram rejected the bot token\./),
    ]);
    expect(body.channels).toEqual([expect.objectContaining({ name: "telegram", mode: "long polling", state: "down" })]);

    telegram.clearFailures("getMe");
    await eventually(async () => (await fetch(`${gw.base}/readyz`)).status === 200, WAIT_MS, "telegram connected");
    expect(gw.logs.join("\n")).not.toContain(telegram.token);
  });
});

describe("gateway HTTP server while Telegram's API refuses connections", () => {
  it("retries getMe with warnings and its back-off instead of retrying silently forever", async () => {
    // A loopback port that refuses every connection at once.
    const port = await refusedPort();
    const token = "123456:refused-connection-token";
    const gw = await startGateway(
      {
        gateway: { port: 0, metrics: { token: METRICS_TOKEN } },
        channels: { telegram: { apiRoot: `http://127.0.0.1:${port}` } },
      },
      { TELEGRAM_BOT_TOKEN: token },
    );

    await eventually(
      () => gw.logs.filter((l) => l.includes("telegram: could not connect")).length >= 3,
      WAIT_MS,
      "three retry warnings",
    );
    const warnings = gw.logs.filter((l) => l.includes("telegram: could not connect"));
    expect(warnings[0]).toMatch(
      /^\[warn\] telegram: could not connect \(attempt 1\): telegram: getMe failed: Network request for 'getMe' failed! \(ECONNREFUSED\); retrying in 20ms$/,
    );
    expect(warnings[1]).toMatch(/\(attempt 2\).*ECONNREFUSED.*retrying in 40ms$/);
    expect(warnings[2]).toMatch(/\(attempt 3\).*retrying in 40ms$/);
    // Anyone sees which channel is not ready; the reason is among the details behind the metrics token.
    const down = await fetch(`${gw.base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, channelsNotReady: ["telegram"] });
    const details = await fetch(`${gw.base}/readyz`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(((await details.json()) as { notReady: string[] }).notReady).toEqual([
      expect.stringMatching(/^channel telegram: down \(telegram: getMe failed: .*ECONNREFUSED/),
    ]);
    expect(gw.logs.join("\n")).not.toContain(token);
  });
});

describeRedis("gateway HTTP server with Redis as the session store", () => {
  it("a start that fails after the store opened closes the store, so the process can exit", async () => {
    const redis = await RedisServer.start();
    closeAfter({ close: () => redis.cleanup() });
    const stateDir = writeStateDir({
      prefix: "openclaw-obs-",
      config: {
        gateway: { port: 0, bind: "custom" },
        session: { store: { kind: "redis", url: redis.url, keyPrefix: `fail-${process.pid}:` } },
      },
    });
    const start = runGateway({
      processEnv: { OPENCLAW_STATE_DIR: stateDir },
      cwd: stateDir,
      input: new PassThrough(),
      output: new PassThrough(),
      log: () => undefined,
    });
    await expect(start).rejects.toThrow("gateway.customBindHost is not set");
    const probe = new Redis(redis.url);
    try {
      // Only the probe itself is connected: the gateway's client was closed on the way out.
      const clients = String(await probe.client("LIST"))
        .trim()
        .split("\n");
      expect(clients).toHaveLength(1);
    } finally {
      probe.disconnect();
    }
  });

  it("reports the store down on /readyz and in openclaw_session_store_up while Redis is away, and up again after", async () => {
    const redis = await RedisServer.start();
    closeAfter({ close: () => redis.cleanup() });
    const gw = await startGateway({
      gateway: { port: 0, metrics: { token: METRICS_TOKEN } },
      session: { store: { kind: "redis", url: redis.url, keyPrefix: `obs-${process.pid}:` } },
    });
    expect(gw.logs[0]).toContain(`store redis 127.0.0.1:${new URL(redis.url).port}`);
    expect((await fetch(`${gw.base}/readyz`)).status).toBe(200);

    await redis.kill();
    const down = await fetch(`${gw.base}/readyz`, AUTHORIZED);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { notReady: string[] }).notReady).toEqual(["session store: not answering"]);
    expect(await (await fetch(`${gw.base}/metrics`, AUTHORIZED)).text()).toContain("openclaw_session_store_up 0");
    expect((await fetch(`${gw.base}/healthz`)).status).toBe(200);

    await redis.restart();
    await eventually(async () => (await fetch(`${gw.base}/readyz`)).status === 200, WAIT_MS, "store answering again");
  });
});
