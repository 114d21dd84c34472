import fs from "node:fs";
import { monitorSettings } from "../../plugins/auth-monitor/index.js";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { legacyKeys, migrateLegacy } from "../../src/config/own-settings.js";
import type { RawObject } from "../../src/config/raw-object.js";
import { setConfiguredModel, updateConfigFile } from "../../src/config/write.js";
import { sessionStoreLocation } from "../../src/sessions/open.js";
import { assemble } from "../../src/app/assemble.js";

function state(files: { openclaw?: object | string; own?: object | string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-settings-"));
  const write = (name: string, body: object | string) =>
    fs.writeFileSync(path.join(dir, name), typeof body === "string" ? body : JSON.stringify(body));
  if (files.openclaw !== undefined) write("openclaw.json", files.openclaw);
  if (files.own !== undefined) write("model-gateway.json", files.own);
  return dir;
}

const load = (dir: string, env: NodeJS.ProcessEnv = {}) =>
  assemble({
    env: { OPENCLAW_STATE_DIR: dir, ...env },
    cwd: dir,
    clock: Date.now,
    log: () => undefined,
    sections: [monitorSettings],
  }).context.loaded;

/** Our former keys, all in openclaw.json, as earlier versions documented and wrote them. */
const LEGACY = {
  env: { OPENAI_API_KEY: "sk-legacy-env-value" },
  auth: {
    monitor: { intervalMinutes: 5 },
    profiles: { "anthropic:work": { provider: "anthropic", mode: "api_key", disabled: true } },
  },
  models: {
    providers: {
      anthropic: { oauth: { tokenUrl: "http://127.0.0.1:9/token" }, models: [{ id: "claude-x", alias: "ex" }] },
    },
  },
  session: { store: { kind: "redis", url: "redis://127.0.0.1:6390" }, cacheSize: 50 },
  gateway: { port: 0, bind: "127.0.0.1", metrics: { token: "metrics-secret" } },
  channels: {
    telegram: { streaming: "off" },
    discord: { streaming: "partial", guildIds: ["1"], apiBase: "http://127.0.0.1:9/api", interactions: { path: "/i" } },
    console: { streaming: "off" },
  },
  agents: { entries: { main: {}, work: {} } },
};

describe("our own settings file", () => {
  it("is read on top of openclaw.json: our keys there, OpenClaw's in its file, one config", () => {
    const dir = state({
      openclaw: { agents: { defaults: { model: "anthropic/claude-opus-5-5" } }, session: { dmScope: "per-peer" } },
      own: { session: { store: { kind: "redis", url: "redis://127.0.0.1:6390" }, cacheSize: 7 } },
    });
    const loaded = load(dir);
    expect(loaded.ownPath).toBe(path.join(dir, "model-gateway.json"));
    expect(loaded.config.session).toEqual({
      dmScope: "per-peer",
      store: { kind: "redis", url: "redis://127.0.0.1:6390" },
      cacheSize: 7,
    });
    expect(loaded.config.agents?.defaults?.model).toBe("anthropic/claude-opus-5-5");
    expect(loaded.warnings).toEqual([]);
  });

  it("is found at $MODEL_GATEWAY_CONFIG when that is set", () => {
    const dir = state();
    const elsewhere = path.join(dir, "elsewhere.json5");
    fs.writeFileSync(elsewhere, "{ gateway: { metrics: { token: 'abc' } } }");
    const loaded = load(dir, { MODEL_GATEWAY_CONFIG: elsewhere });
    expect(loaded.ownPath).toBe(elsewhere);
    expect(loaded.config.gateway?.metrics?.token).toBe("abc");
  });

  it("ignores, and warns about, an OpenClaw key or a misspelling in our file", () => {
    const dir = state({ own: { agents: { defaults: { model: "openai/gpt-5" } }, session: { cacheSzie: 3 } } });
    const loaded = load(dir);
    expect(loaded.config.agents).toBeUndefined();
    expect(loaded.warnings.join("\n")).toContain("agents is OpenClaw's key and is ignored here");
    expect(loaded.warnings.join("\n")).toContain("unknown key session.cacheSzie (did you mean cacheSize?)");
  });

  it("keeps a file written by an earlier version working, with one warning naming the keys OpenClaw refuses", () => {
    const dir = state({ openclaw: LEGACY });
    const loaded = load(dir);
    expect(monitorSettings.read(loaded.config)?.intervalMinutes).toBe(5);
    expect(loaded.config.session?.store).toEqual({ kind: "redis", url: "redis://127.0.0.1:6390" });
    expect(loaded.config.channels?.discord?.guildIds).toEqual(["1"]);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/keys OpenClaw refuses: .*auth\.monitor.*session\.store.*openclaw doctor --fix/);
  });

  it("doctor's migration moves our keys out and rewrites OpenClaw's forms, and the two files read as before", () => {
    const dir = state({ openclaw: LEGACY });
    const before = load(dir).config;
    const raw = structuredClone(LEGACY) as RawObject;
    const own: RawObject = {};
    const done = migrateLegacy(raw, own, { stateDir: dir });
    expect(done).toContain('agents.ownership: set to "explicit"');
    expect(legacyKeys(raw, { stateDir: dir })).toEqual([]);
    expect(raw).toMatchObject({
      env: { vars: { OPENAI_API_KEY: "sk-legacy-env-value" } },
      gateway: { bind: "loopback" },
      channels: { telegram: { streaming: { mode: "off" } }, discord: { streaming: { mode: "partial" } } },
      agents: { ownership: "explicit", defaults: { models: { "anthropic/claude-x": { alias: "ex" } } } },
      models: { providers: { anthropic: { models: [{ id: "claude-x", name: "claude-x" }] } } },
    });
    expect(own).toEqual({
      auth: { monitor: { intervalMinutes: 5 }, profiles: { "anthropic:work": { disabled: true } } },
      models: { providers: { anthropic: { oauth: { tokenUrl: "http://127.0.0.1:9/token" } } } },
      session: { store: { kind: "redis", url: "redis://127.0.0.1:6390" }, cacheSize: 50 },
      gateway: { port: 0, metrics: { token: "metrics-secret" } },
      channels: {
        discord: { guildIds: ["1"], apiBase: "http://127.0.0.1:9/api", interactions: { path: "/i" } },
        console: { streaming: "off" },
      },
    });
    fs.writeFileSync(path.join(dir, "openclaw.json"), JSON.stringify(raw));
    fs.writeFileSync(path.join(dir, "model-gateway.json"), JSON.stringify(own));
    const after = load(dir);
    expect(after.warnings).toEqual([]);
    expect(after.config.auth?.monitor).toEqual(before.auth?.monitor);
    expect(after.config.session).toEqual(before.session);
    expect(after.config.auth?.profiles?.["anthropic:work"]).toEqual({
      provider: "anthropic",
      mode: "api_key",
      disabled: true,
    });
    expect(sessionStoreLocation(after.config, dir)).toEqual(sessionStoreLocation(before, dir));
  });

  it("usage.retainDays is ours: read from our file without a warning; in openclaw.json refused and moved out", () => {
    const ours = load(state({ own: { usage: { retainDays: 30 } } }));
    expect(ours.config.usage?.retainDays).toBe(30);
    expect(ours.warnings).toEqual([]);
    const misplaced = { usage: { retainDays: 45 } };
    const dir = state({ openclaw: misplaced });
    const loaded = load(dir);
    expect(loaded.config.usage?.retainDays).toBe(45);
    expect(loaded.warnings).toEqual([expect.stringMatching(/keys? OpenClaw refuses: usage;/)]);
    const raw = structuredClone(misplaced) as RawObject;
    const own: RawObject = {};
    expect(migrateLegacy(raw, own, { stateDir: dir })).toEqual(["usage: moved to model-gateway.json"]);
    expect(raw).toEqual({});
    expect(own).toEqual(misplaced);
    expect(() => load(state({ own: { usage: { retainDays: 0 } } }))).toThrow(/usage\.retainDays/);
  });

  it("never opens OpenClaw's session.store path, but still finds our former SQLite file there", () => {
    const openclaws = state({
      openclaw: { session: { store: "~/.openclaw/agents/{agentId}/sessions/sessions.json" } },
    });
    expect(sessionStoreLocation(load(openclaws).config, openclaws)).toEqual({
      kind: "sqlite",
      file: path.join(openclaws, "state", "sessions.sqlite"),
      isDefault: true,
    });
    const ours = state({ openclaw: { session: { store: "mine.sqlite" } } });
    fs.writeFileSync(
      path.join(ours, "mine.sqlite"),
      Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(84)]),
    );
    const loaded = load(ours);
    expect(sessionStoreLocation(loaded.config, ours)).toMatchObject({
      kind: "sqlite",
      file: path.join(ours, "mine.sqlite"),
    });
    expect(loaded.warnings.join("\n")).toContain("session.store");
  });

  it("`/model x -a` for a second agent writes agents.ownership: explicit beside the roster", async () => {
    const dir = state({
      openclaw: { agents: { entries: { main: { model: { primary: "anthropic/claude-opus-5-5" } } } } },
    });
    const file = path.join(dir, "openclaw.json");
    await updateConfigFile(file, dir, (raw) =>
      setConfiguredModel(raw, { scope: "agent", agentId: "work" }, "openai/gpt-5"),
    );
    const written = JSON.parse(fs.readFileSync(file, "utf8")) as RawObject;
    expect(written.agents).toEqual({
      entries: {
        main: { model: { primary: "anthropic/claude-opus-5-5" } },
        work: { model: { primary: "openai/gpt-5" } },
      },
      ownership: "explicit",
    });
    expect(legacyKeys(written, { stateDir: dir })).toEqual([]);
  });

  it("refuses a write that would add a key OpenClaw refuses, and writes nothing", async () => {
    const dir = state({ openclaw: { agents: { defaults: { model: "anthropic/claude-opus-5-5" } } } });
    const file = path.join(dir, "openclaw.json");
    const before = fs.readFileSync(file, "utf8");
    await expect(updateConfigFile(file, dir, (raw) => void (raw.session = { cacheSize: 5 }))).rejects.toThrow(
      /OpenClaw would refuse session\.cacheSize/,
    );
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("a running gateway sees an edit of our file", async () => {
    const dir = state({ own: { auth: { monitor: { intervalMinutes: 5 } } } });
    let now = 0;
    const own = path.join(dir, "model-gateway.json");
    const app = assemble({
      env: { OPENCLAW_STATE_DIR: dir },
      cwd: dir,
      clock: () => now,
      log: () => undefined,
      sections: [monitorSettings],
    });
    const live = await app.gateway();
    try {
      expect(monitorSettings.read(live.config().config)?.intervalMinutes).toBe(5);
      fs.writeFileSync(own, JSON.stringify({ auth: { monitor: { intervalMinutes: 0 } }, extra: 1 }));
      now += 1000;
      expect(monitorSettings.read(live.config().config)?.intervalMinutes).toBe(0);
    } finally {
      await app.close();
    }
  });

  it("reads openclaw.json alone when no own file is named (one file, as a test or a tool reads it)", () => {
    const dir = state({ openclaw: { gateway: { port: 18790 } } });
    expect(loadConfig(path.join(dir, "openclaw.json")).config.gateway?.port).toBe(18790);
  });
});
