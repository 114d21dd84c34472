import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayProcess, requireBuild, runCli } from "../support/cli.js";
import { findOpenClaw, runOpenClaw, startOpenClawWriter, type OpenClawRun } from "./openclaw-runtime.js";
import { assembleState } from "../support/assembly.js";
import { startFakeTokenEndpoint } from "../fakes/token-endpoint.js";
import { startFakeOAuthProvider } from "../fakes/oauth-provider.js";
import { runInProcess } from "../support/in-process-cli.js";
import { openClawKeyLists } from "../../src/config/known-keys.js";
import { createTestGateway } from "../support/gateway.js";

// Both CLIs on one state directory, against the published OpenClaw release (see openclaw-runtime.ts).
const install = findOpenClaw();
const inCi = process.env.CI === "true" || process.env.CI === "1";
if (!install.ok && !inCi) console.warn(`interop test skipped: ${install.why}`);

const KEY = (tag: string) => `sk-ant-api03-${tag}${"k".repeat(70)}Ab12`;
const TOKEN = `sk-ant-oat01-${"T".repeat(80)}Zz99`;
const OAUTH_ACCESS = `sk-ant-oat01-${"O".repeat(80)}Ac01`;
const OAUTH_REFRESH = `sk-ant-ort01-${"R".repeat(80)}Rf01`;
const SECRETS = [KEY("oc"), KEY("late"), KEY("ours"), TOKEN, OAUTH_ACCESS, OAUTH_REFRESH];

let root = "";
let state = "";
const seen: string[] = [];

function openclaw(args: readonly string[], input = ""): OpenClawRun {
  if (!install.ok) throw new Error(install.why);
  const r = runOpenClaw(install, root, state, args, input);
  seen.push(r.stdout, r.stderr);
  return r;
}

function ours(args: string[], input = "") {
  const r = runCli(args, { stateDir: state, input });
  seen.push(r.stdout, r.stderr);
  return r;
}

/** What `openclaw models auth list --json` prints, as far as these tests read it. */
interface AuthList {
  profiles: { id: string; type: string; email?: string; expiresAt?: string }[];
}

/** OpenClaw still works on the state: an auth command succeeds, with no migration demand. */
function openclawProfiles(): string[] {
  const r = openclaw(["models", "auth", "list", "--json"]);
  expect(r.stderr + r.stdout).not.toMatch(/migration|doctor --fix/i);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { profiles: { id: string }[] }).profiles.map((p) => p.id);
}

function openclawOrder(): string[] {
  const r = openclaw(["models", "auth", "order", "get", "--provider", "anthropic", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { order: string[] }).order;
}

function oursProfiles(): string[] {
  const r = ours(["models", "auth", "list", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { profiles: { id: string }[] }).profiles.map((p) => p.id);
}

/** No `auth-profiles.json` anywhere: OpenClaw 2026.9 demands a migration when one appears. */
function expectNoJsonStore(): void {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.startsWith("auth-profiles.json") || e.name === "auth-state.json") found.push(p);
    }
  };
  walk(state);
  expect(found).toEqual([]);
}

describe.skipIf(!install.ok && !inCi)(
  `one state directory shared with OpenClaw ${install.ok ? "2026.9.6" : "(missing)"}`,
  { timeout: 600_000 },
  () => {
    beforeAll(() => {
      if (!install.ok) throw new Error(`CI must run the interop test: ${install.why}`);
      requireBuild();
      root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-interop-"));
      state = path.join(root, ".openclaw");
    });

    afterAll(() => {
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it("OpenClaw writes, ours reads: profiles, order and a gateway pin", () => {
      expect(openclaw(["models", "auth", "paste-api-key", "--provider", "anthropic"], `${KEY("oc")}\n`).code).toBe(0);
      expect(
        openclaw(
          [
            "models",
            "auth",
            "paste-token",
            "--provider",
            "anthropic",
            "--profile-id",
            "anthropic:work",
            "--expires-in",
            "30d",
          ],
          `${TOKEN}\n`,
        ).code,
      ).toBe(0);
      expect(
        openclaw(["models", "auth", "order", "set", "--provider", "anthropic", "anthropic:work", "anthropic:manual"])
          .code,
      ).toBe(0);

      expect(oursProfiles().sort()).toEqual(["anthropic:manual", "anthropic:work"]);
      const order = ours(["models", "auth", "order", "get", "--provider", "anthropic", "--json"]);
      expect(JSON.parse(order.stdout)).toMatchObject({
        order: ["anthropic:work", "anthropic:manual"],
        applies: "agent",
        next: "anthropic:work",
      });
      const check = ours(["models", "status", "--check"]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const status = JSON.parse(ours(["models", "status", "--json"]).stdout);
      expect(status.authStore).toMatchObject({
        layout: "sqlite",
        shared: path.join(state, "state", "openclaw.sqlite"),
        sharedLocation: "state-db",
      });
      const doctor = ours(["doctor"]);
      expect(doctor.stdout).toContain(
        `agent main: OpenClaw 2026.9 SQLite: shared ${path.join(state, "state", "openclaw.sqlite")}`,
      );

      const gw = ours(["gateway"], "/model sonnet@anthropic:manual\n/model status\n");
      expect(gw.stdout).not.toContain("Unknown profile");
      expect(gw.stdout).toMatch(/anthropic:manual.*pinned/);
      expectNoJsonStore();
    });

    it("the running gateway uses a profile OpenClaw adds, without a restart", async () => {
      const gw = new GatewayProcess(state, { HOME: root });
      try {
        await gw.send("/model status", /Agent: main/);
        expect(
          openclaw(
            ["models", "auth", "paste-api-key", "--provider", "anthropic", "--profile-id", "anthropic:late"],
            `${KEY("late")}\n`,
          ).code,
        ).toBe(0);
        const out = await gw.send("/model sonnet@anthropic:late", /anthropic:late/);
        expect(out).not.toContain("Unknown profile");
        const status = await gw.send("/model status", /Agent: main/);
        expect(status).toMatch(/anthropic:late.*pinned/);
      } finally {
        await gw.stop();
      }
    });

    it("ours writes, OpenClaw reads: paste, order and logout, and OpenClaw keeps working after each", () => {
      const paste = ours(
        ["models", "auth", "paste-api-key", "--provider", "anthropic", "--profile-id", "anthropic:ours"],
        `${KEY("ours")}\n`,
      );
      expect(paste.code, paste.stderr).toBe(0);
      const ref = ours([
        "models",
        "auth",
        "paste-api-key",
        "--provider",
        "anthropic",
        "--profile-id",
        "anthropic:ref",
        "--ref",
        "env:INTEROP_ANTHROPIC_KEY",
      ]);
      expect(ref.code, ref.stderr).toBe(0);
      expectNoJsonStore();
      expect(openclawProfiles()).toEqual(expect.arrayContaining(["anthropic:ours", "anthropic:ref"]));

      const set = ours([
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        "anthropic",
        "anthropic:ours",
        "anthropic:work",
      ]);
      expect(set.code, set.stderr).toBe(0);
      expect(openclawOrder()).toEqual(["anthropic:ours", "anthropic:work"]);

      const logout = ours(["models", "auth", "logout", "anthropic:work", "--yes"]);
      expect(logout.code, logout.stderr).toBe(0);
      expectNoJsonStore();
      expect(openclawProfiles().sort()).toEqual([
        "anthropic:late",
        "anthropic:manual",
        "anthropic:ours",
        "anthropic:ref",
      ]);
      expect(openclawOrder()).toEqual(["anthropic:ours"]);
    });

    it("ours refreshes an OAuth profile in OpenClaw's SQLite store; OpenClaw reads the new tokens", async () => {
      const id = "anthropic:me@example.com";
      const store = assembleState(state).credentials;
      const expires = Date.now() + 2 * 3_600_000;
      await store.update("main", (f) => {
        f.profiles[id] = {
          type: "oauth",
          provider: "anthropic",
          access: OAUTH_ACCESS,
          refresh: OAUTH_REFRESH,
          expires,
          email: "me@example.com",
          accountUuid: "kept-as-is",
        };
      });
      const before = (JSON.parse(openclaw(["models", "auth", "list", "--json"]).stdout) as AuthList).profiles;
      expect(before.find((p) => p.id === id)).toMatchObject({
        type: "oauth",
        expiresAt: new Date(expires).toISOString(),
      });

      const endpoint = await startFakeTokenEndpoint({ refresh: OAUTH_REFRESH });
      try {
        // OpenClaw 2026.9 refuses unknown keys in openclaw.json, so `oauth.tokenUrl` lives in a
        // config only ours reads ($OPENCLAW_CONFIG_PATH); OpenClaw keeps reading the state's config.
        const oursConfig = path.join(root, "ours.json");
        fs.writeFileSync(
          oursConfig,
          JSON.stringify({ models: { providers: { anthropic: { oauth: { tokenUrl: endpoint.url } } } } }),
          { mode: 0o600 },
        );
        endpoint.expiresIn = 3 * 24 * 3600;
        const fix = await runInProcess(["doctor", "--fix"], {
          env: { PATH: process.env.PATH, HOME: root, OPENCLAW_STATE_DIR: state, OPENCLAW_CONFIG_PATH: oursConfig },
          cwd: root,
        });
        seen.push(fix.stdout, fix.stderr);
        expect(fix.stdout).toContain(`fixed: ${id} (agent main) refreshed; expires in 3d`);
        expect(endpoint.grants).toHaveLength(1);
      } finally {
        await endpoint.close();
      }
      const newAccess = endpoint.issued[0] ?? "";
      const newRefresh = endpoint.validRefresh;
      SECRETS.push(newAccess, newRefresh);
      expectNoJsonStore();

      const after = store.read("main").profiles[id];
      expect(after).toMatchObject({ access: newAccess, refresh: newRefresh, accountUuid: "kept-as-is" });
      const listed = (JSON.parse(openclaw(["models", "auth", "list", "--json"]).stdout) as AuthList).profiles;
      expect(listed.find((p) => p.id === id)).toMatchObject({
        type: "oauth",
        email: "me@example.com",
        expiresAt: new Date(after?.expires ?? 0).toISOString(),
      });
      expect(openclawProfiles()).toContain(id);
      // Gone again, so the later tests see the profiles they expect.
      expect(ours(["models", "auth", "logout", id, "--yes"]).code).toBe(0);
    });

    it("ours logs in with `models auth login --device-code`; OpenClaw lists the profile as oauth with its expiry", async () => {
      const fake = await startFakeOAuthProvider();
      const id = "openai:me@example.com";
      try {
        // Our settings point the login at the loopback fake; OpenClaw never reads this file.
        const own = path.join(root, "login-settings.json");
        fs.writeFileSync(own, JSON.stringify({ models: { providers: { openai: { oauth: fake.settings } } } }), {
          mode: 0o600,
        });
        const r = await runInProcess(["models", "auth", "login", "--provider", "openai", "--device-code"], {
          env: { PATH: process.env.PATH, HOME: root, OPENCLAW_STATE_DIR: state, MODEL_GATEWAY_CONFIG: own },
          cwd: root,
        });
        SECRETS.push(...fake.issued);
        seen.push(r.stdout, r.stderr);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain(`Auth profile: ${id} (openai/oauth)`);
      } finally {
        await fake.close();
      }
      expectNoJsonStore();
      const stored = assembleState(state).credentials.read("main").profiles[id];
      const listed = (JSON.parse(openclaw(["models", "auth", "list", "--json"]).stdout) as AuthList).profiles;
      expect(listed.find((p) => p.id === id)).toMatchObject({
        type: "oauth",
        email: "me@example.com",
        expiresAt: new Date(stored?.expires ?? 0).toISOString(),
      });
      // What we wrote to openclaw.json (auth.profiles metadata) is accepted by OpenClaw.
      expect(openclaw(["config", "validate"]).code).toBe(0);
      expect(ours(["models", "auth", "logout", id, "--yes"]).code).toBe(0);
    });

    it("two writers, 50 writes each, lose no profile", async () => {
      if (!install.ok) throw new Error(install.why);
      const theirs = startOpenClawWriter(install, root, state, { prefix: "race", count: 50, pauseMs: 150 });
      for (let i = 0; i < 50; i++) {
        const r = ours(
          ["models", "auth", "paste-api-key", "--provider", "anthropic", "--profile-id", `anthropic:mine${i}`],
          `${KEY(`m${String(i).padStart(3, "0")}`)}\n`,
        );
        expect(r.code, r.stderr).toBe(0);
      }
      const done = await theirs;
      expect(done.code, done.stderr).toBe(0);

      const expected = [
        "anthropic:late",
        "anthropic:manual",
        "anthropic:ours",
        "anthropic:ref",
        ...Array.from({ length: 50 }, (_, i) => [`anthropic:mine${i}`, `anthropic:race${i}`]).flat(),
      ].sort();
      expect(oursProfiles().sort()).toEqual(expected);
      expect(openclawProfiles().sort()).toEqual(expected);
      expectNoJsonStore();
    });

    it("no secret appears whole in any output of either CLI", () => {
      for (const secret of SECRETS) for (const text of seen) expect(text.includes(secret)).toBe(false);
    });
  },
);

/** A fresh state directory holding `openclaw.json` (and our file when given), for one `config validate`. */
function configState(openclawJson: string, own?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-interop-config-"));
  const st = path.join(dir, ".openclaw");
  fs.mkdirSync(st, { mode: 0o700 });
  fs.writeFileSync(path.join(st, "openclaw.json"), openclawJson, { mode: 0o600 });
  if (own !== undefined) fs.writeFileSync(path.join(st, "model-gateway.json"), own, { mode: 0o600 });
  return st;
}

/** OpenClaw's verdict on the `openclaw.json` of `st`. */
function validate(st: string): OpenClawRun {
  if (!install.ok) throw new Error(install.why);
  return runOpenClaw(install, path.dirname(st), st, ["config", "validate"]);
}

describe.skipIf(!install.ok && !inCi)(
  `one openclaw.json read by us and by OpenClaw ${install.ok ? "2026.9.6" : "(missing)"}`,
  { timeout: 600_000 },
  () => {
    const dirs: string[] = [];
    const track = (st: string) => {
      dirs.push(path.dirname(st));
      return st;
    };
    beforeAll(() => {
      if (!install.ok) throw new Error(`CI must run the interop test: ${install.why}`);
    });
    afterAll(() => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    it("the keys we call OpenClaw's are the keys of its schema, section by section", () => {
      const st = track(configState("{}"));
      if (!install.ok) throw new Error(install.why);
      const r = runOpenClaw(install, path.dirname(st), st, ["config", "schema"]);
      expect(r.code).toBe(0);
      type Node = { properties?: Record<string, Node>; additionalProperties?: Node | boolean; anyOf?: Node[] };
      const schema = JSON.parse(r.stdout) as Node;
      const at = (pattern: string): Node => {
        let n: Node = schema;
        for (const k of pattern === "" ? [] : pattern.split(".")) {
          const next: Node | boolean | undefined = k === "*" ? n.additionalProperties : n.properties?.[k];
          n = typeof next === "object" ? next : {};
          if (n.properties === undefined && n.anyOf) n = n.anyOf.find((a) => a.properties !== undefined) ?? n;
        }
        return n;
      };
      for (const [pattern, ours] of Object.entries(openClawKeyLists())) {
        const theirs = Object.keys(at(pattern).properties ?? {}).sort();
        // `agents.list` is OpenClaw's former roster, which it still migrates on its own.
        expect({ pattern, keys: ours.filter((k) => !(pattern === "agents" && k === "list")).sort() }).toEqual({
          pattern,
          keys: theirs,
        });
      }
    });

    it("accepts the documented example with every OpenClaw form we read, our own file beside it", () => {
      const example = fs.readFileSync(path.resolve("config/openclaw.example.json5"), "utf8");
      const forms = {
        channels: {
          telegram: {
            botToken: { source: "env", provider: "default", id: "TELEGRAM_BOT_TOKEN" },
            streaming: { mode: "partial" },
          },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: OpenClaw's ${VAR} substitution, on purpose
          discord: { token: "${DISCORD_BOT_TOKEN}", streaming: { mode: "off" } },
        },
        session: { dmScope: "per-account-channel-peer", store: "~/.openclaw/agents/{agentId}/sessions/sessions.json" },
        commands: { ownerAllowFrom: ["telegram:123456789", 987654321] },
        auth: {
          order: { openai: [] },
          profiles: { "amazon-bedrock:default": { provider: "amazon-bedrock", mode: "aws-sdk" } },
        },
        gateway: { bind: "custom", customBindHost: "127.0.0.2" },
        agents: {
          defaults: {
            params: { maxTokens: 500 },
            models: {
              "openai/gpt-5.4": {
                params: { temperature: 0.2, maxTokens: 321, extra_body: { top_k: 5 }, chat_template_kwargs: {} },
              },
            },
          },
        },
        models: {
          providers: {
            openai: {
              baseUrl: "https://proxy.example/v1",
              apiKey: { source: "env", provider: "default", id: "OPENAI_API_KEY" },
              headers: { "X-Proxy-Region": "us-west" },
              // A price override for one model, as `models.providers.<p>.models[].cost` takes it.
              models: [{ id: "gpt-5.4", name: "GPT-5.4", cost: { input: 2, output: 12, cacheRead: 0.2 } }],
            },
          },
        },
      };
      const channelModels = {
        channels: {
          modelByChannel: {
            telegram: {
              "-1001234567890": "openai/gpt-5.4",
              "-1001234567890:topic:99": "opus",
              "123456789": "openai/gpt-5.4",
            },
            discord: { "*": "anthropic/claude-opus-4-8" },
          },
        },
      };
      const own = fs.readFileSync(path.resolve("config/model-gateway.example.json5"), "utf8");
      for (const text of [example, JSON.stringify(forms), JSON.stringify(channelModels)]) {
        const r = validate(track(configState(text, own)));
        expect(r.code, r.stdout + r.stderr).toBe(0);
      }
    });

    it("accepts what `/model x -a` writes when it adds a second agent", async () => {
      const gw = await createTestGateway({
        config: { agents: { entries: { work: { model: { primary: "anthropic/claude-opus-5-5" } } } } },
      });
      try {
        const reply = await gw.host.handleCommand(
          {
            channel: "console",
            chatId: "local",
            sender: { id: "local" },
            isGroup: false,
            command: "model",
            args: "sonnet -a",
            via: "text",
          },
          { maxLength: 4096, buttons: false, ephemeral: false },
        );
        expect(reply?.text).toContain("claude-sonnet-5-5");
        const written = fs.readFileSync(path.join(gw.stateDir, "openclaw.json"), "utf8");
        expect(JSON.parse(written).agents.ownership).toBe("explicit");
        const r = validate(track(configState(written)));
        expect(r.code, r.stdout + r.stderr).toBe(0);
      } finally {
        await gw.close();
      }
    });

    it("a file of an earlier version: OpenClaw refuses it, ours runs on it, and after our doctor --fix OpenClaw accepts it", async () => {
      const legacy = {
        agents: { defaults: { model: "anthropic/claude-sonnet-5-5" }, entries: { main: {}, work: {} } },
        auth: {
          monitor: { intervalMinutes: 10 },
          profiles: { "anthropic:work": { provider: "anthropic", disabled: true } },
        },
        env: { SOME_SETTING: "x" },
        models: {
          providers: {
            anthropic: { oauth: { tokenUrl: "http://127.0.0.1:9/t" }, models: [{ id: "claude-x", alias: "ex" }] },
          },
        },
        session: { store: { kind: "sqlite", path: "mine.sqlite" }, cacheSize: 20 },
        channels: {
          telegram: { streaming: "off" },
          discord: { streaming: "partial", guildIds: ["1"], apiBase: "http://127.0.0.1:9/api" },
          console: { streaming: "off" },
        },
        gateway: { port: 0, bind: "127.0.0.1", metrics: { token: "metrics-token-value" } },
      };
      const st = track(configState(JSON.stringify(legacy)));
      expect(validate(st).code).not.toBe(0);
      const status = await runInProcess(["models", "list"], {
        env: { OPENCLAW_STATE_DIR: st, HOME: path.dirname(st) },
        cwd: path.dirname(st),
      });
      expect(status.code).toBe(0);
      const fixed = await runInProcess(["doctor", "--fix"], {
        env: { OPENCLAW_STATE_DIR: st, HOME: path.dirname(st) },
        cwd: path.dirname(st),
      });
      expect(fixed.stdout).toContain("moved to model-gateway.json");
      const r = validate(st);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    });
  },
);

/** What both programs say about the default model of a state: the model, who pays for it, and `--check`. */
interface DefaultView {
  readonly model: string;
  readonly credential: string | null;
  readonly check: number | null;
}

function openclawView(st: string): DefaultView {
  if (!install.ok) throw new Error(install.why);
  const home = path.dirname(st);
  const status = runOpenClaw(install, home, st, ["models", "status", "--json"]);
  expect(status.code, status.stderr).toBe(0);
  const json = JSON.parse(status.stdout) as {
    resolvedDefault: string;
    auth: { providers: { provider: string; profiles: { labels: string[] } }[] };
  };
  const provider = json.resolvedDefault.split("/")[0];
  const label = json.auth.providers.find((p) => p.provider === provider)?.profiles.labels[0];
  return {
    model: json.resolvedDefault,
    credential: label?.split("=")[0] ?? null,
    check: runOpenClaw(install, home, st, ["models", "status", "--check"]).code,
  };
}

function oursView(st: string): DefaultView {
  const status = runCli(["models", "status", "--json"], { stateDir: st, env: { HOME: path.dirname(st) } });
  expect(status.code, status.stderr).toBe(0);
  const json = JSON.parse(status.stdout) as {
    defaultModel: { ref: string; provider: string };
    auth: { providers: { provider: string; effective: { id?: string } | null }[] };
  };
  const effective = json.auth.providers.find((p) => p.provider === json.defaultModel.provider)?.effective;
  return {
    model: json.defaultModel.ref,
    credential: effective?.id ?? null,
    check: runCli(["models", "status", "--check"], { stateDir: st, env: { HOME: path.dirname(st) } }).code,
  };
}

describe.skipIf(!install.ok && !inCi)(
  `one state, two programs: the default model, its credential and --check ${install.ok ? "(OpenClaw 2026.9.6)" : "(missing)"}`,
  { timeout: 600_000 },
  () => {
    const dirs: string[] = [];
    const fresh = (): string => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-interop-default-"));
      dirs.push(dir);
      const st = path.join(dir, ".openclaw");
      fs.mkdirSync(st, { mode: 0o700 });
      return st;
    };
    afterAll(() => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    it("an empty state: neither has a credential for its default, and --check says so in both", () => {
      const st = fresh();
      const theirs = openclawView(st);
      const mine = oursView(st);
      expect(theirs).toMatchObject({ credential: null, check: 1 });
      expect(mine).toMatchObject({ credential: null, check: 1 });
    });

    it("after OpenClaw's onboard with an Anthropic key: the same model, the same profile, --check 0 in both", () => {
      if (!install.ok) throw new Error(install.why);
      const st = fresh();
      const onboard = runOpenClaw(install, path.dirname(st), st, [
        "onboard",
        "--non-interactive",
        "--accept-risk",
        "--skip-health",
        "--mode",
        "local",
        "--auth-choice",
        "apiKey",
        "--anthropic-api-key",
        KEY("onb"),
        "--secret-input-mode",
        "plaintext",
        "--gateway-bind",
        "loopback",
        "--skip-bootstrap",
        "--skip-skills",
      ]);
      expect(onboard.code, onboard.stderr).toBe(0);
      const theirs = openclawView(st);
      expect(theirs.check).toBe(0);
      expect(oursView(st)).toEqual(theirs);
    });

    it("after only OpenClaw's paste-api-key: the known difference, and doctor says how to end it", () => {
      if (!install.ok) throw new Error(install.why);
      const st = fresh();
      const paste = runOpenClaw(
        install,
        path.dirname(st),
        st,
        ["models", "auth", "paste-api-key", "--provider", "anthropic"],
        `${KEY("paste")}\n`,
      );
      expect(paste.code, paste.stderr).toBe(0);
      // OpenClaw's built-in default needs its Codex runtime and an OpenAI key; ours is the newest
      // Sonnet, which the pasted key pays for (a fresh install that chats, as the README promises).
      expect(openclawView(st)).toEqual({ model: "openai/gpt-6-astra", credential: null, check: 1 });
      expect(oursView(st)).toEqual({
        model: "anthropic/claude-sonnet-5-5",
        credential: "anthropic:manual",
        check: 0,
      });
      const doctor = runCli(["doctor"], { stateDir: st, env: { HOME: path.dirname(st) } });
      expect(doctor.stdout).toMatch(/openai\/gpt-6-astra/);
      expect(doctor.stdout).toMatch(/agents\.defaults\.model/);
      // Once the model is set, as doctor says (here with OpenClaw's `models set`), the two agree again.
      const set = runOpenClaw(install, path.dirname(st), st, ["models", "set", "anthropic/claude-sonnet-5-5"]);
      expect(set.code, set.stderr).toBe(0);
      const agreed = openclawView(st);
      expect(agreed).toEqual({ model: "anthropic/claude-sonnet-5-5", credential: "anthropic:manual", check: 0 });
      expect(oursView(st)).toEqual(agreed);
    });
  },
);

/** `openclaw.json` of a state dir, parsed. */
function configOf(st: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(st, "openclaw.json"), "utf8"));
}

describe.skipIf(!install.ok && !inCi)(
  `models set|aliases|fallbacks: the same command on copies of one state writes the same openclaw.json ${install.ok ? "(OpenClaw 2026.9.6)" : "(missing)"}`,
  { timeout: 900_000 },
  () => {
    let dir = "";
    beforeAll(() => {
      if (!install.ok) throw new Error(`CI must run the interop test: ${install.why}`);
      requireBuild();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-interop-defaults-"));
    });
    afterAll(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    let copies = 0;
    /** A copy of the state `from` (its config and databases), to run one program on. */
    const copyOf = (from: string): string => {
      const st = path.join(dir, `copy${++copies}`, ".openclaw");
      fs.cpSync(from, st, { recursive: true });
      return st;
    };
    const theirs = (st: string, args: string[]): OpenClawRun => {
      if (!install.ok) throw new Error(install.why);
      return runOpenClaw(install, path.dirname(st), st, args);
    };
    const mine = (st: string, args: string[]) => runCli(args, { stateDir: st, env: { HOME: path.dirname(st) } });

    it("step by step, from a string model to aliases, fallbacks and back; refusals change nothing in either", () => {
      // OpenClaw's first write into a state adds its own bookkeeping (meta, plugin entries); the
      // comparison starts after it, from a state OpenClaw has set up, with the model as a string.
      let base = path.join(dir, "base", ".openclaw");
      fs.mkdirSync(base, { recursive: true, mode: 0o700 });
      const init = theirs(base, ["models", "set", "anthropic/claude-opus-4-5"]);
      expect(init.code, init.stderr).toBe(0);
      const initial = configOf(base) as { agents: { defaults: Record<string, unknown> } };
      initial.agents.defaults = { model: "anthropic/claude-sonnet-4-5" };
      fs.writeFileSync(path.join(base, "openclaw.json"), JSON.stringify(initial, null, 2), { mode: 0o600 });

      const steps: string[][] = [
        ["models", "fallbacks", "add", "anthropic/claude-haiku-4-5"],
        ["models", "set", "anthropic/claude-opus-4-5"],
        ["models", "aliases", "add", "fast", "anthropic/claude-haiku-4-5"],
        ["models", "aliases", "add", "quick", "fast"],
        ["models", "fallbacks", "add", "anthropic/claude-sonnet-4-5"],
        ["models", "fallbacks", "add", "quick"],
        ["models", "set", "quick"],
        ["models", "fallbacks", "remove", "anthropic/claude-haiku-4-5"],
        ["models", "aliases", "add", "Sonnet.Old", "anthropic/claude-sonnet-4-5"],
        ["models", "aliases", "remove", "quick"],
        ["models", "fallbacks", "clear"],
      ];
      for (const args of steps) {
        const [a, b] = [copyOf(base), copyOf(base)];
        const t = theirs(a, args);
        const o = mine(b, args);
        expect({ args, code: t.code }, t.stderr).toEqual({ args, code: 0 });
        expect({ args, code: o.code }, o.stderr).toEqual({ args, code: 0 });
        expect({ args, config: configOf(b) }).toEqual({ args, config: configOf(a) });
        base = a;
      }
      const final = configOf(base) as { agents: { defaults: unknown } };
      expect(final.agents.defaults).toEqual({
        model: { primary: "anthropic/claude-haiku-4-5", fallbacks: [] },
        models: {
          "anthropic/claude-haiku-4-5": {},
          "anthropic/claude-opus-4-5": {},
          "anthropic/claude-sonnet-4-5": { alias: "Sonnet.Old" },
        },
      });

      const refusals: string[][] = [
        ["models", "set", "anthropic/claude-opus-4-5", "--agent", "main"],
        ["models", "fallbacks", "add", "anthropic/claude-opus-4-5", "--agent", "main"],
        ["models", "aliases", "add", "x", "anthropic/claude-opus-4-5", "--agent", "main"],
        ["models", "set", "nosuchprovider/some-model"],
        ["models", "aliases", "add", "Sonnet.Old", "anthropic/claude-opus-4-5"],
        ["models", "aliases", "add", "a b", "anthropic/claude-opus-4-5"],
        ["models", "aliases", "remove", "nope"],
        ["models", "fallbacks", "remove", "anthropic/claude-opus-4-5"],
      ];
      const before = configOf(base);
      for (const args of refusals) {
        const [a, b] = [copyOf(base), copyOf(base)];
        expect({ args, code: theirs(a, args).code }).toEqual({ args, code: 1 });
        expect({ args, code: mine(b, args).code }).toEqual({ args, code: 1 });
        expect({ args, config: configOf(a) }).toEqual({ args, config: before });
        expect({ args, config: configOf(b) }).toEqual({ args, config: before });
      }

      // OpenClaw accepts what ours wrote last, and reads the same defaults from it.
      const ours = copyOf(base);
      expect(mine(ours, ["models", "set", "anthropic/claude-sonnet-4-5"]).code).toBe(0);
      const validate = theirs(ours, ["config", "validate"]);
      expect(validate.code, validate.stdout + validate.stderr).toBe(0);
      const fallbacks = theirs(ours, ["models", "fallbacks", "list", "--json"]);
      expect(JSON.parse(fallbacks.stdout)).toEqual({ fallbacks: [] });
      const aliases = theirs(ours, ["models", "aliases", "list", "--json"]);
      expect(JSON.parse(aliases.stdout)).toEqual({ aliases: { "Sonnet.Old": "anthropic/claude-sonnet-4-5" } });
    });
  },
);
