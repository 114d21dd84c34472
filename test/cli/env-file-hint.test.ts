/**
 * Every hint that says where to put a provider key names the `.env` the process really reads:
 * `$OPENCLAW_STATE_DIR/.env` when that is set, never a `~/.openclaw/.env` that is not read then.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeSandboxes, requireBuild, sandbox } from "./support.js";

beforeAll(requireBuild); // the console runs as the gateway process
afterAll(removeSandboxes);

describe("with OPENCLAW_STATE_DIR set and no credential", () => {
  it("models status --json, the console /model reply and a plain message name <state>/.env", async () => {
    const sb = sandbox();
    const envFile = path.join(sb.state, ".env");
    const hint = `Run \`openclaw models auth paste-api-key --provider anthropic\` or put ANTHROPIC_API_KEY in ${envFile}.`;

    const status = await sb.run(["models", "status", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as {
      auth: { providers: { provider: string; error?: { hint?: string } }[] };
    };
    expect(report.auth.providers.find((p) => p.provider === "anthropic")?.error?.hint).toBe(hint);

    const console = await sb.run(["gateway"], { input: "/model\nhello\n" });
    expect(console.code, console.stderr).toBe(0);
    const answers = console.stdout.split("\n\n");
    expect(answers[1]).toContain(`⚠ The next request will fail: No usable credential for anthropic.\n${hint}`);
    expect(answers).toContain(`> hello\nNo usable credential for anthropic. ${hint}`);
    expect(`${status.stdout}${console.stdout}`).not.toContain("~/.openclaw");
  });
});
