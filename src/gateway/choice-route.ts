import type { Choice, Reply } from "./types.js";

/**
 * Longest button payload as it leaves the host, plugin name included: bound to its opener
 * (`bound-payload.ts`, at most 21 bytes for a 52-bit Telegram user id) it stays within Telegram's
 * 64 bytes of callback data.
 */
export const MAX_ROUTED_PAYLOAD_BYTES = 40;

/** A plugin's name: it leads every payload of its buttons, so it is short and has no `:`. */
const PLUGIN_NAME = /^[a-z0-9][a-z0-9-]{0,15}$/;

/** Shown for a press whose data does not verify or whose plugin is gone: an old menu, another bot, forged data. */
export const STALE_MENU_TEXT = "This menu is out of date; run its command again for a fresh one.";
/** Shown to someone pressing a picker another user opened. */
export const FOREIGN_MENU_TEXT = "This menu belongs to someone else.";

/** Checks a plugin's name when the host starts; a bad one stops the start, naming it. */
export function validatePluginName(name: string): void {
  if (!PLUGIN_NAME.test(name))
    throw new Error(`plugin "${name}": its name must be 1-16 of a-z, 0-9 and -, starting with a letter or digit`);
}

/** A payload that is a command line (`/stop`) is pressed as that command, not routed to a plugin. */
export function isCommandPayload(payload: string): boolean {
  return payload.startsWith("/");
}

function routed(plugin: string, choice: Choice): Choice {
  if (isCommandPayload(choice.payload)) return choice;
  const payload = `${plugin}:${choice.payload}`;
  const bytes = Buffer.byteLength(payload, "utf8");
  // A plugin bug, found where it is made rather than as a channel's API error.
  if (bytes > MAX_ROUTED_PAYLOAD_BYTES || !/^[ -~]*$/.test(payload))
    throw new Error(
      `plugin ${plugin}: button payload ${JSON.stringify(choice.payload)} must be ASCII and at most ${MAX_ROUTED_PAYLOAD_BYTES - plugin.length - 1} bytes`,
    );
  return { ...choice, payload };
}

/** A plugin's reply with every button payload led by the plugin's name (`model:m:r`), so a press finds its way back. */
export function routeReply(plugin: string, reply: Reply): Reply {
  if (!reply.choices && !reply.actions) return reply;
  const out: { -readonly [K in keyof Reply]: Reply[K] } = { ...reply };
  if (reply.choices) out.choices = reply.choices.map((c) => routed(plugin, c));
  if (reply.actions) out.actions = reply.actions.map((c) => routed(plugin, c));
  return out;
}

/** The plugin a pressed payload belongs to and the plugin's own payload; undefined for data no plugin made. */
export function readRoute(payload: string): { readonly plugin: string; readonly payload: string } | undefined {
  const at = payload.indexOf(":");
  if (at <= 0) return undefined;
  return { plugin: payload.slice(0, at), payload: payload.slice(at + 1) };
}
