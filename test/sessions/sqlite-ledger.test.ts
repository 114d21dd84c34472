import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openSessionStore, sessionStoreLocation } from "../../src/sessions/open.js";
import type { SessionStore } from "../../src/sessions/types.js";
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
