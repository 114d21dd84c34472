import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GatewayProcess, requireBuild, runCli } from "../support/cli.js";
import { writeStateDir } from "../support/state.js";
import { scaled, settle } from "../support/slowness.js";

const TOKEN = `sk-ant-oat01-${"Q".repeat(84)}Fq1x`;
const KEY = `sk-ant-api03-${"k".repeat(80)}AbCd`;

function stateWithProfiles(config: object = {}): string {
  return writeStateDir({
    prefix: "openclaw-gw-",
    config,
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "token", provider: "anthropic", token: TOKEN, expires: Date.now() + 5 * 3_600_000 },
        "anthropic:key": { type: "api_key", provider: "anthropic", key: KEY },
      },
    },
  });
}

beforeAll(requireBuild);

// Several tests run two gateway processes side by side; on a busy 2-core CI machine that needs room.
describe("openclaw gateway (console channel)", { timeout: scaled(45_000) }, () => {
  it("answers piped commands in order and exits at EOF", () => {
    const stateDir = stateWithProfiles();
    const r = runCli(["gateway"], { stateDir, input: "/model list\n/model status\n" });
    expect(r.code).toBe(0);
    const list = r.stdout.indexOf("Providers");
    const status = r.stdout.indexOf("anthropic — ");
    expect(list).toBeGreaterThanOrEqual(0);
    expect(status).toBeGreaterThan(list);
    expect(r.stdout).toContain("sk-ant-o…Fq1x");
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it("`gateway run` is the same foreground gateway, with the same flags", () => {
    const stateDir = stateWithProfiles();
    const run = runCli(["gateway", "run", "--log-format", "json"], { stateDir, input: "/model opus@anthropic:key\n" });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("anthropic:key");
    expect(JSON.parse(run.stderr.split("\n")[0] ?? "")).toHaveProperty("level");
    const plain = runCli(["gateway"], { stateDir, input: "/model status\n" });
    expect(plain.stdout).toMatch(/anthropic:key.*pinned/);
  });

  it("keeps a pin across a restart", () => {
    const stateDir = stateWithProfiles();
    const first = runCli(["gateway"], { stateDir, input: "/model opus@anthropic:key\n" });
    expect(first.stdout).toContain("anthropic:key");
    const second = runCli(["gateway"], { stateDir, input: "/model status\n" });
    expect(second.stdout).toMatch(/anthropic:key.*pinned/);
    expect(second.stdout).toContain("claude-opus-5-5");
  });

  it("sees a pin written by another process within a second", async () => {
    const stateDir = stateWithProfiles();
    const a = new GatewayProcess(stateDir);
    const b = new GatewayProcess(stateDir);
    try {
      await a.send("/model status", /Agent: main/);
      await b.send("/model haiku@anthropic:key", /anthropic:key/);
      await settle(1000);
      const out = await a.send("/model status", /Agent: main/);
      expect(out).toContain("claude-haiku-5-5");
      expect(out).toMatch(/anthropic:key.*pinned/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("lets a second process see a new global default at its next message", async () => {
    const stateDir = stateWithProfiles();
    const a = new GatewayProcess(stateDir);
    const b = new GatewayProcess(stateDir);
    try {
      await a.send("/model status", /Agent: main/);
      await b.send("/model gpt -g", /gpt-5\.4/);
      const config = JSON.parse(fs.readFileSync(path.join(stateDir, "openclaw.json"), "utf8"));
      expect(config.agents.defaults.model).toBe("openai/gpt-5.4");
      await settle(300);
      // A's own session never chose a model, so its next message follows the new default.
      expect(await a.send("/model status", /Agent: main/)).toContain("openai/gpt-5.4");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("shuts down cleanly on SIGTERM after finishing acknowledged writes", async () => {
    const stateDir = stateWithProfiles();
    const gw = new GatewayProcess(stateDir);
    await gw.send("/model sonnet@anthropic:work", /anthropic:work/);
    expect(await gw.stop("SIGTERM")).toBe(0);
    const after = runCli(["sessions", "list", "--json"], { stateDir });
    expect(after.stdout).toContain("anthropic:work");
  });
});

describe("inline directive on the console", () => {
  it("switches the model and sends only the rest on", () => {
    const stateDir = stateWithProfiles({ models: { providers: { anthropic: { baseUrl: "http://127.0.0.1:9" } } } });
    const r = runCli(["gateway"], { stateDir, input: "/model haiku explain this diff\n/model status\n" });
    expect(r.stdout).toContain("claude-haiku-5-5");
    // The rest went to the model path: the fake-less endpoint refuses, and the reply says so.
    expect(r.stdout).not.toMatch(/Unexpected "explain"/);
  });
});
