/**
 * OAuth refresh across gateway instances (issue 18): two `openclaw gateway` processes on one state
 * dir, sharing one session store (Redis, or the SQLite file on one host), hold an OAuth profile
 * one minute from expiry. Twenty messages arrive at once, half at each instance: the refresh
 * token is spent exactly once at the token endpoint, and every message is answered with the new
 * access token.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-api.js";
import { startFakeTelegram, type Call, type FakeTelegram } from "../fakes/telegram-bot-api.js";
import {
  OAUTH_ID as ID,
  oauthProfile,
  startFakeTokenEndpoint,
  type FakeTokenEndpoint,
} from "../fakes/token-endpoint.js";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";
import { requireBuild } from "../support/cli.js";
import { scaled } from "../support/slowness.js";
import { writeStateDir } from "../support/state.js";
import { GatewayChild } from "./support.js";

const SECRET = "oauth_webhook-Secret_0123456789abc";
const OLD_ACCESS = `sk-ant-oat01-old-${"a".repeat(70)}`;
const OLD_REFRESH = `sk-ant-ort01-old-${"r".repeat(70)}`;
const MESSAGES = 20;

function refreshSuite(store: "redis" | "sqlite"): void {
  let redis: RedisServer | undefined;
  let telegram: FakeTelegram | undefined;
  let provider: FakeProvider | undefined;
  let endpoint: FakeTokenEndpoint | undefined;
  let stateDir: string | undefined;
  const gateways: GatewayChild[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    requireBuild();
    if (store === "redis") redis = await RedisServer.start();
    telegram = await startFakeTelegram({ token: "777002:OAUTH-fake-telegram-token_abcdefghijk" });
    provider = await startFakeProvider();
    provider.defaultText("answer with a fresh token");
    endpoint = await startFakeTokenEndpoint({ refresh: OLD_REFRESH });
    // Every refresh takes a while, so the other instance's messages arrive while it runs.
    endpoint.delayMs = 300;
    stateDir = writeStateDir({
      prefix: `openclaw-oauth-${store}-`,
      config: {
        ...(redis ? { session: { store: { kind: "redis", url: redis.url, keyPrefix: `oauth-${process.pid}:` } } } : {}),
        channels: {
          telegram: { webhookUrl: "https://example.invalid/hook", webhookSecret: SECRET, apiRoot: telegram.apiRoot },
        },
        commands: { allowFrom: { telegram: ["*"] } },
        models: { providers: { anthropic: { baseUrl: provider.url, oauth: { tokenUrl: endpoint.url } } } },
      },
      authProfiles: {
        version: 1,
        profiles: {
          [ID]: oauthProfile(OLD_ACCESS, OLD_REFRESH, Date.now() + 60_000),
        },
      },
    });
    const env = { TELEGRAM_BOT_TOKEN: telegram.token };
    gateways.push(new GatewayChild(stateDir, env), new GatewayChild(stateDir, env));
    const ports = await Promise.all(gateways.map((g) => g.listening()));
    for (const port of ports) urls.push(`http://127.0.0.1:${port}/telegram-webhook`);
  }, scaled(30_000));

  afterAll(async () => {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled([telegram?.close(), provider?.close(), endpoint?.close(), redis?.cleanup()]);
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it(`${MESSAGES} messages at once at two instances: one refresh, every message answered with the new token`, async () => {
    if (!telegram || !provider || !endpoint || !stateDir) throw new Error("not started");
    const fake = telegram;
    const users = Array.from({ length: MESSAGES }, (_, i) => 5000 + i);
    const posted = await Promise.all(
      users.map((id, i) =>
        fetch(urls[i % 2] ?? "", {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
          body: JSON.stringify(
            fake.buildUserMessage({
              chat: { id, type: "private" },
              from: { id, first_name: `User ${i}` },
              text: `hello ${i}`,
            }),
          ),
        }),
      ),
    );
    for (const r of posted) expect(r.status).toBe(200);
    const answered = (c: Call) => /answer with a fresh token/.test(String(c.payload.text));
    const deadline = Date.now() + scaled(20_000);
    while (fake.callsTo("sendMessage").filter(answered).length < MESSAGES && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const replies = fake.callsTo("sendMessage");
    expect(
      replies
        .filter(answered)
        .map((c) => Number(c.payload.chat_id))
        .sort(),
    ).toEqual(users);

    expect(endpoint.grants).toHaveLength(1);
    expect(endpoint.issued).toHaveLength(1);
    expect(provider.requests).toHaveLength(MESSAGES);
    for (const r of provider.requests) expect(r.credential).toBe(endpoint.issued[0]);

    const file = JSON.parse(
      fs.readFileSync(path.join(stateDir, "agents", "main", "agent", "auth-profiles.json"), "utf8"),
    ) as { profiles: Record<string, Record<string, unknown>> };
    expect(file.profiles[ID]).toMatchObject({ access: endpoint.issued[0], refresh: endpoint.validRefresh });
  });

  it("neither instance printed a token", () => {
    const secrets = [OLD_ACCESS, OLD_REFRESH, ...(endpoint?.issued ?? []), endpoint?.validRefresh ?? OLD_REFRESH];
    for (const g of gateways)
      for (const s of secrets) {
        expect(g.stderr).not.toContain(s);
        expect(g.stdout).not.toContain(s);
      }
  });
}

describeRedis("OAuth refresh: two gateway instances sharing Redis", () => refreshSuite("redis"));
describe("OAuth refresh: two gateway processes sharing the SQLite session store", () => refreshSuite("sqlite"));
