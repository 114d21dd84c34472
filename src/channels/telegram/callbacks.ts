import { bindPayload, unbindPayload } from "../../gateway/bound-payload.js";
import type { PayloadBinder } from "./keyboard.js";

/** Answer to a press on someone else's picker (a toast, not an alert). */
export const FOREIGN_MENU_TEXT = "This menu belongs to someone else.";
/** Answer to a press whose data does not verify: an old menu, another bot token, or forged data. */
export const STALE_MENU_TEXT = "This menu is out of date; send /model again.";

/**
 * The binder for buttons of a picker opened by `openerId` in `chatId`: each plugin payload becomes
 * `bindPayload(secret, chat, opener, payload)`, so only the opener's presses in that chat verify.
 */
export function callbackBinder(secret: string, chatId: number, openerId: string): PayloadBinder {
  const chat = String(chatId);
  return (payload) => bindPayload(secret, chat, openerId, payload);
}

/** What to do with a button press. */
export type PressVerdict =
  | { readonly kind: "ok"; readonly payload: string }
  | { readonly kind: "foreign"; readonly text: string }
  | { readonly kind: "invalid"; readonly text: string };

/** Verifies untrusted callback data against the chat it was pressed in and the presser. Never throws. */
export function verifyPress(secret: string, chatId: number, presserId: string, data: string): PressVerdict {
  const out = unbindPayload(secret, String(chatId), presserId, data);
  if (out.kind === "ok") return out;
  if (out.kind === "foreign") return { kind: "foreign", text: FOREIGN_MENU_TEXT };
  return { kind: "invalid", text: STALE_MENU_TEXT };
}
