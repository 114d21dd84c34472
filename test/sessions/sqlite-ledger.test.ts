import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openSessionStore, sessionStoreLocation } from "../../src/sessions/open.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { describe, expect, it } from "vitest";
import { scaled } from "../support/slowness.js";
import { startWriter } from "./child.js";
import { usageLedgerContract } from "./ledger-contract.js";

usageLedgerContract("sqlite", async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-ledger-"));
  const opened: SessionStore[] = [];
  return {
    async open() {
      const store = await openSessionStore({ config: {}, stateDir });
      opened.push(store);
      return store;
    },
    async rawEntries() {
      const location = sessionStoreLocation({}, stateDir);
      if (location.kind !== "sqlite") throw new Error("expected the SQLite store");
      const db = new Database(location.file, { readonly: true });
      try {
        return db.prepare("SELECT count(*) FROM ledger_entries").pluck().get() as number;
      } finally {
        db.close();
      }
    },
    async cleanup() {
      for (const s of opened) await s.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
});

describe("sqlite usage ledger durability", () => {
  it("every acknowledged entry survives SIGKILL of the writer", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-ledger-"));
    try {
      const at = Date.UTC(2026, 2, 10, 12);
      const writer = startWriter({ config: {}, stateDir, action: "ledger", at, count: 1_000_000 });
      await writer.waitFor((lines) => lines.filter((l) => l.startsWith("call-")).length > 300, scaled(20_000));
      writer.proc.kill("SIGKILL");
      expect((await writer.exited).signal).toBe("SIGKILL");
      const acked = writer.lines.filter((l) => l.startsWith("call-")).length;
      const store = await openSessionStore({ config: {}, stateDir });
      try {
        // The entry in flight at the kill may be in too, acknowledged or not.
        const { turns } = await store.ledger.totals({ from: at, to: at + 1 });
        expect(turns === acked || turns === acked + 1).toBe(true);
        // The daily sums were written in the same transactions as the entries.
        expect((await store.ledger.totals({ from: at - 12 * 3_600_000, to: at + 12 * 3_600_000 })).turns).toBe(turns);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
