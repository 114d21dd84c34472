import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { Choice, Reply } from "../../gateway/types.js";

/** Telegram's limit for `callback_data`, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** Marks the current selection on a button. */
export const SELECTED_MARK = "✓ ";

/** Turns a plugin payload into the callback data put on a button (see `callbacks.ts`). */
export type PayloadBinder = (payload: string) => string;

/** Thrown when a button's callback data would not fit Telegram's 64 bytes: a plugin bug. */
export class CallbackDataTooLongError extends Error {
  constructor(
    readonly payload: string,
    readonly bytes: number,
  ) {
    super(
      `callback data for payload ${JSON.stringify(payload)} is ${bytes} bytes; Telegram allows ${CALLBACK_DATA_MAX_BYTES}`,
    );
    this.name = "CallbackDataTooLongError";
  }
}

function button(choice: Choice, bind: PayloadBinder): InlineKeyboardButton.CallbackButton {
  const data = bind(choice.payload);
  const bytes = Buffer.byteLength(data, "utf8");
  if (bytes > CALLBACK_DATA_MAX_BYTES) throw new CallbackDataTooLongError(choice.payload, bytes);
  return { text: choice.selected ? `${SELECTED_MARK}${choice.label}` : choice.label, callback_data: data };
}

/**
 * Renders a reply's buttons as an inline keyboard: `choices` in rows of `columns` (default 1),
 * the selected one marked ✓, then all `actions` in one row. Undefined when there are no buttons.
 * Throws {@link CallbackDataTooLongError} when bound data exceeds 64 bytes.
 */
export function renderKeyboard(reply: Reply, bind: PayloadBinder): InlineKeyboardMarkup | undefined {
  const rows: InlineKeyboardButton[][] = [];
  const choices = reply.choices ?? [];
  const columns = Math.max(1, Math.floor(reply.columns ?? 1));
  for (let i = 0; i < choices.length; i += columns)
    rows.push(choices.slice(i, i + columns).map((c) => button(c, bind)));
  const actions = reply.actions ?? [];
  if (actions.length > 0) rows.push(actions.map((a) => button(a, bind)));
  return rows.length === 0 ? undefined : { inline_keyboard: rows };
}
