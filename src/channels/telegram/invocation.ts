import type { CallbackQuery, Chat, Message, User, UserFromGetMe } from "grammy/types";
import type { CommandInvocation, Sender } from "../../gateway/types.js";
import { parseCommandText } from "../../gateway/command-text.js";

/** Channel name in invocations, session keys and `commands.allowFrom`. */
export const TELEGRAM = "telegram";

/** Where an answer to a message goes: the chat, its forum topic, and the message to reply to. */
export interface ReplyTarget {
  readonly chatId: number;
  /** Forum topic; set only for topic messages (`is_topic_message`). */
  readonly threadId?: number;
  /** The message the answer replies to. */
  readonly replyTo?: number;
}

/** A user's text message, read. */
export interface InboundMessage {
  readonly invocation: CommandInvocation;
  readonly target: ReplyTarget;
  /** The text starts with a slash command for this bot (or for every bot): `invocation.command` and `args` hold it. */
  readonly isCommand: boolean;
  /** The text for the model path (a leading `@bot` mention removed). */
  readonly text: string;
  /**
   * Whether the message is meant for this bot when it is not one of our commands: always in a DM;
   * in a group only when it mentions the bot, replies to it or names it (`/cmd@bot`), so a bot that
   * sees every group message does not answer them all.
   */
  readonly addressed: boolean;
}

/** The forum topic of a message. Replies in non-forum groups also carry `message_thread_id`; only `is_topic_message` makes it a topic. */
export function topicOf(message: Pick<Message, "message_thread_id" | "is_topic_message">): number | undefined {
  return message.is_topic_message === true ? message.message_thread_id : undefined;
}

/** A Telegram user as the gateway knows senders. */
export function senderOf(user: User): Sender {
  const displayName =
    user.last_name !== undefined && user.last_name !== ""
      ? user.first_name === ""
        ? user.last_name
        : `${user.first_name} ${user.last_name}`
      : user.first_name;
  // Assigned, not spread conditionally: V8 builds `...(x ? { a } : {})` far slower, per message.
  const sender: { -readonly [K in keyof Sender]: Sender[K] } = { id: String(user.id) };
  if (displayName !== "") sender.displayName = displayName;
  if (user.username !== undefined) sender.username = user.username;
  return sender;
}

function isGroupChat(chat: Chat): boolean {
  return chat.type === "group" || chat.type === "supergroup";
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function invocationOf(
  chat: Chat,
  from: User,
  threadId: number | undefined,
  via: CommandInvocation["via"],
  command: string,
  args: string,
): CommandInvocation {
  const inv: Mutable<CommandInvocation> = {
    channel: TELEGRAM,
    chatId: String(chat.id),
    sender: senderOf(from),
    isGroup: isGroupChat(chat),
    command,
    args,
    via,
  };
  if (threadId !== undefined) inv.threadId = String(threadId);
  return inv;
}

function targetOf(chatId: number, threadId: number | undefined, replyTo: number | undefined): ReplyTarget {
  const target: Mutable<ReplyTarget> = { chatId };
  if (threadId !== undefined) target.threadId = threadId;
  if (replyTo !== undefined) target.replyTo = replyTo;
  return target;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Reads one message; see {@link messageReader}. */
export type MessageReader = (message: Message) => InboundMessage | undefined;

/**
 * Builds the reader that turns a text message into an {@link InboundMessage}, or undefined for
 * what the bot ignores: channel posts, messages from bots or without sender or text, and commands
 * addressed to another bot (`/model@OtherBot`). Its patterns are compiled once per bot.
 */
export function messageReader(me: UserFromGetMe): MessageReader {
  const mention = new RegExp(`(^|[^A-Za-z0-9_])@${escapeRegExp(me.username)}(?![A-Za-z0-9_])`, "i");
  const leadingMention = new RegExp(`^\\s*@${escapeRegExp(me.username)}(?![A-Za-z0-9_])[\\s,:]*`, "i");
  // `/status@ThisBot` inside a message is for us: the host sees it as `/status`. One for another bot stays.
  const commandForMe = new RegExp(`(?<!\\S)(/[A-Za-z0-9_-]+)@${escapeRegExp(me.username)}(?![A-Za-z0-9_])`, "gi");
  const myName = me.username.toLowerCase();
  return (message) => {
    const text = message.text;
    const from = message.from;
    if (text === undefined || from === undefined || from.is_bot) return undefined;
    if (message.chat.type === "channel") return undefined;
    const threadId = topicOf(message);
    const parsed = parseCommandText(text);
    const addressedTo = parsed?.addressedTo?.toLowerCase();
    if (addressedTo !== undefined && addressedTo !== myName) return undefined;
    const group = isGroupChat(message.chat);
    const addressed =
      !group || addressedTo === myName || mention.test(text) || message.reply_to_message?.from?.id === me.id;
    return {
      invocation: invocationOf(message.chat, from, threadId, "text", parsed?.command ?? "", parsed?.args ?? ""),
      target: targetOf(message.chat.id, threadId, message.message_id),
      isCommand: parsed !== undefined,
      text: text.includes("@") ? text.replace(leadingMention, "").replace(commandForMe, "$1") : text,
      addressed,
    };
  };
}

/** A button press, read: where it was and who pressed. Undefined for inline-mode and game queries. */
export interface InboundPress {
  readonly invocation: CommandInvocation;
  /** The chat and topic of the message that carried the buttons. */
  readonly target: ReplyTarget;
  /** The message that carried the buttons. */
  readonly messageId: number;
  readonly data: string;
}

/** Reads a callback query on one of the bot's messages. */
export function readPress(query: CallbackQuery): InboundPress | undefined {
  const message = query.message;
  if (message === undefined || query.data === undefined) return undefined;
  const threadId = topicOf(message);
  return {
    invocation: invocationOf(message.chat, query.from, threadId, "button", "", ""),
    target: targetOf(message.chat.id, threadId, undefined),
    messageId: message.message_id,
    data: query.data,
  };
}
