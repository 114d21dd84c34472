import { GrammyError, type Api } from "grammy";
import type { InlineKeyboardMarkup, ReplyParameters } from "grammy/types";
import type { Log } from "../../gateway/log.js";
import type { Reply } from "../../gateway/types.js";
import { CallbackDataTooLongError, renderKeyboard, type PayloadBinder } from "./keyboard.js";
import { splitText } from "./split.js";
import type { ReplyTarget } from "./invocation.js";

/** What a reply's `sendMessage` sets besides the chat and text. */
interface SendOptions {
  message_thread_id?: number;
  reply_parameters?: ReplyParameters;
  reply_markup?: InlineKeyboardMarkup;
}

/** How an `editMessageText` failure is handled. */
export type EditFailure = "unchanged" | "gone" | "other";

/**
 * Classifies an edit error. "message is not modified" (a double press) means the message already
 * shows this reply; "to edit not found", "no text in the message to edit" (a media message) and
 * "can't be edited" (too old) mean the reply has to go out as a new message.
 */
export function editFailure(err: unknown): EditFailure {
  if (!(err instanceof GrammyError) || err.error_code !== 400) return "other";
  const d = err.description.toLowerCase();
  if (d.includes("message is not modified")) return "unchanged";
  if (
    d.includes("message to edit not found") ||
    d.includes("there is no text in the message to edit") ||
    d.includes("message can't be edited")
  ) {
    return "gone";
  }
  return "other";
}

/** One rendered message: its text and, on the last chunk only, the keyboard. */
interface Chunk {
  readonly text: string;
  readonly markup?: InlineKeyboardMarkup;
}

/**
 * Sends and edits replies. Long text is split at line boundaries; the keyboard rides on the last
 * chunk; the first chunk replies to the command message; every chunk stays in the forum topic.
 */
export class ReplyDelivery {
  constructor(
    private readonly api: Api,
    private readonly log: Log,
    private readonly maxLength: number,
  ) {}

  /** Splits a reply into messages. A keyboard that cannot be encoded is logged and left off, since the text stands alone. */
  private render(reply: Reply, bind: PayloadBinder): Chunk[] {
    let markup: InlineKeyboardMarkup | undefined;
    try {
      markup = renderKeyboard(reply, bind);
    } catch (err) {
      if (!(err instanceof CallbackDataTooLongError)) throw err;
      this.log("error", `telegram: buttons left off a reply: ${err.message}`);
    }
    const texts = splitText(reply.text, this.maxLength);
    if (texts.length === 0) {
      if (markup === undefined) return [];
      // Telegram refuses empty text; buttons still need a message to sit on.
      texts.push("…");
    }
    return texts.map((text, i) => (i === texts.length - 1 && markup !== undefined ? { text, markup } : { text }));
  }

  /** Sends a reply as new messages. */
  async send(target: ReplyTarget, reply: Reply, bind: PayloadBinder): Promise<void> {
    await this.sendChunks(target, this.render(reply, bind));
  }

  /**
   * Replaces the text and keyboard of `messageId` in `target`'s chat with the reply (more chunks, if
   * any, follow as new messages in the topic). An edit that would change nothing is fine; a message
   * that cannot be edited any more gets the reply as new messages instead.
   */
  async edit(target: ReplyTarget, messageId: number, reply: Reply, bind: PayloadBinder): Promise<void> {
    const [first, ...rest] = this.render(reply, bind);
    if (first === undefined) return;
    const inTopic: ReplyTarget = {
      chatId: target.chatId,
      ...(target.threadId !== undefined ? { threadId: target.threadId } : {}),
    };
    try {
      await this.api.editMessageText(
        target.chatId,
        messageId,
        first.text,
        first.markup ? { reply_markup: first.markup } : {},
      );
    } catch (err) {
      const failure = editFailure(err);
      if (failure === "unchanged") return;
      if (failure === "other") throw err;
      await this.sendChunks(inTopic, [first, ...rest]);
      return;
    }
    await this.sendChunks(inTopic, rest);
  }

  private async sendChunks(target: ReplyTarget, chunks: readonly Chunk[]): Promise<void> {
    let replyTo = target.replyTo;
    for (const chunk of chunks) {
      // Assigned, not spread conditionally: V8 builds `...(x ? { a } : {})` far slower, per message.
      const other: SendOptions = {};
      if (target.threadId !== undefined) other.message_thread_id = target.threadId;
      if (replyTo !== undefined) other.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true };
      if (chunk.markup) other.reply_markup = chunk.markup;
      await this.api.sendMessage(target.chatId, chunk.text, other);
      replyTo = undefined;
    }
  }
}
