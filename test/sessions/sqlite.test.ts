import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OpenClawConfig } from "../../src/config/schema.js";
import type { PeekableSessionStore } from "../../src/sessions/cached-store.js";
import type { SessionChange } from "../../src/sessions/backend.js";
import { openSessionStore, sessionStoreLocation } from "../../src/sessions/open.js";
import { SqliteSessionStore } from "../../src/sessions/sqlite-store.js";
import { UserFacingError } from "../../src/util/user-error.js";
import { sessionStoreContract, type ContractHarness } from "./contract.js";
import { scaled } from "../support/slowness.js";

function tempState(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-sessions-"));
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

sessionStoreContract("sqlite", async (): Promise<ContractHarness> => {
  const stateDir = tempState();
  const config: OpenClawConfig = {};
  const opened: PeekableSessionStore[] = [];
  return {
    location: { config, stateDir },
    async open(opts = {}) {
      const store = await openSessionStore({
        config: opts.cacheSize === undefined ? config : { session: { cacheSize: opts.cacheSize } },
        stateDir,
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
      opened.push(store);
      return store;
    },
    async cleanup() {
      for (const s of opened) await s.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
});

describe("sqlite session store", () => {
  let stateDir: string;
  const stores: Array<{ close(): Promise<void> }> = [];
  beforeEach(() => {
    stateDir = tempState();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
  const openDefault = async () => {
    const s = await openSessionStore({ config: {}, stateDir });
    stores.push(s);
    return s;
  };

  it("lives in <state>/state/sessions.sqlite: directory 0700, database, -wal and -shm 0600", async () => {
    const oldUmask = process.umask(0o022);
    try {
      fs.mkdirSync(path.join(stateDir, "state"), { mode: 0o755 }); // pre-existing and too wide
      const store = await openDefault();
      await store.update("agent:main:main", { model: "a/1" }, 1);
      const file = path.join(stateDir, "state", "sessions.sqlite");
      expect(mode(path.join(stateDir, "state"))).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
    } finally {
      process.umask(oldUmask);
    }
  });

  it("tightens an existing 0644 database file", async () => {
    const file = path.join(stateDir, "state", "sessions.sqlite");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    new Database(file).close();
    fs.chmodSync(file, 0o644);
    await openDefault();
    expect(mode(file)).toBe(0o600);
  });

  it("runs in WAL mode with synchronous=NORMAL (FULL on request) and the documented tables", () => {
    const file = path.join(stateDir, "s.sqlite");
    const normal = SqliteSessionStore.open({ file });
    stores.push(normal);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
      ).filter((n) => !n.startsWith("sqlite_"));
      expect(tables).toEqual([
        "changes",
        "claims",
        "credential_state",
        "leases",
        "ledger_days",
        "ledger_entries",
        "ledger_footers",
        "sessions",
      ]);
      const cols = (t: string) =>
        (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
      expect(cols("sessions")).toEqual(["key", "model", "profile_id", "pin_source", "set_by", "updated_at"]);
      expect(cols("credential_state")).toEqual(["credential_id", "state", "updated_at"]);
    } finally {
      db.close();
    }
    // synchronous is per connection: read it through the store's own handle.
    const sync = (s: SqliteSessionStore) =>
      (s as unknown as { db: Database.Database }).db.pragma("synchronous", { simple: true });
    expect(sync(normal)).toBe(1);
    const full = SqliteSessionStore.open({ file: path.join(stateDir, "f.sqlite"), durability: "full" });
    stores.push(full);
    expect(sync(full)).toBe(2);
  });

  it("stamps each credential state row with the time it changed, on the injected clock (clearing too)", async () => {
    const T0 = Date.UTC(2026, 4, 1, 12);
    let now = T0;
    const store = await openSessionStore({ config: {}, stateDir, clock: () => now });
    stores.push(store);
    const stamp = () => {
      const db = new Database(path.join(stateDir, "state", "sessions.sqlite"), { readonly: true });
      try {
        return db.prepare("SELECT updated_at FROM credential_state WHERE credential_id = ?").pluck().get("openai:x");
      } finally {
        db.close();
      }
    };
    await store.cooldowns.recordFailure("openai:x", { reason: "billing", now: T0 + 1000 });
    expect(stamp()).toBe(T0 + 1000);
    now = T0 + 60_000;
    await store.cooldowns.clear("openai:x");
    expect(store.cooldowns.get("openai:x")?.cooldowns).toEqual([]);
    expect(stamp()).toBe(T0 + 60_000);
  });

  it("a plain string session.store is OpenClaw's own JSON store: we keep ours where it was", async () => {
    for (const store of ["custom/db.sqlite", "/abs/db.sqlite", "~/.openclaw/agents/{agentId}/sessions/sessions.json"])
      expect(sessionStoreLocation({ session: { store } }, "/s")).toEqual({
        kind: "sqlite",
        file: "/s/state/sessions.sqlite",
        isDefault: true,
      });
    expect(sessionStoreLocation({ session: { store: { kind: "sqlite", path: "~/x.sqlite" } } }, "/s")).toMatchObject({
      file: path.join(os.homedir(), "x.sqlite"),
    });
    expect(sessionStoreLocation({}, "/s")).toEqual({
      kind: "sqlite",
      file: "/s/state/sessions.sqlite",
      isDefault: true,
    });
    expect(sessionStoreLocation({ session: { store: { kind: "sqlite" } } }, "/s")).toEqual({
      kind: "sqlite",
      file: "/s/state/sessions.sqlite",
      isDefault: true,
    });
    expect(sessionStoreLocation({ session: { store: { kind: "redis", url: "redis://h:1" } } }, "/s")).toEqual({
      kind: "redis",
      url: "redis://h:1",
      keyPrefix: undefined,
    });

    const store = await openSessionStore({
      config: { session: { store: { kind: "sqlite", path: "custom/db.sqlite" } } },
      stateDir,
    });
    stores.push(store);
    await store.update("agent:main:main", { model: "a/1" }, 1);
    expect(fs.existsSync(path.join(stateDir, "custom", "db.sqlite"))).toBe(true);
    expect(mode(path.join(stateDir, "custom", "db.sqlite"))).toBe(0o600);
  });

  it("a session.store file that is not a database is a clear store_invalid error", async () => {
    const file = path.join(stateDir, "sessions.json");
    fs.writeFileSync(file, JSON.stringify({ "agent:main:main": { sessionId: "x" } }));
    const err = await openSessionStore({
      config: { session: { store: { kind: "sqlite", path: file } } },
      stateDir,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserFacingError);
    expect((err as UserFacingError).detail.code).toBe("store_invalid");
    expect((err as UserFacingError).message).toContain(file);
  });

  it("a write lock held past the busy timeout rejects with store_unavailable, then works again", async () => {
    const file = path.join(stateDir, "s.sqlite");
    const store = SqliteSessionStore.open({ file, busyTimeoutMs: 50 });
    stores.push(store);
    const blocker = new Database(file);
    blocker.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    const err = await store.update("agent:main:main", { model: "a/1" }, 1).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(scaled(1000));
    expect((err as UserFacingError).detail?.code).toBe("store_unavailable");
    expect((err as Error).message).toBe("The session store is temporarily unavailable; try again.");
    expect(await store.get("agent:main:main")).toBeUndefined(); // readers are not blocked in WAL mode
    blocker.exec("ROLLBACK");
    blocker.close();
    expect((await store.update("agent:main:main", { model: "a/1" }, 1))?.model).toBe("a/1");
  });

  it("reports other handles' changes by key, skips its own, and says 'all' when it fell behind the pruned log", async () => {
    const file = path.join(stateDir, "s.sqlite");
    const a = SqliteSessionStore.open({ file, pollIntervalMs: 0 });
    const b = SqliteSessionStore.open({ file, pollIntervalMs: 0 });
    stores.push(a, b);
    const seen: SessionChange[] = [];
    a.watch((c) => seen.push(c));
    await a.update("agent:main:own", { model: "a/1" }, 1);
    a.poll();
    expect(seen).toEqual([]); // own writes are not reported, and nothing else changed
    await b.update("agent:main:x", { model: "a/1" }, 1);
    await b.update("agent:main:y", { model: "a/1" }, 1);
    await a.update("agent:main:own", { model: "a/2" }, 2);
    a.poll();
    expect(seen).toEqual([{ kind: "keys", keys: ["agent:main:x", "agent:main:y"] }]);
    a.poll();
    expect(seen).toHaveLength(1);
    await b.dropAutoPins("agent:ops:"); // nothing to drop: nothing logged
    await b.update("agent:ops:z", { profileId: "p", pinSource: "auto" }, 1);
    await b.dropAutoPins("agent:ops:");
    a.poll();
    expect(seen.slice(1)).toEqual([
      { kind: "keys", keys: ["agent:ops:z"] },
      { kind: "prefix", prefix: "agent:ops:" },
    ]);
    seen.length = 0;
    // Fall far behind: more writes than the log keeps, so a poll cannot tell what changed.
    for (let i = 0; i < 12_000; i++) await b.update(`agent:bulk:${i}`, { model: "a/1" }, i);
    a.poll();
    expect(seen).toEqual([{ kind: "all" }]);
  });

  it("pin writes are durable before they resolve: a second handle reads them at once", async () => {
    const file = path.join(stateDir, "s.sqlite");
    const a = SqliteSessionStore.open({ file, pollIntervalMs: 0 });
    const b = SqliteSessionStore.open({ file, pollIntervalMs: 0 });
    stores.push(a, b);
    await a.update("agent:main:main", { model: "a/1", profileId: "p", pinSource: "user" }, 5);
    expect(await b.get("agent:main:main")).toEqual({
      key: "agent:main:main",
      model: "a/1",
      profileId: "p",
      pinSource: "user",
      updatedAt: 5,
    });
  });
});
