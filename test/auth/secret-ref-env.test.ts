import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiKey, removeSandboxes, sandbox, type Sandbox } from "../cli/support.js";

afterAll(removeSandboxes);

/** A profile whose key is the SecretRef `ref`, nothing stored. */
function refProfile(sb: Sandbox, keyRef: object): void {
  sb.writeProfiles({
    version: 1,
    profiles: { "anthropic:team": { type: "api_key", provider: "anthropic", keyRef } },
  });
}

/** The one profile's entry in `models status --json`: usable (in `providers`) or why not. */
async function statusOf(sb: Sandbox): Promise<{ code: number | null; unusable: unknown[]; out: string }> {
  const r = await sb.run(["models", "status", "--json", "--check"]);
  const json = JSON.parse(r.stdout) as { auth: { unusableProfiles: unknown[] } };
  return { code: r.code, unusable: json.auth.unusableProfiles, out: r.stdout + r.stderr };
}

describe("SecretRefs never read the working directory's .env", () => {
  it("leaves an env ref unresolved when only ./.env sets the variable, and says why; <state>/.env works", async () => {
    const sb = sandbox();
    const key = apiKey();
    refProfile(sb, { source: "env", provider: "default", id: "ANTHROPIC_KEY" });
    fs.writeFileSync(path.join(sb.cwd, ".env"), `ANTHROPIC_KEY=${key}\n`);

    const fromCwd = await statusOf(sb);
    expect(fromCwd.code).toBe(1);
    expect(fromCwd.unusable).toEqual([
      expect.objectContaining({
        id: "anthropic:team",
        reasonCode: "unresolved_ref",
        detail: expect.stringMatching(/ANTHROPIC_KEY is set only in the working directory's \.env.*move it to/),
      }),
    ]);

    fs.writeFileSync(path.join(sb.state, ".env"), `ANTHROPIC_KEY=${key}\n`, { mode: 0o600 });
    const fromState = await statusOf(sb);
    expect(fromState.code).toBe(0);
    expect(fromState.unusable).toEqual([]);
    for (const out of [fromCwd.out, fromState.out]) expect(out).not.toContain(key.slice(13, 40));
  });

  it("passes an exec ref only the passEnv variables of the process env and <state>/.env", async () => {
    const sb = sandbox();
    const key = apiKey();
    // The resolver answers with the variable it was given, so a key only appears when passEnv passed one.
    const script = path.join(sb.root, "vault.cjs");
    fs.writeFileSync(
      script,
      `let i = ""; process.stdin.on("data", (d) => (i += d)).on("end", () => { const id = JSON.parse(i).ids[0]; const v = process.env.VAULT_ANSWER; console.log(JSON.stringify({ protocolVersion: 1, values: v ? { [id]: v } : {} })); });`,
      { mode: 0o700 },
    );
    sb.writeConfig({
      secrets: {
        providers: { vault: { source: "exec", command: process.execPath, args: [script], passEnv: ["VAULT_ANSWER"] } },
      },
    });
    refProfile(sb, { source: "exec", provider: "vault", id: "anthropic" });
    fs.writeFileSync(path.join(sb.cwd, ".env"), `VAULT_ANSWER=${key}\n`);

    const fromCwd = await statusOf(sb);
    expect(fromCwd.unusable).toEqual([
      expect.objectContaining({ reasonCode: "unresolved_ref", detail: expect.stringMatching(/returned no value/) }),
    ]);

    fs.writeFileSync(path.join(sb.state, ".env"), `VAULT_ANSWER=${key}\n`, { mode: 0o600 });
    const fromState = await statusOf(sb);
    expect(fromState.code).toBe(0);
    expect(fromState.unusable).toEqual([]);
  });
});
