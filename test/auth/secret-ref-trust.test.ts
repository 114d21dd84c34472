import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiKey, removeSandboxes, sandbox, type Sandbox } from "../cli/support.js";

afterAll(removeSandboxes);

/**
 * A sandbox whose profile's key comes from an exec ref: `bin/vault` answers with `key` and leaves
 * `ran` behind, so a test sees whether it was run at all.
 */
function execSandbox(key: string): { sb: Sandbox; bin: string; command: string; ran: string; secretFile: string } {
  const sb = sandbox();
  const bin = path.join(sb.root, "bin");
  fs.mkdirSync(bin, { mode: 0o700 });
  const command = path.join(bin, "vault");
  const ran = path.join(sb.root, "ran");
  fs.writeFileSync(
    command,
    `#!${process.execPath}\nrequire("node:fs").writeFileSync(process.env.MARK, "");\nlet i = ""; process.stdin.on("data", (d) => (i += d)).on("end", () => console.log(JSON.stringify({ protocolVersion: 1, values: { [JSON.parse(i).ids[0]]: ${JSON.stringify(key)} } })));\n`,
    { mode: 0o700 },
  );
  const secretFile = path.join(sb.root, "secrets.json");
  fs.writeFileSync(secretFile, JSON.stringify({ openai: key }), { mode: 0o600 });
  sb.writeConfig({
    secrets: {
      providers: {
        vault: { source: "exec", command, env: { MARK: ran } },
        disk: { source: "file", path: secretFile },
      },
    },
  });
  sb.writeProfiles({
    version: 1,
    profiles: {
      "anthropic:vault": {
        type: "api_key",
        provider: "anthropic",
        keyRef: { source: "exec", provider: "vault", id: "a" },
      },
      "openai:disk": {
        type: "api_key",
        provider: "openai",
        keyRef: { source: "file", provider: "disk", id: "/openai" },
      },
    },
  });
  return { sb, bin, command, ran, secretFile };
}

/** Why each profile is unusable, by id (absent when usable). */
async function unresolved(sb: Sandbox): Promise<Record<string, string>> {
  const r = await sb.run(["models", "status", "--json"]);
  const json = JSON.parse(r.stdout) as {
    auth: { unusableProfiles: { id: string; reasonCode: string; detail: string }[] };
  };
  return Object.fromEntries(json.auth.unusableProfiles.map((p) => [p.id, `${p.reasonCode}: ${p.detail}`]));
}

describe("SecretRefs from files others can write", () => {
  it("resolves both refs while the config and the program are private (the control)", async () => {
    const { sb, ran } = execSandbox(apiKey());
    expect(await unresolved(sb)).toEqual({});
    expect(fs.existsSync(ran)).toBe(true);
  });

  it("refuses exec and file refs while others can write openclaw.json, and doctor names the fix", async () => {
    const { sb, ran } = execSandbox(apiKey());
    fs.chmodSync(sb.configPath, 0o666);
    const why = await unresolved(sb);
    const refused = `${sb.configPath} is writable by everyone (0666); chmod go-w ${sb.configPath}`;
    expect(why["anthropic:vault"]).toContain(`unresolved_ref: ref exec:vault:a: exec refs are refused: ${refused}`);
    expect(why["openai:disk"]).toContain(`file refs are refused: ${refused}`);
    expect(fs.existsSync(ran)).toBe(false);

    fs.chmodSync(sb.configPath, 0o620);
    expect((await unresolved(sb))["anthropic:vault"]).toContain("is writable by its group (0620)");

    const doctor = await sb.run(["doctor"]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(
      `✗ ${sb.configPath} is writable by its group (0620), so its file and exec SecretRefs are refused`,
    );
    expect(doctor.stdout).toContain(`fix: chmod go-w ${sb.configPath}`);
    expect(fs.existsSync(ran)).toBe(false);
  });

  it("runs no exec ref whose program or its directory others can write, and doctor says which", async () => {
    const { sb, bin, command, ran } = execSandbox(apiKey());
    fs.chmodSync(command, 0o777);
    expect((await unresolved(sb))["anthropic:vault"]).toContain(
      `${command} is not run: ${command} is writable by everyone (0777); chmod go-w ${command}`,
    );
    const doctor = await sb.run(["doctor"]);
    expect(doctor.stdout).toContain(
      `✗ secrets.providers.vault: ${command} is writable by everyone (0777), so its exec refs are refused`,
    );
    expect(doctor.stdout).toContain(`fix: chmod go-w ${command}`);

    fs.chmodSync(command, 0o700);
    fs.chmodSync(bin, 0o777);
    expect((await unresolved(sb))["anthropic:vault"]).toContain(
      `${bin} is writable by everyone (0777); chmod go-w ${bin}`,
    );
    expect(fs.existsSync(ran)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)(
    "refuses a program, or a secret file, owned by another user (root only: chown)",
    async () => {
      const { sb, command, ran, secretFile } = execSandbox(apiKey());
      fs.chownSync(command, 4242, 4242);
      fs.chownSync(secretFile, 4242, 4242);
      const why = await unresolved(sb);
      expect(why["anthropic:vault"]).toContain(
        `${command} is owned by uid 4242, not by this user or root; chown 0 ${command}`,
      );
      expect(why["openai:disk"]).toContain(`${secretFile} is owned by uid 4242, not by this user or root`);
      expect(fs.existsSync(ran)).toBe(false);
      const doctor = await sb.run(["doctor"]);
      expect(doctor.stdout).toContain(`✗ secrets.providers.vault: ${command} is owned by uid 4242`);
    },
  );
});
