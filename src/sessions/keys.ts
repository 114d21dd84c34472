/**
 * How DMs map to sessions: one shared `main` session, or one per peer (across channels, per
 * channel, or per channel account).
 */
export type DmScope = "main" | "per-peer" | "per-channel-peer" | "per-account-channel-peer";

/** The account id OpenClaw names a channel's only (unnamed) account by. We run one account per channel. */
const DEFAULT_ACCOUNT = "default";

/** The parts of a chat that decide its session. */
export interface SessionTarget {
  readonly agentId: string;
  readonly channel: string;
  readonly chatId: string;
  readonly threadId?: string | undefined;
  readonly senderId: string;
  readonly isGroup: boolean;
}

/** A session key and, for threads and topics, the key of the chat they belong to. */
export interface SessionKeys {
  readonly key: string;
  readonly parentKey?: string;
}

/**
 * Session keys as OpenClaw writes them (DESIGN section 5): DMs `agent:<id>:main`,
 * `agent:<id>:<channel>:direct:<user>` or `agent:<id>:<channel>:default:direct:<user>`; Telegram groups `agent:<id>:telegram:group:<chat>[:topic:<t>]`;
 * Discord `agent:<id>:discord:channel:<channel>[:thread:<t>]`. A topic/thread key names its parent.
 */
export function sessionKeys(t: SessionTarget, dmScope: DmScope = "main"): SessionKeys {
  const agent = `agent:${t.agentId}`;
  if (!t.isGroup) {
    if (dmScope === "per-account-channel-peer")
      return { key: `${agent}:${t.channel}:${DEFAULT_ACCOUNT}:direct:${t.senderId}` };
    if (dmScope === "per-channel-peer") return { key: `${agent}:${t.channel}:direct:${t.senderId}` };
    if (dmScope === "per-peer") return { key: `${agent}:direct:${t.senderId}` };
    return { key: `${agent}:main` };
  }
  const kind = t.channel === "discord" ? "channel" : "group";
  const sub = t.channel === "discord" ? "thread" : "topic";
  const parent = `${agent}:${t.channel}:${kind}:${t.chatId}`;
  if (t.threadId === undefined) return { key: parent };
  return { key: `${parent}:${sub}:${t.threadId}`, parentKey: parent };
}

/** A session key read back into what a person recognises: the channel, the chat, the parent chat. */
export interface SessionKeyParts {
  readonly agentId: string;
  /** The channel the key names; undefined for DMs shared across channels (`main`, `direct:<user>`). */
  readonly channel?: string;
  /** `direct <user>`, `group <id>`, `group <id> topic <t>`, `main` (the DM session every channel shares). */
  readonly chat: string;
  /** The key of the chat a topic or thread belongs to. */
  readonly parentKey?: string;
}

/** Reads a key {@link sessionKeys} wrote; a key of another shape is shown whole as its chat. */
export function sessionKeyParts(key: string): SessionKeyParts {
  const parts = key.split(":");
  const [prefix, agentId = "", ...rest] = parts;
  if (prefix !== "agent" || rest.length === 0) return { agentId, chat: key };
  if (rest.length === 1) return { agentId, chat: rest.join(":") };
  if (rest[0] === "direct") return { agentId, chat: `direct ${rest.slice(1).join(":")}` };
  const [channel = "", ...chatParts] = rest;
  if (chatParts[0] === DEFAULT_ACCOUNT && chatParts[1] === "direct") chatParts.shift();
  const [kind = "", id = "", sub, subId] = chatParts;
  if (sub !== undefined && subId !== undefined && chatParts.length === 4)
    return {
      agentId,
      channel,
      chat: `${kind} ${id} ${sub} ${subId}`,
      parentKey: `agent:${agentId}:${channel}:${kind}:${id}`,
    };
  return { agentId, channel, chat: chatParts.join(" ") };
}
