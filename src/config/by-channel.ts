/**
 * Where a message came from, as OpenClaw's per-chat keys (`channels.modelByChannel`) see it. A
 * command invocation is one.
 */
export interface ChatAddress {
  /** `telegram`, `discord`, `console`. */
  readonly channel: string;
  readonly chatId: string;
  /** Forum topic or thread id. */
  readonly threadId?: string | undefined;
  readonly sender: { readonly id: string };
  readonly isGroup: boolean;
}

/** The entry a per-chat map holds for a chat, and the key path that names it. */
export interface ChatEntry<T> {
  readonly value: T;
  /** `telegram["-100123:topic:99"]`: the channel and chat keys as written, for messages that say what to change. */
  readonly key: string;
}

/**
 * The keys OpenClaw tries for a chat, most specific first (its `resolveChannelModelOverride`):
 * in a DM the peer's id; in a group the topic (`-100123:topic:99` on Telegram, the thread id on
 * Discord), then the chat or parent channel. `*` comes last either way. A DM key never matches in
 * a group: a user's own setting applies to their direct chat only.
 */
function candidateKeys(chat: ChatAddress): string[] {
  if (!chat.isGroup) return [chat.sender.id, chat.chatId, "*"];
  const keys: string[] = [];
  if (chat.threadId !== undefined)
    keys.push(chat.channel === "telegram" ? `${chat.chatId}:topic:${chat.threadId}` : chat.threadId);
  keys.push(chat.chatId, "*");
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
 * The entry of a map shaped like `channels.modelByChannel` (channel → chat, topic or DM peer id,
 * or `*` → value) that applies to `chat`, as OpenClaw picks it; `accept` passes over entries that
 * do not count (an empty model ref).
 */
export function byChannelEntry<T>(
  byChannel: Readonly<Record<string, Readonly<Record<string, T>>>> | undefined,
  chat: ChatAddress,
  accept: (value: T) => boolean = () => true,
): ChatEntry<T> | undefined {
  if (byChannel === undefined) return undefined;
  const channel = entryOf(byChannel, chat.channel);
  if (channel === undefined) return undefined;
  const [channelKey, entries] = channel;
  for (const candidate of candidateKeys(chat)) {
    const hit = entryOf(entries, candidate);
    if (hit && accept(hit[1])) return { value: hit[1], key: `${channelKey}[${JSON.stringify(hit[0])}]` };
  }
  return undefined;
}
