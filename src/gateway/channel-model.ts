import { byChannelEntry, type ChatAddress } from "../config/by-channel.js";
import type { OpenClawConfig } from "../config/schema.js";

/** The model `channels.modelByChannel` names for a chat, and the key that named it. */
export interface ChannelModel {
  /** As written: `provider/model` or an alias. */
  readonly ref: string;
  /** The config key, for messages that say what to change: `channels.modelByChannel.telegram["-100123:topic:99"]`. */
  readonly key: string;
}

/**
 * The model `channels.modelByChannel` sets for the chat an invocation comes from, or undefined.
 * It applies only where the chat has no `/model` selection of its own (the caller decides that).
 */
export function channelModel(config: OpenClawConfig, chat: ChatAddress): ChannelModel | undefined {
  const hit = byChannelEntry(config.channels?.modelByChannel, chat, (ref) => ref.trim() !== "");
  return hit && { ref: hit.value.trim(), key: `channels.modelByChannel.${hit.key}` };
}
