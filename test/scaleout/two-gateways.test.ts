/**
 * Scale-out (DESIGN section 5): two `openclaw gateway` processes behind one Telegram webhook share
 * pins through Redis. A pin typed at instance A is what instance B uses for the very next message.
 */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-api.js";
import { startFakeTelegram, type Call, type FakeTelegram } from "../fakes/telegram-bot-api.js";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";
import { writeStateDir } from "../support/state.js";
import { requireBuild } from "../support/cli.js";
import { GatewayChild } from "./support.js";
import { scaled } from "../support/slowness.js";

const OWNER = 424242;
const SECRET = "scaleout_webhook-Secret_0123456789";
const FIRST_KEY = `sk-ant-api03-${"F".repeat(80)}irst`;
const SECOND_KEY = `sk-ant-api03-${"S".repeat(80)}cond`;

describeRedis("two gateway instances behind one Telegram webhook, sharing Redis", () => {
  let redis: RedisServer | undefined;
  let telegram: FakeTelegram | undefined;
  let provider: FakeProvider | undefined;
  let stateDir: string | undefined;
  const gateways: GatewayChild[] = [];
  let a: { gw: GatewayChild; url: string };
  let b: { gw: GatewayChild; url: string };

  beforeAll(async () => {
    requireBuild();
    redis = await RedisServer.start();
    telegram = await startFakeTelegram({ token: "777001:SCALEOUT-fake-telegram-token_abcdefghij" });
    provider = await startFakeProvider();
    provider.script(FIRST_KEY, { kind: "text", text: "answer paid by first" });
    provider.script(SECOND_KEY, { kind: "text", text: "answer paid by second" });

    const config = {
      session: { store: { kind: "redis", url: redis.url, keyPrefix: `scaleout-${process.pid}:` } },
      channels: {
        telegram: { webhookUrl: "https://example.invalid/hook", webhookSecret: SECRET, apiRoot: telegram.apiRoot },
      },
      commands: { ownerAllowFrom: [`telegram:${OWNER}`] },
      models: { providers: { anthropic: { baseUrl: provider.url } } },
    };
    stateDir = writeStateDir({
      prefix: "openclaw-scaleout-",
      config,
      authProfiles: {
        version: 1,
        profiles: {
          "anthropic:first": { type: "api_key", provider: "anthropic", key: FIRST_KEY },
          "anthropic:second": { type: "api_key", provider: "anthropic", key: SECOND_KEY },
        },
        // Without a pin every instance uses "first", so a request paid by "second" proves the pin.
        order: { anthropic: ["anthropic:first", "anthropic:second"] },
      },
    });

    const env = { TELEGRAM_BOT_TOKEN: telegram.token };
    const gwA = new GatewayChild(stateDir, env);
    const gwB = new GatewayChild(stateDir, env);
    gateways.push(gwA, gwB);
    const [portA, portB] = await Promise.all([gwA.listening(), gwB.listening()]);
    a = { gw: gwA, url: `http://127.0.0.1:${portA}/telegram-webhook` };
    b = { gw: gwB, url: `http://127.0.0.1:${portB}/telegram-webhook` };
  }, scaled(30_000));

  afterAll(async () => {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled([telegram?.close(), provider?.close(), redis?.cleanup()]);
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  /** `secret: null` sends no secret header at all. */
  function post(url: string, body: unknown, secret: string | null = SECRET): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
    return fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  }

  function dm(text: string) {
    if (!telegram) throw new Error("fake Telegram not started");
    return telegram.buildUserMessage({
      chat: { id: OWNER, type: "private" },
      from: { id: OWNER, first_name: "Owner" },
      text,
    });
  }

  const toOwner = (re: RegExp) => (c: Call) =>
    String(c.payload.chat_id) === String(OWNER) && re.test(String(c.payload.text));

  it("both instances registered the webhook with the secret", () => {
    const setWebhook = telegram?.callsTo("setWebhook") ?? [];
    expect(setWebhook).toHaveLength(2);
    for (const c of setWebhook)
      expect(c.payload).toMatchObject({ url: "https://example.invalid/hook", secret_token: SECRET });
  });

  it("a pin typed at A is used by B for the next message, within a second", async () => {
    if (!telegram || !provider) throw new Error("not started");
    // B answers once before the pin, so the session sits in B's cache: a stale cache would show here.
    expect((await post(b.url, dm("hello before the pin"))).status).toBe(200);
    await telegram.waitForCall("sendMessage", toOwner(/answer paid by first/), scaled(10_000));
    expect(provider.requestsFor(FIRST_KEY)).toHaveLength(1);
    expect(provider.requestsFor(SECOND_KEY)).toHaveLength(0);

    expect((await post(a.url, dm("/model sonnet@anthropic:second"))).status).toBe(200);
    const confirmed = await telegram.waitForCall("sendMessage", toOwner(/anthropic:second/), scaled(10_000));
    expect(String(confirmed.payload.text)).toContain("claude-sonnet-5-5");

    const sent = Date.now();
    expect((await post(b.url, dm("hello after the pin"))).status).toBe(200);
    const reply = await telegram.waitForCall("sendMessage", toOwner(/answer paid by/), scaled(5_000));
    const paid = provider.requestsFor(SECOND_KEY);
    expect(paid, "B's request used the second profile's key").toHaveLength(1);
    expect(provider.requestsFor(FIRST_KEY)).toHaveLength(1);
    expect(paid[0]?.at ?? Infinity).toBeLessThan(confirmed.at + scaled(1_000));
    expect(paid[0]?.model).toBe("claude-sonnet-5-5");
    expect(String(reply.payload.text)).toBe("answer paid by second");
    expect(reply.at - sent).toBeLessThan(scaled(1_000));
    // The DM went out through B only: A has not logged any model call.
    expect(a.gw.stderr).not.toMatch(/chat session=/);
  });

  it("a wrong or missing secret is refused with 401 by either instance, and nothing runs", async () => {
    if (!telegram || !provider) throw new Error("not started");
    const before = { sent: telegram.callsTo("sendMessage").length, asked: provider.requests.length };
    for (const url of [a.url, b.url]) {
      expect((await post(url, dm("/model opus@anthropic:first"), "wrong_secret")).status).toBe(401);
      expect((await post(url, dm("/model opus@anthropic:first"), `${SECRET}x`)).status).toBe(401);
      expect((await post(url, dm("/model opus@anthropic:first"), null)).status).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(telegram.callsTo("sendMessage")).toHaveLength(before.sent);
    expect(provider.requests).toHaveLength(before.asked);
    for (const g of gateways) expect(g.alive).toBe(true);
  });

  it("both instances stop cleanly on SIGTERM", async () => {
    expect(await Promise.all(gateways.map((g) => g.stop()))).toEqual([0, 0]);
  });

  it("neither instance printed the bot token or an API key, up to shutdown", () => {
    for (const g of gateways) {
      for (const secret of [telegram?.token ?? "", FIRST_KEY, SECOND_KEY]) {
        expect(g.stderr).not.toContain(secret);
        expect(g.stdout).not.toContain(secret);
      }
    }
  });
});
