/**
 * No webhook update lost while a channel starts (issue 26, DESIGN section 8): the HTTP server listens
 * before the channels, so until the Telegram channel serves its webhook path that path answers 503
 * with `Retry-After` (Telegram delivers again), never 404 (Telegram records a broken webhook), and
 * `/readyz` names the channel. The same holds while a failed start is retried.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import { SECRET_HEADER } from "../../src/channels/telegram/webhook.js";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram-bot-api.js";
import { closeAfter, startGateway, stopGateways, type Running } from "../support/gateway-run.js";
import { eventually } from "../sessions/child.js";
import { scaled } from "../support/slowness.js";

/** Generous: these waits end as soon as the condition holds; only a hang hits the limit. */
const WAIT_MS = 20_000;
const SECRET = "start_webhook-Secret_0123456789";
const ALICE = { id: 1001, first_name: "Alice" };
const DM = { id: ALICE.id, type: "private" } as const;

afterEach(stopGateways);

function webhookConfig(fake: FakeTelegram): object {
  return {
    gateway: { port: 0 },
    commands: { allowFrom: { telegram: ["*"] } },
    channels: {
      telegram: {
        apiRoot: fake.apiRoot,
        webhookUrl: "https://bot.example.com/telegram-webhook",
        webhookSecret: SECRET,
      },
    },
  };
}

function deliver(gw: Running, update: Update): Promise<Response> {
  return fetch(`${gw.base}/telegram-webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", [SECRET_HEADER]: SECRET },
    body: JSON.stringify(update),
  });
}

async function readyz(gw: Running): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${gw.base}/readyz`);
  return { status: res.status, body: await res.json() };
}

/** Telegram's redelivery, once the gateway is ready: the same update is answered. */
async function expectHandledOnceReady(gw: Running, fake: FakeTelegram, update: Update): Promise<void> {
  await eventually(async () => (await readyz(gw)).status === 200, WAIT_MS, "telegram ready");
  const res = await deliver(gw, update);
  expect(res.status).toBe(200);
  const reply = await fake.waitForCall("sendMessage", (c) => Number(c.payload.chat_id) === DM.id, scaled(WAIT_MS));
  expect(String(reply.payload.text)).toContain("anthropic");
}

describe("the Telegram webhook path while the channel starts", () => {
  it("answers 503 with Retry-After (never 404), /readyz names telegram, and the redelivered update is handled once started", async () => {
    const fake = closeAfter(await startFakeTelegram());
    // Telegram is slow to answer the channel's first call, so the gateway listens long before the channel serves.
    const release = fake.hold("getMe");
    const gw = await startGateway(webhookConfig(fake), { TELEGRAM_BOT_TOKEN: fake.token });
    await eventually(() => fake.callsTo("getMe").length > 0, WAIT_MS, "the channel starting");
    const update = fake.buildUserMessage({ chat: DM, from: ALICE, text: "/model status" });

    const early = await deliver(gw, update);
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("5");
    expect(await early.json()).toEqual({ error: "telegram is starting" });
    expect(await readyz(gw)).toEqual({ status: 503, body: { ready: false, channelsNotReady: ["telegram"] } });
    expect(fake.callsTo("sendMessage")).toEqual([]);

    release();
    await expectHandledOnceReady(gw, fake, update);
  });

  it("answers 503 again while a start that failed is retried, and handles the update after the retry", async () => {
    const fake = closeAfter(await startFakeTelegram());
    fake.failNext("setWebhook", { error_code: 400, description: "Bad Request: bad webhook" }, 1_000_000);
    // A long first back-off, so the requests below land between two attempts.
    const wait = scaled(2000);
    const gw = await startGateway(
      webhookConfig(fake),
      { TELEGRAM_BOT_TOKEN: fake.token },
      {
        retry: { initialMs: wait, maxMs: wait },
      },
    );
    await eventually(
      () => gw.logs.some((l) => l.includes("telegram: could not connect (attempt 1)")),
      WAIT_MS,
      "the first attempt failing",
    );
    const update = fake.buildUserMessage({ chat: DM, from: ALICE, text: "/model status" });

    // The failed attempt had registered the route; it is taken back, not left to a half-started bot.
    const between = await deliver(gw, update);
    expect(between.status).toBe(503);
    expect(between.headers.get("retry-after")).toBe("5");
    expect(await readyz(gw)).toEqual({ status: 503, body: { ready: false, channelsNotReady: ["telegram"] } });
    expect(fake.callsTo("sendMessage")).toEqual([]);

    fake.clearFailures("setWebhook");
    await expectHandledOnceReady(gw, fake, update);
  });
});
