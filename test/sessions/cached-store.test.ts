import { describe, expect, it } from "vitest";
import { CachedSessionStore, DEFAULT_CACHE_SIZE } from "../../src/sessions/cached-store.js";
import { MemorySessionStore, WatchableMemoryStore } from "./memory-store.js";

const T0 = 1_700_000_000_000;

function fakeClock(start = T0) {
  let now = start;
  const clock = () => now;
  return { clock, advance: (ms: number) => (now += ms) };
}

function deferred() {
  let release!: () => void; // assigned synchronously by the Promise constructor
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

describe("CachedSessionStore", () => {
  it("caches records and absences: repeated reads do not reach the backend", async () => {
    const backend = new MemorySessionStore();
    await backend.update("k", { model: "a/1" }, T0);
    const store = new CachedSessionStore(backend);
    expect(await store.get("k")).toEqual({ key: "k", model: "a/1", updatedAt: T0 });
    expect(await store.get("k")).toEqual({ key: "k", model: "a/1", updatedAt: T0 });
    expect(await store.get("none")).toBeUndefined();
    expect(await store.get("none")).toBeUndefined();
    expect(backend.gets).toBe(2);
    expect(store.peek("k")?.model).toBe("a/1");
    expect(store.peek("none")).toBeUndefined();
  });

  it("peek never does I/O; it answers undefined for what is not cached", async () => {
    const backend = new MemorySessionStore();
    await backend.update("k", { model: "a/1" }, T0);
    const store = new CachedSessionStore(backend);
    expect(store.peek("k")).toBeUndefined();
    expect(backend.gets).toBe(0);
    expect(store.peek("k") ?? (await store.get("k"))).toMatchObject({ model: "a/1" });
  });

  it("without change reports from the backend, entries expire after 1 s of injected time", async () => {
    const { clock, advance } = fakeClock();
    const backend = new MemorySessionStore();
    const store = new CachedSessionStore(backend, { clock });
    expect(await store.get("k")).toBeUndefined();
    await backend.update("k", { model: "a/1" }, T0); // written behind the cache's back
    advance(999);
    expect(await store.get("k")).toBeUndefined();
    advance(2);
    expect(await store.get("k")).toMatchObject({ model: "a/1" });
    expect(store.peek("k")).toMatchObject({ model: "a/1" });
  });

  it("with change reports, the TTL is only a 5-minute safety net (configurable)", async () => {
    const { clock, advance } = fakeClock();
    const backend = new WatchableMemoryStore();
    const store = new CachedSessionStore(backend, { clock });
    await store.get("k");
    await backend.update("k", { model: "a/1" }, T0);
    advance(60_000);
    expect(await store.get("k")).toBeUndefined();
    advance(5 * 60_000);
    expect(await store.get("k")).toMatchObject({ model: "a/1" });

    const short = new CachedSessionStore(backend, { clock, ttlMs: 10 });
    await short.get("k");
    await backend.update("k", { model: "a/2" }, T0);
    advance(11);
    expect(short.peek("k")).toBeUndefined();
  });

  it("drops what the backend reports: keys, a prefix, everything", async () => {
    const backend = new WatchableMemoryStore();
    const store = new CachedSessionStore(backend);
    for (const k of ["agent:a:1", "agent:a:2", "agent:b:1"]) await store.update(k, { model: "m/1" }, T0);
    backend.emit({ kind: "keys", keys: ["agent:a:1"] });
    expect([store.peek("agent:a:1"), store.peek("agent:a:2")?.model]).toEqual([undefined, "m/1"]);
    backend.emit({ kind: "prefix", prefix: "agent:a:" });
    expect([store.peek("agent:a:2"), store.peek("agent:b:1")?.model]).toEqual([undefined, "m/1"]);
    backend.emit({ kind: "all" });
    expect(store.peek("agent:b:1")).toBeUndefined();
    expect(store.cachedCount).toBe(0);
  });

  it("an answer that raced an invalidation is returned but not cached", async () => {
    const backend = new WatchableMemoryStore();
    await backend.update("k", { model: "old" }, T0);
    const store = new CachedSessionStore(backend);
    const gate = deferred();
    backend.gate = gate.promise;
    const reading = store.get("k"); // reads "old", then waits
    await Promise.resolve();
    backend.gate = undefined;
    await backend.update("k", { model: "new" }, T0 + 1);
    backend.emit({ kind: "keys", keys: ["k"] });
    gate.release();
    expect((await reading)?.model).toBe("old");
    expect(store.peek("k")).toBeUndefined();
    expect((await store.get("k"))?.model).toBe("new");
  });

  it("a read that started before a write and ends after it never replaces the write's answer", async () => {
    const backend = new MemorySessionStore();
    await backend.update("k", { model: "a/0" }, T0);
    const store = new CachedSessionStore(backend);
    const gate = deferred();
    backend.gate = gate.promise;
    const reading = store.get("k"); // reads "a/0", then waits
    await Promise.resolve();
    backend.gate = undefined;
    expect((await store.update("k", { model: "a/1" }, T0 + 1))?.model).toBe("a/1");
    gate.release();
    expect((await reading)?.model).toBe("a/0");
    const reads = backend.gets;
    expect((await store.get("k"))?.model).toBe("a/1");
    expect(backend.gets).toBe(reads);
  });

  it("keeps a key cached while reads of it overlap without end (one session for every direct message)", async () => {
    const backend = new MemorySessionStore();
    await backend.update("agent:main:main", { model: "a/1" }, T0);
    const store = new CachedSessionStore(backend);
    const gate = deferred();
    backend.gate = gate.promise;
    // Reads keep starting while earlier ones are in flight, as under steady traffic.
    const first = Array.from({ length: 8 }, () => store.get("agent:main:main"));
    backend.gate = undefined;
    gate.release();
    const more = Array.from({ length: 8 }, () => store.get("agent:main:main"));
    for (const r of await Promise.all([...first, ...more])) expect(r?.model).toBe("a/1");
    const reads = backend.gets;
    for (let i = 0; i < 50; i++) expect((await store.get("agent:main:main"))?.model).toBe("a/1");
    expect(backend.gets).toBe(reads);
    expect(store.peek("agent:main:main")?.model).toBe("a/1");
  });

  it("after two overlapping writes the cache holds the last or nothing, never the first", async () => {
    const backend = new MemorySessionStore();
    const store = new CachedSessionStore(backend);
    await Promise.all([store.update("k", { model: "a/1" }, T0), store.update("k", { model: "a/2" }, T0 + 1)]);
    expect([undefined, "a/2"]).toContain(store.peek("k")?.model);
    expect((await store.get("k"))?.model).toBe("a/2");
  });

  it("a failed write forgets the cached entry (it may or may not have landed)", async () => {
    const backend = new MemorySessionStore();
    const store = new CachedSessionStore(backend);
    await store.update("k", { model: "a/1" }, T0);
    backend.failWrites = new Error("down");
    await expect(store.update("k", { model: "a/2" }, T0)).rejects.toThrow("down");
    expect(store.peek("k")).toBeUndefined();
  });

  it("is bounded by max (default 10,000) and evicts the least recently used", async () => {
    expect(DEFAULT_CACHE_SIZE).toBe(10_000);
    const backend = new MemorySessionStore();
    const store = new CachedSessionStore(backend, { max: 3 });
    for (const k of ["a", "b", "c"]) await store.update(k, { model: "m/1" }, T0);
    store.peek("a"); // a is now more recent than b
    await store.update("d", { model: "m/1" }, T0);
    expect(store.cachedCount).toBe(3);
    expect(store.peek("b")).toBeUndefined();
    expect(store.peek("a")).toBeDefined();
  });

  it("dropAutoPins forgets the affected prefix (or everything)", async () => {
    const backend = new WatchableMemoryStore();
    const store = new CachedSessionStore(backend);
    await store.update("agent:a:1", { profileId: "p", pinSource: "auto" }, T0);
    await store.update("agent:b:1", { profileId: "p", pinSource: "auto" }, T0);
    expect(await store.dropAutoPins("agent:a:")).toBe(1);
    expect(store.peek("agent:a:1")).toBeUndefined();
    expect(store.peek("agent:b:1")?.profileId).toBe("p");
    expect(await store.get("agent:a:1")).toBeUndefined();
    expect(await store.dropAutoPins()).toBe(1);
    expect(store.peek("agent:b:1")).toBeUndefined();
  });

  it("shares the backend's cooldowns, lists from the backend, and closes it", async () => {
    const backend = new WatchableMemoryStore();
    const store = new CachedSessionStore(backend);
    expect(store.cooldowns).toBe(backend.cooldowns);
    await backend.update("k", { model: "m/1" }, T0);
    expect((await store.list()).map((r) => r.key)).toEqual(["k"]);
    expect(backend.listenerCount).toBe(1);
    await store.close();
    expect(backend.closed).toBe(true);
    expect(backend.listenerCount).toBe(0);
  });
});
