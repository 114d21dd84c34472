import type { GatewayServices } from "../gateway/types.js";
import type { SessionRecord } from "../sessions/types.js";
import type { PeekableSessionStore } from "../sessions/cached-store.js";
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

/** What the page shows of the session store: every record, most recent first, and each by key. */
interface Snapshot {
  readonly generation: number | undefined;
  readonly all: readonly SessionRecord[];
  readonly byKey: ReadonlyMap<string, SessionRecord>;
  /**
   * The searched fields of every record, lower-cased, joined by NUL into one string, and where each
   * record's part starts: one native scan finds a query among 10,000 chats.
   */
  readonly haystack: string;
  readonly starts: readonly number[];
  /** How many chats pin each profile (a chat's own pin; topics inheriting one are not counted again). */
  readonly pins: ReadonlyMap<string, number>;
  /**
   * Pages already answered from this snapshot, as JSON, by config and query: every open page asks
   * again each second, and mostly nothing changed.
   */
  readonly answered: Map<string, string>;
  answeredFor: object | undefined;
}

/** Pages kept per snapshot at most (a few people paging and searching at once). */
const ANSWERS_KEPT = 32;

const SEPARATOR = "\u0000";

/** The records whose searched fields contain `needle` (lower-case, non-empty), in their order. */
function search(s: Snapshot, needle: string): SessionRecord[] {
  const found: SessionRecord[] = [];
  let at = s.haystack.indexOf(needle);
  let record = 0;
  while (at >= 0) {
    // The record whose part holds `at`: the last start at or before it (they ascend).
    while (record + 1 < s.starts.length && (s.starts[record + 1] ?? Infinity) <= at) record++;
    const r = s.all[record];
    if (r) found.push(r);
    const next = s.starts[record + 1];
    if (next === undefined) break;
    at = s.haystack.indexOf(needle, next);
  }
  return found;
}

/**
 * Every chat of the session store, read again only when the store's
 * {@link PeekableSessionStore.generation} says something changed since: the page asks every second,
 * and 10,000 records are not read and parsed each time for nothing.
 */
export class ChatIndex {
  private snapshot: Snapshot | undefined;

  constructor(private readonly store: PeekableSessionStore) {}

  /** The records as of now. */
  async current(): Promise<Snapshot> {
    // Taken before the read: a write that lands meanwhile changes it, so the next ask reads again.
    const generation = this.store.generation;
    const kept = this.snapshot;
    if (kept && generation !== undefined && kept.generation === generation) return kept;
    const records = await this.store.list();
    const pins = new Map<string, number>();
    for (const r of records) if (r.profileId !== undefined) pins.set(r.profileId, (pins.get(r.profileId) ?? 0) + 1);
    const starts: number[] = [];
    let length = 0;
    const parts = records.map((r) => {
      const text = `${r.key}\n${r.model ?? ""}\n${r.profileId ?? ""}\n${r.setBy ?? ""}`.toLowerCase();
      starts.push(length);
      length += text.length + SEPARATOR.length;
      return text;
    });
    const snapshot: Snapshot = {
      generation,
      all: records,
      byKey: new Map(records.map((r) => [r.key, r])),
      haystack: parts.join(SEPARATOR),
      starts,
      pins,
      answered: new Map(),
      answeredFor: undefined,
    };
    this.snapshot = snapshot;
    return snapshot;
  }
}

/**
 * {@link chatsView} as JSON text, the same text again while neither the store nor the config
 * changed since it was made.
 */
export async function chatsPageJson(
  services: GatewayServices,
  index: ChatIndex,
  query: string,
  page: number,
): Promise<string> {
  const snapshot = await index.current();
  const config = services.config();
  if (snapshot.answeredFor !== config) {
    snapshot.answered.clear();
    snapshot.answeredFor = config;
  }
  const key = `${page}\u0000${query}`;
  let text = snapshot.answered.get(key);
  if (text === undefined) {
    text = JSON.stringify(await chatsView(services, index, query, page));
    if (snapshot.answered.size >= ANSWERS_KEPT) snapshot.answered.clear();
    snapshot.answered.set(key, text);
  }
  return text;
}

/**
 * Every chat the session store holds (each has a model or a pin, or it would not be stored), most
 * recently changed first, filtered by `query` (a case-insensitive part of the key, model, profile
 * or who set it) and cut to page `page`. A topic or thread shows what it inherits from its chat.
 */
async function chatsView(services: GatewayServices, index: ChatIndex, query: string, page: number): Promise<ChatsView> {
  const snapshot = await index.current();
  const { all, byKey } = snapshot;
  const needle = query.trim().toLowerCase().replaceAll(SEPARATOR, "");
  const found = needle === "" ? all : search(snapshot, needle);
  const pageCount = Math.max(1, Math.ceil(found.length / CHATS_PAGE_SIZE));
  const shown = Math.min(Math.max(0, page), pageCount - 1);
  const config = services.config().config;
  const catalog = services.catalog();
  const defaults = new Map<string, string>();
  const defaultOf = (agentId: string): string => {
    let ref = defaults.get(agentId);
    if (ref === undefined) {
      ref = configuredFor(config, catalog, agentId).ref;
      defaults.set(agentId, ref);
    }
    return ref;
  };
  const rows = found.slice(shown * CHATS_PAGE_SIZE, (shown + 1) * CHATS_PAGE_SIZE).map((own): ChatRow => {
    const parts = sessionKeyParts(own.key);
    const parent = parts.parentKey === undefined ? undefined : byKey.get(parts.parentKey);
    // Never undefined: the chat's own record is there.
    const r = mergeInherited(own.key, own, parent) ?? { ...own, modelFrom: own.key };
    return {
      key: own.key,
      channel: channelOf(parts.channel, own.setBy),
      chat: parts.chat,
      model: r.model ?? defaultOf(parts.agentId || defaultAgentId(config)),
      modelSource: r.model === undefined ? "default" : r.modelFrom === own.key ? "this chat" : "parent chat",
      profileId: r.profileId ?? null,
      pinSource: r.profileId === undefined ? null : (r.pinSource ?? "user"),
      setBy: own.setBy ?? null,
      lastActivityMs: own.updatedAt,
    };
  });
  return { query, total: found.length, page: shown, pageCount, rows };
}
