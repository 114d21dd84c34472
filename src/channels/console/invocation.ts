import type { ChannelCapabilities, CommandInvocation } from "../../gateway/types.js";

/** The console is a private chat with its operator: no buttons, Telegram-sized messages. */
export const CONSOLE_CAPABILITIES: ChannelCapabilities = { maxLength: 4096, buttons: false, ephemeral: false };

const SENDER = { id: "local", displayName: "console" };

/** A console line as an invocation: `command` and `args` empty for a plain message. */
export function consoleInvocation(command = "", args = ""): CommandInvocation {
  return { channel: "console", chatId: "local", sender: SENDER, isGroup: false, command, args, via: "text" };
}
