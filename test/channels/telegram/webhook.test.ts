/** Webhook mode end to end: the gateway's HTTP server receives updates, grammY answers over HTTP. */
import { afterEach, describe, expect, it } from "vitest";
import { SECRET_HEADER } from "../../../src/channels/telegram/webhook.js";
import type { HttpRequest } from "../../../src/gateway/http-server.js";
import { definePlugin } from "../../../src/gateway/types.js";
import { buttonsOf, nextMessage, startHarness, textOf, type Harness } from "./harness.js";

const SECRET = "wh-secret_0123456789";
const URL_ = "https://bot.example.com/telegram-webhook";
const ALICE = { id: 1001, first_name: "Alice" };
const DM = { id: ALICE.id, type: "private" } as const;

const stub = definePlugin({
  name: "stub",
  commands: () => [
    { name: "echo", description: "Echo", handler: (ctx) => ({ text: `echo:${ctx.invocation.args.trim()}` }) },
    { name: "pick", description: "Picker", handler: () => ({ text: "Pick", choices: [{ label: "A", payload: "a" }] }) },
  ],
  onChoice: (_ctx, payload) => ({ text: `picked ${payload}`, replace: true }),
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function post(body: string, secret?: string): HttpRequest {
  return {
    method: "POST",
    path: "/telegram-webhook",
    headers: { "content-type": "application/json", ...(secret !== undefined ? { [SECRET_HEADER]: secret } : {}) },
    body: Buffer.from(body),
  };
}

async function startWebhookHarness(): Promise<Harness> {
  h = await startHarness({
    plugins: [stub],
    config: {
      commands: { allowFrom: { telegram: ["*"] } },
      channels: { telegram: { webhookUrl: URL_, webhookSecret: SECRET } },
    },
  });
  return h;
}

describe("telegram webhook mode", () => {
  it("sets the webhook with its secret and never polls", async () => {
    const { fake } = await startWebhookHarness();
    expect(fake.webhook).toEqual({
      url: URL_,
      secret_token: SECRET,
      max_connections: 40,
      allowed_updates: ["message", "callback_query"],
    });
    expect(fake.callsTo("getUpdates")).toEqual([]);
  });

  it("refuses a wrong or missing secret (401) and malformed JSON (400), and handles a good update over a real socket", async () => {
    const { fake, http } = await startWebhookHarness();
    const update = fake.buildUserMessage({ chat: DM, from: ALICE, text: "/echo hook" });
    const body = JSON.stringify(update);
    expect((await http.handle(post(body, "wrong"))).status).toBe(401);
    expect((await http.handle(post(body))).status).toBe(401);
    expect((await http.handle(post("{not json", SECRET))).status).toBe(400);
    expect((await http.handle(post('{"message":{}}', SECRET))).status).toBe(400);
    expect(fake.callsTo("sendMessage")).toEqual([]);

    const port = await http.listen(0, "127.0.0.1");
    const res = await fetch(`http://127.0.0.1:${port}/telegram-webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
      body,
    });
    expect(res.status).toBe(200);
    const sent = await nextMessage(fake, DM.id);
    expect(textOf(sent)).toBe("echo:hook");
    expect(sent.payload.reply_parameters).toMatchObject({ message_id: update.message?.message_id });
    await http.close();
  });

  it("answers 200 once a command is handled, by a time bound while a slow answer is still on its way, and handles button presses", async () => {
    const { fake, http, gateway } = await startWebhookHarness();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    gateway.useChat({
      respond: async () => {
        await gate;
        return { text: "slow answer" };
      },
      reset: async () => undefined,
      stop: () => false,
      close: () => undefined,
    });
    const slow = await http.handle(
      post(JSON.stringify(fake.buildUserMessage({ chat: DM, from: ALICE, text: "think hard" })), SECRET),
    );
    expect(slow.status).toBe(200);
    expect(fake.callsTo("sendMessage")).toEqual([]);
    release();
    expect(textOf(await nextMessage(fake, DM.id))).toBe("slow answer");

    // A command is answered within the bound: its reply has gone out by the time Telegram gets 200.
    const pick = await http.handle(
      post(JSON.stringify(fake.buildUserMessage({ chat: DM, from: ALICE, text: "/pick" })), SECRET),
    );
    expect(pick.status).toBe(200);
    expect(fake.callsTo("sendMessage")).toHaveLength(2);
    const picker = fake.messages(DM.id).at(-1)?.message_id ?? 0;
    const [, data] = buttonsOf(fake, DM.id, picker)[0] ?? [];
    const press = fake.buildButtonPress({ chatId: DM.id, messageId: picker, from: ALICE, data: data ?? "" });
    expect((await http.handle(post(JSON.stringify(press), SECRET))).status).toBe(200);
    await fake.waitForCall("editMessageText");
    expect(fake.messages(DM.id).at(-1)?.text).toBe("picked a");
    expect(fake.callbackAnswers).toHaveLength(1);
  });

  it("answers 503 once stopped, so Telegram redelivers to the next instance", async () => {
    const harness = await startWebhookHarness();
    await harness.channel.stop();
    const update = harness.fake.buildUserMessage({ chat: DM, from: ALICE, text: "/echo late" });
    expect((await harness.http.handle(post(JSON.stringify(update), SECRET))).status).toBe(503);
  });

  it("refuses to start without a webhook secret, before touching Telegram", async () => {
    await expect(
      startHarness({ plugins: [stub], config: { channels: { telegram: { webhookUrl: URL_ } } } }),
    ).rejects.toMatchObject({ detail: { code: "telegram_webhook_secret_missing" } });
  });
});
