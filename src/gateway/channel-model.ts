import type { OpenClawConfig } from "../config/schema.js";
import type { CommandInvocation } from "./types.js";

/** The model `channels.modelByChannel` names for a chat, and the key that named it. */
export interface ChannelModel {
  /** As written: `provider/model` or an alias. */
  readonly ref: string;
  /** The config key, for messages that say what to change: `channels.modelByChannel.telegram["-100123:topic:99"]`. */
  readonly key: string;
}

/**
 * The keys OpenClaw tries for a chat, most specific first (its `resolveChannelModelOverride`):
 * in a DM the peer's id; in a group the topic (`-100123:topic:99` on Telegram, the thread id on
 * Discord), then the chat or parent channel. `*` comes last either way. A DM key never matches in
 * a group: a user's own model applies to their direct chat only.
 */
function candidateKeys(
  inv: Pick<CommandInvocation, "channel" | "chatId" | "threadId" | "sender" | "isGroup">,
): string[] {
  if (!inv.isGroup) return [inv.sender.id, inv.chatId, "*"];
  const keys: string[] = [];
  if (inv.threadId !== undefined)
    keys.push(inv.channel === "telegram" ? `${inv.chatId}:topic:${inv.threadId}` : inv.threadId);
  keys.push(inv.chatId, "*");
  return keys;
}

/** Looks a key up as OpenClaw does: exactly, else ignoring case. */
function entryOf<T>(record: Readonly<Record<string, T>>, key: string): [string, T] | undefined {
  if (Object.hasOwn(record, key)) return [key, record[key] as T];
  const lower = key.toLowerCase();
  const found = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : [found, record[found] as T];
}

/**
 * The model `channels.modelByChannel` sets for the chat an invocation comes from, or undefined.
 * It applies only where the chat has no `/model` selection of its own (the caller decides that).
 */
export function channelModel(
  config: OpenClawConfig,
  inv: Pick<CommandInvocation, "channel" | "chatId" | "threadId" | "sender" | "isGroup">,
): ChannelModel | undefined {
  const byChannel = config.channels?.modelByChannel;
  if (byChannel === undefined) return undefined;
  const channel = entryOf(byChannel, inv.channel);
  if (channel === undefined) return undefined;
  const [channelKey, entries] = channel;
  for (const candidate of candidateKeys(inv)) {
    const hit = entryOf(entries, candidate);
    const ref = hit?.[1].trim();
    if (hit && ref) return { ref, key: `channels.modelByChannel.${channelKey}[${JSON.stringify(hit[0])}]` };
  }
  return undefined;
}
