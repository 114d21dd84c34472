import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiKey, modeOf, removeSandboxes, sandbox } from "./support.js";

afterEach(removeSandboxes);

/** A file as an earlier version wrote and documented it: our settings and our forms in openclaw.json. */
const LEGACY = {
  agents: { defaults: { model: "anthropic/claude-sonnet-5-5" }, entries: { main: {}, work: {} } },
  auth: {
    monitor: { intervalMinutes: 10 },
    profiles: { "anthropic:work": { provider: "anthropic" } },
  },
  session: { store: { kind: "sqlite", path: "mine.sqlite" }, cacheSize: 20 },
  channels: { telegram: { streaming: "off" }, console: { streaming: "off" } },
  gateway: { port: 18799, metrics: { token: "metrics-token-value" } },
};

describe("doctor on keys OpenClaw refuses", () => {
  it("names each key OpenClaw would refuse, with why, and fails", async () => {
    const sb = sandbox();
    sb.writeConfig(LEGACY);
    const r = await sb.run(["doctor"]);
    expect(r.code).toBe(1);
    for (const line of [
      `✗ ${sb.configPath}: OpenClaw refuses auth.monitor: auth: Unrecognized key: "monitor" (a setting of ours)`,
      `✗ ${sb.configPath}: OpenClaw refuses auth.profiles.anthropic:work.mode: missing: OpenClaw requires one of "api_key", "aws-sdk", "oauth", "token"`,
      `✗ ${sb.configPath}: OpenClaw refuses session.store: expected string, received object (our session store)`,
      `✗ ${sb.configPath}: OpenClaw refuses agents.ownership: multi-agent rosters require agents.ownership="explicit"`,
      `✗ ${sb.configPath}: OpenClaw refuses channels.telegram.streaming: must be object (OpenClaw's form is { mode })`,
      `✗ ${sb.configPath}: OpenClaw refuses channels.console: unknown channel id: console`,
      `✗ ${sb.configPath}: OpenClaw refuses gateway.metrics: gateway: Unrecognized key: "metrics" (a setting of ours)`,
    ])
      expect(r.stdout).toContain(line);
    // Every other command still works on the file, and says once what is wrong with it.
    const status = await sb.run(["models", "status"]);
    expect(status.stderr).toMatch(/^warning: .*openclaw\.json has keys OpenClaw refuses: auth\.monitor, /m);
  });

  it("--fix moves our keys to model-gateway.json with a 0600 backup, and the gateway reads the same settings", async () => {
    const sb = sandbox();
    sb.writeConfig(LEGACY);
    sb.writeProfiles({
      version: 1,
      profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() } },
    });
    const original = fs.readFileSync(sb.configPath, "utf8");
    const fixed = await sb.run(["doctor", "--fix"]);
    expect(fixed.stdout).toContain(
      'auth.profiles.anthropic:work.mode: set to "api_key", the stored credential\'s type',
    );
    expect(fixed.stdout).toContain("session.store: moved to model-gateway.json");
    expect(sb.readConfig()).toEqual({
      agents: {
        defaults: { model: "anthropic/claude-sonnet-5-5" },
        entries: { main: {}, work: {} },
        ownership: "explicit",
      },
      auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "api_key" } } },
      session: {},
      channels: { telegram: { streaming: { mode: "off" } } },
      gateway: { port: 18799 },
    });
    expect(JSON.parse(fs.readFileSync(sb.ownConfigPath, "utf8"))).toEqual({
      auth: { monitor: { intervalMinutes: 10 } },
      session: { store: { kind: "sqlite", path: "mine.sqlite" }, cacheSize: 20 },
      channels: { console: { streaming: "off" } },
      gateway: { metrics: { token: "metrics-token-value" } },
    });
    expect(modeOf(sb.ownConfigPath)).toBe("0600");
    const backups = fs.readdirSync(sb.state).filter((f) => /^openclaw\.json\..*\.bak$/.test(f));
    expect(backups).toHaveLength(1);
    const backup = path.join(sb.state, backups[0] ?? "");
    expect(fs.readFileSync(backup, "utf8")).toBe(original);
    expect(modeOf(backup)).toBe("0600");

    const again = await sb.run(["doctor"]);
    expect(again.stdout).toContain(`✓ ${sb.configPath} holds only keys OpenClaw accepts`);
    const status = await sb.run(["models", "status"]);
    expect(status.stderr).not.toContain("warning:");
  });

  it("names a key neither program knows with the nearest known key, warns on every command, and fails doctor", async () => {
    const sb = sandbox();
    sb.writeConfig({
      agents: { defaults: { modle: "anthropic/claude-opus-5-5" } },
      gateway: { prot: 1234 },
      channels: { telegram: { bottoken: "x" }, telegarm: {} },
    });
    const r = await sb.run(["doctor"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ ${sb.configPath}: unknown key agents.defaults.modle (did you mean model?)`);
    expect(r.stdout).toContain("unknown key gateway.prot (did you mean port?)");
    expect(r.stdout).toContain("unknown key channels.telegram.bottoken (did you mean botToken?)");
    expect(r.stdout).toContain("unknown key channels.telegarm (did you mean telegram?)");
    expect(r.stdout).toContain("fix: rename it to model, or remove it");
    const list = await sb.run(["models", "list"]);
    expect(list.stderr).toContain("warning: ");
    expect(list.stderr).toContain("unknown key agents.defaults.modle (did you mean model?)");
  });
});
