import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiKey,
  DAY,
  expectNoSecretLeaked,
  modeOf,
  requireBuild,
  sandbox,
  setupToken,
  removeSandboxes,
} from "./support.js";

beforeAll(requireBuild);
afterAll(removeSandboxes);

describe("openclaw models auth paste-token", () => {
  it("stores a token pasted with a line break in the middle whole, with an expiry, 0600 in 0700", async () => {
    const sb = sandbox();
    const token = setupToken();
    const pasted = `  ${token.slice(0, 50)}\r\n${token.slice(50, 77)}\n ${token.slice(77)}\n\n`;
    const before = Date.now();
    const r = await sb.run(["models", "auth", "paste-token", "--provider", "anthropic", "--expires-in", "365d"], {
      input: pasted,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Auth profile: anthropic:manual (anthropic/token)");
    expect(r.stdout).toContain(`${token.slice(0, 8)}…${token.slice(-4)}`);

    const stored = sb.readProfiles().profiles["anthropic:manual"];
    expect(stored).toMatchObject({ type: "token", provider: "anthropic", token });
    expect(stored.expires).toBeGreaterThanOrEqual(before + 365 * DAY);
    expect(stored.expires).toBeLessThan(Date.now() + 365 * DAY + 1000);
    expect(sb.readConfig().auth.profiles["anthropic:manual"]).toEqual({ provider: "anthropic", mode: "token" });
    expect(modeOf(sb.profilesPath())).toBe("0600");
    expect(modeOf(path.dirname(sb.profilesPath()))).toBe("0700");
    expect(modeOf(sb.configPath)).toBe("0600");
    expect(modeOf(sb.state)).toBe("0700");
  });

  it("asks with a hidden prompt on a terminal and never echoes the token", async () => {
    const sb = sandbox();
    const token = setupToken();
    const r = await sb.run(["models", "auth", "paste-token", "--provider", "anthropic"], {
      tty: true,
      answers: [{ after: "Paste the Anthropic setup-token", text: `${token}\r` }],
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("Auth profile: anthropic:manual (anthropic/token)");
    expect(sb.readProfiles().profiles["anthropic:manual"].token).toBe(token);
  });

  it("makes existing 0644 files 0600 and keeps every other key of a JSON5 config", async () => {
    const sb = sandbox();
    sb.writeConfig(
      `// my config\n{\n  gateway: { port: 18790, bind: 'loopback' },\n  channels: { telegram: { enabled: true } },\n  custom: { keep: [1, 2, 3] },\n  auth: { profiles: { 'openai:work': { provider: 'openai', mode: 'api_key' } }, order: { openai: ['openai:work'] } },\n}\n`,
      0o644,
    );
    sb.writeProfiles(
      {
        version: 1,
        profiles: { "openai:work": { type: "api_key", provider: "openai", key: apiKey("sk-proj-"), lastGood: 123 } },
        extra: "kept",
      },
      "main",
      0o644,
    );
    fs.chmodSync(path.dirname(sb.profilesPath()), 0o755);
    const key = apiKey();
    const r = await sb.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: `${key}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Auth profile: anthropic:manual (anthropic/api_key)");
    expect(modeOf(sb.profilesPath())).toBe("0600");
    expect(modeOf(path.dirname(sb.profilesPath()))).toBe("0700");
    expect(modeOf(sb.configPath)).toBe("0600");

    const config = sb.readConfig();
    expect(config).toMatchObject({
      gateway: { port: 18790, bind: "loopback" },
      channels: { telegram: { enabled: true } },
      custom: { keep: [1, 2, 3] },
      auth: {
        profiles: {
          "openai:work": { provider: "openai", mode: "api_key" },
          "anthropic:manual": { provider: "anthropic", mode: "api_key" },
        },
        order: { openai: ["openai:work"] },
      },
    });
    const file = sb.readProfiles();
    expect(file.extra).toBe("kept");
    expect(file.profiles["openai:work"].lastGood).toBe(123);
    expect(file.profiles["anthropic:manual"]).toEqual({ type: "api_key", provider: "anthropic", key });
  });

  it("refuses values that are not the credential asked for, and stores nothing", async () => {
    const sb = sandbox();
    const key = apiKey();
    const token = setupToken();
    const [apiAsToken, short, tokenAsKey, badDuration, unknownProvider, empty] = await Promise.all([
      sb.run(["models", "auth", "paste-token", "--provider", "anthropic"], { input: key }),
      sb.run(["models", "auth", "paste-token", "--provider", "anthropic"], { input: token.slice(0, 60) }),
      sb.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: token }),
      sb.run(["models", "auth", "paste-token", "--provider", "anthropic", "--expires-in", "soon"], { input: token }),
      sb.run(["models", "auth", "paste-api-key", "--provider", "openia"], { input: key }),
      sb.run(["models", "auth", "paste-api-key", "--provider", "openai"], { input: " \n\n" }),
    ]);
    expect(apiAsToken.code).toBe(1);
    expect(apiAsToken.stderr).toContain("That is an Anthropic API key, not a setup-token.");
    expect(apiAsToken.stderr).toContain("paste-api-key --provider anthropic");
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("That setup-token is only 60 characters; a complete one has at least 80.");
    expect(tokenAsKey.code).toBe(1);
    expect(tokenAsKey.stderr).toContain("That is an Anthropic setup-token, not an API key");
    expect(badDuration.code).toBe(1);
    expect(badDuration.stderr).toContain(
      '--expires-in expects a positive duration such as 365d, 12h or 30m; got "soon".',
    );
    expect(unknownProvider.code).toBe(1);
    expect(unknownProvider.stderr).toContain('Unknown provider "openia".');
    expect(unknownProvider.stderr).toContain("Did you mean openai?");
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("No secret given; nothing was stored.");
    expect(fs.existsSync(sb.profilesPath())).toBe(false);
    expect(fs.existsSync(sb.configPath)).toBe(false);
  });

  it("uses --profile-id and refuses an id that another provider already holds", async () => {
    const sb = sandbox();
    const first = await sb.run(
      ["models", "auth", "paste-api-key", "--provider", "openai", "--profile-id", "shared:one"],
      { input: apiKey("sk-proj-") },
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Auth profile: shared:one (openai/api_key)");
    const clash = await sb.run(
      ["models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "shared:one"],
      { input: setupToken() },
    );
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("Profile shared:one already exists for provider openai, not anthropic.");
    expect(sb.readProfiles().profiles["shared:one"].provider).toBe("openai");
  });

  it("warns when a piped key does not have its provider's shape, asks on a terminal, and refuses another provider's profile id prefix", async () => {
    const sb = sandbox();
    const piped = await sb.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: "hello\n" });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toContain(
      "warning: The pasted value (5 characters) does not look like an Anthropic API key: they start with sk-ant-api03- and are about 108 characters long. Stored anyway;",
    );
    expect(sb.readProfiles().profiles["anthropic:manual"].key).toBe("hello");

    const declined = await sb.run(
      ["models", "auth", "paste-api-key", "--provider", "openai", "--profile-id", "openai:typo"],
      {
        tty: true,
        answers: [
          { after: "Paste the OpenAI API key", text: "not-a-key\r" },
          { after: "Store it anyway?", text: "\r" }, // the default is no
        ],
      },
    );
    expect(declined.code, declined.stdout).toBe(1);
    expect(declined.stdout).toContain("does not look like an OpenAI API key");
    expect(sb.readProfiles().profiles["openai:typo"]).toBeUndefined();

    const foreign = await sb.run(
      ["models", "auth", "paste-api-key", "--provider", "anthropic", "--profile-id", "openai:x"],
      { input: apiKey() },
    );
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain(
      "Profile id openai:x names provider openai, but the credential is for anthropic; nothing was stored.",
    );
    expect(foreign.stderr).toContain("Use --profile-id anthropic:x, or --provider openai if the key is openai's.");
    expect(sb.readProfiles().profiles["openai:x"]).toBeUndefined();
  });

  it("writes to another agent with --agent (before or after the subcommand)", async () => {
    const sb = sandbox();
    sb.writeConfig({ agents: { entries: { work: {} } } });
    const [after, before] = await Promise.all([
      sb.run(["models", "auth", "paste-api-key", "--provider", "openai", "--agent", "work"], {
        input: apiKey("sk-proj-"),
      }),
      sb.run(["models", "auth", "--agent", "work", "paste-token", "--provider", "anthropic"], { input: setupToken() }),
    ]);
    expect(after.code, after.stderr).toBe(0);
    expect(before.code, before.stderr).toBe(0);
    expect(Object.keys(sb.readProfiles("work").profiles).sort()).toEqual(["anthropic:manual", "openai:manual"]);
    expect(fs.existsSync(sb.profilesPath("main"))).toBe(false);
  });
});

describe("output hygiene", () => {
  it("no output of this file contains a whole secret", () => {
    expectNoSecretLeaked();
  });
});

describe("pasting over a stored profile", () => {
  it("says that it replaced the credential the profile held, masked", async () => {
    const s = sandbox();
    const first = apiKey();
    const second = apiKey();
    const a = await s.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: first });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).not.toContain("replaced");
    const b = await s.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: second });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout.split("\n")[2]).toBe(
      `It replaced the api_key ${first.slice(0, 8)}…${first.slice(-4)}, which anthropic:manual held before.`,
    );
    expect(s.readProfiles().profiles["anthropic:manual"].key).toBe(second);
  });

  it("a paste that fails prints one outcome: its error, no 'Stored anyway'", async () => {
    const s = sandbox();
    const token = setupToken();
    expect((await s.run(["models", "auth", "paste-token", "--provider", "anthropic"], { input: token })).code).toBe(0);
    // A value of the wrong shape (piped: no question asked) into a profile holding a token.
    const r = await s.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: "hello\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("Stored anyway");
    expect(r.stderr.split("\n")[0]).toBe(
      "error: Profile anthropic:manual holds a token; this would replace it with an api_key. Nothing was changed.",
    );
    expect(s.readProfiles().profiles["anthropic:manual"].token).toBe(token);
  });
});

describe("a pasted credential of another type", () => {
  it("does not silently replace a stored setup-token", async () => {
    const s = sandbox();
    const token = setupToken();
    expect((await s.run(["models", "auth", "paste-token", "--provider", "anthropic"], { input: token })).code).toBe(0);
    const r = await s.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: apiKey() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Profile anthropic:manual holds a token");
    expect(s.readProfiles().profiles["anthropic:manual"].token).toBe(token);
  });
});
