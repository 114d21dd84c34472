/**
 * The adapter's mechanics end to end (grammY over HTTP against the fake Bot API), with a small
 * stub plugin whose replies are known exactly: routing, reply threading, splitting, typing,
 * flood-limit retries, edit fallbacks, command menu registration and polling offsets.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { definePlugin, type CommandDefinition, type PluginDefinition } from "../../../src/gateway/types.js";
import { buttonsOf, nextMessage, startHarness, textOf, type Harness, type HarnessOptions } from "./harness.js";
import { scaled } from "../../support/slowness.js";

const ALICE = { id: 1001, first_name: "Alice" };
const BOB = { id: 1002, first_name: "Bob" };
const DM = { id: ALICE.id, type: "private" } as const;
const GROUP = { id: -2001, type: "group" } as const;

const longText = Array.from({ length: 60 }, (_, i) => `line ${i} ${"x".repeat(100)}`).join("\n");

let extraCommands: CommandDefinition[] = [];
const stub: PluginDefinition = definePlugin({
  name: "stub",
  commands: () => [
    {
      name: "echo",
      description: "Echo the arguments",
      handler: (ctx) => ({ text: `echo:${ctx.invocation.args.trim()} session=${ctx.sessionKey}` }),
    },
    {
      name: "long",
      description: "A long reply",
      handler: () => ({ text: longText, choices: [{ label: "More", payload: "more" }] }),
    },
    {
      name: "pick",
      description: "A picker",
      handler: () => ({
        text: "Pick one",
        choices: [
          { label: "A", payload: "a" },
          { label: "B", payload: "b", selected: true },
        ],
        columns: 2,
        actions: [{ label: "Cancel", payload: "x" }],
      }),
    },
    { name: "secret", description: "A private reply", handler: () => ({ text: "for your eyes only", private: true }) },
    { name: "bad-name", description: "Not a Telegram command name", handler: () => ({ text: "works when typed" }) },
    { name: "über", description: "Never listed", handler: () => ({ text: "unreachable" }) },
    ...extraCommands,
  ],
  onChoice: (_ctx, payload) =>
    payload === "new"
      ? { text: "a new message" }
      : { text: `picked ${payload}`, actions: [{ label: "Again", payload: "again" }], replace: true },
});

const allowAll = { commands: { allowFrom: { telegram: ["*"] } } };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  extraCommands = [];
});

async function start(opts: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ config: allowAll, plugins: [stub], ...opts });
  return h;
}

describe("telegram adapter (stub plugin)", () => {
  it("registers the command menu, renaming or skipping names Telegram refuses, and deletes a webhook before polling", async () => {
    const { fake } = await start({
      prepare: async (f) => {
        await fetch(`${f.apiRoot}/bot${f.token}/setWebhook?url=${encodeURIComponent("https://old.example.com/hook")}`);
      },
    });
    expect(fake.commands()).toEqual([
      { command: "echo", description: "Echo the arguments" },
      { command: "long", description: "A long reply" },
      { command: "pick", description: "A picker" },
      { command: "secret", description: "A private reply" },
      { command: "bad_name", description: "Not a Telegram command name" },
    ]);
    await fake.waitForCall("getUpdates");
    const order = fake.calls.map((c) => c.method);
    expect(order.indexOf("deleteWebhook")).toBeGreaterThan(-1);
    expect(order.indexOf("deleteWebhook")).toBeLessThan(order.indexOf("getUpdates"));
    expect(fake.webhook).toBeUndefined();
  });

  it("re-registers the menu when the host's commands change with the config", async () => {
    const { fake, gateway } = await start({ channel: { commandsRefreshMs: 20 } });
    extraCommands = [{ name: "opus", description: "Switch to opus", handler: () => ({ text: "ok" }) }];
    // Plugins are asked for their commands again when the config changes (alias commands follow it).
    const config = JSON.parse(fs.readFileSync(gateway.configPath, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(gateway.configPath, JSON.stringify({ ...config, session: { dmScope: "main" } }));
    await fake.waitForCall("setMyCommands", (c) => JSON.stringify(c.payload.commands).includes("opus"));
    expect(fake.commands().map((c) => c.command)).toContain("opus");
  });

  it("answers a DM command as a reply to it, and a renamed command both as typed and from the menu", async () => {
    const { fake } = await start();
    const update = fake.userMessage({ chat: DM, from: ALICE, text: "/echo hi there" });
    const sent = await nextMessage(fake, DM.id);
    expect(textOf(sent)).toBe("echo:hi there session=agent:main:main");
    expect(sent.payload.reply_parameters).toEqual({
      message_id: update.message?.message_id,
      allow_sending_without_reply: true,
    });
    expect(sent.payload.message_thread_id).toBeUndefined();
    fake.userMessage({ chat: DM, from: ALICE, text: "/bad-name" });
    expect(textOf(await nextMessage(fake, DM.id))).toBe("works when typed");
    fake.userMessage({ chat: DM, from: ALICE, text: "/bad_name" });
    expect(textOf(await nextMessage(fake, DM.id))).toBe("works when typed");
  });

  it("sends unknown commands and plain DMs to the model path with a typing indicator", async () => {
    const { fake, gateway } = await start({ channel: { typingIntervalMs: 30 } });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    gateway.useChat({
      respond: async (_ctx, text) => {
        await gate;
        return { text: `model says: ${text}` };
      },
      reset: async () => undefined,
      stop: () => false,
      close: () => undefined,
    });
    fake.userMessage({ chat: DM, from: ALICE, text: "/unknown thing" });
    await fake.waitForCall("sendChatAction", (c) => c.payload.action === "typing");
    await fake.waitForCall("sendChatAction", (c) => c.payload.action === "typing");
    release();
    expect(textOf(await nextMessage(fake, DM.id))).toBe("model says: /unknown thing");
    fake.userMessage({ chat: DM, from: ALICE, text: "hello" });
    expect(textOf(await nextMessage(fake, DM.id))).toBe("model says: hello");
    // The indicator stops with the answer: no action keeps repeating afterwards.
    await new Promise((r) => setTimeout(r, 100));
    const settled = fake.callsTo("sendChatAction").length;
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.callsTo("sendChatAction").length).toBe(settled);
  });

  it("ignores /cmd@OtherBot and unaddressed group chatter, but answers a mention", async () => {
    const { fake, gateway } = await start();
    gateway.useChat({
      respond: async (_ctx, text) => ({ text: `model: ${text}` }),
      reset: async () => undefined,
      stop: () => false,
      close: () => undefined,
    });
    fake.userMessage({ chat: GROUP, from: ALICE, text: "/echo@OtherBot one" });
    fake.userMessage({ chat: GROUP, from: ALICE, text: "just chatting" });
    fake.userMessage({ chat: GROUP, from: ALICE, text: "/echo@gateway_test_bot two" });
    fake.userMessage({ chat: GROUP, from: ALICE, text: "@gateway_test_bot three" });
    expect(textOf(await nextMessage(fake, GROUP.id))).toBe(`echo:two session=agent:main:telegram:group:${GROUP.id}`);
    expect(textOf(await nextMessage(fake, GROUP.id))).toBe("model: three");
    expect(fake.callsTo("sendMessage")).toHaveLength(2);
  });

  it("sends a private reply in a group to the group (Telegram has no private replies there)", async () => {
    const { fake } = await start();
    fake.userMessage({ chat: GROUP, from: ALICE, text: "/secret" });
    const sent = await nextMessage(fake, GROUP.id);
    expect(textOf(sent)).toBe("for your eyes only");
  });

  it("splits a long reply at line breaks and puts the keyboard on the last part", async () => {
    const { fake } = await start();
    const update = fake.userMessage({ chat: DM, from: ALICE, text: "/long" });
    const first = await nextMessage(fake, DM.id);
    const second = await nextMessage(fake, DM.id);
    expect(textOf(first).length).toBeLessThanOrEqual(4096);
    expect(`${textOf(first)}\n${textOf(second)}`).toBe(longText);
    expect(first.payload.reply_parameters).toMatchObject({ message_id: update.message?.message_id });
    expect(first.payload.reply_markup).toBeUndefined();
    expect(second.payload.reply_parameters).toBeUndefined();
    expect(second.payload.reply_markup).toMatchObject({ inline_keyboard: [[{ text: "More" }]] });
  });

  it("retries a sendMessage refused with 429 after retry_after", async () => {
    const { fake } = await start();
    fake.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    fake.userMessage({ chat: DM, from: ALICE, text: "/echo flood" });
    const refused = await nextMessage(fake, DM.id);
    const retried = await nextMessage(fake, DM.id, scaled(5000));
    expect(textOf(retried)).toBe(textOf(refused));
    expect(retried.at - refused.at).toBeGreaterThanOrEqual(900);
    expect(fake.messages(DM.id).map((m) => m.text)).toEqual(["echo:flood session=agent:main:main"]);
  });

  it("edits the picker in place, and sends anew when the message cannot be edited", async () => {
    const { fake } = await start();
    fake.userMessage({ chat: DM, from: ALICE, text: "/pick" });
    const picker = await nextMessage(fake, DM.id);
    const pickerId = fake.messages(DM.id)[0]?.message_id ?? 0;
    expect(buttonsOf(fake, DM.id, pickerId).map(([label]) => label)).toEqual(["A", "✓ B", "Cancel"]);
    expect(picker.payload.reply_markup).toMatchObject({
      inline_keyboard: [[{ text: "A" }, { text: "✓ B" }], [{ text: "Cancel" }]],
    });

    const [, dataA] = buttonsOf(fake, DM.id, pickerId)[0] ?? [];
    fake.pressButton({ chatId: DM.id, messageId: pickerId, from: ALICE, data: dataA ?? "" });
    await fake.waitForCall("editMessageText");
    expect(fake.messages(DM.id)[0]).toMatchObject({
      message_id: pickerId,
      text: "picked a",
      edit_date: expect.any(Number),
    });

    for (const description of [
      "Bad Request: message to edit not found",
      "Bad Request: there is no text in the message to edit",
    ]) {
      const [, again] = buttonsOf(fake, DM.id, pickerId)[0] ?? [];
      fake.failNext("editMessageText", { error_code: 400, description });
      fake.pressButton({ chatId: DM.id, messageId: pickerId, from: ALICE, data: again ?? "" });
      const fresh = await nextMessage(fake, DM.id);
      expect(textOf(fresh)).toBe("picked again");
      expect(fresh.payload.reply_markup).toMatchObject({ inline_keyboard: [[{ text: "Again" }]] });
    }
    expect(fake.callbackAnswers).toHaveLength(3);
    expect(fake.callbackAnswers.every((a) => a.text === undefined)).toBe(true);
    expect(gatewayErrors()).toEqual([]);
  });

  it("answers foreign and forged presses with a toast and nothing else", async () => {
    const { fake } = await start();
    fake.userMessage({ chat: GROUP, from: ALICE, text: "/pick" });
    await nextMessage(fake, GROUP.id);
    const pickerId = fake.messages(GROUP.id)[0]?.message_id ?? 0;
    const [, data] = buttonsOf(fake, GROUP.id, pickerId)[0] ?? [];
    const callsBefore = fake.calls.filter((c) => c.method !== "getUpdates").length;
    fake.pressButton({ chatId: GROUP.id, messageId: pickerId, from: BOB, data: data ?? "" });
    const foreign = await fake.waitForCall("answerCallbackQuery");
    expect(foreign.payload).toMatchObject({ text: "This menu belongs to someone else.", show_alert: false });

    // A forged press: data the bot never put on a button (the fake only presses what is shown).
    const forged = fake.buildButtonPress({ chatId: GROUP.id, messageId: pickerId, from: ALICE, data: data ?? "" });
    if (forged.callback_query) forged.callback_query.data = (data ?? "").replace(/:a$/, ":b");
    fake.pushUpdate(forged);
    const stale = await fake.waitForCall("answerCallbackQuery");
    expect(stale.payload).toMatchObject({
      text: "This menu is out of date; run its command again for a fresh one.",
      show_alert: false,
    });
    expect(fake.calls.filter((c) => c.method !== "getUpdates").length - callsBefore).toBe(2);
    expect(fake.messages(GROUP.id)[0]?.text).toBe("Pick one");
  });

  it("confirms the last update on stop, so a restarted bot does not run it again", async () => {
    const harness = await start();
    const { fake } = harness;
    const once = fake.userMessage({ chat: DM, from: ALICE, text: "/echo once" });
    await nextMessage(fake, DM.id);
    await harness.restart();
    expect(fake.callsTo("getUpdates").map((c) => c.payload)).toContainEqual({
      offset: once.update_id + 1,
      limit: 1,
      timeout: 0,
    });
    expect(fake.pendingUpdateCount).toBe(0);
    fake.userMessage({ chat: DM, from: ALICE, text: "/echo twice" });
    expect(textOf(await nextMessage(fake, DM.id))).toBe("echo:twice session=agent:main:main");
    expect(fake.callsTo("sendMessage").map(textOf)).toEqual([
      "echo:once session=agent:main:main",
      "echo:twice session=agent:main:main",
    ]);
  });

  it("refuses to start with a token Telegram rejects", async () => {
    await expect(
      start({ config: { ...allowAll, channels: { telegram: { botToken: "1:wrong" } } } }),
    ).rejects.toMatchObject({
      detail: { code: "telegram_token_rejected" },
    });
  });

  it("never logs the token", async () => {
    const { fake, gateway } = await start();
    fake.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" });
    fake.userMessage({ chat: DM, from: ALICE, text: "/echo x" });
    await nextMessage(fake, DM.id);
    await h?.close();
    h = undefined;
    expect(gateway.logs.join("\n")).not.toContain(fake.token);
    expect(gateway.logs.join("\n")).not.toContain(fake.token.split(":")[1]);
  });
});

function gatewayErrors(): string[] {
  return (h?.gateway.logs ?? []).filter((l) => l.startsWith("[error]"));
}
