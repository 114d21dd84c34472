import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRefFlag, resolveSecretRef, type SecretRef, type SecretRefResult } from "../../src/auth/secret-ref.js";
import { requireBuild, runCli } from "../support/cli.js";
import { writeStateDir } from "../support/state.js";

const SECRET = `sk-ant-api03-${"r".repeat(80)}Rf42`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-ref-"));

/** A resolver program speaking OpenClaw's exec protocol; `behaviour` picks how it misbehaves. */
function resolverScript(behaviour: "ok" | "hang" | "fail"): string {
  const file = path.join(dir, `resolver-${behaviour}.cjs`);
  const body = {
    ok: `let input = ""; process.stdin.on("data", (d) => (input += d)).on("end", () => { const req = JSON.parse(input); console.log(JSON.stringify({ protocolVersion: 1, values: { [req.ids[0]]: ${JSON.stringify(SECRET)} } })); });`,
    hang: `console.log(${JSON.stringify(SECRET)}); setTimeout(() => {}, 60000);`,
    fail: `console.error("leaked " + ${JSON.stringify(SECRET)}); process.exit(3);`,
  }[behaviour];
  fs.writeFileSync(file, body, { mode: 0o700 });
  return file;
}

const exec = (script: string, timeoutMs?: number) => ({
  vault: { source: "exec", command: process.execPath, args: [script], ...(timeoutMs ? { timeoutMs } : {}) },
});
const ref = (source: string, provider: string, id: string): SecretRef => ({ source, provider, id });

describe("SecretRefs", () => {
  it("resolves env, file and exec refs the way OpenClaw documents them", async () => {
    expect(
      await resolveSecretRef(ref("env", "default", "KEY"), { env: { KEY: SECRET }, providers: undefined }),
    ).toEqual({
      ok: true,
      value: SECRET,
    });

    const file = path.join(dir, "secrets.json");
    fs.writeFileSync(file, JSON.stringify({ providers: { "anthropic/main": { apiKey: SECRET } } }), { mode: 0o600 });
    const files = { filemain: { source: "file", path: file } };
    expect(
      await resolveSecretRef(ref("file", "filemain", "/providers/anthropic~1main/apiKey"), {
        env: {},
        providers: files,
      }),
    ).toEqual({ ok: true, value: SECRET });

    expect(
      await resolveSecretRef(ref("exec", "vault", "anthropic/key"), { env: {}, providers: exec(resolverScript("ok")) }),
    ).toEqual({ ok: true, value: SECRET });
  });

  it("reports an unresolved ref with a reason that holds no secret and no program output", async () => {
    const why = (r: SecretRefResult) => (r.ok ? "resolved" : r.why);
    expect(why(await resolveSecretRef(ref("env", "default", "UNSET"), { env: {}, providers: undefined }))).toMatch(
      /UNSET is not set/,
    );
    expect(why(await resolveSecretRef(ref("file", "nope", "/x"), { env: {}, providers: {} }))).toMatch(
      /no file provider nope/,
    );

    const open = path.join(dir, "open.json");
    fs.writeFileSync(open, JSON.stringify({ k: SECRET }), { mode: 0o644 });
    fs.chmodSync(open, 0o644);
    expect(
      why(
        await resolveSecretRef(ref("file", "f", "/k"), { env: {}, providers: { f: { source: "file", path: open } } }),
      ),
    ).toMatch(/readable by others/);

    const hung = why(
      await resolveSecretRef(ref("exec", "vault", "k"), { env: {}, providers: exec(resolverScript("hang"), 300) }),
    );
    expect(hung).toMatch(/timed out after 300 ms/);
    const failed = why(
      await resolveSecretRef(ref("exec", "vault", "k"), { env: {}, providers: exec(resolverScript("fail")) }),
    );
    expect(failed).toMatch(/exited with status 3/);
    for (const text of [hung, failed]) expect(text).not.toContain(SECRET.slice(13, 40));
  });

  it("parses the --ref forms and refuses others", () => {
    expect(parseRefFlag("env:ANTHROPIC_API_KEY")).toEqual({
      source: "env",
      provider: "default",
      id: "ANTHROPIC_API_KEY",
    });
    expect(parseRefFlag("exec:vault:anthropic/key#value")).toEqual({
      source: "exec",
      provider: "vault",
      id: "anthropic/key#value",
    });
    for (const bad of ["env:lower", "exec:vault", "vault:x", SECRET]) expect(parseRefFlag(bad)).toBeUndefined();
  });

  describe("through the CLI", () => {
    beforeAll(requireBuild);

    it("stores a ref, shows the profile unresolved until the variable is set, and never prints the secret", () => {
      const stateDir = writeStateDir({ prefix: "openclaw-ref-cli-" });
      const stored = runCli(
        ["models", "auth", "paste-api-key", "--provider", "anthropic", "--ref", "env:TEAM_ANTHROPIC_KEY"],
        { stateDir },
      );
      expect(stored.code, stored.stderr).toBe(0);
      const file = fs.readFileSync(path.join(stateDir, "agents", "main", "agent", "auth-profiles.json"), "utf8");
      expect(JSON.parse(file).profiles["anthropic:manual"]).toEqual({
        type: "api_key",
        provider: "anthropic",
        keyRef: { source: "env", provider: "default", id: "TEAM_ANTHROPIC_KEY" },
      });

      const unset = runCli(["models", "status", "--json"], { stateDir });
      expect(JSON.parse(unset.stdout).auth.unusableProfiles).toEqual([
        expect.objectContaining({
          id: "anthropic:manual",
          reasonCode: "unresolved_ref",
          detail: "ref env:TEAM_ANTHROPIC_KEY: environment variable TEAM_ANTHROPIC_KEY is not set or empty",
        }),
      ]);

      const set = runCli(["models", "status", "--check"], { stateDir, env: { TEAM_ANTHROPIC_KEY: SECRET } });
      expect(set.code).toBe(0);
      expect(set.stdout).toContain("sk-ant-a…Rf42");
      const gw = runCli(["gateway"], { stateDir, env: { TEAM_ANTHROPIC_KEY: SECRET }, input: "/model status\n" });
      for (const out of [stored, unset, set, gw]) expect(out.stdout + out.stderr).not.toContain(SECRET);
    });
  });
});
