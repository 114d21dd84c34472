// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are OpenClaw's ${VAR} syntax, on purpose
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { channelEnvWithTokens } from "../../src/app/channel-secrets.js";
import { assemble } from "../../src/app/assemble.js";
import { loadConfig } from "../../src/config/load.js";
import { bindAddress } from "../../src/gateway/address.js";
import { streamingMode } from "../../src/gateway/streaming-mode.js";
import { sessionKeys } from "../../src/sessions/keys.js";
import { UserFacingError } from "../../src/util/user-error.js";
import { apiKey, removeSandboxes, sandbox } from "../cli/support.js";

function dir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-forms-"));
}

/** Loads `text` as `openclaw.json` of a fresh state directory, with `env` for `${VAR}`. */
function loadText(text: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const d = dir();
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    fs.writeFileSync(path.join(d, name), body);
  }
  fs.writeFileSync(path.join(d, "openclaw.json"), text);
  return loadConfig(path.join(d, "openclaw.json"), { env, stateDir: d });
}

describe("OpenClaw's forms, read as OpenClaw reads them", () => {
  it('streaming: { mode } is read; "off" turns streaming off, "block" and "progress" stream like "partial"', () => {
    const { config } = loadText(
      JSON.stringify({
        channels: { telegram: { streaming: { mode: "off" } }, discord: { streaming: { mode: "progress" } } },
      }),
    );
    expect(streamingMode(config, "telegram")).toBe("off");
    expect(streamingMode(config, "discord")).toBe("partial");
    expect(
      streamingMode(loadText('{ channels: { telegram: { streaming: { mode: "partial" } } } }').config, "telegram"),
    ).toBe("partial");
  });

  it('session.dmScope "per-account-channel-peer" keys DMs by channel, account and sender, as OpenClaw does', () => {
    const { config } = loadText('{ session: { dmScope: "per-account-channel-peer" } }');
    const scope = config.session?.dmScope;
    expect(scope).toBe("per-account-channel-peer");
    const target = { agentId: "main", channel: "telegram", chatId: "42", senderId: "42", isGroup: false };
    expect(sessionKeys(target, scope).key).toBe("agent:main:telegram:default:direct:42");
  });

  it('accepts an auth profile with mode "aws-sdk" and a numeric ownerAllowFrom entry', () => {
    const { config } = loadText(
      JSON.stringify({
        auth: { profiles: { "amazon-bedrock:default": { provider: "amazon-bedrock", mode: "aws-sdk" } } },
        commands: { ownerAllowFrom: ["telegram:1", 987654321] },
      }),
    );
    expect(config.auth?.profiles?.["amazon-bedrock:default"]?.mode).toBe("aws-sdk");
    expect(config.commands?.ownerAllowFrom).toEqual(["telegram:1", "987654321"]);
  });

  it("substitutes ${VAR} in values: upper-case names, $${VAR} literal, an unset one stays and is warned about", () => {
    const loaded = loadText(
      JSON.stringify({
        models: { providers: { openai: { baseUrl: "${PROXY_BASE}/v1" } } },
        channels: { telegram: { webhookPath: "/$${NOT_A_VAR}", apiRoot: "https://x.example/${lower}" } },
        agents: { defaults: { model: "${MISSING_MODEL}" } },
      }),
      { PROXY_BASE: "https://proxy.example", lower: "no" },
    );
    expect(loaded.config.models?.providers?.openai?.baseUrl).toBe("https://proxy.example/v1");
    expect(loaded.config.channels?.telegram?.webhookPath).toBe("/${NOT_A_VAR}");
    expect(loaded.config.channels?.telegram?.apiRoot).toBe("https://x.example/${lower}");
    expect(loaded.config.agents?.defaults?.model).toBe("${MISSING_MODEL}");
    expect(loaded.warnings).toContain("${MISSING_MODEL} is not set; the value that names it stays unresolved.");
  });

  it("resolves $include: one file replaces the object, a list deep-merges in order, sibling keys win", () => {
    const { config } = loadText(
      '{ agents: { $include: "./agents.json5", defaults: { modelSelectionScope: "agent" } }, channels: { $include: ["./a.json", "./b.json"] } }',
      {},
      {
        "agents.json5": '{ defaults: { model: "anthropic/claude-opus-5-5", modelSelectionScope: "global" } }',
        "a.json": JSON.stringify({ telegram: { apiRoot: "https://a.example", enabled: true } }),
        "b.json": JSON.stringify({ telegram: { apiRoot: "https://b.example" } }),
      },
    );
    expect(config.agents?.defaults).toEqual({ model: "anthropic/claude-opus-5-5", modelSelectionScope: "agent" });
    expect(config.channels?.telegram).toEqual({ apiRoot: "https://b.example", enabled: true });
  });

  it("refuses an $include outside the config's directory, a missing one and a cycle, naming the file", () => {
    expect(() => loadText('{ agents: { $include: "../outside.json" } }')).toThrow(/\$include "..\/outside.json"/);
    expect(() => loadText('{ agents: { $include: "./nope.json" } }')).toThrow(/"\.\/nope\.json": no such file/);
    expect(() =>
      loadText('{ agents: { $include: "./a.json" } }', {}, { "a.json": '{ "$include": "./a.json" }' }),
    ).toThrow(/includes itself/);
  });

  it("gateway.bind modes map to an address, never to a host name lookup", () => {
    expect(bindAddress(undefined)).toBe("127.0.0.1");
    expect(bindAddress({ bind: "loopback" })).toBe("127.0.0.1");
    expect(bindAddress({ bind: "auto" })).toBe("127.0.0.1");
    expect(bindAddress({ bind: "lan" })).toBe("0.0.0.0");
    expect(bindAddress({ bind: "custom", customBindHost: "10.1.2.3" })).toBe("10.1.2.3");
    expect(() => bindAddress({ bind: "custom" })).toThrow(/customBindHost/);
    const tailscale = () => ({
      lo: [{ address: "127.0.0.1", family: "IPv4" as const, internal: true, netmask: "", mac: "", cidr: null }],
      tailscale0: [
        { address: "100.101.1.2", family: "IPv4" as const, internal: false, netmask: "", mac: "", cidr: null },
      ],
    });
    expect(bindAddress({ bind: "tailnet" }, tailscale)).toBe("100.101.1.2");
    expect(bindAddress({ bind: "tailnet" }, () => ({}))).toBe("127.0.0.1");
  });

  it("a bot token given as a SecretRef reaches the channel resolved; one that cannot be resolved stops the start with the key", async () => {
    const state = dir();
    fs.writeFileSync(
      path.join(state, "openclaw.json"),
      JSON.stringify({
        channels: {
          telegram: { botToken: { source: "env", provider: "default", id: "MY_TG_TOKEN" } },
          discord: { token: "plain-discord-token" },
        },
      }),
      { mode: 0o600 },
    );
    const context = (extra: Record<string, string>) =>
      assemble({
        env: { OPENCLAW_STATE_DIR: state, HOME: state, ...extra },
        cwd: state,
        clock: Date.now,
        log: () => undefined,
      }).context;
    const env = await channelEnvWithTokens(context({ MY_TG_TOKEN: "123:secret-from-env" }));
    expect(env.TELEGRAM_BOT_TOKEN).toBe("123:secret-from-env");
    expect(env.DISCORD_BOT_TOKEN).toBeUndefined();
    const err = await channelEnvWithTokens(context({})).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserFacingError);
    expect((err as Error).message).toMatch(/^channels\.telegram\.botToken cannot be resolved: /);
  });
});

describe("auth.order.<provider>: [] as OpenClaw reads it", () => {
  afterEach(removeSandboxes);

  it("the provider has no usable profile: --check exits 1, naming the order, while the key is still stored", async () => {
    const sb = sandbox();
    sb.writeProfiles({
      version: 1,
      profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() } },
    });
    sb.writeConfig({
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      auth: { order: { anthropic: [] } },
    });
    const r = await sb.run(["models", "status", "--check"], { env: { ANTHROPIC_API_KEY: apiKey() } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("left out of the auth order");
    sb.writeConfig({ agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } });
    expect((await sb.run(["models", "status", "--check"])).code).toBe(0);
  });
});

describe('an auth profile with mode "aws-sdk"', () => {
  afterEach(removeSandboxes);

  it("is listed as incompatible with the reason in models status, and --check fails when its provider is needed", async () => {
    const sb = sandbox();
    sb.writeConfig({
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      auth: { profiles: { "amazon-bedrock:default": { provider: "amazon-bedrock", mode: "aws-sdk" } } },
    });
    const env = { ANTHROPIC_API_KEY: apiKey() };
    const json = await sb.run(["models", "status", "--json"], { env });
    const report = JSON.parse(json.stdout) as {
      auth: { unusableProfiles: Array<{ id: string; reasonCode: string; detail: string; recovery: string }> };
    };
    const bedrock = report.auth.unusableProfiles.find((u) => u.id === "amazon-bedrock:default");
    expect(bedrock).toMatchObject({ reasonCode: "incompatible" });
    expect(bedrock?.detail).toMatch(/^mode aws-sdk: .*AWS SDK credentials, which this gateway cannot use/);
    expect(bedrock?.recovery).toContain("openclaw models auth paste-api-key --provider amazon-bedrock");
    const text = await sb.run(["models", "status"], { env });
    expect(text.stdout).toMatch(/amazon-bedrock:default\s.*incompatible/);
    expect((await sb.run(["models", "status", "--check"], { env })).code).toBe(0);

    sb.writeConfig({
      agents: { defaults: { model: "amazon-bedrock/anthropic.claude-sonnet-5-5" } },
      auth: { profiles: { "amazon-bedrock:default": { provider: "amazon-bedrock", mode: "aws-sdk" } } },
    });
    const check = await sb.run(["models", "status", "--check"], { env });
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain(
      "amazon-bedrock:default cannot be used for amazon-bedrock API requests",
    );
  });
});

describe("an api this gateway cannot speak", () => {
  afterEach(removeSandboxes);

  it('api: "openai-responses" on the default model\'s provider fails --check and doctor, naming the api', async () => {
    const sb = sandbox();
    sb.writeConfig({
      agents: { defaults: { model: "openai/gpt-5.4" } },
      models: { providers: { openai: { baseUrl: "https://api.openai.com/v1", api: "openai-responses", models: [] } } },
    });
    const env = { OPENAI_API_KEY: `sk-proj-${"k".repeat(60)}` };
    const check = await sb.run(["models", "status", "--check"], { env });
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain(
      'openai uses the API "openai-responses", which this gateway does not speak',
    );
    const doctor = await sb.run(["doctor"], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(
      '✗ agent main: default model openai/gpt-5.4: openai uses the API "openai-responses", which this gateway does not speak (anthropic-messages, openai-completions)',
    );
  });
});
