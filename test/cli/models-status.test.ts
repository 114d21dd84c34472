import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiKey,
  DAY,
  expectNoSecretLeaked,
  HOUR,
  requireBuild,
  sandbox,
  setupToken,
  type Sandbox,
  removeSandboxes,
} from "./support.js";

beforeAll(requireBuild);
afterAll(removeSandboxes);

/** A sandbox whose main agent holds `profiles` (id → raw profile). */
function withProfiles(profiles: Record<string, unknown>, config: unknown = {}): Sandbox {
  const sb = sandbox();
  sb.writeConfig(config);
  sb.writeProfiles({ version: 1, profiles });
  return sb;
}

describe("openclaw models status --check", () => {
  it("exits 0, 1 (expired), 1 (missing for the default model), 2 (expiring) and 1 (unreadable state)", async () => {
    const now = Date.now();
    const fine = withProfiles({ "anthropic:manual": { type: "api_key", provider: "anthropic", key: apiKey() } });
    const expired = withProfiles({
      "anthropic:manual": { type: "api_key", provider: "anthropic", key: apiKey() },
      "anthropic:old": { type: "token", provider: "anthropic", token: setupToken(), expires: now - 2 * DAY },
    });
    // Only an OpenAI key while the default model is Anthropic's.
    const missing = withProfiles({ "openai:manual": { type: "api_key", provider: "openai", key: apiKey("sk-proj-") } });
    const expiring = withProfiles({
      "anthropic:manual": { type: "token", provider: "anthropic", token: setupToken(), expires: now + 5 * HOUR },
    });
    const badConfig = sandbox();
    badConfig.writeConfig(`{ gateway: { port: "eighty" } }`);
    const badProfiles = sandbox();
    badProfiles.writeProfiles('{\n  "version": 1,\n  "profiles": { not json\n}');

    const check = ["models", "status", "--check"];
    const [a, b, c, d, e, f] = await Promise.all([
      fine.run(check),
      expired.run(check),
      missing.run(check),
      expiring.run(check),
      badConfig.run(check),
      badProfiles.run(check),
    ]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(a.stdout).toContain("Check: ok");

    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/anthropic:old\s+token\s+sk-ant-o…\S{4}\s+EXPIRED\s+expired 2d ago/);
    expect(b.stdout).toContain("fix: openclaw models auth paste-token --provider anthropic --profile-id anthropic:old");

    expect(c.code).toBe(1);
    expect(c.stdout).toContain(
      "anthropic: no usable credential (default model anthropic/claude-sonnet-5-5; no_credential)",
    );
    expect(c.stdout).toContain("fix: openclaw models auth paste-api-key --provider anthropic");

    expect(d.code).toBe(2);
    expect(d.stdout).toContain("exp 5h");
    expect(d.stdout).toContain("Check: 1 expiring (--check exits 2)");

    expect(e.code).toBe(1);
    expect(e.stdout).toBe("");
    expect(e.stderr.trim().split("\n")).toHaveLength(1);
    expect(e.stderr).toContain(`Invalid config ${badConfig.configPath}: gateway.port:`);
    expect(e.stderr).toMatch(/expected number/);
    expect(e.stderr).not.toMatch(/\bat .*\.js:\d+/);

    expect(f.code).toBe(1);
    expect(f.stderr).toContain(
      `Invalid credential file ${badProfiles.profilesPath()}: line 3, column 17: not valid JSON (Expected property name or '}').`,
    );
  });

  it("answers a mistyped subcommand with the closest names, and a broken config under --json with a JSON error on stdout", async () => {
    const sb = sandbox();
    sb.writeConfig(`{ gateway: { port: "high" } }`);
    const [typo, json] = await Promise.all([sb.run(["models", "stauts"]), sb.run(["models", "status", "--json"])]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("error: unknown command 'stauts'\n(Did you mean status?)");
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe("config_invalid");
    expect(parsed.error.message).toContain(`Invalid config ${sb.configPath}: gateway.port:`);
    expect(json.stderr).toContain("error: Invalid config");
  });

  it("treats bare `openclaw models` as `models status` and exits 0 without --check", async () => {
    const sb = sandbox();
    const [bare, json] = await Promise.all([sb.run(["models"]), sb.run(["models", "--json", "--check"])]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain("Auth overview");
    expect(bare.stdout).toContain("Missing auth");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).defaultModel.ref).toBe("anthropic/claude-sonnet-5-5");
  });

  it("--json prints only JSON with providers, oauth (ISO expiry + health) and unusable profiles", async () => {
    const now = Date.now();
    const token = setupToken();
    const key = apiKey();
    const sb = withProfiles(
      {
        "anthropic:manual": { type: "token", provider: "anthropic", token, expires: now + 30 * DAY },
        "anthropic:old": { type: "token", provider: "anthropic", token: setupToken(), expires: now - 3 * HOUR },
        "anthropic:work": { type: "api_key", provider: "anthropic", key },
      },
      { agents: { defaults: { model: "opus" } } },
    );
    const r = await sb.run(["models", "status", "--json"], { env: { OPENAI_API_KEY: apiKey("sk-proj-") } });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.defaultModel).toMatchObject({
      ref: "anthropic/claude-opus-5-5",
      source: "agents.defaults.model",
      configured: "opus",
    });

    const anthropic = report.auth.providers.find((p: { provider: string }) => p.provider === "anthropic");
    expect(anthropic.effective).toMatchObject({
      id: "anthropic:manual",
      type: "token",
      source: "stored",
      health: "ok",
    });
    expect(anthropic.effective.masked).toBe(`${token.slice(0, 8)}…${token.slice(-4)}`);
    expect(anthropic.orderSource).toBe("default");
    expect(anthropic.profiles).toEqual({ total: 3, oauth: 0, token: 2, api_key: 1 });
    const openai = report.auth.providers.find((p: { provider: string }) => p.provider === "openai");
    expect(openai.effective).toMatchObject({ id: "env:OPENAI_API_KEY", kind: "env", envSource: "process" });

    const oauth = report.auth.oauth.profiles as { id: string; expiresAt: string | null; health: string }[];
    const byId = Object.fromEntries(oauth.map((t) => [t.id, t]));
    expect(byId["anthropic:manual"]?.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(byId["anthropic:manual"]?.health).toBe("ok");
    expect(byId["anthropic:old"]?.health).toBe("expired");
    expect(byId["anthropic:work"]).toMatchObject({ expiresAt: null, health: "static" });
    expect(byId["env:OPENAI_API_KEY"]).toMatchObject({ kind: "env", expiresAt: null, health: "static" });

    expect(report.auth.unusableProfiles).toEqual([
      {
        id: "anthropic:old",
        provider: "anthropic",
        reasonCode: "expired",
        detail: "expired 3h ago",
        recovery: "openclaw models auth paste-token --provider anthropic --profile-id anthropic:old",
      },
    ]);
    expect(report.check.exitCode).toBe(1);
    expect(r.stdout).not.toContain(key);
  });

  it("--plain prints tab-separated records and --agent picks another agent's file", async () => {
    const sb = sandbox();
    sb.writeConfig({ agents: { entries: { work: { model: "openai/gpt-5.4" } } } });
    sb.writeProfiles(
      { version: 1, profiles: { "openai:manual": { type: "api_key", provider: "openai", key: apiKey("sk-proj-") } } },
      "work",
    );
    const [plain, unknown] = await Promise.all([
      sb.run(["models", "status", "--plain", "--agent", "work", "--check"]),
      sb.run(["models", "status", "--agent", "wrok"]),
    ]);
    expect(plain.code).toBe(0);
    const lines = plain.stdout.trim().split("\n");
    expect(lines).toContain("default\topenai/gpt-5.4\tagents.entries.work.model");
    expect(
      lines.some((l) =>
        /^credential\topenai\topenai:manual\tapi_key\tsk-proj-…\S{4}\tstatic\tno expiry\tusable$/.test(l),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toBe("check\t0");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error: Unknown agent "wrok".');
    expect(unknown.stderr).toContain("Did you mean work?");
  });
});

describe("errors", () => {
  it("every command reports an invalid config in one line naming file, key and expectation", async () => {
    const sb = sandbox();
    sb.writeConfig(`{ agents: { list: [{ id: 7 }] } }`);
    const runs = await Promise.all([
      sb.run(["models", "list"]),
      sb.run(["models", "auth", "list", "--json"]),
      sb.run(["models", "auth", "order", "get", "--provider", "anthropic"]),
      sb.run(["models", "auth", "paste-api-key", "--provider", "anthropic"], { input: apiKey() }),
      sb.run(["models", "auth", "logout", "anthropic:manual", "--yes"]),
      sb.run(["onboard", "--non-interactive", "--auth-choice", "apiKey", "--anthropic-api-key", apiKey()]),
    ]);
    for (const [i, r] of runs.entries()) {
      expect(r.code).toBe(1);
      // --json commands print the error as JSON on stdout too; the others print nothing there.
      if (i === 1) expect(JSON.parse(r.stdout).error.code).toBe("config_invalid");
      else expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: Invalid config ${sb.configPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: agents\\.list\\[0\\]\\.id: .*expected string.*\\n$`,
        ),
      );
    }
  });

  it("unexpected failures are one line and exit 1; a key typed in the wrong place is masked", async () => {
    const sb = sandbox();
    sb.writeConfig({});
    // A directory where the credential file should be: one line naming the file and the reason.
    fs.mkdirSync(sb.profilesPath(), { recursive: true });
    const key = apiKey();
    const [io, misplaced] = await Promise.all([
      sb.run(["models", "status"]),
      sb.run(["models", "auth", "paste-api-key", "--provider", key], { input: key }),
    ]);
    expect(io.code).toBe(1);
    expect(io.stderr).toBe(`error: Cannot read ${sb.profilesPath()}: it is a directory, not a file.\n`);
    expect(misplaced.code).toBe(1);
    expect(misplaced.stderr).toContain(`Unknown provider "${key.slice(0, 8)}…${key.slice(-4)}"`);
  });
});

describe("openclaw models list", () => {
  it("lists the catalog with aliases, retirement dates and credential status from the resolver", async () => {
    const sb = withProfiles({ "anthropic:manual": { type: "api_key", provider: "anthropic", key: apiKey() } });
    // The catalog's retirement dates are real dates: each run names the day it is about.
    const beforeRetirement = { clock: () => Date.parse("2026-11-01T12:00:00Z") };
    const afterRetirement = { clock: () => Date.parse("2026-12-01T12:00:00Z") };
    const [text, later, json, bad] = await Promise.all([
      sb.run(["models", "list", "--provider", "anthropic"], beforeRetirement),
      sb.run(["models", "list", "--provider", "anthropic"], afterRetirement),
      sb.run(["models", "list", "--all", "--json"], beforeRetirement),
      sb.run(["models", "list", "--provider", "antropic"]),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^anthropic \(Anthropic\) · auth: anthropic:manual \(api_key\)/);
    expect(text.stdout).toMatch(
      /anthropic\/claude-sonnet-5-5\s+Claude Sonnet 5\.5\s+200k ctx\s+default · alias sonnet/,
    );
    expect(text.stdout).toMatch(/anthropic\/claude-sonnet-4-5 .*deprecated, retires 2026-11-30/);
    expect(later.stdout).toMatch(/anthropic\/claude-sonnet-4-5 .*retired on 2026-11-30/);
    const list = JSON.parse(json.stdout);
    const openai = list.providers.find((p: { id: string }) => p.id === "openai");
    expect(openai.auth).toEqual({ usable: false, effective: null, type: null, reasonCode: "no_credential" });
    const opus45 = list.providers[0].models.find((m: { id: string }) => m.id === "claude-opus-4-5");
    expect(opus45).toMatchObject({ deprecated: "2027-01-22", retired: false });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown provider "antropic"');
    expect(bad.stderr).toContain("Did you mean anthropic?");
  });
});

describe("output hygiene", () => {
  it("no output of this file contains a whole secret", () => {
    expectNoSecretLeaked();
  });
});
