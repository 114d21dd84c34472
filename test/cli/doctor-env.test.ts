import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { maskSecret } from "../../src/util/mask.js";
import { runInProcess } from "../support/in-process-cli.js";
import { apiKey, removeSandboxes, sandbox } from "./support.js";

afterAll(removeSandboxes);

/** Every 12-character piece of `secret` that `text` contains. */
function piecesIn(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 12 <= secret.length; i++)
    if (text.includes(secret.slice(i, i + 12))) found.push(secret.slice(i, i + 12));
  return found;
}

describe("doctor on key variables as OpenClaw reads them", () => {
  it("says a key in <state>/.env was split across two lines, names the variable, and uses the whole key", async () => {
    const sb = sandbox();
    const key = apiKey();
    fs.mkdirSync(sb.state, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(sb.state, ".env"), `ANTHROPIC_API_KEY=${key.slice(0, 50)}\n${key.slice(50)}\n`, {
      mode: 0o600,
    });
    const r = await runInProcess(["doctor"], { env: sb.env, cwd: sb.cwd });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out).toMatch(/ANTHROPIC_API_KEY \(.*\.env\) holds line breaks or surrounding whitespace; they were removed/);
    // The credential doctor found for the default model is the whole key, both lines of it.
    expect(out).toContain(`env:ANTHROPIC_API_KEY (${maskSecret(key)})`);
    expect(piecesIn(out, key)).toEqual([]);
    expect(r.code).toBe(1);
  });

  it("warns about undefined, null and empty key variables and does not count them", async () => {
    const sb = sandbox();
    const r = await runInProcess(["doctor", "--json"], {
      env: { ...sb.env, OPENAI_API_KEY: "undefined", ANTHROPIC_API_KEY: "null", OPENROUTER_API_KEY: "" },
      cwd: sb.cwd,
    });
    const findings = (JSON.parse(r.stdout) as { findings: { check: string; severity: string; message: string }[] })
      .findings;
    const env = findings.filter((f) => f.check === "env" && f.severity === "warn").map((f) => f.message);
    for (const v of ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY"]) {
      expect(env).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${v} \\(process environment\\) is empty, "undefined" or "null"; it is not a credential`),
        ),
      );
    }
    // No credential for the default model: the placeholder was not taken for one.
    expect(findings).toContainEqual(expect.objectContaining({ check: "missing-auth", severity: "error" }));
  });
});
