import type { GatewayServices } from "../gateway/types.js";
import type { SessionRecord } from "../sessions/types.js";
import { sessionKeyParts } from "../sessions/keys.js";
import { mergeInherited } from "../sessions/inherit.js";
import { configuredFor } from "../gateway/selection.js";
import { defaultAgentId } from "../config/agents.js";

/** Chats per page of the Chats view. */
export const CHATS_PAGE_SIZE = 50;

/** One chat with a model selection or a pin. */
export interface ChatRow {
  readonly key: string;
  readonly channel: string;
  readonly chat: string;
  readonly model: string;
  /** `this chat` (`/model x` typed there), `parent chat` (a topic or thread inheriting), `default`. */
  readonly modelSource: "this chat" | "parent chat" | "default";
  readonly profileId: string | null;
  /** `user` or `auto` (a pin the gateway keeps to keep a provider cache warm). */
  readonly pinSource: string | null;
  readonly setBy: string | null;
  /** When the chat's choice last changed (epoch ms). */
  readonly lastActivityMs: number;
}

/** One page of the Chats view. */
export interface ChatsView {
  readonly query: string;
  /** Chats that match the query. */
  readonly total: number;
  /** 0-based. */
  readonly page: number;
  readonly pageCount: number;
  readonly rows: readonly ChatRow[];
}

/** The channel a key names, else the one the last change came from (`console:local`). */
function channelOf(channel: string | undefined, setBy: string | undefined): string {
  if (channel !== undefined) return channel;
  const colon = setBy?.indexOf(":") ?? -1;
  return setBy !== undefined && colon > 0 ? setBy.slice(0, colon) : "any";
}

function matches(r: SessionRecord, needle: string): boolean {
  for (const field of [r.key, r.model, r.profileId, r.setBy]) if (field?.toLowerCase().includes(needle)) return true;
  return false;
}

/**
 * Every chat the session store holds (each has a model or a pin, or it would not be stored), most
 * recently changed first, filtered by `query` (a case-insensitive part of the key, model, profile
 * or who set it) and cut to page `page`. A topic or thread shows what it inherits from its chat.
 */
export async function chatsView(services: GatewayServices, query: string, page: number): Promise<ChatsView> {
  const all = await services.sessions.list();
  const byKey = new Map(all.map((r) => [r.key, r]));
  const needle = query.trim().toLowerCase();
  const found = needle === "" ? all : all.filter((r) => matches(r, needle));
  const pageCount = Math.max(1, Math.ceil(found.length / CHATS_PAGE_SIZE));
  const shown = Math.min(Math.max(0, page), pageCount - 1);
  const config = services.config().config;
  const catalog = services.catalog();
  const rows = found.slice(shown * CHATS_PAGE_SIZE, (shown + 1) * CHATS_PAGE_SIZE).map((own): ChatRow => {
    const parts = sessionKeyParts(own.key);
    const parent = parts.parentKey === undefined ? undefined : byKey.get(parts.parentKey);
    // Never undefined: the chat's own record is there.
    const r = mergeInherited(own.key, own, parent) ?? { ...own, modelFrom: own.key };
    return {
      key: own.key,
      channel: channelOf(parts.channel, own.setBy),
      chat: parts.chat,
      model: r.model ?? configuredFor(config, catalog, parts.agentId || defaultAgentId(config)).ref,
      modelSource: r.model === undefined ? "default" : r.modelFrom === own.key ? "this chat" : "parent chat",
      profileId: r.profileId ?? null,
      pinSource: r.profileId === undefined ? null : (r.pinSource ?? "user"),
      setBy: own.setBy ?? null,
      lastActivityMs: own.updatedAt,
    };
  });
  return { query, total: found.length, page: shown, pageCount, rows };
}
