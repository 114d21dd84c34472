/**
 * A Redis outage under a running gateway (DESIGN sections 5 and 6): `/model` answers "temporarily
 * unavailable, try again" at once instead of hanging or crashing, and the same process recovers on
 * its own when Redis is back, with every acknowledged pin still there.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";
import { requireBuild, runCli } from "../support/cli.js";
import { writeStateDir } from "../support/state.js";
import { GatewayChild } from "./support.js";
import { scaled } from "../support/slowness.js";

const KEY_A = `sk-ant-api03-${"a".repeat(80)}OutA`;
const KEY_B = `sk-ant-api03-${"b".repeat(80)}OutB`;
const UNAVAILABLE = /temporarily unavailable[\s\S]*try again/i;

interface SessionRow {
  key: string;
  model: string | null;
  profileId: string | null;
  pinSource: string | null;
}

describeRedis("a gateway whose Redis goes away and comes back", () => {
  let redis: RedisServer | undefined;
  let stateDir: string | undefined;
  let gw: GatewayChild | undefined;

  beforeAll(async () => {
    requireBuild();
    // Append-only with fsync on every write: a restart on the same data directory keeps every acknowledged pin.
    redis = await RedisServer.start({ durable: true });
    stateDir = writeStateDir({
      prefix: "openclaw-outage-",
      config: { session: { store: { kind: "redis", url: redis.url, keyPrefix: `outage-${process.pid}:` } } },
      authProfiles: {
        version: 1,
        profiles: {
          "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A },
          "anthropic:b": { type: "api_key", provider: "anthropic", key: KEY_B },
        },
      },
    });
    gw = new GatewayChild(stateDir);
  });

  afterAll(async () => {
    await gw?.stop();
    await redis?.cleanup();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  /** What `openclaw sessions list --json` (a separate process reading Redis) sees. */
  function sessionsInRedis(): SessionRow[] {
    if (!stateDir) throw new Error("not started");
    const r = runCli(["sessions", "list", "--json"], { stateDir });
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { sessions: SessionRow[] }).sessions;
  }

  /** Sends a line and returns the reply and how long it took. */
  async function timed(line: string, until: RegExp, timeoutMs = 5_000): Promise<{ out: string; ms: number }> {
    if (!gw) throw new Error("not started");
    const started = performance.now();
    const out = await gw.send(line, until, scaled(timeoutMs));
    return { out, ms: performance.now() - started };
  }

  it("pins while Redis is up", async () => {
    const { out } = await timed("/model sonnet@anthropic:a", /anthropic:a/);
    expect(out).toContain("claude-sonnet-5-5");
    expect(sessionsInRedis()).toEqual([
      expect.objectContaining({
        key: "agent:main:main",
        model: "anthropic/claude-sonnet-5-5",
        profileId: "anthropic:a",
        pinSource: "user",
      }),
    ]);
  });

  it("with Redis down, /model answers 'temporarily unavailable, try again' quickly, and /model status still answers", async () => {
    await redis?.kill(); // a crash, not a clean shutdown
    const pin = await timed("/model opus@anthropic:b", UNAVAILABLE);
    expect(pin.ms).toBeLessThan(scaled(3_000));
    expect(pin.out).not.toMatch(/anthropic:b.*pinned/);

    const status = await timed("/model status", /Agent: main|temporarily unavailable/);
    expect(status.ms).toBeLessThan(scaled(3_000));

    const again = await timed("/model haiku", UNAVAILABLE);
    expect(again.ms).toBeLessThan(scaled(3_000));
    expect(gw?.alive).toBe(true);
    expect(gw?.stderr ?? "").not.toMatch(/unhandled|TypeError|\n\s+at /);
    // The operator sees the outage once in the log, not once per reconnect attempt.
    expect((gw?.stderr ?? "").match(/session store unreachable/g)).toHaveLength(1);
  });

  it("recovers by itself when Redis is back: the acknowledged pin is there and a new pin works", async () => {
    await redis?.restart();
    // A separate process reads straight from Redis: the pin acknowledged before the outage survived.
    expect(sessionsInRedis()).toEqual([
      expect.objectContaining({
        key: "agent:main:main",
        model: "anthropic/claude-sonnet-5-5",
        profileId: "anthropic:a",
        pinSource: "user",
      }),
    ]);

    // The same gateway process reconnects on its own (no restart): ask until it answers from Redis.
    const deadline = Date.now() + scaled(10_000);
    let seen = "";
    for (;;) {
      seen = (await timed("/model status", /Agent: main|temporarily unavailable/)).out;
      if (!UNAVAILABLE.test(seen) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen).not.toMatch(UNAVAILABLE);
    expect(seen).toContain("claude-sonnet-5-5");
    expect(seen).toMatch(/anthropic:a.*pinned/);

    const { out } = await timed("/model opus@anthropic:b", /anthropic:b|temporarily unavailable/);
    expect(out).not.toMatch(UNAVAILABLE);
    expect(out).toContain("claude-opus-5-5");

    const status = (await timed("/model status", /Agent: main/)).out;
    expect(status).toContain("claude-opus-5-5");
    expect(status).toMatch(/anthropic:b.*pinned/);
    expect(gw?.stderr ?? "").toContain("session store reachable again");
    expect(sessionsInRedis()).toEqual([
      expect.objectContaining({
        key: "agent:main:main",
        model: "anthropic/claude-opus-5-5",
        profileId: "anthropic:b",
        pinSource: "user",
      }),
    ]);
  });

  it("stops cleanly afterwards, without printing a key", async () => {
    expect(await gw?.stop()).toBe(0);
    for (const key of [KEY_A, KEY_B]) expect(`${gw?.stdout}${gw?.stderr}`).not.toContain(key);
  });
});
