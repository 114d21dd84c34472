import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeSandboxes, sandbox } from "./support.js";

afterAll(removeSandboxes);

describe("doctor on a state directory it cannot use", () => {
  it("says a state directory that cannot be created is an error, instead of 0 private paths", async () => {
    const sb = sandbox();
    const r = await sb.run(["doctor"], { env: { OPENCLAW_STATE_DIR: "/proc/nope" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ state directory \/proc\/nope cannot be created: /);
    expect(r.stdout).toContain("fix: set OPENCLAW_STATE_DIR to a directory this user can create and write");
    expect(r.stdout).not.toContain("0 state paths are private");
    expect(fs.existsSync("/proc/nope")).toBe(false);
  });

  it("says a writable state directory that does not exist yet can be created, and leaves it uncreated", async () => {
    const sb = sandbox();
    const state = path.join(sb.root, "fresh", "state");
    const r = await sb.run(["doctor"], { env: { OPENCLAW_STATE_DIR: state } });
    expect(r.stdout).toContain(`✓ state directory ${state} does not exist yet; it can be created`);
    expect(fs.existsSync(path.join(sb.root, "fresh"))).toBe(false);
  });

  it("--fix reports what it fixed and what it could not change, with why, and exits 1", async () => {
    const sb = sandbox();
    // The config is ours to fix; /proc/self refuses chmod to everyone, root included (EPERM).
    const config = path.join(sb.root, "openclaw.json");
    fs.writeFileSync(config, "{}\n", { mode: 0o644 });
    fs.chmodSync(config, 0o644);
    const r = await sb.run(["doctor", "--fix"], {
      env: { OPENCLAW_STATE_DIR: "/proc/self", OPENCLAW_CONFIG_PATH: config },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^error:/m);
    expect(r.stdout).toContain(`✓ fixed: ${config} was 0644; now 0600`);
    expect(fs.statSync(config).mode & 0o777).toBe(0o600);
    expect(r.stdout).toMatch(/✗ \/proc\/self is 0555 and could not be made 0700: permission denied \(EPERM\)/);
    expect(r.stdout).toContain("fix: chmod 700 /proc/self as its owner");
    expect(r.stdout).toMatch(/^Fixed 1; \d+ problems? left\.$/m);
  });
});
