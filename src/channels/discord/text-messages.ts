import type { PluginHost } from "../../gateway/host.js";
import { parseCommandText } from "../../gateway/command-text.js";
import type { Reply, ReplyStream } from "../../gateway/types.js";
import { DISCORD_MESSAGE_CAPABILITIES, toInvocation, type Place } from "./invocation.js";

/** A plain Discord message, reduced to what decides whether and how we answer it. */
export interface IncomingText {
  readonly place: Place;
  readonly content: string;
  /** The bot is mentioned (by user, not through @everyone or a role). */
  readonly mentionsBot: boolean;
}

/** The bot as messages refer to it. */
export interface BotIdentity {
  readonly id: string;
  readonly username?: string;
}

/**
 * Answers a message in a DM, or in a guild channel when it mentions the bot: a leading mention is
 * dropped, a known command (`/model status`, `/model@Bot list`) goes to its plugin, anything else
 * (plain text, unknown `/words`) to the host's message path (`onModelCall` fires first, e.g. to show
 * "typing…"). With a `stream` the message's replies go through it and none are returned.
 * Undefined when the message is not for us.
 */
export async function answerText(
  host: PluginHost,
  msg: IncomingText,
  bot: BotIdentity,
  onModelCall?: () => void,
  stream?: ReplyStream,
): Promise<Reply[] | undefined> {
  if (msg.place.guildId !== undefined && !msg.mentionsBot) return undefined;
  const text = stripLeadingMention(msg.content, bot.id).trim();
  if (text === "") return undefined;
  const parsed = parseCommandText(text, bot.username);
  if (parsed) {
    const reply = await host.handleCommand(
      toInvocation(msg.place, parsed.command, parsed.args, "text"),
      DISCORD_MESSAGE_CAPABILITIES,
    );
    if (reply) return [reply];
  }
  onModelCall?.();
  return host.handleMessage(toInvocation(msg.place, "", "", "text"), text, DISCORD_MESSAGE_CAPABILITIES, stream);
}

/** Drops `<@id>` / `<@!id>` naming the bot at the start of a message. */
export function stripLeadingMention(content: string, botId: string): string {
  const trimmed = content.trimStart();
  for (const mention of [`<@${botId}>`, `<@!${botId}>`]) {
    if (trimmed.startsWith(mention)) return trimmed.slice(mention.length);
  }
  return content;
}
