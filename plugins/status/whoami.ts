import type { CommandContext, Reply } from "../../src/gateway/types.js";

/**
 * `/whoami` (`/id`): the sender's id as `commands.ownerAllowFrom` (`telegram:12345`) and
 * `commands.allowFrom.<channel>` (`12345`) take it, so a new owner can configure the bot; and what
 * they may do now. The console user is always an owner and needs no entry.
 */
export function whoamiReply(ctx: CommandContext): Reply {
  const { channel, sender, chatId, threadId, isGroup } = ctx.invocation;
  if (channel === "console") {
    return {
      text: "You are the console user: always an owner, so commands.allowFrom and commands.ownerAllowFrom do not apply here.",
    };
  }
  const names = [sender.displayName, sender.username ? `@${sender.username}` : undefined].filter(Boolean);
  const lines = [
    `You are ${channel}:${sender.id}${names.length ? ` (${names.join(", ")})` : ""}.`,
    `commands.ownerAllowFrom entry: "${channel}:${sender.id}"`,
    `commands.allowFrom.${channel} entry: "${sender.id}"`,
    ctx.isOwner ? "You are an owner here." : "You may use commands here; you are not an owner.",
  ];
  if (isGroup) lines.push(`Chat: ${chatId}${threadId !== undefined ? `, thread ${threadId}` : ""}`);
  return { text: lines.join("\n") };
}
