import type { Update } from "grammy/types";

/** The owner's Telegram user id in the Telegram benches. */
export const OWNER = 1001;

/** The update a Telegram bench sends: `/model status` typed by the owner in the private chat `chatId`. */
export function statusUpdate(updateId: number, chatId: number): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_700_000_000,
      chat: { id: chatId, type: "private", first_name: "Owner" },
      from: { id: OWNER, is_bot: false, first_name: "Owner" },
      text: "/model status",
      entities: [{ type: "bot_command", offset: 0, length: "/model".length }],
    },
  };
}
