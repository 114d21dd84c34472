/**
 * The auth monitor (issue 14): an owner on the (fake) Telegram hears exactly once about a token
 * that expires in 5 h, even with two gateway instances sharing one real redis-server.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "../../fakes/telegram-bot-api.js";
import { describeRedis } from "../../sessions/describe-redis.js";
import { RedisServer } from "../../sessions/redis-server.js";
import { eventually } from "../../sessions/child.js";
import { TOKEN, startGateway, stopGateways, type Running } from "../../support/gateway-run.js";
import { createTestGateway } from "../../support/gateway.js";
import { authMonitorPlugin } from "../../../plugins/auth-monitor/index.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { handleConsoleLine } from "../../../src/channels/console/index.js";
import type { CommandInvocation } from "../../../src/gateway/types.js";
import { claimAnnouncement } from "../../../plugins/auth-monitor/announce.js";
import { assembleState } from "../../support/assembly.js";
import { writeStateDir } from "../../support/state.js";

const OWNER = 515151;
const STRANGER = 626262;
const SECRET = "authmonitor_webhook-Secret_0123456789";
const WAIT_MS = 30_000;

function checks(gw: Running): number {
  return gw.logs.filter((l) => l.includes("auth-monitor: checked")).length;
}

describeRedis("auth monitor with two instances on one Redis", () => {
  let redis: RedisServer | undefined;
  let telegram: FakeTelegram | undefined;

  beforeAll(async () => {
    redis = await RedisServer.start();
    telegram = await startFakeTelegram({ token: "777002:AUTHMON-fake-telegram-token_abcdefghij" });
  });
  afterAll(async () => {
    await stopGateways();
    await telegram?.close();
    await redis?.stop();
  });

  it("sends the owner exactly one DM about a token expiring in 5 h, naming the masked profile and the fix", async () => {
    const tg = telegram as FakeTelegram;
    const server = redis as RedisServer;
    tg.addChat({ id: OWNER, type: "private", first_name: "Owner" });
    const config = {
      gateway: { port: 0 },
      session: { store: { kind: "redis", url: server.url, keyPrefix: `authmon-${process.pid}:` } },
      channels: {
        telegram: { webhookUrl: "https://example.invalid/hook", webhookSecret: SECRET, apiRoot: tg.apiRoot },
      },
      commands: { ownerAllowFrom: [`telegram:${OWNER}`] },
      // A check every 120 ms: both instances check many times, and still one message goes out.
      auth: { monitor: { intervalMinutes: 0.002 } },
    };
    const env = { TELEGRAM_BOT_TOKEN: tg.token };
    const a = await startGateway(config, env);
    const b = await startGateway(config, env, { stateDir: a.stateDir });
    await eventually(() => checks(a) >= 5 && checks(b) >= 5, WAIT_MS, "five checks by each instance");

    const dms = tg.messages(OWNER);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toMatch(
      /^Credential anthropic:work \(sk-ant-o…Fq1x\) expires soon: expires in 5h\.\nFix: openclaw models auth paste-token --provider anthropic --profile-id anthropic:work$/,
    );
    const sentBy = [a, b].map((gw) => gw.logs.filter((l) => /[1-9]\d* message\(s\) sent/.test(l)).length);
    expect(sentBy.sort()).toEqual([0, 1]);
    for (const gw of [a, b]) expect(gw.logs.join("\n")).not.toContain(TOKEN);
  });

  it("lets exactly one of many instances claim the same announcement at the same moment", async () => {
    const stateDir = writeStateDir({ prefix: "openclaw-authmon-race-" });
    const store = { kind: "redis", url: (redis as RedisServer).url, keyPrefix: `authmon-race-${process.pid}:` };
    fs.writeFileSync(path.join(stateDir, "model-gateway.json"), JSON.stringify({ session: { store } }));
    // Four instances, each with its own services over the same Redis.
    const apps = [1, 2, 3, 4].map(() => assembleState(stateDir));
    const stores = await Promise.all(apps.map((app) => app.sessions()));
    try {
      for (const round of [1, 2, 3]) {
        const owner = `telegram:${round}`;
        const won = await Promise.all(
          stores.map((s, i) =>
            claimAnnouncement(
              s,
              { owner, credentialId: "anthropic:work", instance: `i${i}` },
              "ok",
              "expiring",
              Date.now(),
            ),
          ),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      for (const app of apps) await app.close();
    }
  });
});

describe("/auth", () => {
  it("is for owners only and shows the health summary with the fix", async () => {
    const gw = await createTestGateway({
      plugins: [modelPlugin, authMonitorPlugin()],
      config: { commands: { ownerAllowFrom: [`telegram:${OWNER}`], allowFrom: { telegram: ["*"] } } },
      authProfiles: {
        version: 1,
        profiles: {
          "anthropic:work": { type: "token", provider: "anthropic", token: TOKEN, expires: Date.now() - 3_600_000 },
        },
      },
    });
    try {
      const inv = (sender: number): CommandInvocation => ({
        channel: "telegram",
        chatId: String(sender),
        sender: { id: String(sender) },
        isGroup: false,
        command: "auth",
        args: "",
        via: "text",
      });
      const caps = { maxLength: 4096, buttons: true, ephemeral: false };
      expect((await gw.host.handleCommand(inv(STRANGER), caps))?.text).toBe(
        "Only the bot's owners may use this command.",
      );
      const owner = await gw.host.handleCommand(inv(OWNER), caps);
      expect(owner?.text).toContain("✗ anthropic:work (sk-ant-o…Fq1x): expired 1h ago");
      expect(owner?.text).toContain(
        "fix: openclaw models auth paste-token --provider anthropic --profile-id anthropic:work",
      );
      expect(owner?.text).not.toContain(TOKEN);
      // The console user is always an owner.
      expect((await handleConsoleLine(gw.host, "/auth")).join("\n")).toContain("expired 1h ago");
    } finally {
      await gw.close();
    }
  });
});
