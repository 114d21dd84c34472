import type { ChannelCapabilities, Choice, Reply } from "../../src/gateway/types.js";
import { type UserError, userErrorText } from "../../src/util/user-error.js";

/** Longest button or select label we send (Discord allows 80 on buttons, 100 in selects). */
export const MAX_LABEL = 64;

/** Cuts `s` to `max` characters, ending in `…` when cut, never splitting a surrogate pair. */
export function ellipsize(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return "";
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

const moreLines = (n: number) => `… ${n} more line${n === 1 ? "" : "s"}`;

/**
 * Makes `text` fit `max` characters (UTF-16 units, which is at least what Telegram and Discord
 * count). Whole lines are kept and the cut is said in a last line; only a single line longer than
 * the limit is cut inside.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split("\n");
  let out = "";
  let kept = 0;
  for (const line of lines) {
    const next = kept === 0 ? line : `${out}\n${line}`;
    if (next.length + 1 + moreLines(lines.length - kept - 1).length > max) break;
    out = next;
    kept++;
  }
  if (kept === 0) return ellipsize(text.split("\n", 1)[0] ?? "", max);
  return `${out}\n${moreLines(lines.length - kept)}`;
}

function fitChoice(c: Choice): Choice {
  return c.label.length <= MAX_LABEL ? c : { ...c, label: ellipsize(c.label, MAX_LABEL) };
}

/** The one place replies are made to fit the channel: text length and label lengths. */
export function fitReply(reply: Reply, caps: ChannelCapabilities): Reply {
  const text = fitText(reply.text, caps.maxLength);
  const choices = reply.choices?.map(fitChoice);
  const actions = reply.actions?.map(fitChoice);
  return {
    ...reply,
    text,
    ...(choices ? { choices } : {}),
    ...(actions ? { actions } : {}),
  };
}

/** A refusal or error as a reply: the message, then what to do. Private where the channel can. */
export function errorReply(error: UserError, extra: Partial<Reply> = {}): Reply {
  return { text: userErrorText(error), private: true, ...extra };
}

/** `1 model`, `19 models`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
