import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CommandInvocation } from "../../src/gateway/types.js";
import { runInProcess } from "../support/in-process-cli.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";

const CONSOLE = { maxLength: 4096, buttons: false, ephemeral: false };
const typed = (line: string): CommandInvocation => {
  const [command = "", ...rest] = line.slice(1).split(" ");
  return {
    channel: "console",
    chatId: "local",
    sender: { id: "local" },
    isGroup: false,
    command,
    args: rest.join(" "),
    via: "text",
  };
};

const WORK = `sk-ant-api03-${"W".repeat(80)}wk01`;
const ADDED = `sk-ant-api03-${"A".repeat(80)}ad01`;
const PROFILES = {
  version: 1,
  profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key: WORK } },
};

let gw: TestGateway | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await gw?.close();
  gw = undefined;
});

describe("the running gateway's config", () => {
  it("follows its own -g write at once: /model default then answers with the new default", async () => {
    gw = await createTestGateway({ config: { agents: { defaults: { model: "anthropic/claude-opus-5-5" } } } });
    // Read once, so the config is cached and the poll interval has just started.
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-opus-5-5");
    const set = await gw.host.handleCommand(typed("/model sonnet -g"), CONSOLE);
    expect(set?.text).toContain("anthropic/claude-sonnet-5-5");
    const back = await gw.host.handleCommand(typed("/model default"), CONSOLE);
    expect(back?.text).toContain("anthropic/claude-sonnet-5-5");
    expect(back?.text).not.toContain("claude-opus-5-5");
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-sonnet-5-5");
  });

  it("still sees another process's edit within the poll interval", async () => {
    gw = await createTestGateway({ config: { agents: { defaults: { model: "anthropic/claude-opus-5-5" } } } });
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-opus-5-5");
    fs.writeFileSync(gw.configPath, JSON.stringify({ agents: { defaults: { model: "anthropic/claude-haiku-5-5" } } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-haiku-5-5");
  });
});

describe("the running gateway's credentials", () => {
  it("sees a profile the CLI adds: /model opus@added pins it once the reader looks again", async () => {
    let now = Date.UTC(2026, 4, 1, 12);
    gw = await createTestGateway({ authProfiles: PROFILES, clock: () => now });
    const ask = async (line: string) => (await gw?.host.handleCommand(typed(line), CONSOLE))?.text ?? "";
    expect(await ask("/model opus@added")).toContain('Unknown profile "added"');

    const cli = await runInProcess(
      ["models", "auth", "paste-api-key", "--provider", "anthropic", "--profile-id", "anthropic:added"],
      { env: { OPENCLAW_STATE_DIR: gw.stateDir, HOME: gw.stateDir }, cwd: gw.stateDir, input: `${ADDED}\n` },
    );
    expect(cli.code).toBe(0);
    now += 1000;

    const pinned = await ask("/model opus@added");
    expect(pinned).toContain("Next request: anthropic/claude-opus-5-5 (opus) with anthropic:added");
    expect(pinned).not.toContain(ADDED);
  });

  it("parses auth-profiles.json once for many commands while the file does not change", async () => {
    let now = Date.UTC(2026, 4, 1, 12);
    gw = await createTestGateway({ authProfiles: PROFILES, clock: () => now });
    const file = path.join(gw.stateDir, "agents", "main", "agent", "auth-profiles.json");
    const reads = vi.spyOn(fs, "readFileSync");
    const lines = [
      "/model opus@work",
      "/model status",
      "/model sonnet",
      "/model haiku@work",
      "/model",
      "/model default",
    ];
    for (const line of [...lines, ...lines]) {
      const reply = await gw.host.handleCommand(typed(line), CONSOLE);
      expect(reply?.text).not.toMatch(/unknown profile|error/i);
      // Past the reader's check interval: each command looks at the file again, and finds it unchanged.
      now += 1000;
    }
    expect(reads.mock.calls.filter(([f]) => f === file)).toHaveLength(1);
  });
});

describe("the running gateway's start and environment", () => {
  it("reads openclaw.json once at start, and the .env files not again after a config change", async () => {
    let now = Date.UTC(2026, 4, 1, 12);
    const reads = vi.spyOn(fs, "readFileSync");
    gw = await createTestGateway({
      config: { agents: { defaults: { model: "anthropic/claude-opus-5-5" } } },
      clock: () => now,
    });
    const resolve = () => gw?.services.resolver().resolve({ agentId: "main", provider: "anthropic" });
    resolve();
    const readsOf = (file: string) => reads.mock.calls.filter(([f]) => f === file).length;
    expect(readsOf(gw.configPath)).toBe(1);
    // The gateway runs in its state dir here, so one file is both ./.env and <state>/.env.
    const envFile = path.join(gw.stateDir, ".env");
    expect(readsOf(envFile)).toBe(2);
    fs.writeFileSync(gw.configPath, JSON.stringify({ agents: { defaults: { model: "anthropic/claude-haiku-5-5" } } }));
    now += 1000;
    resolve();
    expect(readsOf(gw.configPath)).toBe(2);
    expect(readsOf(envFile)).toBe(2);
  });

  it("applies a changed env block of openclaw.json; .env files are as read at start", async () => {
    let now = Date.UTC(2026, 4, 1, 12);
    gw = await createTestGateway({ config: {}, clock: () => now });
    const chosen = (provider: string) => gw?.services.resolver().resolve({ agentId: "main", provider }).chosen?.id;
    expect(chosen("anthropic")).toBeUndefined();
    fs.writeFileSync(gw.configPath, JSON.stringify({ env: { ANTHROPIC_API_KEY: WORK } }));
    fs.writeFileSync(path.join(gw.stateDir, ".env"), `OPENAI_API_KEY=sk-proj-${"P".repeat(40)}\n`);
    now += 1000;
    expect(chosen("anthropic")).toContain("ANTHROPIC_API_KEY");
    // A new key in a .env file is read at the next start, as OpenClaw does.
    expect(chosen("openai")).toBeUndefined();
  });
});
