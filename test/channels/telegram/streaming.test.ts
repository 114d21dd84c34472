/**
 * Streamed answers through the real Telegram adapter: the fake provider streams an answer, the
 * fake Bot API records what the bot sent and when it arrived.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createChatResponder } from "../../../src/chat/responder.js";
import { splitText } from "../../../src/channels/telegram/split.js";
import type { StreamShape } from "../../fakes/provider-api.js";
import { useFakeProvider } from "../../fakes/use-fake-provider.js";
import type { Call } from "../../fakes/telegram-bot-api.js";
import { fakeProviders } from "../../chat/harness.js";
import { scaled } from "../../support/slowness.js";
import { startHarness, type Harness } from "./harness.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { stopPlugin } from "../../../src/chat/stop.js";

const ALICE = { id: 1001, first_name: "Alice" };
const BOB = { id: 1002, first_name: "Bob" };
const GROUP = { id: -4001, type: "group" } as const;
const FORUM = { id: -4002, type: "supergroup", is_forum: true } as const;
const DM = { id: ALICE.id, type: "private" } as const;
const ANTHROPIC_KEY = `sk-ant-api03-${"S".repeat(40)}tg01`;
const OPENAI_KEY = `sk-proj-${"O".repeat(40)}tg02`;
const SONNET = "anthropic/claude-sonnet-5-5";

/** `count` pieces of `size` characters each, numbered so a repeat or a gap would show. */
function answer(count: number, size = 25): string {
  return Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, "0")} `.padEnd(size, "·")).join("");
}

const provider = useFakeProvider();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(opts: { model?: string; streaming?: "partial" | "off" } = {}): Promise<Harness> {
  h = await startHarness({
    config: {
      agents: { defaults: { model: opts.model ?? SONNET } },
      commands: { allowFrom: { telegram: ["1001", "1002"] } },
      models: { providers: fakeProviders(provider) },
      ...(opts.streaming ? { channels: { telegram: { streaming: opts.streaming } } } : {}),
    },
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY },
        "openai:work": { type: "api_key", provider: "openai", key: OPENAI_KEY },
      },
    },
    plugins: [modelPlugin, stopPlugin],
    chat: (services) => createChatResponder(services, () => undefined),
  });
  return h;
}

/** Sends a message and waits until a bot message in the chat reads `final`; returns the chat's calls since. */
async function ask(
  harness: Harness,
  chat: { id: number; type: "private" | "group" | "supergroup"; is_forum?: boolean },
  text: string,
  final: (t: string) => boolean,
  thread?: number,
): Promise<{ sent: number; calls: Call[] }> {
  const before = harness.fake.calls.length;
  const sent = Date.now();
  harness.fake.userMessage({ chat, from: ALICE, text, ...(thread !== undefined ? { message_thread_id: thread } : {}) });
  const deadline = Date.now() + scaled(15_000);
  while (!harness.fake.messages(chat.id).some((m) => final(m.text))) {
    if (Date.now() > deadline)
      throw new Error(`no final message; have ${JSON.stringify(harness.fake.messages(chat.id))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const calls = harness.fake.calls
    .slice(before)
    .filter((c) => String(c.payload.chat_id) === String(chat.id) && c.method !== "sendChatAction");
  return { sent, calls };
}

function edits(calls: Call[]): Call[] {
  return calls.filter((c) => c.method === "editMessageText");
}

function gaps(calls: Call[]): number[] {
  return calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0));
}

describe("Telegram: a streamed answer grows in one message", () => {
  it.each([
    ["Anthropic", SONNET, ANTHROPIC_KEY],
    ["an OpenAI-compatible stream", "openai/gpt-5.4", OPENAI_KEY],
  ])(
    "%s, 40 pieces 50 ms apart: first message within 1.5 s, edits at least 1 s apart, the whole answer at the end",
    async (_name, model, key) => {
      const whole = answer(40);
      provider.script(key, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 50 } });
      const harness = await start({ model });
      const { sent, calls } = await ask(harness, GROUP, "@gateway_test_bot count", (t) => t === whole);

      const [first, ...rest] = calls;
      expect(first?.method).toBe("sendMessage");
      expect((first?.at ?? Number.POSITIVE_INFINITY) - sent).toBeLessThanOrEqual(scaled(1500));
      // The stream spans about 2 s, so at a pace of one edit a second two edits fit (one showing
      // a part, one the whole); the longer stream below shows the pace holding over more.
      expect(edits(calls).length).toBeGreaterThanOrEqual(2);
      for (const gap of gaps(edits(calls))) expect(gap).toBeGreaterThanOrEqual(1000);
      expect(rest.every((c) => c.method === "editMessageText")).toBe(true);
      expect(harness.fake.messages(GROUP.id).map((m) => m.text)).toEqual([whole]);
      // The Stop button rode along while it grew and is gone at the end.
      expect(first?.payload.reply_markup).toBeDefined();
      expect(harness.fake.messages(GROUP.id)[0]?.reply_markup).toBeUndefined();
    },
  );

  it("a longer answer (40 pieces 100 ms apart) gets at least 3 edits, never two within 1 s", async () => {
    const whole = answer(40);
    provider.script(ANTHROPIC_KEY, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 100 } });
    const harness = await start();
    const { calls } = await ask(harness, GROUP, "@gateway_test_bot count", (t) => t === whole);
    expect(edits(calls).length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps(edits(calls))) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(harness.fake.messages(GROUP.id).map((m) => m.text)).toEqual([whole]);
  });

  it("a 429 after the tenth piece ends the message with the note, cools the model, and sends nothing twice", async () => {
    const whole = answer(40);
    provider.script(ANTHROPIC_KEY, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 20, failAfter: 10 } });
    const harness = await start();
    const { calls } = await ask(harness, GROUP, "@gateway_test_bot count", (t) => t.includes("cut off"));
    const shown = whole.slice(0, 250);
    expect(harness.fake.messages(GROUP.id).map((m) => m.text)).toEqual([
      `${shown}\n\n[…cut off: rate limited on anthropic:work; free again in 30s]`,
    ]);
    expect(calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);
    expect(provider.requests).toHaveLength(1);
    const state = await harness.gateway.services.sessions.cooldowns.get("anthropic:work");
    expect(state?.cooldowns).toEqual([expect.objectContaining({ reason: "rate_limit", model: SONNET })]);
  });

  it("past 4096 characters it continues in a new message, split as split.ts splits, in the forum topic", async () => {
    const whole = answer(40, 150);
    provider.script(ANTHROPIC_KEY, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 10 } });
    const harness = await start();
    const { calls } = await ask(harness, FORUM, "@gateway_test_bot long", (t) => t === splitText(whole).at(-1), 7);
    expect(harness.fake.messages(FORUM.id).map((m) => m.text)).toEqual(splitText(whole));
    for (const c of calls.filter((c) => c.method === "sendMessage")) expect(c.payload.message_thread_id).toBe(7);
    for (const gap of gaps(edits(calls))) expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it("a credential the model echoes is masked in every growing text, however the pieces cut it", async () => {
    const whole = `Your key is ${ANTHROPIC_KEY}, keep it safe. ${answer(4)}`;
    provider.script(ANTHROPIC_KEY, { kind: "text", text: whole, stream: { chunks: 30, gapMs: 40 } });
    const harness = await start();
    await ask(harness, GROUP, "@gateway_test_bot key?", (t) => t.endsWith(answer(4)));
    const sent = harness.fake.calls.map((c) => String(c.payload.text ?? ""));
    expect(sent.some((t) => t.includes("Your key is sk-ant-a…"))).toBe(true);
    // No call carries the key, nor any 12 characters of it past its public prefix.
    for (let i = 13; i + 12 <= ANTHROPIC_KEY.length; i += 6)
      expect(sent.filter((t) => t.includes(ANTHROPIC_KEY.slice(i, i + 12)))).toEqual([]);
  });

  it("with streaming off, one message holds the whole answer and nothing is edited", async () => {
    const whole = answer(10);
    provider.script(ANTHROPIC_KEY, { kind: "text", text: whole, stream: { chunks: 10, gapMs: 20 } });
    const harness = await start({ streaming: "off" });
    const { calls } = await ask(harness, GROUP, "@gateway_test_bot count", (t) => t === whole);
    expect(calls.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(provider.requests[0]?.body).not.toHaveProperty("stream");
  });
});

describe("Telegram: drafts in private chats", () => {
  it("streams a draft, then sends the whole answer as one message", async () => {
    const whole = answer(20);
    provider.script(ANTHROPIC_KEY, { kind: "text", text: whole, stream: { chunks: 20, gapMs: 100 } });
    const harness = await start();
    const { calls } = await ask(harness, DM, "count", (t) => t === whole);
    const drafts = calls.filter((c) => c.method === "sendMessageDraft");
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(drafts.map((c) => c.payload.draft_id)).size).toBe(1);
    for (const gap of gaps(drafts)) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(edits(calls)).toEqual([]);
    expect(harness.fake.messages(DM.id).map((m) => m.text)).toEqual([whole]);
  });

  it("falls back to a message that grows by edits when drafts fail", async () => {
    const whole = answer(20);
    provider.script(ANTHROPIC_KEY, { kind: "text", text: whole, stream: { chunks: 20, gapMs: 100 } });
    const harness = await start();
    harness.fake.failNext("sendMessageDraft", { error_code: 404, description: "Not Found: method not found" });
    const { calls } = await ask(harness, DM, "count", (t) => t === whole);
    expect(calls.filter((c) => c.method === "sendMessageDraft")).toHaveLength(1);
    expect(edits(calls).length).toBeGreaterThanOrEqual(1);
    expect(harness.fake.messages(DM.id).map((m) => m.text)).toEqual([whole]);
  });
});

describe("Telegram: stopping an answer", () => {
  const slow: StreamShape = { chunks: 40, gapMs: 100 };

  async function growing(harness: Harness): Promise<{ id: number; stop: string }> {
    harness.fake.userMessage({ chat: GROUP, from: ALICE, text: "@gateway_test_bot count" });
    const first = await harness.fake.waitForCall("sendMessage", (c) => c.payload.chat_id === GROUP.id);
    const message = harness.fake.messages(GROUP.id)[0];
    const stop = message?.reply_markup?.inline_keyboard.flat().find((b) => b.text === "Stop");
    if (!message || !stop || !("callback_data" in stop)) throw new Error(`no Stop button on ${JSON.stringify(first)}`);
    return { id: message.message_id, stop: stop.callback_data };
  }

  it("the sender's Stop press ends it; what was written stays, marked (stopped); another user's press does not", async () => {
    provider.script(ANTHROPIC_KEY, { kind: "text", text: answer(40), stream: slow });
    const harness = await start();
    const { id, stop } = await growing(harness);
    harness.fake.pressButton({ chatId: GROUP.id, messageId: id, from: BOB, data: stop });
    await harness.fake.waitForCall("answerCallbackQuery", (c) => /someone else|belongs/i.test(String(c.payload.text)));
    harness.fake.pressButton({ chatId: GROUP.id, messageId: id, from: ALICE, data: stop });
    const deadline = Date.now() + scaled(10_000);
    while (!harness.fake.messages(GROUP.id)[0]?.text.endsWith(" (stopped)")) {
      if (Date.now() > deadline) throw new Error(JSON.stringify(harness.fake.messages(GROUP.id)));
      await new Promise((r) => setTimeout(r, 20));
    }
    const text = harness.fake.messages(GROUP.id)[0]?.text ?? "";
    expect(answer(40).startsWith(text.slice(0, -" (stopped)".length))).toBe(true);
    expect(text.length).toBeLessThan(answer(40).length);
  });

  it("a typed /stop is answered at once, not queued behind the answer it stops", async () => {
    provider.script(ANTHROPIC_KEY, { kind: "text", text: answer(40), stream: slow });
    const harness = await start();
    await growing(harness);
    harness.fake.userMessage({ chat: GROUP, from: ALICE, text: "/stop" });
    const stopped = await harness.fake.waitForCall("sendMessage", (c) => c.payload.text === "Stopped.");
    const final = await harness.fake.waitForCall("editMessageText", (c) =>
      String(c.payload.text).endsWith(" (stopped)"),
    );
    // The answer would have run about 4 s; it ended right after the /stop.
    expect(final.at - stopped.at).toBeLessThan(scaled(1500));
  });
});
