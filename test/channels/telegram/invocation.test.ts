import { describe, expect, it } from "vitest";
import type { Message, UserFromGetMe } from "grammy/types";
import { messageReader, readPress, topicOf } from "../../../src/channels/telegram/invocation.js";
import {
  buildCallbackQueryUpdate,
  buildUserMessageUpdate,
  type UserMessageInput,
} from "../../fakes/telegram-bot-api.js";

const me = { id: 999, is_bot: true, first_name: "Gateway", username: "gateway_bot" } as UserFromGetMe;
const read = messageReader(me);
const alice = { id: 1001, first_name: "Alice", last_name: "Liddell", username: "alice" };
const dm = { id: 1001, type: "private" } as const;
const group = { id: -500, type: "group" } as const;
const forum = { id: -1009, type: "supergroup", is_forum: true } as const;

function message(input: UserMessageInput, extra: Partial<Message> = {}): Message {
  const update = buildUserMessageUpdate(input, { update_id: 1, message_id: 77 });
  if (!update.message) throw new Error("no message");
  return { ...update.message, ...extra };
}

describe("messageReader", () => {
  it("reads a DM command", () => {
    expect(read(message({ chat: dm, from: alice, text: "/model status" }))).toEqual({
      invocation: {
        channel: "telegram",
        chatId: "1001",
        sender: { id: "1001", displayName: "Alice Liddell", username: "alice" },
        isGroup: false,
        via: "text",
        command: "model",
        args: " status",
      },
      target: { chatId: 1001, replyTo: 77 },
      isCommand: true,
      text: "/model status",
      addressed: true,
    });
  });

  it("takes /model@ThisBot (any case) and ignores /model@OtherBot", () => {
    const mine = read(message({ chat: group, from: alice, text: "/model@Gateway_Bot list" }));
    expect(mine).toMatchObject({ isCommand: true, invocation: { command: "model", args: " list" } });
    expect(mine?.addressed).toBe(true);
    expect(mine?.invocation.isGroup).toBe(true);
    expect(read(message({ chat: group, from: alice, text: "/model@OtherBot list" }))).toBeUndefined();
  });

  it("hands the host `/cmd` for a `/cmd@ThisBot` inside a message, and leaves another bot's as typed", () => {
    const text = "@gateway_bot thanks /status@Gateway_Bot, and /status@OtherBot";
    expect(read(message({ chat: group, from: alice, text }))?.text).toBe("thanks /status, and /status@OtherBot");
  });

  it("addresses group text to the bot only by mention, reply or /cmd@bot", () => {
    expect(read(message({ chat: group, from: alice, text: "hello all" }))?.addressed).toBe(false);
    expect(read(message({ chat: group, from: alice, text: "/start" }))?.addressed).toBe(false);
    const mention = read(message({ chat: group, from: alice, text: "@gateway_bot what is 2+2?" }));
    expect(mention).toMatchObject({
      addressed: true,
      isCommand: false,
      text: "what is 2+2?",
      invocation: { command: "", args: "" },
    });
    expect(read(message({ chat: group, from: alice, text: "hi @gateway_botx" }))?.addressed).toBe(false);
    // Bot API types mark a nested reply as holding no further reply (`reply_to_message: undefined`).
    const answer = {
      message_id: 5,
      date: 0,
      chat: { id: -500, type: "group", title: "g" },
      from: { id: 999, is_bot: true, first_name: "Gateway" },
      text: "earlier answer",
    } as NonNullable<Message["reply_to_message"]>;
    const reply = read(message({ chat: group, from: alice, text: "and then?" }, { reply_to_message: answer }));
    expect(reply?.addressed).toBe(true);
  });

  it("uses message_thread_id only for forum topic messages", () => {
    const topic = read(message({ chat: forum, from: alice, text: "/model", message_thread_id: 42 }));
    expect(topic?.invocation.threadId).toBe("42");
    expect(topic?.target).toEqual({ chatId: -1009, threadId: 42, replyTo: 77 });
    // A reply thread in a plain supergroup is not a topic.
    const thread = read(
      message({
        chat: { id: -1010, type: "supergroup" },
        from: alice,
        text: "/model",
        message_thread_id: 5,
        is_topic_message: false,
      }),
    );
    expect(thread?.invocation.threadId).toBeUndefined();
    expect(thread?.target.threadId).toBeUndefined();
    expect(topicOf({ message_thread_id: 5 })).toBeUndefined();
  });

  it("ignores bots, non-text messages and channel posts", () => {
    expect(
      read(
        message({ chat: group, from: { id: 5 }, text: "/model" }, { from: { id: 5, is_bot: true, first_name: "b" } }),
      ),
    ).toBeUndefined();
    const { text: _text, ...photo } = message({ chat: dm, from: alice, text: "x" });
    expect(read(photo as Message)).toBeUndefined();
  });
});

describe("readPress", () => {
  it("reads a press in a forum topic", () => {
    const picker = buildUserMessageUpdate(
      { chat: forum, from: { id: 999 }, text: "Pick", message_thread_id: 42 },
      { update_id: 1, message_id: 77 },
    ).message;
    if (!picker) throw new Error("no message");
    const update = buildCallbackQueryUpdate({ update_id: 2, id: "q1", from: alice, message: picker, data: "abc" });
    if (!update.callback_query) throw new Error("no query");
    expect(readPress(update.callback_query)).toEqual({
      invocation: {
        channel: "telegram",
        chatId: "-1009",
        threadId: "42",
        sender: { id: "1001", displayName: "Alice Liddell", username: "alice" },
        isGroup: true,
        via: "button",
        command: "",
        args: "",
      },
      target: { chatId: -1009, threadId: 42 },
      messageId: 77,
      data: "abc",
    });
  });

  it("gives nothing for inline-mode presses (no message)", () => {
    expect(
      readPress({
        id: "q",
        from: { id: 1, is_bot: false, first_name: "a" },
        chat_instance: "c",
        data: "x",
        inline_message_id: "i",
      }),
    ).toBeUndefined();
  });
});
