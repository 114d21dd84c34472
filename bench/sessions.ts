// Session store benchmarks. Run from dist/ (`npm run bench sessions`, or `node dist/bench/sessions.js`):
// the RSS figure starts a child process that imports dist/src/sessions/open.js.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { CachedSessionStore } from "../src/sessions/cached-store.js";
import { SqliteSessionStore } from "../src/sessions/sqlite-store.js";
import { findRedisServer, RedisServer } from "../test/sessions/redis-server.js";
import type { BenchResult } from "./result.js";

const PIN = { model: "anthropic/claude-sonnet-4-5", profileId: "anthropic:work", pinSource: "user", setBy: "telegram:12345" } as const;

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

/** Like {@link rate} for a synchronous `fn`, without an await per call distorting the figure. */
export function syncRate(ms: number, fn: (i: number) => unknown): number {
  let next = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let k = 0; k < 4096; k++) fn(next++);
  }
  return next / ((performance.now() - start) / 1000);
}

/** Fills a fresh SQLite store with `n` sessions in one transaction (much faster than n pin writes). */
export async function fill(file: string, n: number): Promise<void> {
  await SqliteSessionStore.open({ file, pollIntervalMs: 0 }).close(); // creates the schema
  const db = new Database(file);
  const insert = db.prepare("INSERT INTO sessions (key, model, profile_id, pin_source, set_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`agent:main:telegram:direct:${i}`, PIN.model, i % 3 ? null : PIN.profileId, i % 3 ? null : "user", PIN.setBy, 1_700_000_000_000 + i);
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

async function sqlite(dir: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const normal = SqliteSessionStore.open({ file: path.join(dir, "writes.sqlite"), pollIntervalMs: 0 });
  const writes = await rate(2000, (i) => normal.update(`agent:main:telegram:direct:${i % 50_000}`, PIN, i));
  await normal.close();
  results.push({ name: "sqlite pin writes (WAL, synchronous=NORMAL)", value: writes, unit: "/s", target: ">= 5000/s" });
  const full = SqliteSessionStore.open({ file: path.join(dir, "writes-full.sqlite"), pollIntervalMs: 0, durability: "full" });
  const fullWrites = await rate(1000, (i) => full.update(`agent:main:telegram:direct:${i % 50_000}`, PIN, i));
  await full.close();
  results.push({ name: "sqlite pin writes (synchronous=FULL, for reference)", value: fullWrites, unit: "/s" });

  const file = path.join(dir, "100k.sqlite");
  await fill(file, 100_000);
  const keys = Array.from({ length: 100_000 }, (_, i) => `agent:main:telegram:direct:${i}`);
  const order = indexes(100_000, 1 << 20);
  const all = new CachedSessionStore(SqliteSessionStore.open({ file }), { max: 100_000 });
  for (const k of keys) await all.get(k);
  let hits = 0;
  const peeks = syncRate(1000, (i) => {
    if (all.peek(keys[order[i & (order.length - 1)] ?? 0] ?? "")) hits++;
  });
  await all.close();
  if (hits === 0) throw new Error("peek bench measured only misses");
  results.push({ name: "cached reads: peek, 100,000 sessions, all cached", value: peeks, unit: "/s", target: ">= 500000/s" });

  const bounded = new CachedSessionStore(SqliteSessionStore.open({ file }));
  const hot = await rate(1000, async (i) => {
    const key = keys[order[i & (order.length - 1)] ?? 0] ?? "";
    return bounded.peek(key) ?? (await bounded.get(key));
  });
  await bounded.close();
  results.push({ name: "reads: peek ?? get, 100,000 sessions, cacheSize 10,000, random keys", value: hot, unit: "/s" });
  return results;
}

/** RSS of a separate process holding the gateway-style (cached, default size) store over 1,000,000 sessions. */
async function rssWithMillion(dir: string): Promise<BenchResult> {
  const stateDir = path.join(dir, "million");
  const file = path.join(stateDir, "state", "sessions.sqlite");
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const filling = performance.now();
  await fill(file, 1_000_000);
  process.stderr.write(`sessions bench: 1,000,000 rows inserted in ${Math.round(performance.now() - filling)} ms\n`);
  const openJs = pathToFileURL(fileURLToPath(new URL("../src/sessions/open.js", import.meta.url))).href;
  const script = `
    const { openSessionStore } = await import(${JSON.stringify(openJs)});
    const store = await openSessionStore({ config: {}, stateDir: ${JSON.stringify(stateDir)} });
    let x = 88172645, found = 0;
    for (let i = 0; i < 200000; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const key = "agent:main:telegram:direct:" + ((x >>> 0) % 1000000);
      if (store.peek(key) ?? (await store.get(key))) found++;
    }
    await store.list({ limit: 50 });
    globalThis.gc?.();
    process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, found }));
    await store.close();
  `;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`rss child failed: ${child.stderr}`);
  const { rss, found } = JSON.parse(child.stdout) as { rss: number; found: number };
  if (found < 190_000) throw new Error(`rss child found only ${found} sessions`);
  return { name: "RSS, 1,000,000 sessions in SQLite, cached store open", value: rss / (1024 * 1024), unit: "MB", target: "<= 200 MB" };
}

async function redis(): Promise<BenchResult[]> {
  if (!findRedisServer()) {
    process.stderr.write("sessions bench: redis-server not found, Redis figures skipped\n");
    return [];
  }
  const { RedisSessionStore } = await import("../src/sessions/redis-store.js");
  const server = await RedisServer.start();
  try {
    const store = await RedisSessionStore.open({ url: server.url, keyPrefix: "bench:" });
    try {
      const serial = await rate(1500, (i) => store.update(`agent:main:telegram:direct:${i % 50_000}`, PIN, i));
      const parallel = await rate(1500, (i) => store.update(`agent:main:telegram:direct:${i % 50_000}`, PIN, i), 32);
      const reads = await rate(1500, (i) => store.get(`agent:main:telegram:direct:${i % 50_000}`), 32);
      return [
        { name: "redis pin writes (1 in flight)", value: serial, unit: "/s" },
        { name: "redis pin writes (32 in flight)", value: parallel, unit: "/s", target: ">= 5000/s" },
        { name: "redis uncached reads (32 in flight)", value: reads, unit: "/s" },
      ];
    } finally {
      await store.close();
    }
  } finally {
    await server.cleanup();
  }
}

/** The sessions area of `npm run bench`. */
export default async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-sessions-"));
  try {
    return [...(await sqlite(dir)), await rssWithMillion(dir), ...(await redis())];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await bench()) process.stdout.write(`${r.name.padEnd(70)} ${Math.round(r.value).toLocaleString("en-US").padStart(12)} ${r.unit.padEnd(4)} ${r.target ?? ""}\n`);
}
