import crypto from "node:crypto";
import { Redis, type ClientContext, type RedisKey, type RedisOptions, type Result } from "ioredis";
import type { CooldownStore, CredentialState } from "../auth/cooldowns.js";
import { UserFacingError } from "../util/user-error.js";
import { ChangeListeners, type SessionChange, type WatchableSessionStore } from "./backend.js";
import { BackendCooldowns, type CredentialChange, type CredentialStateStorage } from "./backend-cooldowns.js";
import { toCredentialState } from "./credential-state.js";
import type { LeaseStore } from "../auth/lease.js";
import { storeUnavailable } from "./errors.js";
import { applyPatch, asPinSource, DROP_PIN, hasPrefix, makeRecord } from "./record.js";
import type { SessionPatch, SessionRecord } from "./types.js";
import type { UsageLedger } from "./ledger.js";
import { LEDGER_SCRIPTS, RedisLedger } from "./redis-ledger.js";

/** The key prefix when `session.store.keyPrefix` is not set. */
export const DEFAULT_KEY_PREFIX = "openclaw:";

/** Options of {@link RedisSessionStore.open}. */
export interface RedisStoreOptions {
  /** `redis://` or `rediss://` URL (credentials and database number included). */
  readonly url: string;
  /** Prefix of every key and of the invalidation channel (default `openclaw:`). */
  readonly keyPrefix?: string;
  /** A call that takes longer fails with `store_unavailable` (ms, default 2000). */
  readonly commandTimeoutMs?: number;
  /** Giving up on a (re)connection attempt (ms, default 2000). */
  readonly connectTimeoutMs?: number;
  /** Told once when Redis becomes unreachable and once when it is back, for the operator's log. */
  readonly onStatus?: (message: string) => void;
}

/** Hash fields of a session, in the order the scripts use. */
const FIELDS = ["model", "profileId", "pinSource", "setBy", "updatedAt"] as const;
type RawFields = ReadonlyArray<string | null>;

/** Optimistic retries before a write gives up under contention. */
const MAX_ATTEMPTS = 16;
const SCAN_COUNT = 500;

/**
 * Compare-and-set of one session hash, its place in the recency index and in the auto-pin set,
 * plus the invalidation message, as one atomic step. Field values are encoded as `''` (absent)
 * or `'='..value`; a next state with no field deletes the session. Every check runs before the
 * first write, so the script never stops half-way.
 * KEYS: hash, index, autoSet. ARGV: sessionKey, channel, message, expected x5, next x5.
 */
const SESSION_CAS = `
local names = {'model', 'profileId', 'pinSource', 'setBy', 'updatedAt'}
local cur = redis.call('HMGET', KEYS[1], unpack(names))
for i = 1, 5 do
  local enc = ''
  if cur[i] then enc = '=' .. cur[i] end
  if enc ~= ARGV[3 + i] then return 0 end
end
local args = {}
for i = 1, 5 do
  local v = ARGV[8 + i]
  if v ~= '' then
    args[#args + 1] = names[i]
    args[#args + 1] = string.sub(v, 2)
  end
end
redis.call('DEL', KEYS[1])
if #args > 0 then
  redis.call('HSET', KEYS[1], unpack(args))
  redis.call('ZADD', KEYS[2], tonumber(string.sub(ARGV[13], 2)) or 0, ARGV[1])
  if ARGV[11] == '=auto' then redis.call('SADD', KEYS[3], ARGV[1]) else redis.call('SREM', KEYS[3], ARGV[1]) end
else
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;

/**
 * Compare-and-set of one credential's state. The stored value is `{"v":<version>,"state":...}`
 * where the version comes from one counter, so every instance applies states in commit order
 * whichever path (reply or pub/sub) delivers them first. Returns the version, or 0 on conflict.
 * KEYS: credentials hash, version counter. ARGV: credentialId, expected ('' or '='..raw), state JSON,
 * channel, instance id.
 */
const CREDENTIAL_CAS = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local enc = ''
if cur then enc = '=' .. cur end
if enc ~= ARGV[2] then return 0 end
local v = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], '{"v":' .. v .. ',"state":' .. ARGV[3] .. '}')
redis.call('PUBLISH', ARGV[4], '{"o":"' .. ARGV[5] .. '","c":' .. cjson.encode(ARGV[1]) .. ',"v":' .. v .. ',"state":' .. ARGV[3] .. '}')
return v
`;

/**
 * Takes a lease for its owner, or renews it when the owner holds it already; Redis expires it.
 * KEYS: lease key. ARGV: owner, ttl ms. Returns 1 when taken, 0 while another owner holds it.
 */
const LEASE_ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** Deletes a lease only while its owner still holds it. KEYS: lease key. ARGV: owner. */
const LEASE_RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** An invalidation message: a session written (`s`), or a credential's new state (`c`, `v`, `state`). */
interface Message {
  readonly o?: unknown;
  readonly s?: unknown;
  readonly c?: unknown;
  readonly v?: unknown;
  readonly state?: unknown;
}

function encode(v: string | number | undefined | null): string {
  return v === undefined || v === null ? "" : `=${v}`;
}

function decode(key: string, raw: RawFields): SessionRecord | undefined {
  const [model, profileId, pinSource, setBy, updatedAt] = raw;
  if (model == null && profileId == null) return undefined;
  return makeRecord(key, {
    model: model ?? undefined,
    profileId: profileId ?? undefined,
    pinSource: asPinSource(pinSource),
    setBy: setBy ?? undefined,
    updatedAt: Number(updatedAt ?? 0) || 0,
  });
}

function globEscape(s: string): string {
  return s.replace(/[\\*?[\]]/g, "\\$&");
}

/** Errors that are ours to pass on; everything else from ioredis means the store is unreachable. */
async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof UserFacingError) throw err;
    throw storeUnavailable(err);
  }
}

/**
 * The store's Lua scripts as ioredis commands: ioredis sends EVALSHA, and EVAL on a connection
 * that has not loaded the script yet or after a Redis restart emptied the script cache.
 */
const SCRIPTS = {
  openclawSessionCas: { lua: SESSION_CAS, numberOfKeys: 3 },
  openclawCredentialCas: { lua: CREDENTIAL_CAS, numberOfKeys: 2 },
  openclawLeaseAcquire: { lua: LEASE_ACQUIRE, numberOfKeys: 1 },
  openclawLeaseRelease: { lua: LEASE_RELEASE, numberOfKeys: 1 },
} satisfies RedisOptions["scripts"];

declare module "ioredis" {
  interface RedisCommander<Context extends ClientContext> {
    /** {@link SESSION_CAS}: 1 when written, 0 when the session was not as expected. */
    openclawSessionCas(hash: RedisKey, index: RedisKey, autoSet: RedisKey, ...argv: string[]): Result<number, Context>;
    /** {@link CREDENTIAL_CAS}: the state's new version, 0 when the stored state was not as expected. */
    openclawCredentialCas(
      credentials: RedisKey,
      versionCounter: RedisKey,
      credentialId: string,
      expected: string,
      state: string,
      channel: string,
      instance: string,
    ): Result<number, Context>;
    /** {@link LEASE_ACQUIRE}: 1 when taken, 0 while another owner holds it. */
    openclawLeaseAcquire(lease: RedisKey, owner: string, ttlMs: number): Result<number, Context>;
    /** {@link LEASE_RELEASE}: 1 when deleted, 0 when another owner holds it or it lapsed. */
    openclawLeaseRelease(lease: RedisKey, owner: string): Result<number, Context>;
  }
}

/**
 * The scale-out session store. Layout under the prefix `p`: `p session:<key>` hashes (fields
 * `model profileId pinSource setBy updatedAt`), `p sessions` (a sorted set by `updatedAt`, for
 * `list`), `p sessions:auto` (keys holding an auto pin), `p credentials` (one hash, a JSON state
 * per credential) with its version counter `p credentials:version`, `p lease:<name>` (leases,
 * expired by Redis), `p claim:<key>` (one-time claims, expired by Redis too), the usage ledger's
 * `p ledger:*` keys ({@link RedisLedger}), and the pub/sub channel `p changes`.
 *
 * Every write is a compare-and-set Lua script (atomic: all of a session's keys and its
 * invalidation message, or nothing), so concurrent instances never lose an update and a failure
 * never leaves half a write. Merging a patch happens here in TypeScript ({@link applyPatch}), the
 * same code the SQLite store runs. Calls fail fast with `store_unavailable` while Redis is down
 * (no offline queue, no resend) and work again once ioredis has reconnected.
 */
export class RedisSessionStore implements WatchableSessionStore, CredentialStateStorage {
  /** Connects, loads every credential's state and subscribes to invalidations. */
  static async open(opts: RedisStoreOptions): Promise<RedisSessionStore> {
    const options: RedisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 1,
      commandTimeout: opts.commandTimeoutMs ?? 2000,
      connectTimeout: opts.connectTimeoutMs ?? 2000,
      // Reconnect quickly (at most every 500 ms) so the store recovers soon after Redis is back.
      retryStrategy: (times) => Math.min(times * 100, 500),
      // ioredis waits this long on close even when the connection is already gone.
      disconnectTimeout: 100,
      scripts: { ...SCRIPTS, ...LEDGER_SCRIPTS },
    };
    const client = new Redis(opts.url, options);
    // Callers see failures as rejected calls; the operator gets one line per outage, not one per retry.
    let down = false;
    client.on("error", () => undefined);
    // `reconnecting` comes only after a connection was lost, never after our own quit().
    client.on("reconnecting", () => {
      if (down) return;
      down = true;
      opts.onStatus?.('session store unreachable; commands answer "temporarily unavailable" until it is back');
    });
    client.on("ready", () => {
      if (!down) return;
      down = false;
      opts.onStatus?.("session store reachable again");
    });
    const sub = client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    sub.on("error", () => undefined);
    const store = new RedisSessionStore(client, sub, opts.keyPrefix ?? DEFAULT_KEY_PREFIX);
    try {
      await client.connect();
      await sub.connect();
      await store.start();
    } catch (err) {
      client.disconnect();
      sub.disconnect();
      throw err instanceof UserFacingError ? err : storeUnavailable(err);
    }
    return store;
  }

  readonly cooldowns: CooldownStore;
  readonly leases: LeaseStore;
  readonly ledger: UsageLedger;

  private readonly instance = crypto.randomBytes(8).toString("hex");
  private readonly listeners = new ChangeListeners();
  private readonly states = new Map<string, CredentialState>();
  private readonly versions = new Map<string, number>();
  private readonly indexKey: string;
  private readonly autoKey: string;
  private readonly credentialsKey: string;
  private readonly versionKey: string;
  private readonly channel: string;
  private closed = false;

  private constructor(
    private readonly client: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
  ) {
    this.indexKey = `${prefix}sessions`;
    this.autoKey = `${prefix}sessions:auto`;
    this.credentialsKey = `${prefix}credentials`;
    this.versionKey = `${prefix}credentials:version`;
    this.channel = `${prefix}changes`;
    this.cooldowns = new BackendCooldowns(this);
    this.ledger = new RedisLedger(client, prefix, guard);
    this.leases = {
      acquire: (name, owner, ttlMs) =>
        guard(async () => (await this.client.openclawLeaseAcquire(this.leaseKey(name), owner, ttlMs)) === 1),
      release: (name, owner) =>
        guard(async () => {
          await this.client.openclawLeaseRelease(this.leaseKey(name), owner);
        }),
    };
    this.watchReconnects();
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return guard(async () => (await this.client.set(`${this.prefix}claim:${key}`, "1", "PX", ttlMs, "NX")) === "OK");
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    return guard(async () => decode(key, await this.readRaw(key)));
  }

  async update(key: string, patch: SessionPatch, now: number): Promise<SessionRecord | undefined> {
    return guard(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const raw = await this.readRaw(key);
        const prev = decode(key, raw);
        const next = applyPatch(key, prev, patch, now);
        if (!next && !prev && raw.every((v) => v === null)) return undefined;
        if (await this.cas(key, raw, next)) return next;
      }
      throw storeUnavailable(new Error(`too much contention on session ${key}`));
    });
  }

  async delete(key: string): Promise<boolean> {
    return guard(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const raw = await this.readRaw(key);
        if (raw.every((v) => v === null)) return false;
        if (await this.cas(key, raw, undefined)) return decode(key, raw) !== undefined;
      }
      throw storeUnavailable(new Error(`too much contention on session ${key}`));
    });
  }

  async list(opts: { limit?: number; prefix?: string } = {}): Promise<SessionRecord[]> {
    return guard(async () => {
      const limit = opts.limit ?? Infinity;
      const out: SessionRecord[] = [];
      for (let start = 0; out.length < limit; ) {
        const keys = await this.client.zrevrange(this.indexKey, start, start + SCAN_COUNT - 1);
        if (keys.length === 0) break;
        start += keys.length;
        const wanted = keys.filter((k) => hasPrefix(k, opts.prefix));
        if (wanted.length === 0) continue;
        const pipeline = this.client.pipeline();
        for (const k of wanted) pipeline.hmget(this.hashKey(k), ...FIELDS);
        const results = (await pipeline.exec()) ?? [];
        for (let i = 0; i < wanted.length && out.length < limit; i++) {
          const [err, raw] = results[i] ?? [new Error("missing pipeline reply"), null];
          if (err) throw err;
          const record = decode(wanted[i] as string, raw as RawFields);
          if (record) out.push(record);
        }
      }
      return out;
    });
  }

  async dropAutoPins(keyPrefix?: string): Promise<number> {
    return guard(async () => {
      const seen = new Set<string>();
      let dropped = 0;
      let cursor = "0";
      do {
        const [next, members] = await this.client.sscan(
          this.autoKey,
          cursor,
          "MATCH",
          `${globEscape(keyPrefix ?? "")}*`,
          "COUNT",
          SCAN_COUNT,
        );
        cursor = next;
        const fresh = members.filter((k) => !seen.has(k) && hasPrefix(k, keyPrefix));
        for (const k of fresh) seen.add(k);
        const results = await Promise.all(fresh.map((k) => this.dropAutoPin(k)));
        dropped += results.filter(Boolean).length;
      } while (cursor !== "0");
      return dropped;
    });
  }

  watch(listener: (change: SessionChange) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Every write was acknowledged by Redis already; nothing is buffered here.
    this.sub.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /**
   * Read-modify-write of a credential's state (compare-and-set, retried under contention); for
   * {@link BackendCooldowns}. Redis keeps no time with a state: the version counter orders them.
   */
  async updateCredential<T>(credentialId: string, _now: number, change: CredentialChange<T>): Promise<T> {
    return guard(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const raw = await this.client.hget(this.credentialsKey, credentialId);
        const { state, result } = change(raw === null ? undefined : this.parseStored(raw)?.state);
        if (!state) return result;
        const json = JSON.stringify(state);
        const v = await this.client.openclawCredentialCas(
          this.credentialsKey,
          this.versionKey,
          credentialId,
          encode(raw),
          json,
          this.channel,
          this.instance,
        );
        if (v > 0) {
          this.applyCredential(credentialId, v, state);
          return result;
        }
      }
      throw storeUnavailable(new Error(`too much contention on credential ${credentialId}`));
    });
  }

  /** The in-memory credential view; for {@link BackendCooldowns}. */
  credentialView(): ReadonlyMap<string, CredentialState> {
    return this.states;
  }

  private async start(): Promise<void> {
    await this.reloadCredentials();
    this.sub.on("message", (_channel: string, message: string) => this.onMessage(message));
    await this.sub.subscribe(this.channel);
  }

  /**
   * Every reconnect of the subscriber after the first connection may have missed messages: forget
   * what the cache holds and re-read the credential states. ioredis re-subscribes by itself.
   */
  private watchReconnects(): void {
    let readies = 0;
    this.sub.on("ready", () => {
      if (readies++ === 0 || this.closed) return;
      this.listeners.emit({ kind: "all" });
      this.reloadCredentials().catch(() => undefined);
    });
  }

  private onMessage(message: string): void {
    let m: Message;
    try {
      m = JSON.parse(message) as Message;
    } catch {
      return;
    }
    if (typeof m.c === "string" && typeof m.v === "number") {
      const state = toCredentialState(m.state);
      if (state) this.applyCredential(m.c, m.v, state);
      return;
    }
    if (m.o === this.instance) return;
    if (typeof m.s === "string") this.listeners.emit({ kind: "keys", keys: [m.s] });
  }

  private applyCredential(id: string, version: number, state: CredentialState): void {
    if (version <= (this.versions.get(id) ?? 0)) return;
    this.versions.set(id, version);
    this.states.set(id, state);
  }

  private parseStored(raw: string): { v: number; state: CredentialState } | undefined {
    try {
      const parsed = JSON.parse(raw) as { v?: unknown; state?: unknown };
      const state = toCredentialState(parsed.state);
      return typeof parsed.v === "number" && state ? { v: parsed.v, state } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Replaces the in-memory credential view with what Redis holds (it may have restarted empty). */
  private async reloadCredentials(): Promise<void> {
    const all = await this.client.hgetall(this.credentialsKey);
    this.states.clear();
    this.versions.clear();
    for (const [id, raw] of Object.entries(all)) {
      const stored = this.parseStored(raw);
      if (stored) this.applyCredential(id, stored.v, stored.state);
    }
  }

  private leaseKey(name: string): string {
    return `${this.prefix}lease:${name}`;
  }

  private hashKey(key: string): string {
    return `${this.prefix}session:${key}`;
  }

  private readRaw(key: string): Promise<RawFields> {
    return this.client.hmget(this.hashKey(key), ...FIELDS);
  }

  private async cas(key: string, expected: RawFields, next: SessionRecord | undefined): Promise<boolean> {
    const nextFields = next ? [next.model, next.profileId, next.pinSource, next.setBy, next.updatedAt] : [];
    const args: string[] = [key, this.channel, JSON.stringify({ o: this.instance, s: key })];
    for (let i = 0; i < FIELDS.length; i++) args.push(encode(expected[i]));
    for (let i = 0; i < FIELDS.length; i++) args.push(encode(nextFields[i]));
    const ok = await this.client.openclawSessionCas(this.hashKey(key), this.indexKey, this.autoKey, ...args);
    return ok === 1;
  }

  private async dropAutoPin(key: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await this.readRaw(key);
      const prev = decode(key, raw);
      if (prev?.pinSource !== "auto") return false;
      if (await this.cas(key, raw, applyPatch(key, prev, DROP_PIN, prev.updatedAt))) return true;
    }
    throw storeUnavailable(new Error(`too much contention on session ${key}`));
  }
}
