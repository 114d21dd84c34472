import crypto from "node:crypto";
import os from "node:os";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import type { OpenClawConfig } from "../../src/config/schema.js";
import type { PeekableSessionStore } from "../../src/sessions/cached-store.js";
import { openSessionStore } from "../../src/sessions/open.js";
import { RedisSessionStore } from "../../src/sessions/redis-store.js";
import { UserFacingError } from "../../src/util/user-error.js";
import { eventually } from "./child.js";
import { sessionStoreContract, type ContractHarness } from "./contract.js";
import { describeRedis } from "./describe-redis.js";
import { RedisServer } from "./redis-server.js";
import { scaled } from "../support/slowness.js";

function code(err: unknown): string | undefined {
  return err instanceof UserFacingError ? err.detail.code : undefined;
}

describeRedis("redis session store", () => {
  // One durable server per file (AOF, fsync on every write): the crash test kills it with SIGKILL.
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start({ durable: true });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  function redisConfig(keyPrefix: string, cacheSize?: number): OpenClawConfig {
    return {
      session: {
        store: { kind: "redis", url: server.url, keyPrefix },
        ...(cacheSize !== undefined ? { cacheSize } : {}),
      },
    };
  }

  // Every test gets its own key prefix on the shared server.
  sessionStoreContract("redis", async (): Promise<ContractHarness> => {
    const prefix = `t${crypto.randomBytes(4).toString("hex")}:`;
    const opened: PeekableSessionStore[] = [];
    return {
      location: { config: redisConfig(prefix), stateDir: os.tmpdir() },
      async open(opts = {}) {
        const store = await openSessionStore({
          config: redisConfig(prefix, opts.cacheSize),
          stateDir: os.tmpdir(),
          ...(opts.clock ? { clock: opts.clock } : {}),
        });
        opened.push(store);
        return store;
      },
      async crashServer() {
        await server.kill();
        await server.restart();
      },
      async cleanup() {
        for (const s of opened) await s.close();
      },
    };
  });

  describe("redis specifics", () => {
    let prefix: string;
    let raw: Redis;
    const stores: PeekableSessionStore[] = [];
    const open = async () => {
      const s = await openSessionStore({ config: redisConfig(prefix), stateDir: os.tmpdir() });
      stores.push(s);
      return s;
    };
    beforeEach(async () => {
      prefix = `t${crypto.randomBytes(4).toString("hex")}:`;
      raw = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      raw.on("error", () => undefined);
      await raw.connect();
    });
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
      raw.disconnect();
    });

    it("keeps sessions as hashes and cooldown state as JSON under the key prefix", async () => {
      const store = await open();
      await store.update("agent:main:main", { model: "a/1", profileId: "p:1", pinSource: "auto", setBy: "x" }, 42);
      expect(await raw.hgetall(`${prefix}session:agent:main:main`)).toEqual({
        model: "a/1",
        profileId: "p:1",
        pinSource: "auto",
        setBy: "x",
        updatedAt: "42",
      });
      expect(await raw.zrange(`${prefix}sessions`, 0, -1, "WITHSCORES")).toEqual(["agent:main:main", "42"]);
      expect(await raw.smembers(`${prefix}sessions:auto`)).toEqual(["agent:main:main"]);
      await store.cooldowns.recordFailure("anthropic:a", { reason: "auth", now: 1000 });
      const stored = JSON.parse((await raw.hget(`${prefix}credentials`, "anthropic:a")) ?? "null") as {
        v: number;
        state: unknown;
      };
      expect(stored.state).toEqual(store.cooldowns.get("anthropic:a"));
      await store.update("agent:main:main", { profileId: null }, 43);
      expect(await raw.smembers(`${prefix}sessions:auto`)).toEqual([]);
      await store.delete("agent:main:main");
      expect(await raw.keys(`${prefix}session*`)).toEqual([]);
    });

    it("writes keep working when Redis forgets its scripts (SCRIPT FLUSH, a failover to a fresh replica)", async () => {
      const store = await open();
      await store.update("agent:main:main", { model: "a/1" }, 1);
      await store.cooldowns.recordFailure("anthropic:a", { reason: "auth", now: 1000 });
      await raw.script("FLUSH");
      expect(await store.update("agent:main:main", { model: "a/2" }, 2)).toMatchObject({ model: "a/2" });
      await store.cooldowns.recordFailure("anthropic:a", { reason: "auth", now: 2000 });
      expect(await raw.hget(`${prefix}session:agent:main:main`, "model")).toBe("a/2");
      expect(store.cooldowns.get("anthropic:a")?.cooldowns[0]?.errorCount).toBe(2);
    });

    it("the default key prefix is openclaw:", async () => {
      const store = await openSessionStore({
        config: { session: { store: { kind: "redis", url: server.url } } },
        stateDir: os.tmpdir(),
      });
      stores.push(store);
      const key = `agent:prefix-test-${crypto.randomBytes(4).toString("hex")}:main`;
      await store.update(key, { model: "a/1" }, 1);
      expect(await raw.hget(`openclaw:session:${key}`, "model")).toBe("a/1");
      await store.delete(key);
    });

    it("opening while Redis is unreachable rejects quickly with store_unavailable", async () => {
      const started = performance.now();
      const err = await RedisSessionStore.open({ url: "redis://127.0.0.1:1", connectTimeoutMs: 500 }).catch(
        (e: unknown) => e,
      );
      expect(code(err)).toBe("store_unavailable");
      expect((err as Error).message).toBe("The session store is temporarily unavailable; try again.");
      expect(performance.now() - started).toBeLessThan(scaled(2000));
    });

    it("Redis down mid-run: calls fail fast with store_unavailable, nothing half-written, the same store recovers", async () => {
      const store = await open();
      const other = await open();
      await store.update("agent:main:cached", { model: "a/1", profileId: "p:1", pinSource: "user" }, 1);

      // Writers busy when the server dies: each write lands whole or not at all.
      const acked = new Set<number>();
      const failed: unknown[] = [];
      let next = 0;
      const worker = async () => {
        for (;;) {
          const i = next++;
          try {
            await store.update(
              `agent:storm:${i}`,
              { model: `a/${i}`, profileId: `p:${i}`, pinSource: i % 2 ? "auto" : "user", setBy: "storm" },
              100 + i,
            );
            acked.add(i);
          } catch (err) {
            failed.push(err);
            return;
          }
        }
      };
      const workers = Promise.all(Array.from({ length: 16 }, worker));
      await eventually(() => acked.size >= 200, 5000, "storm under way");
      await server.kill();
      await workers;
      expect(failed).toHaveLength(16);
      const settled = Array.from({ length: next }, (_, i) => ({ status: acked.has(i) ? "fulfilled" : "rejected" }));
      for (const err of failed) expect(code(err)).toBe("store_unavailable");

      // The hot path keeps answering from memory.
      expect(store.peek("agent:main:cached")?.profileId).toBe("p:1");
      const calls: Array<[string, () => Promise<unknown>]> = [
        ["update", () => store.update("agent:main:new", { model: "a/2" }, 2)],
        ["get (uncached)", () => store.get("agent:main:uncached")],
        ["delete", () => store.delete("agent:main:other")],
        ["list", () => store.list()],
        ["dropAutoPins", () => store.dropAutoPins()],
        ["recordFailure", () => store.cooldowns.recordFailure("anthropic:a", { reason: "auth", now: 1 })],
      ];
      for (const [name, call] of calls) {
        const started = performance.now();
        const err = await call().then(
          () => new Error(`${name} succeeded while Redis was down`),
          (e: unknown) => e,
        );
        expect(code(err), name).toBe("store_unavailable");
        expect(performance.now() - started, name).toBeLessThan(scaled(500));
      }

      await server.restart();
      await eventually(
        async () =>
          await store.update("agent:main:new", { model: "a/2" }, 2).then(
            () => true,
            () => false,
          ),
        5000,
        "store back after restart",
      );
      expect(await store.get("agent:main:new")).toMatchObject({ model: "a/2" });
      await eventually(
        async () =>
          await other.get("agent:main:new").then(
            (r) => r?.model === "a/2",
            () => false,
          ),
        5000,
        "second instance back",
      );
      await store.cooldowns.recordFailure("anthropic:a", { reason: "auth", now: 1 });
      await eventually(() => other.cooldowns.get("anthropic:a") !== undefined, 1000, "cooldown shared after restart");

      // Every write that was acknowledged is there, and every session is whole and indexed.
      for (let i = 0; i < settled.length; i++) {
        if (settled[i]?.status === "fulfilled")
          expect(await raw.hget(`${prefix}session:agent:storm:${i}`, "profileId")).toBe(`p:${i}`);
      }
      const hashes = (await raw.keys(`${prefix}session:agent:storm:*`)).sort();
      const indexed = (await raw.zrange(`${prefix}sessions`, 0, -1)).filter((k) => k.startsWith("agent:storm:"));
      expect(hashes.map((k) => k.slice(`${prefix}session:`.length)).sort()).toEqual(indexed.sort());
      const auto = new Set(await raw.smembers(`${prefix}sessions:auto`));
      for (const h of hashes) {
        const rec = await raw.hgetall(h);
        const i = Number(h.slice(h.lastIndexOf(":") + 1));
        expect(rec).toEqual({
          model: `a/${i}`,
          profileId: `p:${i}`,
          pinSource: i % 2 ? "auto" : "user",
          setBy: "storm",
          updatedAt: String(100 + i),
        });
        expect(auto.has(`agent:storm:${i}`)).toBe(i % 2 === 1);
      }
    });

    it("after a reconnect the cache forgets what it may have missed", async () => {
      const store = await open();
      await store.update("agent:main:main", { model: "a/1" }, 1);
      expect(store.peek("agent:main:main")?.model).toBe("a/1");
      await server.kill();
      await server.restart();
      // Written behind the store's back while its subscriber was reconnecting.
      await eventually(
        async () =>
          await raw.hset(`${prefix}session:agent:main:main`, "model", "a/9").then(
            () => true,
            () => false,
          ),
        5000,
        "raw client back",
      );
      await eventually(
        async () =>
          (store.peek("agent:main:main") ?? (await store.get("agent:main:main").catch(() => undefined)))?.model ===
          "a/9",
        5000,
        "cache dropped on reconnect",
      );
    });
  });
});
