import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { scheduleRollUp } from "../../src/app/ledger-rollup.js";
import type { UsageFilter } from "../../src/sessions/ledger.js";
import { openSessionStore } from "../../src/sessions/open.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { eventually } from "../sessions/child.js";
import { entry } from "../sessions/ledger-contract.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";

const DAY = 86_400_000;
/** Noon UTC, 20 June 2026: "now" for every test here. */
const NOW = Date.UTC(2026, 5, 20, 12);
const ALL: UsageFilter = { from: NOW - 400 * DAY, to: NOW + DAY };

const dirs: string[] = [];
const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of closing.splice(0).reverse()) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempState(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-rollup-"));
  dirs.push(dir);
  return dir;
}

/** The raw entries in the state directory's SQLite store, read behind the ledger's back. */
function rawEntries(stateDir: string): number {
  const db = new Database(path.join(stateDir, "state", "sessions.sqlite"), { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM ledger_entries").pluck().get() as number;
  } finally {
    db.close();
  }
}

async function storeWith(stateDir: string, ages: readonly number[]): Promise<SessionStore> {
  const store = await openSessionStore({ config: {}, stateDir });
  for (const age of ages) await store.ledger.record(entry(NOW - age));
  return store;
}

describe("the gateway's ledger roll-up", () => {
  it("at start folds raw entries older than 90 days, and the totals stay as they were", async () => {
    const stateDir = tempState();
    const before = await storeWith(stateDir, [200 * DAY, 91 * DAY, 89 * DAY, 0]);
    const totals = await before.ledger.totals(ALL);
    await before.close();
    const gw: TestGateway = await createTestGateway({ stateDir, clock: () => NOW });
    closing.push(gw);
    await eventually(() => rawEntries(stateDir) === 2, 2000, "roll-up at start");
    expect(gw.logs).toContain("[info] usage ledger: 2 entries older than 90 days rolled up by day");
    expect(await gw.services.sessions.ledger.totals(ALL)).toEqual(totals);
  });

  it("keeps usage.retainDays days from our own file", async () => {
    const stateDir = tempState();
    await (await storeWith(stateDir, [40 * DAY, 20 * DAY, 0])).close();
    const gw = await createTestGateway({ stateDir, clock: () => NOW, own: { usage: { retainDays: 30 } } });
    closing.push(gw);
    await eventually(() => rawEntries(stateDir) === 2, 2000, "roll-up at start");
  });

  it("runs again once the clock's UTC day changes, and not after it is stopped", async () => {
    const stateDir = tempState();
    const store = await storeWith(stateDir, [3 * DAY, 2 * DAY, DAY / 4]);
    closing.push(store);
    let now = NOW;
    const logs: string[] = [];
    const schedule = scheduleRollUp({
      ledger: store.ledger,
      retainDays: () => 2,
      clock: () => now,
      log: (_level, line) => void logs.push(line),
      checkEveryMs: 5,
    });
    await eventually(() => rawEntries(stateDir) === 2, 2000, "roll-up at start");
    now += DAY;
    await eventually(() => rawEntries(stateDir) === 1, 2000, "roll-up on the next day");
    expect(logs).toEqual([
      "usage ledger: 1 entry older than 2 days rolled up by day",
      "usage ledger: 1 entry older than 2 days rolled up by day",
    ]);
    await schedule.stop();
    now += 2 * DAY;
    await new Promise((r) => setTimeout(r, 50));
    expect(rawEntries(stateDir)).toBe(1);
  });

  it("a failed roll-up is logged and tried again at the next check", async () => {
    const stateDir = tempState();
    const store = await storeWith(stateDir, [3 * DAY]);
    await store.close();
    const logs: string[] = [];
    const schedule = scheduleRollUp({
      ledger: store.ledger,
      retainDays: () => 2,
      clock: () => NOW,
      log: (level, line) => void logs.push(`[${level}] ${line}`),
      checkEveryMs: 5,
    });
    closing.push({ close: () => schedule.stop() });
    await eventually(() => logs.length >= 2, 2000, "two failed attempts");
    expect(logs[0]).toMatch(/^\[warn\] usage ledger roll-up failed \(tried again later\): .*closed/);
  });
});
