import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { Bot, GrammyError, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { telegramFetch } from "../../../src/channels/telegram/bot-api-fetch.js";
import { type FakeTelegram, startFakeTelegram } from "../../fakes/telegram-bot-api.js";
import { refusedPort } from "../../support/refused-port.js";

const CHAT = 4242;

/** grammY types a call's signal as its abort-controller polyfill's; a standard one is what it forwards. */
type CallSignal = Parameters<Bot["api"]["sendMessage"]>[3];
const callSignal = (controller: AbortController): CallSignal => controller.signal as unknown as CallSignal;

describe("Bot API calls on node:http (grammY's fetch)", () => {
  let tg: FakeTelegram;
  let bot: Bot;

  beforeEach(async () => {
    tg = await startFakeTelegram();
    tg.addChat({ id: CHAT, type: "private", first_name: "Ada" });
    bot = new Bot(tg.token, { botInfo: tg.botInfo, client: { apiRoot: tg.apiRoot, fetch: telegramFetch } });
  });
  afterEach(async () => {
    await tg.close();
  });

  it("sends a JSON call and hands grammY the result", async () => {
    const sent = await bot.api.sendMessage(CHAT, "héllo ✓", { reply_markup: { inline_keyboard: [] } });
    expect(sent.text).toBe("héllo ✓");
    expect(tg.callsTo("sendMessage")[0]?.payload).toMatchObject({ chat_id: CHAT, text: "héllo ✓" });
    expect(tg.messages(CHAT).map((m) => m.text)).toEqual(["héllo ✓"]);
  });

  it("reports Telegram's refusal with its description", async () => {
    tg.failNext("sendMessage", { error_code: 400, description: "Bad Request: message text is empty" });
    const err = await bot.api.sendMessage(CHAT, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).description).toBe("Bad Request: message text is empty");
  });

  it("stops waiting when the call is aborted, and sends nothing when aborted before", async () => {
    const release = tg.hold("sendMessage");
    const controller = new AbortController();
    const pending = bot.api.sendMessage(CHAT, "slow", undefined, callSignal(controller)).catch((e: unknown) => e);
    await vi.waitFor(() => expect(tg.callsTo("sendMessage")).toHaveLength(1));
    controller.abort();
    expect(await pending).toBeInstanceOf(HttpError);
    release();

    const before = tg.callsTo("sendMessage").length;
    const aborted = new AbortController();
    aborted.abort();
    const refused = await bot.api.sendMessage(CHAT, "never", undefined, callSignal(aborted)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect(tg.callsTo("sendMessage")).toHaveLength(before);
  });

  it("reports a refused connection as a network error naming it", async () => {
    const dead = new Bot(tg.token, {
      botInfo: tg.botInfo,
      client: { apiRoot: `http://127.0.0.1:${await refusedPort()}`, fetch: telegramFetch },
    });
    const err = await dead.api.sendMessage(CHAT, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(String((err as HttpError).error)).toContain("ECONNREFUSED");
  });
});

describe("a body that is not JSON text (a file upload)", () => {
  it("goes through the platform's fetch and arrives whole", async () => {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ok: true, result: Buffer.concat(chunks).toString("utf8") }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = Readable.from([Buffer.from("--part one--"), Buffer.from("--part two--")]);
      const res = await telegramFetch(`http://127.0.0.1:${port}/bot1:x/sendDocument`, {
        method: "POST",
        body,
        duplex: "half",
      } as RequestInit);
      expect(await res.json()).toEqual({ ok: true, result: "--part one----part two--" });
    } finally {
      server.close();
    }
  });
});
