/**
 * The README's install help quotes what the real tools print. Where the hosts of better-sqlite3's
 * prebuilt binary and of Node's headers do not resolve, `npm ci` fails with prebuild-install's
 * warning and node-gyp's network error: both are produced here by the very tools `npm ci` runs,
 * pointed at a `.invalid` host (RFC 6761: it never resolves), and the README must name them next
 * to its `npm_config_nodedir` fallback.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";
import { findOnPath } from "../../src/util/find-on-path.js";
import { scaled } from "../support/slowness.js";

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const HOST = "openclaw-readme-test.invalid";
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-readme-"));
  dirs.push(d);
  return d;
}

/** Runs a tool as `npm ci` would, with no proxy, cache or config from this machine's user. */
function run(args: readonly string[], cwd: string): string {
  const r = spawnSync(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, npm_config_cache: path.join(cwd, "cache") },
    encoding: "utf8",
    timeout: scaled(60_000),
  });
  return `${r.stdout}${r.stderr}`;
}

/** The README's section on the native dependency, up to the fallback command. */
function installHelp(): string {
  const start = README.indexOf("### The native dependency: better-sqlite3");
  const end = README.indexOf("npm_config_nodedir=", start);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return README.slice(start, end);
}

describe("the README's help when npm ci cannot download", { timeout: scaled(90_000) }, () => {
  it("quotes prebuild-install's warning for a host that does not resolve", () => {
    const cwd = tempDir();
    // better-sqlite3's own package.json: prebuild-install reads name and version from it.
    const require = createRequire(path.join(ROOT, "package.json"));
    fs.copyFileSync(require.resolve("better-sqlite3/package.json"), path.join(cwd, "package.json"));
    const bin = path.join(path.dirname(require.resolve("prebuild-install/package.json")), "bin.js");
    const out = run([bin, "--download", `http://${HOST}/prebuilt.tar.gz`], cwd);
    const line = out.split("\n").find((l) => l.includes("ENOTFOUND"));
    expect(line).toBe(`prebuild-install warn install getaddrinfo ENOTFOUND ${HOST}`);
    expect(installHelp()).toContain(line?.replace(HOST, "…"));
  });

  it("quotes node-gyp's network error for headers it cannot download", () => {
    // The node-gyp npm runs is the one bundled with npm.
    const npm = findOnPath("npm", process.env.PATH);
    expect(npm, "npm on PATH").toBeDefined();
    const npmDir = path.resolve(path.dirname(fs.realpathSync(npm ?? "")), "..");
    const gyp = path.join(npmDir, "node_modules", "node-gyp", "bin", "node-gyp.js");
    const cwd = tempDir();
    const out = run([gyp, "install", `--dist-url=http://${HOST}`, `--devdir=${path.join(cwd, "gyp")}`], cwd);
    const lines = out.split("\n").map((l) => l.trimEnd());
    const warn = lines.find((l) => l.startsWith("gyp WARN install"));
    const stack = lines.filter((l) => l.startsWith("gyp ERR! stack") && !l.includes(" at ")).slice(0, 2);
    expect(warn).toBe("gyp WARN install got an error, rolling back install");
    expect(stack[0]).toMatch(/network connectivity|not a problem with node-gyp/);
    const help = installHelp();
    for (const l of [warn ?? "", ...stack]) expect(help).toContain(l);
  });
});
