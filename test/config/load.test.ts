import fs from "node:fs";
import { monitorSettings } from "../../plugins/auth-monitor/index.js";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { loadEnv, readEnvFiles } from "../../src/config/env.js";
import { updateConfigFile } from "../../src/config/write.js";
import { UserFacingError } from "../../src/util/user-error.js";

function dir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-config-"));
}

describe("config", () => {
  it("parses JSON5 and keeps keys it does not know", () => {
    const c = parseConfig(
      "x.json",
      "{ // comment\n agents: { defaults: { model: 'anthropic/claude-opus-5-5' } }, ui: { theme: 'dark' }, }",
    );
    expect(c.agents?.defaults?.model).toBe("anthropic/claude-opus-5-5");
    expect((c as Record<string, unknown>).ui).toEqual({ theme: "dark" });
  });

  it("names the file, the key path and what was expected", () => {
    const err = (() => {
      try {
        parseConfig("/tmp/openclaw.json", '{ "gateway": { "port": "eighty" } }');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserFacingError);
    expect((err as Error).message).toMatch(/^Invalid config \/tmp\/openclaw\.json: gateway\.port: .*number/);
  });

  it("takes an OAuth token endpoint over https, or over http only on this machine, and names the key otherwise", () => {
    const tokenUrl = (url: string) => `{ models: { providers: { anthropic: { oauth: { tokenUrl: "${url}" } } } } }`;
    for (const url of [
      "https://auth.example.com/oauth/token",
      "http://127.0.0.1:8080/token",
      "http://127.8.9.10/token",
      "http://[::1]:9000/token",
      "http://localhost/token",
    ])
      expect(parseConfig("x.json", tokenUrl(url)).models?.providers?.anthropic?.oauth?.tokenUrl).toBe(url);
    for (const url of [
      "http://auth.example.com/oauth/token",
      "http://127.example.com/token",
      "http://10.0.0.1/token",
      "ftp://127.0.0.1/token",
    ])
      expect(() => parseConfig("/x/openclaw.json", tokenUrl(url))).toThrow(
        /^Invalid config \/x\/openclaw\.json: models\.providers\.anthropic\.oauth\.tokenUrl: expected an https:\/\/ URL/,
      );
  });

  it("reports JSON5 syntax errors with the position", () => {
    expect(() => parseConfig("/x/openclaw.json", "{ agents: ")).toThrow(/Invalid config \/x\/openclaw\.json: .*line 1/);
    expect(() => parseConfig("/x/openclaw.json", '{\n  "agents": {,\n}')).toThrow(/line 2, column 14/);
  });

  it("keeps a __proto__ key of a plain JSON file as data, never as the object's prototype", () => {
    const c = parseConfig("/x/openclaw.json", '{ "__proto__": { "polluted": true }, "gateway": { "port": 1 } }');
    expect((c as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(c.gateway?.port).toBe(1);
  });

  it("treats a missing file as an empty config", () => {
    expect(loadConfig(path.join(dir(), "nope.json"))).toMatchObject({ exists: false, config: {} });
  });

  it("writes atomically with mode 0600, keeping other keys, and refuses a write that breaks validation", async () => {
    const file = path.join(dir(), "openclaw.json");
    fs.writeFileSync(file, "{ ui: { theme: 'dark' } }", { mode: 0o644 });
    await updateConfigFile(file, path.dirname(file), (raw) => {
      raw.agents = { defaults: { model: "openai/gpt-5.4" } };
    });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({
      ui: { theme: "dark" },
      agents: { defaults: { model: "openai/gpt-5.4" } },
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const before = fs.readFileSync(file, "utf8");
    await expect(
      updateConfigFile(file, path.dirname(file), (raw) => void (raw.gateway = { port: "x" })),
    ).rejects.toThrow(/gateway\.port/);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });
});

describe("env precedence", () => {
  it("process env > ./.env > <state>/.env > config env, never overriding a set value", () => {
    const cwd = dir();
    const state = dir();
    fs.writeFileSync(
      path.join(cwd, ".env"),
      "A=cwd\nB=cwd\nF=cwd\nOPENAI_API_KEY=sk-from-repo\nOPENCLAW_STATE_DIR=/elsewhere\n",
    );
    fs.writeFileSync(path.join(state, ".env"), "A=state\nB=state\nC=state\nOPENAI_API_KEY=sk-from-state\n");
    const env = loadEnv({
      processEnv: { A: "proc" },
      files: readEnvFiles({ cwd, stateDir: state }),
      config: { env: { D: "config", C: "config", vars: { E: "vars" } } },
    });
    expect(env.values).toMatchObject({
      A: "proc",
      B: "cwd",
      C: "state",
      D: "config",
      E: "vars",
      OPENAI_API_KEY: "sk-from-state",
    });
    expect(env.sources.B).toBe("cwd-dotenv");
    expect([...env.refusedFromCwd].sort()).toEqual(["OPENAI_API_KEY", "OPENCLAW_STATE_DIR"]);
    // SecretRefs see every source but the working directory's .env: B from <state>/.env, no F.
    expect(env.forRefs).toMatchObject({ A: "proc", B: "state", C: "state", D: "config" });
    expect(env.forRefs.F).toBeUndefined();
    expect([...env.onlyInCwd].sort()).toEqual(["F", "OPENCLAW_STATE_DIR"]);
  });
});

describe("config/openclaw.example.json5 and config/model-gateway.example.json5", () => {
  it("read together without a warning: OpenClaw's keys in its file, ours in ours", () => {
    const file = path.resolve("config/openclaw.example.json5");
    const loaded = loadConfig(file, {
      ownFile: path.resolve("config/model-gateway.example.json5"),
      sections: [monitorSettings],
    });
    expect(loaded.warnings).toEqual([]);
    const c = loaded.config;
    expect(c.agents?.defaults?.modelSelectionScope).toBe("session");
    expect(c.commands?.allowFrom?.telegram).toEqual(["123456789"]);
    expect(c.session?.store).toMatchObject({ kind: "redis" });
    expect(monitorSettings.read(c)?.intervalMinutes).toBe(30);
  });
});
