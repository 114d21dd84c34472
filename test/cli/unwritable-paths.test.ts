import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, requireBuild } from "../support/cli.js";
import { runInProcess } from "../support/in-process-cli.js";
import { clockEnv } from "../support/clock-env.js";
import { scaled } from "../support/slowness.js";

const TOKEN = `sk-ant-oat01-${"T".repeat(86)}Zq1x`;
const KEY = `sk-ant-api03-${"k".repeat(86)}AbCd`;

const roots: string[] = [];
const undo: Array<() => void> = [];

afterAll(() => {
  for (const u of undo.splice(0).reverse()) u();
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-unwritable-"));
  roots.push(root);
  fs.mkdirSync(path.join(root, "home"));
  return root;
}

/**
 * Makes `dir` refuse new entries. Root ignores permission bits, so for root the directory is made
 * immutable (`chattr +i`) instead; where neither works the caller skips with a reason.
 */
function makeReadOnly(dir: string): boolean {
  if (process.getuid?.() !== 0) {
    fs.chmodSync(dir, 0o555);
    undo.push(() => fs.chmodSync(dir, 0o755));
    return true;
  }
  if (spawnSync("chattr", ["+i", dir]).status !== 0) return false;
  undo.push(() => spawnSync("chattr", ["-i", dir]));
  return true;
}

const readOnlySupported = (() => {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-ro-probe-"));
  const ok = makeReadOnly(probe);
  for (const u of undo.splice(0)) u();
  fs.rmSync(probe, { recursive: true, force: true });
  return ok;
})();

/** A path of more than 5,000 characters whose every name is legal on its own. */
function longPath(root: string): string {
  return path.join(root, ...Array.from({ length: 25 }, (_, i) => `${i}`.padEnd(199, "x")));
}

/**
 * Every file and directory under `root`, with what would change if something wrote there. A
 * directory's mtime is left out: a write check creates and removes a probe file, nothing more.
 */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    out.set(p, st.isDirectory() ? `${st.mode}` : `${st.mode}:${st.size}:${st.mtimeMs}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(root);
  return out;
}

type Target = "state dir" | "agent dir" | "config file";
type Place = "under /proc" | "in a read-only directory" | "where a file stands" | "5,000 characters long";

interface Layout {
  readonly env: NodeJS.ProcessEnv;
  readonly root: string;
  /** Text the error must contain: the directory or file that cannot be created or written. */
  readonly names: string;
}

function profileFile(): object {
  return {
    version: 1,
    profiles: { "anthropic:work": { type: "token", provider: "anthropic", token: TOKEN } },
    order: { anthropic: ["anthropic:work"] },
  };
}

/** A sandbox where `target` is `place`; `seed` lays down a profile first where the target allows. */
function layout(target: Target, place: Place, seed: boolean): Layout {
  const root = tempRoot();
  const home = path.join(root, "home");
  let state = path.join(root, "state");
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: "C.UTF-8", ...clockEnv() };
  const bad = (): string => {
    switch (place) {
      case "under /proc":
        return `/proc/openclaw-nope-${crypto.randomBytes(4).toString("hex")}`;
      case "in a read-only directory": {
        const ro = path.join(root, "ro");
        fs.mkdirSync(ro);
        if (!makeReadOnly(ro)) throw new Error("cannot make a read-only directory here");
        return path.join(ro, "sub");
      }
      case "where a file stands":
        fs.writeFileSync(path.join(root, "file"), "not a directory\n");
        return path.join(root, "file", "sub");
      case "5,000 characters long":
        return longPath(root);
    }
  };
  const seedState = () => {
    if (!seed) return;
    const agent = path.join(state, "agents", "main", "agent");
    fs.mkdirSync(agent, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(agent, "auth-profiles.json"), JSON.stringify(profileFile()), { mode: 0o600 });
    fs.writeFileSync(
      path.join(state, "openclaw.json"),
      JSON.stringify({ auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "token" } } } }),
      { mode: 0o600 },
    );
  };
  switch (target) {
    case "state dir":
      state = bad();
      return { root, env: { ...base, OPENCLAW_STATE_DIR: state }, names: state.slice(0, 60) };
    case "config file": {
      seedState();
      const dir = bad();
      // In the read-only case the config sits in the read-only directory itself, not below it.
      const config = path.join(place === "in a read-only directory" ? path.dirname(dir) : dir, "openclaw.json");
      return {
        root,
        env: { ...base, OPENCLAW_STATE_DIR: state, OPENCLAW_CONFIG_PATH: config },
        names: path.dirname(config).slice(0, 60),
      };
    }
    case "agent dir": {
      seedState();
      const agents = path.join(state, "agents");
      if (place === "5,000 characters long") {
        // The state dir itself exists; only the agent dir below it is past the limit.
        while (state.length < 4_080) state = path.join(state, "y".repeat(Math.min(200, 4_080 - state.length)));
        fs.mkdirSync(state, { recursive: true });
        return { root, env: { ...base, OPENCLAW_STATE_DIR: state }, names: state.slice(0, 60) };
      }
      if (place === "in a read-only directory") {
        fs.mkdirSync(path.join(agents, "main", "agent"), { recursive: true });
        if (!makeReadOnly(path.join(agents, "main", "agent")))
          throw new Error("cannot make a read-only directory here");
        return { root, env: { ...base, OPENCLAW_STATE_DIR: state }, names: path.join(agents, "main", "agent") };
      }
      fs.rmSync(agents, { recursive: true, force: true });
      fs.mkdirSync(state, { recursive: true, mode: 0o700 });
      if (place === "under /proc") fs.symlinkSync("/proc", agents);
      else fs.writeFileSync(agents, "not a directory\n");
      return { root, env: { ...base, OPENCLAW_STATE_DIR: state }, names: agents };
    }
  }
}

interface Writer {
  readonly name: string;
  readonly args: readonly string[];
  readonly input?: string;
  readonly targets: readonly Target[];
  /** Needs a stored profile to act on (not possible where the state dir itself is unusable). */
  readonly seeded?: boolean;
}

const WRITERS: readonly Writer[] = [
  {
    name: "paste-token",
    args: ["models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:new"],
    input: `${TOKEN}\n`,
    targets: ["state dir", "agent dir", "config file"],
  },
  {
    name: "paste-api-key",
    args: ["models", "auth", "paste-api-key", "--provider", "anthropic", "--profile-id", "anthropic:key"],
    input: `${KEY}\n`,
    targets: ["state dir", "agent dir", "config file"],
  },
  {
    name: "onboard",
    args: [
      "onboard",
      "--non-interactive",
      "--anthropic-api-key",
      KEY,
      "--profile-id",
      "anthropic:key",
      "--model",
      "opus",
    ],
    targets: ["state dir", "agent dir", "config file"],
  },
  {
    name: "order set",
    args: ["models", "auth", "order", "set", "--provider", "anthropic", "anthropic:work"],
    targets: ["agent dir"],
    seeded: true,
  },
  {
    name: "order clear",
    args: ["models", "auth", "order", "clear", "--provider", "anthropic"],
    targets: ["agent dir"],
    seeded: true,
  },
  {
    name: "logout",
    args: ["models", "auth", "logout", "anthropic:work", "--yes"],
    targets: ["agent dir", "config file"],
    seeded: true,
  },
  { name: "sessions reset", args: ["sessions", "reset", "agent:main:main"], targets: ["state dir"] },
];

const PLACES: readonly Place[] = [
  "under /proc",
  "in a read-only directory",
  "where a file stands",
  "5,000 characters long",
];

function expectOneClearLine(stderr: string, names: string): void {
  const lines = stderr.trim().split("\n");
  expect(lines[0]).toMatch(
    /^error: Cannot (create directory|write|read|lock|make private the directory|open the session store) /,
  );
  expect(lines[0]).toContain(names);
  expect(lines.filter((l) => l.startsWith("error:"))).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe("writing commands on a path that cannot be created or written", () => {
  for (const writer of WRITERS) {
    for (const target of writer.targets) {
      for (const place of PLACES) {
        // Replacing the agent dir by /proc, a file or a long path also removes the profile these
        // commands act on; they then fail earlier, on the missing profile, which other tests cover.
        if (writer.seeded && target === "agent dir" && place !== "in a read-only directory") continue;
        it.skipIf(place === "in a read-only directory" && !readOnlySupported)(
          `${writer.name}: ${target} ${place} fails once, clearly, changing nothing`,
          async () => {
            const l = layout(target, place, writer.seeded === true || target !== "state dir");
            const before = snapshot(l.root);
            const r = await runInProcess(writer.args, {
              env: l.env,
              cwd: path.join(l.root, "home"),
              ...(writer.input !== undefined ? { input: writer.input } : {}),
            });
            expect(r.code, r.stderr).toBe(1);
            expectOneClearLine(r.stderr, l.names);
            expect(r.stdout).toBe("");
            expect(snapshot(l.root)).toEqual(before);
          },
        );
      }
    }
  }
});

describe("the binary, as a script or a service manager runs it", () => {
  beforeAll(requireBuild);
  /** The 2 s, grown by this run's measured slowness: a hang or a spin still fails it. */
  const limitMs = () => scaled(2_000);

  function run(
    args: readonly string[],
    env: NodeJS.ProcessEnv,
    input: string,
  ): Promise<{ code: number | null; stderr: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, [CLI, ...args], { env, cwd: env.HOME });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr, ms: performance.now() - t0 }));
      child.stdin.end(input);
    });
  }

  it("paste-api-key into a state dir under /proc exits 1 at once, naming it", async () => {
    const l = layout("state dir", "under /proc", false);
    const r = await run(["models", "auth", "paste-api-key", "--provider", "anthropic"], l.env, `${KEY}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `error: Cannot create directory ${l.env.OPENCLAW_STATE_DIR}: /proc does not accept new entries (a virtual or read-only filesystem).`,
    );
    expect(r.ms).toBeLessThan(limitMs());
  });

  for (const place of PLACES) {
    it.skipIf(place === "in a read-only directory" && !readOnlySupported)(
      `the gateway with its state dir ${place} exits 1 with one line`,
      async () => {
        const l = layout("state dir", place, false);
        const before = snapshot(l.root);
        const r = await run(["gateway"], l.env, "/model status\n");
        expect(r.code).toBe(1);
        expectOneClearLine(r.stderr, l.names);
        expect(r.ms).toBeLessThan(limitMs());
        expect(snapshot(l.root)).toEqual(before);
      },
    );
  }

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} ends a command that waits for a lock, and leaves the lock and the file alone`, async () => {
      const root = tempRoot();
      const state = path.join(root, "state");
      const agent = path.join(state, "agents", "main", "agent");
      fs.mkdirSync(agent, { recursive: true, mode: 0o700 });
      const file = path.join(agent, "auth-profiles.json");
      fs.writeFileSync(file, JSON.stringify(profileFile()), { mode: 0o600 });
      // A live holder: this test process.
      fs.mkdirSync(`${file}.lock`);
      fs.writeFileSync(
        path.join(`${file}.lock`, "owner.json"),
        JSON.stringify({ pid: process.pid, host: os.hostname(), command: "test", since: Date.now(), token: "test" }),
      );
      const before = snapshot(root);
      const env = { PATH: process.env.PATH, HOME: path.join(root, "home"), OPENCLAW_STATE_DIR: state, ...clockEnv() };
      const child = spawn(
        process.execPath,
        [CLI, "models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:new"],
        { env },
      );
      child.stdin.end(`${TOKEN}\n`);
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      // Long enough for the process to start and reach the lock wait on this machine.
      await new Promise((r) => setTimeout(r, scaled(700)));
      expect(child.exitCode).toBeNull();
      const t0 = performance.now();
      child.kill(signal);
      const code = await exited;
      expect(performance.now() - t0).toBeLessThan(scaled(1_000));
      expect(code).toBe(128 + os.constants.signals[signal]);
      expect(stderr).toBe("");
      expect(snapshot(root)).toEqual(before);
    });
  }
});
