import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, requireBuild, ROOT } from "../support/cli.js";
import { scaled } from "../support/slowness.js";

// The `openclaw` launcher runs the CLI bundle from a V8 code cache beside it (src/cli/launch.ts).
// These tests run a copy of the built package, so that they can write, age and replace its cache.
describe("the CLI's code cache", () => {
  let pkg: string;
  let state: string;
  const bin = () => path.join(pkg, "dist", "openclaw.cjs");
  const bundle = () => path.join(pkg, "dist", "cli.cjs");
  const cache = () => `${bundle()}.v8cache`;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin(), ...args], {
      cwd: state,
      env: cliEnv(state),
      encoding: "utf8",
      timeout: scaled(15_000),
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    requireBuild();
    pkg = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-pkg-"));
    state = path.join(pkg, "state");
    fs.mkdirSync(state, { mode: 0o700 });
    fs.mkdirSync(path.join(pkg, "dist"));
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(pkg, "package.json"));
    fs.cpSync(path.join(ROOT, "config"), path.join(pkg, "config"), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(pkg, "node_modules"));
    for (const f of ["openclaw.cjs", "cli.cjs"]) fs.copyFileSync(path.join(ROOT, "dist", f), path.join(pkg, "dist", f));
  });
  afterAll(() => fs.rmSync(pkg, { recursive: true, force: true }));

  it("is written by the first run and then used as it is, with the same output", () => {
    expect(fs.existsSync(cache())).toBe(false);
    const first = run("models", "list");
    expect(first.code).toBe(0);
    expect(fs.existsSync(cache())).toBe(true);
    const written = fs.statSync(cache()).mtimeMs;

    const second = run("models", "list");
    expect(second).toEqual(first);
    // Only a run without a usable cache writes one.
    expect(fs.statSync(cache()).mtimeMs).toBe(written);
  });

  it("is not used for a rebuilt bundle of the same length, whose new code runs instead", () => {
    run("models", "list");
    expect(fs.existsSync(cache())).toBe(true);
    const source = fs.readFileSync(bundle(), "utf8");
    // Same length on purpose: V8's own check compares the length only.
    const changed = source.replace(
      "Default model, aliases and an auth overview",
      "DEFAULT MODEL, ALIASES AND AN AUTH OVERVIEW",
    );
    expect(changed).not.toBe(source);
    expect(changed.length).toBe(source.length);
    fs.writeFileSync(bundle(), changed);

    const r = run("models", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("DEFAULT MODEL, ALIASES AND AN AUTH OVERVIEW");
    fs.writeFileSync(bundle(), source);
  });

  it("starts normally when the cache file is damaged, and replaces it", () => {
    run("models", "list");
    fs.writeFileSync(cache(), "not a cache\n\u0000\u0001");
    const r = run("models", "list");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("anthropic/");
    expect(fs.readFileSync(cache()).length).toBeGreaterThan(10_000);
  });

  it("a run from the cache loads an ES-module-only library: the terminal prompt of logout", async () => {
    run("models", "list");
    const profiles = path.join(state, "agents", "main", "agent", "auth-profiles.json");
    fs.mkdirSync(path.dirname(profiles), { recursive: true, mode: 0o700 });
    const key = `sk-ant-api03-${"k".repeat(90)}`;
    fs.writeFileSync(
      profiles,
      JSON.stringify({ version: 1, profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key } } }),
      { mode: 0o600 },
    );
    const written = fs.statSync(cache()).mtimeMs;
    // @clack/prompts ships only as an ES module; it loads only when stdin is a terminal.
    // A pseudo-terminal has no size until one is set, and the prompt would wrap at every character.
    const command = `stty cols 120 rows 40; '${process.execPath}' '${bin()}' models auth logout anthropic:work`;
    const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: state, env: cliEnv(state) });
    const timer = setTimeout(() => child.kill("SIGKILL"), scaled(15_000));
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.includes("Remove auth profile anthropic:work") && child.stdin.writable) child.stdin.end("n\r");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(timer);
    expect(out).toContain("Nothing was removed.");
    expect(code).toBe(1);
    expect(fs.statSync(cache()).mtimeMs).toBe(written);
  });
});
