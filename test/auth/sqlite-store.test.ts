import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { AuthProfileStore, CachedProfileReader } from "../../src/auth/store.js";
import { agentDbPath, stateDbPath, summarizeLayout } from "../../src/auth/layout.js";
import { authProfilesPath } from "../../src/config/paths.js";

// The tables as OpenClaw 2026.9.6 creates them (its schema, observed with `sqlite_master`). The
// live interop test (test/interop/) runs the real OpenClaw; these tests pin our side quickly.
const STATE_SCHEMA =
  "CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT";
const AGENT_SCHEMA = [
  "CREATE TABLE auth_profile_state (state_key TEXT NOT NULL PRIMARY KEY, state_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT",
  "CREATE TABLE auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT",
];
const KEY = `sk-ant-api03-${"a".repeat(80)}AAAA`;

function open(file: string, schema: readonly string[]): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  for (const sql of schema) db.exec(sql);
  return db;
}

/** A state as OpenClaw 2026.9 leaves it after paste-api-key (+ optionally order set, which creates the agent database). */
function openClawState(opts: { agentDb: boolean }): string {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-sqlite-"));
  const db = open(stateDbPath(state), [STATE_SCHEMA]);
  const put = db.prepare("INSERT INTO config_machine_state VALUES (?, ?, ?)");
  put.run("auth.sharedStore", JSON.stringify({ location: "state-db" }), 1);
  put.run(
    "authProfiles.store",
    JSON.stringify({
      version: 1,
      profiles: { "anthropic:manual": { type: "api_key", provider: "anthropic", key: KEY, label: "kept" } },
      extra: { kept: true },
    }),
    1,
  );
  put.run("plugins.installedIndex", JSON.stringify({ revision: 7 }), 1);
  db.close();
  if (opts.agentDb) {
    const agent = open(agentDbPath(state, "main"), AGENT_SCHEMA);
    agent
      .prepare("INSERT INTO auth_profile_store VALUES ('primary', ?, 1)")
      .run(JSON.stringify({ version: 1, profiles: {} }));
    agent.prepare("INSERT INTO auth_profile_state VALUES ('primary', ?, 1)").run(
      JSON.stringify({
        version: 1,
        order: { anthropic: ["anthropic:manual"] },
        usageStats: { "anthropic:manual": { lastUsed: 5 } },
      }),
    );
    agent.close();
  }
  return state;
}

function row(file: string, sql: string): Record<string, unknown> {
  const db = new Database(file, { readonly: true });
  try {
    const r = db.prepare(sql).get() as { v: string } | undefined;
    return r ? (JSON.parse(r.v) as Record<string, unknown>) : {};
  } finally {
    db.close();
  }
}
const sharedStore = (s: string) =>
  row(stateDbPath(s), "SELECT value_json AS v FROM config_machine_state WHERE state_key = 'authProfiles.store'");
const sharedState = (s: string) =>
  row(stateDbPath(s), "SELECT value_json AS v FROM config_machine_state WHERE state_key = 'authProfiles.state'");
const agentState = (s: string) =>
  row(agentDbPath(s, "main"), "SELECT state_json AS v FROM auth_profile_state WHERE state_key = 'primary'");

describe("OpenClaw 2026.9 SQLite credential stores", () => {
  it("reads the shared store and the agent's order, and writes profiles where OpenClaw does, keeping unknown fields and rows", async () => {
    const state = openClawState({ agentDb: true });
    const store = new AuthProfileStore(state);
    expect(store.layout("main").kind).toBe("sqlite");
    const before = store.read("main");
    expect(Object.keys(before.profiles)).toEqual(["anthropic:manual"]);
    expect(before.order).toEqual({ anthropic: ["anthropic:manual"] });

    await store.update("main", (f) => {
      f.profiles["anthropic:work"] = { type: "token", provider: "anthropic", token: "t".repeat(90) };
      f.order = { anthropic: ["anthropic:work", "anthropic:manual"] };
    });
    const shared = sharedStore(state);
    expect(shared.extra).toEqual({ kept: true });
    expect(shared.profiles).toMatchObject({
      "anthropic:manual": { label: "kept" },
      "anthropic:work": { type: "token" },
    });
    expect(agentState(state)).toEqual({
      version: 1,
      order: { anthropic: ["anthropic:work", "anthropic:manual"] },
      usageStats: { "anthropic:manual": { lastUsed: 5 } },
    });
    expect(
      row(
        stateDbPath(state),
        "SELECT value_json AS v FROM config_machine_state WHERE state_key = 'plugins.installedIndex'",
      ),
    ).toEqual({ revision: 7 });
    expect(fs.existsSync(authProfilesPath(state, "main"))).toBe(false);

    await store.update("main", (f) => {
      delete f.profiles["anthropic:manual"];
      delete f.order;
    });
    expect(Object.keys(store.read("main").profiles)).toEqual(["anthropic:work"]);
    expect(agentState(state)).toEqual({ version: 1, usageStats: { "anthropic:manual": { lastUsed: 5 } } });
    expect(fs.existsSync(authProfilesPath(state, "main"))).toBe(false);
  });

  it("keeps the main agent's order in the shared state while it has no database of its own, as OpenClaw does", async () => {
    const state = openClawState({ agentDb: false });
    const store = new AuthProfileStore(state);
    await store.update("main", (f) => {
      f.order = { anthropic: ["anthropic:manual"] };
    });
    expect(sharedState(state)).toEqual({ version: 1, order: { anthropic: ["anthropic:manual"] } });
    expect(fs.existsSync(agentDbPath(state, "main"))).toBe(false);
    expect(store.read("main").order).toEqual({ anthropic: ["anthropic:manual"] });
  });

  it("lets an agent's own profiles and order override the shared ones", () => {
    const state = openClawState({ agentDb: true });
    const agent = new Database(agentDbPath(state, "main"));
    agent.prepare("UPDATE auth_profile_store SET store_json = ?").run(
      JSON.stringify({
        version: 1,
        profiles: { "anthropic:manual": { type: "api_key", provider: "anthropic", key: `local-${KEY}` } },
      }),
    );
    agent.close();
    const [p] = Object.values(new AuthProfileStore(state).read("main").profiles);
    expect(p?.key).toBe(`local-${KEY}`);
  });

  it("waits for another process's transaction instead of failing or losing its change", async () => {
    const state = openClawState({ agentDb: true });
    // Another process takes the write lock, changes the shared store and commits 300 ms later.
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `
      const db = new (require("better-sqlite3"))(process.argv[1]);
      db.exec("BEGIN IMMEDIATE");
      db.prepare("UPDATE config_machine_state SET value_json = ? WHERE state_key = 'authProfiles.store'").run(process.argv[2]);
      console.log("locked");
      setTimeout(() => { db.exec("COMMIT"); db.close(); }, 300);
    `,
        stateDbPath(state),
        JSON.stringify({
          version: 1,
          profiles: { "anthropic:theirs": { type: "api_key", provider: "anthropic", key: KEY } },
        }),
      ],
      { cwd: process.cwd() },
    );
    await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
    await new AuthProfileStore(state).update("main", (f) => {
      f.profiles["anthropic:ours"] = { type: "api_key", provider: "anthropic", key: KEY };
    });
    await new Promise((resolve) => holder.once("close", resolve));
    expect(Object.keys(sharedStore(state).profiles as object).sort()).toEqual(["anthropic:ours", "anthropic:theirs"]);
  });

  it("is followed by a long-running reader when another process writes", () => {
    const state = openClawState({ agentDb: true });
    let now = 0;
    const reader = new CachedProfileReader(new AuthProfileStore(state), () => now);
    expect(Object.keys(reader.get("main").profiles)).toEqual(["anthropic:manual"]);
    const db = new Database(stateDbPath(state));
    db.prepare(
      "UPDATE config_machine_state SET value_json = ?, updated_at_ms = 2 WHERE state_key = 'authProfiles.store'",
    ).run(
      JSON.stringify({
        version: 1,
        profiles: {
          "anthropic:manual": { type: "api_key", provider: "anthropic", key: KEY },
          "anthropic:late": { type: "api_key", provider: "anthropic", key: KEY },
        },
      }),
    );
    db.close();
    now += 1000;
    expect(Object.keys(reader.get("main").profiles).sort()).toEqual(["anthropic:late", "anthropic:manual"]);
  });

  it("says which store is in use, and that a JSON file beside SQLite is ignored, never converted", () => {
    const state = openClawState({ agentDb: false });
    const file = authProfilesPath(state, "main");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        profiles: { "openai:old": { type: "api_key", provider: "openai", key: "sk-old" } },
      }),
    );
    const store = new AuthProfileStore(state);
    const summary = summarizeLayout(store.layout("main"));
    expect(summary).toMatchObject({
      layout: "sqlite",
      shared: stateDbPath(state),
      sharedLocation: "state-db",
      agentDbExists: false,
      ignoredFile: file,
    });
    expect(Object.keys(store.read("main").profiles)).toEqual(["anthropic:manual"]);
  });

  it("keeps the legacy JSON layout for a state without OpenClaw 2026.9 stores", async () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-legacy-"));
    const store = new AuthProfileStore(state);
    await store.update("main", (f) => {
      f.profiles["anthropic:manual"] = { type: "api_key", provider: "anthropic", key: KEY };
    });
    expect(summarizeLayout(store.layout("main"))).toMatchObject({
      layout: "json",
      path: authProfilesPath(state, "main"),
    });
    expect(fs.existsSync(stateDbPath(state))).toBe(false);
  });
});
