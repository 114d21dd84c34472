import type { ChannelCapabilities, CommandInvocation } from "../../gateway/types.js";

/** Discord renders selects and buttons, keeps interaction replies private, and caps messages at 2000. */
export const DISCORD_CAPABILITIES: ChannelCapabilities = { maxLength: 2000, buttons: true, ephemeral: true };
/** Plain messages have components but cannot be ephemeral. */
export const DISCORD_MESSAGE_CAPABILITIES: ChannelCapabilities = { maxLength: 2000, buttons: true, ephemeral: false };

/** Where something happened on Discord and who did it, whichever transport brought it. */
export interface Place {
  readonly user: { readonly id: string; readonly username?: string; readonly globalName?: string };
  /** The channel the interaction or message is in: the thread's own id inside a thread. */
  readonly channelId: string;
  /** The thread's parent channel, when `channelId` is a thread. */
  readonly parentId?: string;
  /** Absent in DMs. */
  readonly guildId?: string;
}

/**
 * The channel-neutral invocation for a Discord event: `chatId` is the channel (the parent channel
 * inside a thread, with `threadId` the thread), a guild makes it a group, the sender is the user id.
 */
export function toInvocation(
  place: Place,
  command: string,
  args: string,
  via: CommandInvocation["via"],
): CommandInvocation {
  const { user } = place;
  const displayName = user.globalName ?? user.username;
  return {
    channel: "discord",
    chatId: place.parentId ?? place.channelId,
    ...(place.parentId !== undefined ? { threadId: place.channelId } : {}),
    sender: {
      id: user.id,
      ...(user.username !== undefined ? { username: user.username } : {}),
      ...(displayName !== undefined ? { displayName } : {}),
    },
    isGroup: place.guildId !== undefined,
    command,
    args,
    via,
  };
}
