// Session store benchmarks, each against bare better-sqlite3, ioredis or a Map. Run from dist/
// (`npm run bench -- sessions`): the RSS figure starts a child process that imports dist/src/sessions/open.js.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { CachedSessionStore } from "../src/sessions/cached-store.js";
import { SqliteSessionStore } from "../src/sessions/sqlite-store.js";
import { findRedisServer, RedisServer } from "../test/sessions/redis-server.js";
import { alternate, costFigure, rateFigure, syncRate, type BenchResult } from "./result.js";

const PIN = {
  model: "anthropic/claude-sonnet-4-5",
  profileId: "anthropic:work",
  pinSource: "user",
  setBy: "telegram:12345",
} as const;

/** Calls `fn(i)` with i = 0, 1, 2, ... for about `ms` ms, `inFlight` at a time; returns calls per second. */
async function rate(ms: number, fn: (i: number) => Promise<unknown> | unknown, inFlight = 1): Promise<number> {
  let next = 0;
  const start = performance.now();
  const lane = async () => {
    while (performance.now() - start < ms) {
      for (let k = 0; k < 64; k++) await fn(next++);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return next / ((performance.now() - start) / 1000);
}

/** Fills a fresh SQLite store with `n` sessions in one transaction (much faster than n pin writes). */
export async function fill(file: string, n: number): Promise<void> {
  await SqliteSessionStore.open({ file, pollIntervalMs: 0 }).close(); // creates the schema
  const db = new Database(file);
  const insert = db.prepare(
    "INSERT INTO sessions (key, model, profile_id, pin_source, set_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++)
      insert.run(
        `agent:main:telegram:direct:${i}`,
        PIN.model,
        i % 3 ? null : PIN.profileId,
        i % 3 ? null : "user",
        PIN.setBy,
        1_700_000_000_000 + i,
      );
  })();
  db.close();
}

/** A deterministic pseudo-random sequence of indexes below `n`, so runs compare. */
export function indexes(n: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let x = 2463534242;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % n;
  }
  return out;
}

/** The sessions table as the store creates it, for the bare better-sqlite3 baseline. */
const BARE_SCHEMA = `CREATE TABLE sessions (key TEXT PRIMARY KEY NOT NULL, model TEXT, profile_id TEXT, pin_source TEXT, set_by TEXT, updated_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX sessions_updated_at ON sessions (updated_at, key);`;

/** A bare better-sqlite3 upsert of the same row, with the store's pragmas: the floor a pin write sits on. */
function bareUpsert(file: string, synchronous: "NORMAL" | "FULL") {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(BARE_SCHEMA);
  const upsert = db.prepare(
    `INSERT INTO sessions (key, model, profile_id, pin_source, set_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET model = excluded.model, profile_id = excluded.profile_id,
       pin_source = excluded.pin_source, set_by = excluded.set_by, updated_at = excluded.updated_at`,
  );
  return {
    write: (i: number) =>
      upsert.run(`agent:main:telegram:direct:${i % 50_000}`, PIN.model, PIN.profileId, PIN.pinSource, PIN.setBy, i),
    close: () => db.close(),
  };
}

async function pinWrites(dir: string, durability: "normal" | "full"): Promise<BenchResult> {
  const store = SqliteSessionStore.open({
    file: path.join(dir, `writes-${durability}.sqlite`),
    pollIntervalMs: 0,
    durability,
  });
  const bare = bareUpsert(path.join(dir, `bare-${durability}.sqlite`), durability === "full" ? "FULL" : "NORMAL");
  try {
    const rates = await alternate(
      (ms) => rate(ms, (i) => store.update(`agent:main:telegram:direct:${i % 50_000}`, PIN, i)),
      (ms) => rate(ms, bare.write),
      5,
      durability === "full" ? 200 : 400,
    );
    const sync = durability === "full" ? "FULL" : "NORMAL";
    return rateFigure(
      `sqlite pin writes (WAL, synchronous=${sync})`,
      "/s",
      rates,
      `bare better-sqlite3 upsert, ${sync}`,
      durability === "full" ? undefined : 4,
    );
  } finally {
    await store.close();
    bare.close();
  }
}

async function sqliteReads(dir: string): Promise<BenchResult[]> {
  const file = path.join(dir, "100k.sqlite");
  await fill(file, 100_000);
  const keys = Array.from({ length: 100_000 }, (_, i) => `agent:main:telegram:direct:${i}`);
  const order = indexes(100_000, 1 << 20);
  const keyAt = (i: number) => keys[order[i & (order.length - 1)] ?? 0] ?? "";
  const all = new CachedSessionStore(SqliteSessionStore.open({ file }), { max: 100_000 });
  for (const k of keys) await all.get(k);
  const plain = new Map(keys.map((k) => [k, all.peek(k)]));
  let hits = 0;
  const peeks = await alternate(
    (ms) => syncRate(ms, (i) => (all.peek(keyAt(i)) ? hits++ : 0)),
    (ms) => syncRate(ms, (i) => (plain.get(keyAt(i)) ? hits++ : 0)),
  );
  await all.close();
  if (hits === 0) throw new Error("peek bench measured only misses");

  const bounded = new CachedSessionStore(SqliteSessionStore.open({ file }));
  const db = new Database(file, { readonly: true });
  const select = db.prepare("SELECT * FROM sessions WHERE key = ?");
  const reads = await alternate(
    (ms) => rate(ms, async (i) => bounded.peek(keyAt(i)) ?? (await bounded.get(keyAt(i)))),
    (ms) => rate(ms, (i) => select.get(keyAt(i))),
  );
  await bounded.close();
  db.close();
  return [
    rateFigure("cached reads: peek, 100,000 sessions, all cached", "/s", peeks, "Map.get of the same keys", 4),
    rateFigure(
      "reads: peek ?? get, 100,000 sessions, cacheSize 10,000",
      "/s",
      reads,
      "bare better-sqlite3 SELECT by key",
    ),
  ];
}

/** RSS, after a GC, of a child process running `body` (an ES module body that sets `found`) after a GC. */
function childRss(body: string): { rss: number; found: number } {
  const script = `${body}
    globalThis.gc?.();
    process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, found }));`;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL(".", import.meta.url)),
  });
  if (child.status !== 0) throw new Error(`rss child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { rss: number; found: number };
}

/**
 * RSS of a separate process holding the gateway-style (cached, default size) store over 1,000,000
 * sessions after 200,000 random reads, against a process doing the same reads straight from the
 * file with better-sqlite3.
 */
async function rssWithMillion(dir: string): Promise<BenchResult> {
  const stateDir = path.join(dir, "million");
  const file = path.join(stateDir, "state", "sessions.sqlite");
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const filling = performance.now();
  await fill(file, 1_000_000);
  process.stderr.write(`sessions bench: 1,000,000 rows inserted in ${Math.round(performance.now() - filling)} ms\n`);
  const openJs = pathToFileURL(fileURLToPath(new URL("../src/sessions/open.js", import.meta.url))).href;
  const nextKey = `x ^= x << 13; x ^= x >>> 17; x ^= x << 5; const key = "agent:main:telegram:direct:" + ((x >>> 0) % 1000000);`;
  const ours = childRss(`
    const { openSessionStore } = await import(${JSON.stringify(openJs)});
    const store = await openSessionStore({ config: {}, stateDir: ${JSON.stringify(stateDir)} });
    let x = 88172645, found = 0;
    for (let i = 0; i < 200000; i++) { ${nextKey} if (store.peek(key) ?? (await store.get(key))) found++; }
    await store.list({ limit: 50 });
    await store.close();`);
  const bare = childRss(`
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(${JSON.stringify(file)}, { readonly: true });
    const select = db.prepare("SELECT * FROM sessions WHERE key = ?");
    let x = 88172645, found = 0;
    for (let i = 0; i < 200000; i++) { ${nextKey} if (select.get(key)) found++; }
    db.close();`);
  if (ours.found < 190_000 || bare.found < 190_000)
    throw new Error(`rss children found only ${ours.found} and ${bare.found} sessions`);
  const mb = (n: number) => n / (1024 * 1024);
  return costFigure(
    "RSS, 1,000,000 sessions in SQLite, cached store open",
    "MB",
    { ours: mb(ours.rss), baseline: mb(bare.rss) },
    "same reads with bare better-sqlite3",
    3,
  );
}

async function redis(): Promise<BenchResult[]> {
  if (!findRedisServer()) {
    process.stderr.write("sessions bench: redis-server not found, Redis figures skipped\n");
    return [];
  }
  const { RedisSessionStore } = await import("../src/sessions/redis-store.js");
  const { Redis } = await import("ioredis");
  const server = await RedisServer.start();
  try {
    const store = await RedisSessionStore.open({ url: server.url, keyPrefix: "bench:" });
    const bare = new Redis(server.url);
    const value = JSON.stringify(PIN);
    try {
      const key = (i: number) => `agent:main:telegram:direct:${i % 50_000}`;
      const serial = await alternate(
        (ms) => rate(ms, (i) => store.update(key(i), PIN, i)),
        (ms) => rate(ms, (i) => bare.set(`bare:${key(i)}`, value)),
        3,
      );
      const parallel = await alternate(
        (ms) => rate(ms, (i) => store.update(key(i), PIN, i), 32),
        (ms) => rate(ms, (i) => bare.set(`bare:${key(i)}`, value), 32),
        3,
      );
      const reads = await alternate(
        (ms) => rate(ms, (i) => store.get(key(i)), 32),
        (ms) => rate(ms, (i) => bare.get(`bare:${key(i)}`), 32),
        3,
      );
      return [
        rateFigure("redis pin writes (1 in flight)", "/s", serial, "bare ioredis SET, 1 in flight"),
        rateFigure("redis pin writes (32 in flight)", "/s", parallel, "bare ioredis SET, 32 in flight", 4),
        rateFigure("redis uncached reads (32 in flight)", "/s", reads, "bare ioredis GET, 32 in flight"),
      ];
    } finally {
      await store.close();
      bare.disconnect();
    }
  } finally {
    await server.cleanup();
  }
}

/** The sessions area of `npm run bench`. */
export default async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-sessions-"));
  try {
    return [
      await pinWrites(dir, "normal"),
      await pinWrites(dir, "full"),
      ...(await sqliteReads(dir)),
      await rssWithMillion(dir),
      ...(await redis()),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
