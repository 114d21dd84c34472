import { bindPayload, unbindPayload } from "../../gateway/bound-payload.js";
import { FOREIGN_MENU_TEXT, STALE_MENU_TEXT } from "../../gateway/choice-route.js";
import type { PayloadBinder } from "./keyboard.js";

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

/**
 * Verifies untrusted callback data against the chat it was pressed in and the presser. Never
 * throws. The answers are the host's texts (a toast, not an alert).
 */
export function verifyPress(secret: string, chatId: number, presserId: string, data: string): PressVerdict {
  const out = unbindPayload(secret, String(chatId), presserId, data);
  if (out.kind === "ok") return out;
  if (out.kind === "foreign") return { kind: "foreign", text: FOREIGN_MENU_TEXT };
  return { kind: "invalid", text: STALE_MENU_TEXT };
}
