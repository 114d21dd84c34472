import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryCooldownStore, type FailureInput } from "../../src/auth/cooldowns.js";
import type { OpenClawConfig } from "../../src/config/schema.js";
import { CachedSessionStore, type PeekableSessionStore } from "../../src/sessions/cached-store.js";
import type { Clock } from "../../src/util/clock.js";
import { eventually, startWriter } from "./child.js";
import { scaled } from "../support/slowness.js";
import { CredentialResolver } from "../../src/auth/resolver.js";
import { buildCatalog } from "../../src/models/catalog.js";

/** One backend's data, opened as often as a test needs (each open is a separate instance). */
export interface ContractHarness {
  /** Opens a gateway-style (cached) store on the shared data, as another gateway instance would. */
  open(opts?: { clock?: Clock; cacheSize?: number }): Promise<PeekableSessionStore>;
  /** What another process passes to `openSessionStore` to reach the same data. */
  readonly location: { readonly config: OpenClawConfig; readonly stateDir: string };
  /** Kills the backend's server with SIGKILL and starts it again, for backends that have one. */
  crashServer?(): Promise<void>;
  /** Closes what `open` opened and removes the data. */
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const KEY = "agent:main:telegram:group:-100123";

/**
 * How long "seen within 1 s" may take, measured from the writer's acknowledgement, on a quiet
 * machine; `eventually` scales it by this run's slowness.
 */
const WITHIN = 1000;

/**
 * The SessionStore contract, run against every backend (STYLE lesson 2): record semantics, the
 * cache in front, cooldown state, visibility of other instances' and processes' writes within
 * 1 s, persistence and crash durability.
 */
export function sessionStoreContract(name: string, create: () => Promise<ContractHarness>): void {
  describe(`${name} session store contract`, () => {
    let h: ContractHarness;
    let store: PeekableSessionStore;
    beforeEach(async () => {
      h = await create();
      store = await h.open();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe("records", () => {
      it("get of an unknown key is undefined", async () => {
        expect(await store.get("agent:main:nobody")).toBeUndefined();
      });

      it("update creates the record, returns it and stores it", async () => {
        const rec = await store.update(
          KEY,
          { model: "anthropic/claude-opus-4-5", profileId: "anthropic:work", pinSource: "user", setBy: "telegram:1" },
          T0,
        );
        const expected = {
          key: KEY,
          model: "anthropic/claude-opus-4-5",
          profileId: "anthropic:work",
          pinSource: "user",
          setBy: "telegram:1",
          updatedAt: T0,
        };
        expect(rec).toEqual(expected);
        expect(await store.get(KEY)).toEqual(expected);
      });

      it("undefined keeps a field, null clears it, setBy and updatedAt follow the last change", async () => {
        await store.update(
          KEY,
          { model: "openai/gpt-5", profileId: "openai:a", pinSource: "auto", setBy: "telegram:1" },
          T0,
        );
        const kept = await store.update(KEY, { setBy: "telegram:2" }, T0 + 1);
        expect(kept).toEqual({
          key: KEY,
          model: "openai/gpt-5",
          profileId: "openai:a",
          pinSource: "auto",
          setBy: "telegram:2",
          updatedAt: T0 + 1,
        });
        const upgraded = await store.update(KEY, { pinSource: "user" }, T0 + 2);
        expect(upgraded?.pinSource).toBe("user");
        const cleared = await store.update(KEY, { model: null }, T0 + 3);
        expect(cleared).toEqual({
          key: KEY,
          profileId: "openai:a",
          pinSource: "user",
          setBy: "telegram:2",
          updatedAt: T0 + 3,
        });
        expect(await store.get(KEY)).toEqual(cleared);
      });

      it("a conditional auto pin never replaces a pin someone set meanwhile", async () => {
        // A model call started with no pin; while it ran, a person pinned anthropic:work.
        await store.update(KEY, { profileId: "anthropic:work", pinSource: "user", setBy: "telegram:1" }, T0);
        const after = await store.update(
          KEY,
          { profileId: "anthropic:b", pinSource: "auto", setBy: "gateway", onlyIfProfileId: null },
          T0 + 1,
        );
        expect(after).toMatchObject({ profileId: "anthropic:work", pinSource: "user", updatedAt: T0 });
        expect(await store.get(KEY)).toMatchObject({ profileId: "anthropic:work", pinSource: "user" });
        // With the expected pin in place the write goes through.
        const swapped = await store.update(
          KEY,
          { profileId: "anthropic:b", pinSource: "auto", setBy: "gateway", onlyIfProfileId: "anthropic:work" },
          T0 + 2,
        );
        expect(swapped).toMatchObject({ profileId: "anthropic:b", pinSource: "auto", updatedAt: T0 + 2 });
      });

      it("a new profile without a stated source is a user pin, never an inherited auto one", async () => {
        await store.update(KEY, { profileId: "anthropic:a", pinSource: "auto" }, T0);
        expect(await store.update(KEY, { profileId: "anthropic:b" }, T0 + 1)).toMatchObject({
          profileId: "anthropic:b",
          pinSource: "user",
        });
      });

      it("clearing the profile clears its pin source too", async () => {
        await store.update(KEY, { model: "openai/gpt-5", profileId: "openai:a", pinSource: "user" }, T0);
        const rec = await store.update(KEY, { profileId: null }, T0 + 1);
        expect(rec).toEqual({ key: KEY, model: "openai/gpt-5", updatedAt: T0 + 1 });
        expect(await store.get(KEY)).toEqual(rec);
      });

      it("a patch that clears everything deletes the record", async () => {
        await store.update(KEY, { model: "openai/gpt-5", profileId: "openai:a", pinSource: "user", setBy: "x" }, T0);
        expect(await store.update(KEY, { model: null, profileId: null, pinSource: null }, T0 + 1)).toBeUndefined();
        expect(await store.get(KEY)).toBeUndefined();
        expect(await store.list()).toEqual([]);
        expect(await store.delete(KEY)).toBe(false);
      });

      it("a patch on an unknown key that sets nothing writes nothing", async () => {
        expect(await store.update(KEY, { model: null, setBy: "x" }, T0)).toBeUndefined();
        expect(await store.update(KEY, { pinSource: "user" }, T0)).toBeUndefined();
        expect(await store.get(KEY)).toBeUndefined();
        expect(await store.list()).toEqual([]);
      });

      it("delete reports whether the session existed", async () => {
        await store.update(KEY, { model: "openai/gpt-5" }, T0);
        expect(await store.delete(KEY)).toBe(true);
        expect(await store.delete(KEY)).toBe(false);
        expect(await store.get(KEY)).toBeUndefined();
      });

      it("list: most recently changed first, limit and prefix", async () => {
        await store.update("agent:main:main", { model: "a/1" }, T0 + 1);
        await store.update("agent:main:telegram:group:1", { model: "a/2" }, T0 + 3);
        await store.update("agent:ops:main", { model: "a/3" }, T0 + 2);
        await store.update("agent:main:telegram:group:1:topic:9", { model: "a/4" }, T0 + 4);
        expect((await store.list()).map((r) => r.key)).toEqual([
          "agent:main:telegram:group:1:topic:9",
          "agent:main:telegram:group:1",
          "agent:ops:main",
          "agent:main:main",
        ]);
        expect((await store.list({ limit: 2 })).map((r) => r.key)).toEqual([
          "agent:main:telegram:group:1:topic:9",
          "agent:main:telegram:group:1",
        ]);
        expect((await store.list({ prefix: "agent:main:" })).map((r) => r.key)).toEqual([
          "agent:main:telegram:group:1:topic:9",
          "agent:main:telegram:group:1",
          "agent:main:main",
        ]);
        expect((await store.list({ prefix: "agent:main:", limit: 1 })).map((r) => r.key)).toEqual([
          "agent:main:telegram:group:1:topic:9",
        ]);
        expect(await store.list({ prefix: "agent:none:" })).toEqual([]);
        expect((await store.list())[0]).toEqual({
          key: "agent:main:telegram:group:1:topic:9",
          model: "a/4",
          updatedAt: T0 + 4,
        });
      });

      it("dropAutoPins drops auto pins only, keeps models, deletes what is left empty, honours the prefix", async () => {
        await store.update(
          "agent:main:a",
          { model: "a/1", profileId: "p:auto", pinSource: "auto", setBy: "gateway" },
          T0,
        );
        await store.update("agent:main:b", { profileId: "p:auto", pinSource: "auto" }, T0);
        await store.update("agent:main:c", { model: "a/1", profileId: "p:user", pinSource: "user" }, T0);
        await store.update("agent:ops:d", { profileId: "p:auto", pinSource: "auto" }, T0);
        await store.update("agent:main:e", { model: "a/1" }, T0);
        await store.get("agent:main:a"); // cached before the drop: must not be served stale after it

        expect(await store.dropAutoPins("agent:main:")).toBe(2);
        expect(await store.get("agent:main:a")).toEqual({
          key: "agent:main:a",
          model: "a/1",
          setBy: "gateway",
          updatedAt: T0,
        });
        expect(store.peek("agent:main:b")).toBeUndefined();
        expect(await store.get("agent:main:b")).toBeUndefined();
        expect((await store.get("agent:main:c"))?.profileId).toBe("p:user");
        expect((await store.get("agent:ops:d"))?.profileId).toBe("p:auto");
        expect(await store.dropAutoPins("agent:main:")).toBe(0);

        expect(await store.dropAutoPins()).toBe(1);
        expect(await store.get("agent:ops:d")).toBeUndefined();
        expect((await store.list()).map((r) => r.key).sort()).toEqual(["agent:main:a", "agent:main:c", "agent:main:e"]);
      });

      it("persists across close and reopen", async () => {
        await store.update(KEY, { model: "openai/gpt-5", profileId: "openai:a", pinSource: "user", setBy: "x" }, T0);
        await store.update("agent:main:gone", { model: "openai/gpt-5" }, T0);
        await store.delete("agent:main:gone");
        await store.close();
        const reopened = await h.open();
        expect(await reopened.get(KEY)).toEqual({
          key: KEY,
          model: "openai/gpt-5",
          profileId: "openai:a",
          pinSource: "user",
          setBy: "x",
          updatedAt: T0,
        });
        expect(await reopened.get("agent:main:gone")).toBeUndefined();
        expect(await reopened.list()).toHaveLength(1);
      });
    });

    describe("timed switches", () => {
      const HOUR = 3_600_000;
      const UNTIL = T0 + 2 * HOUR;
      const BEFORE = { model: "anthropic/claude-haiku-4-5", profileId: "anthropic:work", setBy: "telegram:1" };

      /** `/model opus --for 2h` over a chat that had haiku pinned to anthropic:work. */
      async function switchFor2h(s: PeekableSessionStore): Promise<void> {
        await s.update(KEY, { ...BEFORE, pinSource: "user" }, T0 - HOUR);
        await s.update(
          KEY,
          {
            model: "anthropic/claude-opus-4-5",
            profileId: null,
            setBy: "telegram:2",
            timed: { until: UNTIL, ...BEFORE },
          },
          T0,
        );
      }

      it("the switch and its way back are stored; an ended one is undone by the next read-and-write, on any instance", async () => {
        await switchFor2h(store);
        const other = await h.open();
        expect(await other.get(KEY)).toEqual({
          key: KEY,
          model: "anthropic/claude-opus-4-5",
          setBy: "telegram:2",
          updatedAt: T0,
          timed: { until: UNTIL, ...BEFORE },
        });
        // Before the end an empty patch changes nothing, not even the time of the last change.
        expect(await other.update(KEY, {}, UNTIL - 1)).toMatchObject({ updatedAt: T0 });
        const restored = { key: KEY, ...BEFORE, pinSource: "user", updatedAt: UNTIL };
        expect(await other.update(KEY, {}, UNTIL)).toEqual(restored);
        // The first instance sees the way back (no timed switch left to undo twice).
        await eventually(
          async () => (store.peek(KEY) ?? (await store.get(KEY)))?.timed === undefined,
          WITHIN,
          "the other instance's restore",
        );
        expect(await store.update(KEY, {}, UNTIL + HOUR)).toEqual(restored);
        expect(await store.get(KEY)).toEqual(restored);
      });

      it("an auto pin written during the switch keeps it; a plain change ends it for good", async () => {
        await switchFor2h(store);
        await store.update(KEY, { profileId: "anthropic:b", pinSource: "auto", onlyIfProfileId: null }, T0 + 1);
        expect((await store.get(KEY))?.timed).toEqual({ until: UNTIL, ...BEFORE });
        // The auto pin was the gateway's: the way back still restores the person's pin.
        expect(await store.update(KEY, {}, UNTIL)).toMatchObject({ ...BEFORE, pinSource: "user" });

        await switchFor2h(store);
        await store.update(KEY, { model: "openai/gpt-5", timed: null }, T0 + 1);
        expect(await store.update(KEY, {}, UNTIL + 1)).toEqual({
          key: KEY,
          model: "openai/gpt-5",
          setBy: "telegram:2",
          updatedAt: T0 + 1,
        });
      });

      it("a switch from nothing ends in nothing: the record goes", async () => {
        await store.update(KEY, { model: "anthropic/claude-opus-4-5", timed: { until: UNTIL } }, T0);
        expect(await store.update(KEY, {}, UNTIL)).toBeUndefined();
        expect(await store.get(KEY)).toBeUndefined();
        expect(await store.list()).toEqual([]);
      });

      it("survives close and reopen (a restart) and ends on time afterwards", async () => {
        await switchFor2h(store);
        await store.close();
        const reopened = await h.open();
        expect((await reopened.get(KEY))?.timed).toEqual({ until: UNTIL, ...BEFORE });
        expect((await reopened.list())[0]?.timed).toEqual({ until: UNTIL, ...BEFORE });
        expect(await reopened.update(KEY, {}, UNTIL + 1)).toMatchObject({ model: BEFORE.model, pinSource: "user" });
      });
    });

    describe("cache", () => {
      it("peek answers from memory and sees the store's own writes at once", async () => {
        expect(store.peek(KEY)).toBeUndefined();
        await store.update(KEY, { model: "openai/gpt-5" }, T0);
        expect(store.peek(KEY)).toEqual({ key: KEY, model: "openai/gpt-5", updatedAt: T0 });
        await store.update(KEY, { profileId: "openai:a" }, T0 + 1);
        expect(store.peek(KEY)?.profileId).toBe("openai:a");
        await store.delete(KEY);
        expect(store.peek(KEY)).toBeUndefined();
      });

      it("holds at most session.cacheSize sessions", async () => {
        const small = await h.open({ cacheSize: 5 });
        expect(small).toBeInstanceOf(CachedSessionStore);
        for (let i = 0; i < 20; i++) await small.update(`agent:main:s${i}`, { model: "a/1" }, T0 + i);
        for (let i = 0; i < 20; i++) await small.get(`agent:main:x${i}`);
        expect((small as CachedSessionStore).cachedCount).toBeLessThanOrEqual(5);
        expect(await small.get("agent:main:s0")).toEqual({ key: "agent:main:s0", model: "a/1", updatedAt: T0 });
      });

      it("a pin written by another instance is seen within 1 s", async () => {
        const other = await h.open();
        expect(await store.get(KEY)).toBeUndefined(); // cached as absent
        await store.update("agent:main:main", { model: "a/1" }, T0);
        expect(store.peek("agent:main:main")?.model).toBe("a/1"); // cached

        await other.update(KEY, { model: "openai/gpt-5", profileId: "openai:a", pinSource: "user" }, T0 + 1);
        await other.update("agent:main:main", { model: "a/2" }, T0 + 2);
        await eventually(
          async () => (store.peek(KEY) ?? (await store.get(KEY)))?.profileId === "openai:a",
          WITHIN,
          "other instance's pin",
        );
        await eventually(
          async () => (store.peek("agent:main:main") ?? (await store.get("agent:main:main")))?.model === "a/2",
          WITHIN,
          "other instance's model",
        );

        await other.delete(KEY);
        await eventually(
          async () => (store.peek(KEY) ?? (await store.get(KEY))) === undefined,
          WITHIN,
          "other instance's delete",
        );
      });

      it("auto pins dropped by another instance are gone within 1 s", async () => {
        const other = await h.open();
        await store.update(KEY, { model: "a/1", profileId: "p:auto", pinSource: "auto" }, T0);
        expect(store.peek(KEY)?.profileId).toBe("p:auto");
        expect(await other.dropAutoPins("agent:main:")).toBe(1);
        await eventually(
          async () => (store.peek(KEY) ?? (await store.get(KEY)))?.profileId === undefined,
          WITHIN,
          "dropped auto pin",
        );
      });

      it("a pin written by another process is seen within 1 s", async () => {
        expect(await store.get(KEY)).toBeUndefined(); // cached as absent
        const writer = startWriter({ ...h.location, action: "pin", key: KEY, profileId: "anthropic:child" });
        await writer.waitFor("acked");
        const ms = await eventually(
          async () => (store.peek(KEY) ?? (await store.get(KEY)))?.profileId === "anthropic:child",
          WITHIN,
          "child's pin",
        );
        expect(ms).toBeLessThan(scaled(WITHIN));
        expect((await writer.exited).code).toBe(0);
      });
    });

    describe("cooldowns", () => {
      const id = "anthropic:work";
      const failures: FailureInput[] = [
        { reason: "rate_limit", model: "anthropic/claude-opus-4-5", now: T0 },
        { reason: "rate_limit", model: "anthropic/claude-opus-4-5", now: T0 + 1000 },
        { reason: "auth", now: T0 + 2000 },
        { reason: "rate_limit", model: "anthropic/claude-haiku-4-5", retryAfterMs: 7000, now: T0 + 3000 },
      ];

      it("round trip matches the in-memory reference, synchronously readable", async () => {
        const ref = new MemoryCooldownStore();
        expect(store.cooldowns.get(id)).toBeUndefined();
        for (const f of failures) {
          expect(await store.cooldowns.recordFailure(id, f)).toEqual(await ref.recordFailure(id, f));
          expect(store.cooldowns.get(id)).toEqual(ref.get(id));
        }
        await store.cooldowns.recordSuccess(id, "anthropic/claude-haiku-4-5", T0 + 4000);
        await ref.recordSuccess(id, "anthropic/claude-haiku-4-5", T0 + 4000);
        expect(store.cooldowns.get(id)).toEqual(ref.get(id));
        expect(store.cooldowns.get(id)?.cooldowns).toHaveLength(1);
        await store.cooldowns.recordFailure("openai:x", { reason: "billing", now: T0 });
        await ref.recordFailure("openai:x", { reason: "billing", now: T0 });
        await store.cooldowns.clear("openai:x");
        await ref.clear("openai:x");
        expect(new Map(store.cooldowns.entries())).toEqual(new Map(ref.entries()));
        await store.cooldowns.clear("never:seen");
        expect(store.cooldowns.get("never:seen")).toBeUndefined();
      });

      it("is loaded at open: state survives close and reopen", async () => {
        for (const f of failures) await store.cooldowns.recordFailure(id, f);
        await store.cooldowns.recordSuccess("openai:x", undefined, T0);
        const before = new Map(store.cooldowns.entries());
        await store.close();
        const reopened = await h.open();
        expect(new Map(reopened.cooldowns.entries())).toEqual(before);
      });

      it("a failure recorded by another instance is seen within 1 s", async () => {
        const other = await h.open();
        expect(store.cooldowns.get(id)).toBeUndefined();
        const entry = await other.cooldowns.recordFailure(id, { reason: "auth", now: T0 });
        await eventually(
          () => store.cooldowns.get(id)?.cooldowns[0]?.until === entry.until,
          WITHIN,
          "other instance's cooldown",
        );
        await other.cooldowns.recordSuccess(id, undefined, T0 + 1);
        await eventually(
          () => store.cooldowns.get(id)?.cooldowns.length === 0 && store.cooldowns.get(id)?.lastUsedAt === T0 + 1,
          WITHIN,
          "other instance's success",
        );
      });

      it("a failure recorded by another process is seen within 1 s", async () => {
        const writer = startWriter({ ...h.location, action: "cooldown", credentialId: id });
        await writer.waitFor("acked");
        await eventually(
          () => store.cooldowns.get(id)?.cooldowns[0]?.reason === "rate_limit",
          WITHIN,
          "child's cooldown",
        );
        expect((await writer.exited).code).toBe(0);
      });

      it("concurrent failures from two instances are both counted", async () => {
        const other = await h.open();
        const f: FailureInput = { reason: "rate_limit", model: "m", now: T0 };
        await Promise.all([
          store.cooldowns.recordFailure(id, f),
          other.cooldowns.recordFailure(id, f),
          store.cooldowns.recordFailure(id, f),
        ]);
        await eventually(() => store.cooldowns.get(id)?.cooldowns[0]?.errorCount === 3, WITHIN, "three failures");
        await eventually(
          () => other.cooldowns.get(id)?.cooldowns[0]?.errorCount === 3,
          WITHIN,
          "three failures (other)",
        );
      });
    });

    describe("quotas", () => {
      const OPUS = "anthropic/claude-opus-4-5";
      const HAIKU = "anthropic/claude-haiku-4-5";
      const file = {
        version: 1,
        profiles: {
          "anthropic:a": { type: "api_key" as const, provider: "anthropic", key: "sk-ant-api03-contract-a" },
          "anthropic:b": { type: "api_key" as const, provider: "anthropic", key: "sk-ant-api03-contract-b" },
        },
      };
      const config: OpenClawConfig = { auth: { order: { anthropic: ["anthropic:a", "anthropic:b"] } } };

      it("a profile one instance heard is out of quota is skipped by another instance's resolver until the reset", async () => {
        const other = await h.open();
        let now = T0;
        const resolver = new CredentialResolver({
          config,
          catalog: buildCatalog(config),
          profiles: { get: () => file },
          env: {},
          cooldowns: other.cooldowns,
          clock: () => now,
        });
        const next = (model: string) => resolver.resolve({ agentId: "main", provider: "anthropic", model }).chosen?.id;
        expect(next(OPUS)).toBe("anthropic:a");

        await store.cooldowns.recordRateLimits(
          "anthropic:a",
          OPUS,
          { requests: { limit: 50, remaining: 0, resetAt: T0 + 60_000 }, tokens: { limit: 40_000, remaining: 900 } },
          T0,
        );
        await eventually(() => next(OPUS) === "anthropic:b", WITHIN, "other instance's quota");
        const skipped = resolver.resolve({ agentId: "main", provider: "anthropic", model: OPUS }).candidates[1];
        expect(skipped).toMatchObject({
          id: "anthropic:a",
          reason: "quota_exhausted",
          exhaustion: { until: T0 + 60_000 },
        });
        // Limits count per model: another model on the same profile is not held back.
        expect(next(HAIKU)).toBe("anthropic:a");
        // A success or a cooldown written later keeps the quota; a new report replaces it.
        await store.cooldowns.recordSuccess("anthropic:a", HAIKU, T0 + 1);
        await store.cooldowns.recordFailure("anthropic:a", { reason: "rate_limit", model: HAIKU, now: T0 + 2 });
        await eventually(() => other.cooldowns.get("anthropic:a")?.lastUsedAt === T0 + 1, WITHIN, "success");
        expect(next(OPUS)).toBe("anthropic:b");

        now = T0 + 60_000;
        expect(next(OPUS)).toBe("anthropic:a");
        await store.close();
        const reopened = await h.open();
        expect(reopened.cooldowns.get("anthropic:a")?.quotas).toEqual([
          {
            model: OPUS,
            at: T0,
            limits: {
              requests: { limit: 50, remaining: 0, resetAt: T0 + 60_000 },
              tokens: { limit: 40_000, remaining: 900 },
            },
          },
        ]);
      });
    });

    describe("leases", () => {
      it("one owner at a time across instances; the holder renews, release frees it", async () => {
        const other = await h.open();
        expect(await store.leases.acquire("oauth-refresh:anthropic:a", "gw-a", 60_000)).toBe(true);
        expect(await other.leases.acquire("oauth-refresh:anthropic:a", "gw-b", 60_000)).toBe(false);
        expect(await store.leases.acquire("oauth-refresh:anthropic:a", "gw-a", 60_000)).toBe(true);
        expect(await other.leases.acquire("oauth-refresh:anthropic:other", "gw-b", 60_000)).toBe(true);
        await other.leases.release("oauth-refresh:anthropic:a", "gw-b");
        expect(await other.leases.acquire("oauth-refresh:anthropic:a", "gw-b", 60_000)).toBe(false);
        await store.leases.release("oauth-refresh:anthropic:a", "gw-a");
        expect(await other.leases.acquire("oauth-refresh:anthropic:a", "gw-b", 60_000)).toBe(true);
      });

      it("a lease whose holder stopped renewing it lapses", async () => {
        const other = await h.open();
        expect(await store.leases.acquire("lapsing", "crashed", 50)).toBe(true);
        await eventually(async () => other.leases.acquire("lapsing", "next", 60_000), 2000, "lease lapsed");
      });
    });

    describe("one-time claims", () => {
      it("the first claim of a key wins, on any instance; later ones lose until it lapses", async () => {
        const other = await h.open();
        expect(await store.claimOnce("discord:interaction:1", 60_000)).toBe(true);
        expect(await store.claimOnce("discord:interaction:1", 60_000)).toBe(false);
        expect(await other.claimOnce("discord:interaction:1", 60_000)).toBe(false);
        expect(await other.claimOnce("discord:interaction:2", 60_000)).toBe(true);
      });

      it("exactly one of many concurrent claims from two instances wins", async () => {
        const other = await h.open();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).claimOnce("race", 60_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("a claim outlives close and reopen, and lapses after its time", async () => {
        expect(await store.claimOnce("kept", 60_000)).toBe(true);
        expect(await store.claimOnce("lapsing", 50)).toBe(true);
        await store.close();
        const reopened = await h.open();
        expect(await reopened.claimOnce("kept", 60_000)).toBe(false);
        await eventually(async () => reopened.claimOnce("lapsing", 60_000), 2000, "claim lapsed");
        expect(await reopened.claimOnce("lapsing", 60_000)).toBe(false);
      });
    });

    describe("durability", () => {
      it("every acknowledged pin survives SIGKILL of the writer", async () => {
        await store.close();
        const writer = startWriter({ ...h.location, action: "flood", prefix: "agent:crash:", count: 1_000_000 });
        await writer.waitFor((lines) => lines.filter((l) => l.startsWith("agent:crash:")).length > 300, scaled(20_000));
        writer.proc.kill("SIGKILL");
        const { signal } = await writer.exited;
        expect(signal).toBe("SIGKILL");
        const acked = writer.lines.filter((l) => l.startsWith("agent:crash:"));
        expect(acked.length).toBeGreaterThan(300);
        await h.crashServer?.();
        const reopened = await h.open();
        const missing: string[] = [];
        for (const key of acked) {
          const rec = await reopened.get(key);
          const i = key.slice("agent:crash:".length);
          if (rec?.profileId !== `anthropic:p${i}` || rec.model !== `anthropic/m-${i}`) missing.push(key);
        }
        expect(missing).toEqual([]);
      });
    });
  });
}
