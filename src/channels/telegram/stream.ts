import type { Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { StreamRenderer } from "../../gateway/paced-stream.js";
import type { Choice, Reply } from "../../gateway/types.js";
import { editFailure, type ReplyDelivery } from "./delivery.js";
import type { ReplyTarget } from "./invocation.js";
import { renderKeyboard, type PayloadBinder } from "./keyboard.js";
import { splitText, TELEGRAM_MAX_TEXT } from "./split.js";

/** One message of the answer as it stands in the chat. */
interface Shown {
  readonly id: number;
  text: string;
  buttons: boolean;
}

// Any non-zero id; drafts with the same id animate into each other.
let nextDraftId = 1;

/**
 * Shows a growing answer in a Telegram chat. In private chats it streams a draft
 * (`sendMessageDraft`: a preview Telegram animates) and persists each finished page with
 * `sendMessage`; where drafts fail (an older Bot API, a server without them) it falls back to
 * editing. Elsewhere it sends one message and edits it as the answer grows, the buttons
 * (Stop) riding on the last page. Past 4096 characters the answer continues in a new message,
 * split where `splitText` splits. Every message stays in the forum topic; the first replies to
 * the user's message.
 */
export class TelegramStreamRenderer implements StreamRenderer {
  private readonly pages: Shown[] = [];
  private draft: { id: number } | undefined;

  constructor(
    private readonly api: Api,
    private readonly delivery: ReplyDelivery,
    private readonly target: ReplyTarget,
    private readonly bind: PayloadBinder,
    isPrivate: boolean,
  ) {
    if (isPrivate) this.draft = { id: nextDraftId++ };
  }

  send(reply: Reply): Promise<void> {
    return this.delivery.send(this.target, reply, this.bind);
  }

  async show(text: string, actions: readonly Choice[] | undefined, final: boolean): Promise<void> {
    const pages = splitText(text, TELEGRAM_MAX_TEXT);
    if (this.draft && (await this.showDraft(pages, final))) return;
    const markup = final || !actions ? undefined : renderKeyboard({ text: "", actions }, this.bind);
    for (const [i, page] of pages.entries()) {
      const last = i === pages.length - 1;
      await this.put(i, page, last ? markup : undefined);
    }
  }

  /** Streams the last page as a draft; finished pages (all of them at the end) become messages. False when drafts failed. */
  private async showDraft(pages: readonly string[], final: boolean): Promise<boolean> {
    const draft = this.draft;
    if (!draft) return false;
    const done = final ? pages.length : pages.length - 1;
    for (let i = this.pages.length; i < done; i++) await this.put(i, pages[i] ?? "", undefined);
    const open = pages[done];
    if (open === undefined) return true;
    try {
      await this.api.sendMessageDraft(this.target.chatId, draft.id, open, this.topic());
      return true;
    } catch {
      // Drafts are a nicety: from now on this answer grows by edits.
      this.draft = undefined;
      return false;
    }
  }

  /** Puts page `i` on screen: edited when it exists and differs, else sent. */
  private async put(i: number, text: string, markup: InlineKeyboardMarkup | undefined): Promise<void> {
    const shown = this.pages[i];
    if (!shown) {
      const sent = await this.api.sendMessage(this.target.chatId, text, {
        ...this.topic(),
        ...(i === 0 && this.target.replyTo !== undefined
          ? { reply_parameters: { message_id: this.target.replyTo, allow_sending_without_reply: true } }
          : {}),
        ...(markup ? { reply_markup: markup } : {}),
      });
      this.pages.push({ id: sent.message_id, text, buttons: markup !== undefined });
      return;
    }
    if (shown.text === text && shown.buttons === (markup !== undefined)) return;
    try {
      await this.api.editMessageText(this.target.chatId, shown.id, text, markup ? { reply_markup: markup } : {});
    } catch (err) {
      if (editFailure(err) !== "unchanged") throw err;
    }
    shown.text = text;
    shown.buttons = markup !== undefined;
  }

  private topic(): { message_thread_id?: number } {
    return this.target.threadId !== undefined ? { message_thread_id: this.target.threadId } : {};
  }
}
