import { afterAll, describe, expect, it } from "vitest";
import { apiKey, removeSandboxes, sandbox } from "./support.js";

afterAll(removeSandboxes);

const aliases = {
  "anthropic/claude-haiku-4-5": { alias: "test.alias" },
  "openai/gpt-5.4-mini": { alias: "gpt-fast" },
};

function configured(channels: object) {
  const sb = sandbox();
  sb.writeConfig({
    agents: { defaults: { models: aliases } },
    channels,
    commands: { allowFrom: { telegram: ["1001"], discord: ["2001"] } },
  });
  sb.writeProfiles({
    version: 1,
    profiles: { "anthropic:ci": { type: "api_key", provider: "anthropic", key: apiKey() } },
  });
  return sb;
}

describe("openclaw doctor on alias commands a channel cannot list", () => {
  it("says why /test.alias is not a menu command on Telegram and Discord, and how to reach it there", async () => {
    const sb = configured({ telegram: { enabled: true }, discord: { enabled: true } });
    const r = await sb.run(["doctor"]);
    expect(r.stdout).toContain(
      "  i alias test.alias: /test.alias works on the console and at the start of a message, but is not in Telegram's command menu (names there: 1-32 of a-z, 0-9 and _) or Discord's slash commands (names there: 1-32 lower-case letters, digits, - and _); there choose it with /model test.alias",
    );
    // `gpt-fast` is in both: Discord takes the dash, Telegram lists it as /gpt_fast.
    expect(r.stdout).not.toContain("alias gpt-fast");
    // A note, not a problem.
    expect(r.stdout).toContain("No problems found.");
    expect(r.code).toBe(0);
  });

  it("names only the channels that are configured", async () => {
    const sb = configured({ telegram: { enabled: true }, discord: { enabled: false } });
    const r = await sb.run(["doctor", "--json"]);
    const findings = (JSON.parse(r.stdout) as { findings: { check: string; severity: string; message: string }[] })
      .findings;
    const notes = findings.filter((f) => f.check === "aliases");
    expect(notes).toEqual([
      {
        check: "aliases",
        severity: "info",
        message:
          "alias test.alias: /test.alias works on the console and at the start of a message, but is not in Telegram's command menu (names there: 1-32 of a-z, 0-9 and _); there choose it with /model test.alias",
      },
    ]);
    const consoleOnly = await configured({}).run(["doctor", "--json"]);
    expect(consoleOnly.stdout).not.toContain('"aliases"');
  });
});
