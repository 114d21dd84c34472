import type { Api } from "grammy";
import type { ReplyTarget } from "./invocation.js";

/** Telegram shows a chat action for about 5 s; repeating a little sooner keeps it on screen. */
export const TYPING_INTERVAL_MS = 4500;

/**
 * Shows "typing…" in the chat (and topic) now and every `intervalMs` until the returned function
 * is called. Failures are ignored: the indicator is a courtesy, never a reason to fail a reply.
 */
export function keepTyping(api: Api, target: ReplyTarget, intervalMs: number = TYPING_INTERVAL_MS): () => void {
  const other = target.threadId !== undefined ? { message_thread_id: target.threadId } : {};
  const send = (): void => void api.sendChatAction(target.chatId, "typing", other).catch(() => undefined);
  send();
  const timer = setInterval(send, intervalMs);
  return () => clearInterval(timer);
}
