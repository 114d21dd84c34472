/**
 * The `/model` plugin through the real Telegram adapter: grammY over HTTP against the fake Bot API,
 * a gateway built from the real config, credential files, SQLite sessions and plugin.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bindPayload } from "../../../src/gateway/bound-payload.js";
import { ask, button, buttonsOf, lastBotMessageId, startHarness, type Harness } from "./harness.js";
import { eventually } from "../../sessions/child.js";

const ALICE = { id: 1001, first_name: "Alice" }; // owner
const CAROL = { id: 1003, first_name: "Carol" }; // allowed, not an owner
const MALLORY = { id: 1002, first_name: "Mallory" }; // not allowed
const DM = { id: ALICE.id, type: "private" } as const;
const GROUP = { id: -3001, type: "group" } as const;
const FORUM = { id: -1003001, type: "supergroup", is_forum: true } as const;
const KEY = `sk-ant-api03-${"K".repeat(40)}zz99`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(): Promise<Harness> {
  h = await startHarness({
    config: {
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      commands: { allowFrom: { telegram: ["1001", "1003"] }, ownerAllowFrom: ["telegram:1001"] },
    },
    authProfiles: { version: 1, profiles: { "anthropic:ci": { type: "api_key", provider: "anthropic", key: KEY } } },
  });
  return h;
}

describe("/model over Telegram", () => {
  it("answers /model status and /model list in a DM, secrets masked", async () => {
    const harness = await start();
    const status = await ask(harness, DM, ALICE, "/model status");
    expect(status.text).toContain("Model: anthropic/claude-sonnet-5-5");
    expect(status.text).toContain("anthropic:ci");
    expect(status.text).toContain("sk-ant-a…zz99");
    expect(status.text).not.toContain(KEY);
    expect(status.call.payload.reply_parameters).toMatchObject({ message_id: status.update.message?.message_id });

    const list = await ask(harness, DM, ALICE, "/model list");
    expect(list.text).toMatch(/^Providers/);
    expect(list.text).toContain("anthropic");
  });

  it("takes /model@ThisBot and ignores /model@OtherBot", async () => {
    const harness = await start();
    harness.fake.userMessage({ chat: GROUP, from: ALICE, text: "/model@OtherBot status" });
    const mine = await ask(harness, GROUP, ALICE, "/model@gateway_test_bot list");
    expect(mine.text).toMatch(/^Providers/);
    expect(harness.fake.callsTo("sendMessage")).toHaveLength(1);
  });

  it("lets the host decide in groups: owner, allowed non-owner, and a stranger", async () => {
    const harness = await start();
    const owner = await ask(harness, GROUP, ALICE, "/model status");
    expect(owner.text).toContain("anthropic:ci");
    const member = await ask(harness, GROUP, CAROL, "/model status");
    expect(member.text).not.toContain("sk-ant-a");
    expect(member.text).toContain("owner");
    const stranger = await ask(harness, GROUP, MALLORY, "/model");
    expect(stranger.text).toBe("You are not allowed to use commands with this bot.");
    expect(stranger.call.payload.reply_parameters).toMatchObject({ message_id: stranger.update.message?.message_id });
    expect(stranger.call.payload.reply_markup).toBeUndefined();
  });

  it("keeps a forum topic in its own session and answers inside the topic", async () => {
    const harness = await start();
    const set = await ask(harness, FORUM, ALICE, "/model opus", 42);
    expect(set.call.payload.message_thread_id).toBe(42);
    expect(set.text).toContain("anthropic/claude-opus-5-5");
    const group = `agent:main:telegram:group:${FORUM.id}`;
    expect((await harness.gateway.services.sessions.get(`${group}:topic:42`))?.model).toBe("anthropic/claude-opus-5-5");
    expect(await harness.gateway.services.sessions.get(group)).toBeUndefined();

    const picker = await ask(harness, FORUM, ALICE, "/model", 42);
    expect(picker.call.payload.message_thread_id).toBe(42);
    expect(harness.fake.messages(FORUM.id).at(-1)?.message_thread_id).toBe(42);
  });

  it("runs the whole picker by button presses: provider, models, next page, pick", async () => {
    const harness = await start();
    const { fake } = harness;
    const opened = await ask(harness, DM, ALICE, "/model");
    const pickerId = lastBotMessageId(harness, DM.id);
    const rows = (opened.call.payload.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> })
      .inline_keyboard;
    expect(rows.map((r) => r.map((b) => b.text))).toEqual([
      ["✓ anthropic (19)", "openai (13)"],
      ["openrouter (11)"],
      ["Reset to default", "Cancel"],
    ]);

    fake.pressButton({
      chatId: DM.id,
      messageId: pickerId,
      from: ALICE,
      data: button(harness, DM.id, pickerId, "✓ anthropic (19)"),
    });
    await fake.waitForCall("editMessageText");
    expect(fake.messages(DM.id).at(-1)?.text).toMatch(/^anthropic — 19 models, page 1\/3/);
    expect(buttonsOf(fake, DM.id, pickerId).map(([l]) => l)).toContain("✓ claude-sonnet-5-5 · sonnet");

    fake.pressButton({
      chatId: DM.id,
      messageId: pickerId,
      from: ALICE,
      data: button(harness, DM.id, pickerId, "Next ▶"),
    });
    await fake.waitForCall("editMessageText");
    expect(fake.messages(DM.id).at(-1)?.text).toMatch(/page 2\/3/);

    const [label, data] = buttonsOf(fake, DM.id, pickerId)[0] ?? ["", ""];
    const ref = `anthropic/${label.split(" ")[0] ?? ""}`;
    fake.pressButton({ chatId: DM.id, messageId: pickerId, from: ALICE, data });
    await fake.waitForCall("editMessageText");
    const confirmed = fake.messages(DM.id).at(-1);
    expect(confirmed?.message_id).toBe(pickerId);
    expect(confirmed?.text).toContain(ref);
    expect((await harness.gateway.services.sessions.get("agent:main:main"))?.model).toBe(ref);

    expect(fake.callbackAnswers).toHaveLength(3);
    expect(fake.callsTo("sendMessage")).toHaveLength(1);
  });

  it("refuses a press by someone else and a forged payload with a toast, changing nothing", async () => {
    const harness = await start();
    const { fake } = harness;
    await ask(harness, GROUP, ALICE, "/model");
    const pickerId = lastBotMessageId(harness, GROUP.id);
    const before = fake.messages(GROUP.id).at(-1)?.text;

    fake.pressButton({
      chatId: GROUP.id,
      messageId: pickerId,
      from: CAROL,
      data: button(harness, GROUP.id, pickerId, /^openai/),
    });
    expect((await fake.waitForCall("answerCallbackQuery")).payload).toMatchObject({
      text: "This menu belongs to someone else.",
      show_alert: false,
    });

    // Alice's real button data, re-bound with a guessed secret to pick a model she was never offered.
    const forged = fake.buildButtonPress({
      chatId: GROUP.id,
      messageId: pickerId,
      from: ALICE,
      data: button(harness, GROUP.id, pickerId, /^openai/),
    });
    if (forged.callback_query)
      forged.callback_query.data = bindPayload("guessed", String(GROUP.id), String(ALICE.id), "m:r");
    fake.pushUpdate(forged);
    expect((await fake.waitForCall("answerCallbackQuery")).payload).toMatchObject({
      text: "This menu is out of date; run its command again for a fresh one.",
      show_alert: false,
    });

    expect(fake.messages(GROUP.id).at(-1)?.text).toBe(before);
    expect(fake.callsTo("editMessageText")).toEqual([]);
    expect(fake.callsTo("sendMessage")).toHaveLength(1);
    expect(await harness.gateway.services.sessions.get(`agent:main:telegram:group:${GROUP.id}`)).toBeUndefined();
  });

  it("takes a double press quietly although the second edit is 'message is not modified'", async () => {
    const harness = await start();
    const { fake } = harness;
    await ask(harness, DM, ALICE, "/model");
    const pickerId = lastBotMessageId(harness, DM.id);
    const data = button(harness, DM.id, pickerId, /^openai/);
    // Both presses are built from the keyboard on screen, as a fast double tap would be.
    const first = fake.buildButtonPress({ chatId: DM.id, messageId: pickerId, from: ALICE, data });
    const second = fake.buildButtonPress({ chatId: DM.id, messageId: pickerId, from: ALICE, data });
    fake.pushUpdate(first);
    fake.pushUpdate(second);
    await fake.waitForCall("editMessageText");
    const refused = await fake.waitForCall("editMessageText");
    // The fake answers the call before recording what follows; let the adapter finish.
    await eventually(() => fake.callbackAnswers.length === 2, 5_000, "both callback answers");
    expect(refused.payload.text).toBe(fake.messages(DM.id).at(-1)?.text);
    expect(fake.callbackAnswers).toHaveLength(2);
    expect(fake.callsTo("sendMessage")).toHaveLength(1);
    expect(harness.gateway.logs.filter((l) => l.startsWith("[error]"))).toEqual([]);
  });
});
