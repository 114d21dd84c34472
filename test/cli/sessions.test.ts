import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerSessionsCommands } from "../../src/cli/sessions.js";
import { assembleState } from "../support/assembly.js";
import { requireBuild, runCli } from "../support/cli.js";

describe("openclaw sessions", () => {
  let stateDir: string;
  let out: string;
  let err: string;
  beforeEach(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-sessions-cli-"));
    const app = assembleState(stateDir);
    const store = await app.sessions();
    await store.update(
      "agent:main:main",
      { model: "anthropic/claude-opus-4-5", profileId: "anthropic:work", pinSource: "user", setBy: "telegram:1" },
      Date.UTC(2025, 0, 2, 3, 4, 5),
    );
    await store.update("agent:main:telegram:group:-1", { model: "openai/gpt-5" }, Date.UTC(2025, 0, 3));
    await store.update(
      "agent:main:discord:channel:9",
      { profileId: "anthropic:auto", pinSource: "auto", setBy: "gateway" },
      Date.UTC(2025, 0, 1),
    );
    await app.close();
  });
  afterEach(() => {
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  let now = Date.UTC(2025, 0, 4);
  async function run(...args: string[]): Promise<number> {
    out = "";
    err = "";
    const program = new Command("openclaw")
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerSessionsCommands(program, {
      processEnv: { OPENCLAW_STATE_DIR: stateDir },
      cwd: stateDir,
      clock: () => now,
    });
    try {
      await program.parseAsync(args, { from: "user" });
      return 0;
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode;
      throw e;
    }
  }

  it("list prints key, model, profile (pin source), set by and when, most recent first", async () => {
    expect(await run("sessions", "list")).toBe(0);
    expect(out).toBe(
      [
        "KEY                           MODEL                      PROFILE                SET BY      WHEN",
        "agent:main:telegram:group:-1  openai/gpt-5               -                      -           2025-01-03T00:00:00.000Z",
        "agent:main:main               anthropic/claude-opus-4-5  anthropic:work (user)  telegram:1  2025-01-02T03:04:05.000Z",
        "agent:main:discord:channel:9  -                          anthropic:auto (auto)  gateway     2025-01-01T00:00:00.000Z",
        "",
      ].join("\n"),
    );
  });

  it("list --json prints only JSON; --limit cuts and says so", async () => {
    expect(await run("sessions", "list", "--json", "--limit", "2")).toBe(0);
    const parsed = JSON.parse(out) as { sessions: unknown[]; truncated: boolean };
    expect(parsed.truncated).toBe(true);
    expect(parsed.sessions).toEqual([
      {
        key: "agent:main:telegram:group:-1",
        model: "openai/gpt-5",
        profileId: null,
        pinSource: null,
        setBy: null,
        updatedAt: "2025-01-03T00:00:00.000Z",
        until: null,
        then: null,
      },
      {
        key: "agent:main:main",
        model: "anthropic/claude-opus-4-5",
        profileId: "anthropic:work",
        pinSource: "user",
        setBy: "telegram:1",
        updatedAt: "2025-01-02T03:04:05.000Z",
        until: null,
        then: null,
      },
    ]);
    expect(await run("sessions", "list", "--limit", "1")).toBe(0);
    expect(out).toContain("(first 1 shown; use --limit to see more)");
    expect(await run("sessions", "list", "--limit", "0")).toBe(1);
    expect(err).toContain("expected a whole number");
  });

  it("list shows a timed switch's end, time left and way back, text and --json; an ended one as undone", async () => {
    now = Date.UTC(2025, 0, 4);
    const app = assembleState(stateDir);
    const store = await app.sessions();
    await store.update(
      "agent:main:main",
      {
        model: "anthropic/claude-haiku-4-5",
        profileId: null,
        timed: { until: now + 80 * 60_000, model: "anthropic/claude-opus-4-5", profileId: "anthropic:work" },
      },
      now,
    );
    await app.close();
    expect(await run("sessions", "list")).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^KEY +MODEL +PROFILE +SET BY +WHEN +UNTIL$/);
    expect(lines[1]).toMatch(
      /^agent:main:main +anthropic\/claude-haiku-4-5 .* 2025-01-04T01:20:00\.000Z \(1h 20m left\), then anthropic\/claude-opus-4-5$/,
    );
    expect(lines[2]).toMatch(/ -$/);
    expect(await run("sessions", "list", "--json")).toBe(0);
    const rows = (JSON.parse(out) as { sessions: Array<Record<string, unknown>> }).sessions;
    expect(rows[0]).toMatchObject({
      key: "agent:main:main",
      model: "anthropic/claude-haiku-4-5",
      until: "2025-01-04T01:20:00.000Z",
      then: { model: "anthropic/claude-opus-4-5", profileId: "anthropic:work" },
    });
    now += 2 * 3_600_000;
    expect(await run("sessions", "list", "--json")).toBe(0);
    const after = (JSON.parse(out) as { sessions: Array<Record<string, unknown>> }).sessions;
    expect(after.find((r) => r.key === "agent:main:main")).toMatchObject({
      model: "anthropic/claude-opus-4-5",
      profileId: "anthropic:work",
      pinSource: "user",
      until: null,
    });
    expect(await run("sessions", "list")).toBe(0);
    expect(out).not.toContain("UNTIL");
  });

  it("reset forgets a session; an unknown key exits 1 with a clear message", async () => {
    expect(await run("sessions", "reset", "agent:main:main")).toBe(0);
    expect(out).toContain("Reset agent:main:main");
    expect(await run("sessions", "list", "--json")).toBe(0);
    expect((JSON.parse(out) as { sessions: Array<{ key: string }> }).sessions.map((s) => s.key)).not.toContain(
      "agent:main:main",
    );
    expect(await run("sessions", "reset", "agent:main:main")).toBe(1);
    expect(err).toContain("no session agent:main:main");
    expect(err).toContain("openclaw sessions list");
  });

  it("an empty store says so", async () => {
    fs.rmSync(path.join(stateDir, "state"), { recursive: true });
    expect(await run("sessions", "list")).toBe(0);
    expect(out).toBe("No sessions with a model or profile set.\n");
  });

  it("as a real process (the built openclaw): exit codes and streams", () => {
    requireBuild();
    const bad = runCli(["sessions", "reset", "agent:nope:main"], { stateDir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("no session agent:nope:main");
    const json = runCli(["sessions", "list", "--json"], { stateDir });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { sessions: unknown[] }).sessions).toHaveLength(3);
  });
});
