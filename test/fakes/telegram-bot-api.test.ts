import { Bot, GrammyError, InlineKeyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "./telegram-bot-api.js";
import { scaled } from "../support/slowness.js";

const BOT_USERNAME = "gateway_test_bot";
const CHAT = { id: 4242, type: "private" as const };
const USER = { id: 4242, first_name: "Ada", username: "ada" };

let fake: FakeTelegram | undefined;
let bot: Bot | undefined;

async function setup(): Promise<{ fake: FakeTelegram; bot: Bot }> {
  fake = await startFakeTelegram({ botUsername: BOT_USERNAME });
  bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  return { fake, bot };
}

afterEach(async () => {
  if (bot?.isRunning() === true) await bot.stop();
  await fake?.close();
  bot = undefined;
  fake = undefined;
});

/** Resolves with the rejection of `promise`, failing if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (error: unknown) => error,
  );
}

describe("fake Telegram Bot API", () => {
  it("answers getMe with the configured bot and rejects other tokens", async () => {
    const { fake, bot } = await setup();
    const me = await bot.api.getMe();
    expect(me).toMatchObject({ is_bot: true, username: BOT_USERNAME, id: fake.botInfo.id });

    const intruder = new Bot("1:wrong", { client: { apiRoot: fake.apiRoot } });
    const error = await rejectionOf(intruder.api.getMe());
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 401, description: "Unauthorized" });
  });

  it("answers unknown methods with 404", async () => {
    const { fake } = await setup();
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendTelepathy`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
  });

  it("sends, edits and refuses an edit that changes nothing", async () => {
    const { fake, bot } = await setup();
    fake.addChat(CHAT);
    const keyboard = new InlineKeyboard().text("Pick", "pick");
    const sent = await bot.api.sendMessage(CHAT.id, "draft", { reply_markup: keyboard });
    const second = await bot.api.sendMessage(CHAT.id, "another");
    expect(second.message_id).toBe(sent.message_id + 1);
    expect(sent).toMatchObject({ chat: { id: CHAT.id, type: "private" }, text: "draft", reply_markup: keyboard });

    await bot.api.editMessageText(CHAT.id, sent.message_id, "final", { reply_markup: keyboard });
    const error = await rejectionOf(
      bot.api.editMessageText(CHAT.id, sent.message_id, "final", { reply_markup: keyboard }),
    );
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 400 });
    expect((error as GrammyError).description).toContain("message is not modified");

    const missing = await rejectionOf(bot.api.editMessageText(CHAT.id, 999, "x"));
    expect(missing).toMatchObject({ description: "Bad Request: message to edit not found" });

    expect(fake.messages(CHAT.id)).toEqual([
      { message_id: sent.message_id, text: "final", reply_markup: keyboard, edit_date: expect.any(Number) },
      { message_id: second.message_id, text: "another" },
    ]);
  });

  it("scripts a 429 with retry_after for the next sendMessage only", async () => {
    const { fake, bot } = await setup();
    fake.addChat(CHAT);
    fake.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 7",
      parameters: { retry_after: 7 },
    });
    const error = await rejectionOf(bot.api.sendMessage(CHAT.id, "hi"));
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });

    await bot.api.sendMessage(CHAT.id, "hi again");
    expect(fake.callsTo("sendMessage")).toHaveLength(2);
    expect(fake.messages(CHAT.id).map((m) => m.text)).toEqual(["hi again"]);
  });

  it("long-polls commands and button presses into a running bot", async () => {
    const { fake, bot } = await setup();
    bot.command("start", (ctx) =>
      ctx.reply(`hello ${ctx.from?.first_name ?? "?"}`, { reply_markup: new InlineKeyboard().text("Ping", "ping") }),
    );
    bot.on("callback_query:data", async (ctx) => {
      await ctx.answerCallbackQuery({ text: `got ${ctx.callbackQuery.data}` });
      await ctx.editMessageText("ponged");
    });
    const running = bot.start();

    const pushed = fake.userMessage({ chat: CHAT, from: USER, text: `/start@${BOT_USERNAME} now` });
    expect(pushed.message?.entities).toEqual([
      { type: "bot_command", offset: 0, length: `/start@${BOT_USERNAME}`.length },
    ]);
    const sent = await fake.waitForCall("sendMessage");
    expect(sent.payload).toMatchObject({ chat_id: CHAT.id, text: "hello Ada" });

    const [greeting] = fake.messages(CHAT.id);
    if (greeting === undefined) return expect.fail("the bot sent nothing");
    const queryId = fake.pressButton({ chatId: CHAT.id, messageId: greeting.message_id, from: USER, data: "ping" });
    await fake.waitForCall("answerCallbackQuery", (call) => call.payload["callback_query_id"] === queryId);
    expect(fake.callbackAnswers).toEqual([{ callback_query_id: queryId, text: "got ping", at: expect.any(Number) }]);
    await fake.waitForCall("editMessageText");
    expect(fake.messages(CHAT.id)).toMatchObject([{ message_id: greeting.message_id, text: "ponged" }]);
    expect(fake.messages(CHAT.id)[0]?.reply_markup).toBeUndefined();

    const startedStopping = Date.now();
    await bot.stop();
    await running;
    await fake.close();
    expect(Date.now() - startedStopping).toBeLessThan(scaled(1000));
    // bot.stop() confirmed everything it handled.
    expect(fake.pendingUpdateCount).toBe(0);
  });

  it("rejects a second answer to the same callback query", async () => {
    const { fake, bot } = await setup();
    fake.addChat(CHAT);
    const sent = await bot.api.sendMessage(CHAT.id, "menu", { reply_markup: new InlineKeyboard().text("A", "a") });
    const queryId = fake.pressButton({ chatId: CHAT.id, messageId: sent.message_id, from: USER, data: "a" });
    expect(() => fake.pressButton({ chatId: CHAT.id, messageId: sent.message_id, from: USER, data: "b" })).toThrow(
      /no button/,
    );
    await bot.api.answerCallbackQuery(queryId);
    const error = await rejectionOf(bot.api.answerCallbackQuery(queryId));
    expect(error).toMatchObject({ error_code: 400, description: expect.stringContaining("query ID is invalid") });
  });

  it("implements offset, limit and timeout for getUpdates", async () => {
    const { fake, bot } = await setup();
    const [a, b, c] = ["one", "two", "three"].map((text) => fake.userMessage({ chat: CHAT, from: USER, text }));
    if (a === undefined || b === undefined || c === undefined) return expect.fail("no updates");

    expect((await bot.api.getUpdates({ limit: 2 })).map((u) => u.update_id)).toEqual([a.update_id, b.update_id]);
    // Nothing is confirmed until an offset passes it.
    expect(fake.pendingUpdateCount).toBe(3);
    expect(await bot.api.getUpdates({ offset: c.update_id })).toEqual([c]);
    expect(fake.pendingUpdateCount).toBe(1);

    const started = Date.now();
    const poll = bot.api.getUpdates({ offset: c.update_id + 1, timeout: 5 });
    await fake.waitForCall("getUpdates", (call) => call.payload["timeout"] === 5);
    const later = fake.userMessage({ chat: CHAT, from: USER, text: "four" });
    expect(await poll).toEqual([later]);
    expect(Date.now() - started).toBeLessThan(scaled(2000));

    const empty = Date.now();
    expect(await bot.api.getUpdates({ offset: later.update_id + 1, timeout: 1 })).toEqual([]);
    expect(Date.now() - empty).toBeGreaterThanOrEqual(900);
  });

  it("waitForCall returns earlier calls once, in order", async () => {
    const { fake, bot } = await setup();
    fake.addChat(CHAT);
    await bot.api.sendMessage(CHAT.id, "first");
    await bot.api.sendMessage(CHAT.id, "second");
    expect((await fake.waitForCall("sendMessage")).payload["text"]).toBe("first");
    expect((await fake.waitForCall("sendMessage")).payload["text"]).toBe("second");
    await expect(fake.waitForCall("sendMessage", undefined, 50)).rejects.toThrow(/timed out/);
  });

  it("keeps webhook, commands and chat actions", async () => {
    const { fake, bot } = await setup();
    fake.userMessage({ chat: CHAT, from: USER, text: "queued" });
    await bot.api.setWebhook("https://gateway.example/telegram", { secret_token: "s3cret_-" });
    expect(fake.webhook).toMatchObject({ url: "https://gateway.example/telegram", secret_token: "s3cret_-" });
    expect(await bot.api.getWebhookInfo()).toMatchObject({
      url: "https://gateway.example/telegram",
      pending_update_count: 1,
    });
    expect(await rejectionOf(bot.api.getUpdates())).toMatchObject({ error_code: 409 });
    expect(await rejectionOf(bot.api.setWebhook("http://insecure.example"))).toMatchObject({ error_code: 400 });

    await bot.api.deleteWebhook({ drop_pending_updates: true });
    expect(await bot.api.getWebhookInfo()).toEqual({ url: "", has_custom_certificate: false, pending_update_count: 0 });

    const groupScope = { type: "all_group_chats" } as const;
    await bot.api.setMyCommands([{ command: "model", description: "Pick a model" }]);
    await bot.api.setMyCommands([{ command: "help", description: "Help" }], { scope: groupScope });
    expect(await bot.api.getMyCommands()).toEqual([{ command: "model", description: "Pick a model" }]);
    expect(await bot.api.getMyCommands({ scope: groupScope })).toEqual([{ command: "help", description: "Help" }]);
    await bot.api.deleteMyCommands({ scope: groupScope });
    expect(fake.commands(groupScope)).toEqual([]);
    expect(await rejectionOf(bot.api.setMyCommands([{ command: "Model", description: "x" }]))).toMatchObject({
      description: "Bad Request: BOT_COMMAND_INVALID",
    });

    expect(await bot.api.sendChatAction(CHAT.id, "typing")).toBe(true);
    const sent = await bot.api.sendMessage(CHAT.id, "bye");
    expect(await bot.api.deleteMessage(CHAT.id, sent.message_id)).toBe(true);
    expect(fake.messages(CHAT.id)).toEqual([]);
    expect(await rejectionOf(bot.api.sendMessage(999, "nobody"))).toMatchObject({
      description: "Bad Request: chat not found",
    });
  });

  it("keeps forum topics on replies built from a webhook-style update", async () => {
    const { fake, bot } = await setup();
    const forum = { id: -1001234567890, type: "supergroup" as const, title: "Lab", is_forum: true };
    bot.on("message:text", (ctx) => ctx.reply("in topic"));
    await bot.init();

    // Webhook tests hand the update to the bot themselves; the fake only has to know the chat.
    const update = fake.buildUserMessage({ chat: forum, from: USER, text: "hi", message_thread_id: 7 });
    expect(update.message).toMatchObject({ chat: forum, message_thread_id: 7, is_topic_message: true });
    expect(fake.pendingUpdateCount).toBe(0);
    await bot.handleUpdate(update);

    expect(fake.messages(forum.id)).toEqual([{ message_id: 2, text: "in topic", message_thread_id: 7 }]);
  });

  it("accepts urlencoded parameters", async () => {
    const { fake } = await setup();
    fake.addChat(CHAT);
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/SENDMESSAGE`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        chat_id: String(CHAT.id),
        text: "form",
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }),
      }),
    });
    expect(await res.json()).toMatchObject({
      ok: true,
      result: { text: "form", reply_markup: { inline_keyboard: [[{ callback_data: "go" }]] } },
    });
    expect(fake.callsTo("sendMessage")).toHaveLength(1);
  });

  it("close() ends a pending long poll with no updates", async () => {
    const { fake, bot } = await setup();
    const poll = bot.api.getUpdates({ timeout: 30 });
    await fake.waitForCall("getUpdates");
    const started = Date.now();
    await fake.close();
    expect(await poll).toEqual([]);
    expect(Date.now() - started).toBeLessThan(scaled(1000));
  });
});
