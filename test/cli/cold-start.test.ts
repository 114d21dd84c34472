import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { requireBuild, runCli } from "../support/cli.js";

// The built binary is one CommonJS bundle (scripts/bundle-cli.mjs); libraries stay outside it and
// must load only when a command needs them. Node's module debug log names every file `require`
// resolves, so a library pulled in at start-up shows up here as a user would pay for it.
describe("the built CLI starts without loading libraries it does not use", () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-cold-"));
  afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  const loadedPackages = (args: string[]): string[] => {
    requireBuild();
    const r = runCli(args, { stateDir, env: { NODE_DEBUG: "module" } });
    // A package's name, without the path of a file inside it (`prom-client/lib/counter`).
    const names = [...r.stderr.matchAll(/looking for "((?:@[^"/]+\/)?[^"/.][^"/]*)/g)].map((m) => m[1] ?? "");
    return [...new Set(names)].sort();
  };

  it("models status --check and models list load no package from node_modules", () => {
    expect(loadedPackages(["models", "status", "--check"])).toEqual([]);
    expect(loadedPackages(["models", "list"])).toEqual([]);
  });

  it("the gateway loads SQLite and the metrics library when it starts, and no channel library without a channel", () => {
    const loaded = loadedPackages(["gateway"]);
    expect(loaded).toContain("better-sqlite3");
    expect(loaded).toContain("prom-client");
    expect(loaded).not.toContain("grammy");
    expect(loaded).not.toContain("discord.js");
    // Node's process metrics come a second after start or with the first scrape.
    expect(loaded).not.toContain("@opentelemetry/api");
  });
});
