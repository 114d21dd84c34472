import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKey, DAY, expectNoSecretLeaked, modeOf, requireBuild, sandbox, setupToken, removeSandboxes } from "./support.js";

beforeAll(requireBuild);
afterAll(removeSandboxes);

describe("openclaw doctor", () => {
  it("reports modes, expired tokens, missing auth, shell-only and refused keys, unusable channels; --fix repairs modes", async () => {
    const sb = sandbox();
    sb.writeConfig({ channels: { telegram: { enabled: true }, discord: { enabled: true } }, commands: { ownerAllowFrom: ["discord:42"] } }, 0o644);
    sb.writeProfiles({ version: 1, profiles: { "anthropic:old": { type: "token", provider: "anthropic", token: setupToken(), expires: Date.now() - DAY } } }, "main", 0o644);
    fs.chmodSync(sb.state, 0o755);
    fs.writeFileSync(path.join(sb.state, ".env"), `OPENROUTER_API_KEY=${apiKey("sk-or-v1-")}\n`, { mode: 0o644 });
    fs.writeFileSync(path.join(sb.cwd, ".env"), `ANTHROPIC_API_KEY=${apiKey()}\nOPENCLAW_GATEWAY_PORT=1\n`);
    const env = { OPENAI_API_KEY: apiKey("sk-proj-") };

    const r = await sb.run(["doctor"], { env });
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`${sb.state} is 0755; should be 0700 (state directory)`);
    expect(out).toContain(`${sb.configPath} is 0644; should be 0600`);
    expect(out).toContain(`${sb.profilesPath()} is 0644; should be 0600`);
    expect(out).toContain(`${path.join(sb.state, ".env")} is 0644; should be 0600`);
    expect(out).toContain("anthropic:old (agent main) expired 24h ago");
    expect(out).toContain("agent main: no usable anthropic credential for the default model anthropic/claude-sonnet-5-5");
    expect(out).toContain("OPENAI_API_KEY is set only in this shell's environment; a gateway started as a service will not see it");
    expect(out).toContain(`fix: add OPENAI_API_KEY=... to ${path.join(sb.state, ".env")}`);
    expect(out).toContain(`${path.join(sb.cwd, ".env")} sets ANTHROPIC_API_KEY, which is ignored`);
    expect(out).toContain(`${path.join(sb.cwd, ".env")} sets OPENCLAW_GATEWAY_PORT, which is ignored`);
    expect(out).toContain("channels.telegram is configured but nobody may use commands there");
    expect(out).not.toContain("channels.discord is configured but nobody");
    expect(out).not.toContain("OPENROUTER_API_KEY is set only");

    const fixed = await sb.run(["doctor", "--fix", "--json"], { env });
    expect(fixed.code).toBe(1);
    const report = JSON.parse(fixed.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings.filter((f: { severity: string }) => f.severity === "fixed")).toHaveLength(4);
    expect(modeOf(sb.state)).toBe("0700");
    expect(modeOf(sb.configPath)).toBe("0600");
    expect(modeOf(sb.profilesPath())).toBe("0600");
    expect(modeOf(path.join(sb.state, ".env"))).toBe("0600");
  });

  it("exits 0 on a healthy set-up, and reports an invalid config in one line without stopping", async () => {
    const healthy = sandbox();
    healthy.writeConfig({ channels: { telegram: { enabled: true } }, commands: { allowFrom: { telegram: [12345] } } });
    fs.writeFileSync(path.join(healthy.state, ".env"), `ANTHROPIC_API_KEY=${apiKey()}\n`, { mode: 0o600 });
    const broken = sandbox();
    broken.writeConfig(`{ session: { store: { kind: "redis", url: "http://nope" } } }`);
    const [ok, bad] = await Promise.all([healthy.run(["doctor"]), broken.run(["doctor"])]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain("No problems found.");
    expect(ok.stdout).toMatch(/agent main: anthropic\/claude-sonnet-5-5 uses env:ANTHROPIC_API_KEY \(sk-ant-a…\S{4}\)/);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`✗ Invalid config ${broken.configPath}: session.store`);
    expect(bad.stdout).toContain("agent main: no usable anthropic credential");
  });
});

describe("openclaw onboard", () => {
  it("--non-interactive stores an API key or a token (from stdin) and can set the default model", async () => {
    const sb = sandbox();
    const key = apiKey();
    const token = setupToken();
    const r1 = await sb.run(["onboard", "--non-interactive", "--accept-risk", "--auth-choice", "apiKey", "--anthropic-api-key", key, "--model", "opus"]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout).toContain("Auth profile: anthropic:manual (anthropic/api_key)");
    expect(r1.stdout).toContain("Default model: anthropic/claude-opus-5-5");
    const r2 = await sb.run(["onboard", "--non-interactive", "--auth-choice", "token", "--token-stdin", "--profile-id", "anthropic:sub", "--token-expires-in", "365d"], {
      input: `${token.slice(0, 40)}\n${token.slice(40)}\n`,
    });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toContain("Auth profile: anthropic:sub (anthropic/token)");
    const profiles = sb.readProfiles().profiles;
    expect(profiles["anthropic:manual"]).toEqual({ type: "api_key", provider: "anthropic", key });
    expect(profiles["anthropic:sub"]).toMatchObject({ type: "token", provider: "anthropic", token });
    expect(sb.readConfig().agents.defaults.model).toBe("anthropic/claude-opus-5-5");
    const status = await sb.run(["models", "status", "--check"]);
    expect(status.code).toBe(0);
  });

  it("interactively asks for the kind, the hidden key and the default model", async () => {
    const sb = sandbox();
    const key = apiKey();
    const r = await sb.run(["onboard"], {
      tty: true,
      answers: [
        { after: "How should the gateway authenticate to Anthropic?", text: "\r" }, // first choice: API key
        { after: "Paste the Anthropic API key", text: `${key}\r` },
        { after: "Default model for new chats", text: "\x1b[B\r" }, // one down from "keep": the first alias
      ],
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("Auth profile: anthropic:manual (anthropic/api_key)");
    expect(r.stdout).toMatch(/Default model: anthropic\/claude-\w+-5-5/);
    expect(sb.readProfiles().profiles["anthropic:manual"]).toEqual({ type: "api_key", provider: "anthropic", key });
    expect(sb.readConfig().agents.defaults.model).toMatch(/^anthropic\/claude-\w+-5-5$/);
  });

  it("explains what scripts must pass, and refuses to prompt without a terminal", async () => {
    const sb = sandbox();
    const [noChoice, noTty, mismatch] = await Promise.all([
      sb.run(["onboard", "--non-interactive"]),
      sb.run(["onboard"]),
      sb.run(["onboard", "--non-interactive", "--auth-choice", "token", "--anthropic-api-key", apiKey()]),
    ]);
    expect(noChoice.code).toBe(1);
    expect(noChoice.stderr).toContain("--non-interactive needs --auth-choice apiKey or token.");
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toContain("onboard is interactive and needs a terminal.");
    expect(noTty.stderr).toContain("openclaw onboard --non-interactive --auth-choice apiKey");
    expect(mismatch.code).toBe(1);
    expect(fs.existsSync(sb.profilesPath())).toBe(false);
  });
});

describe("openclaw models auth setup-token", () => {
  it("needs a TTY; on one it explains how to get `claude` when it is missing", async () => {
    const sb = sandbox();
    const [noTty, noClaude] = await Promise.all([
      sb.run(["models", "auth", "setup-token", "--provider", "anthropic"]),
      sb.run(["models", "auth", "setup-token", "--provider", "anthropic"], { tty: true, env: { PATH: "/usr/bin:/bin" } }),
    ]);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr.split("\n")[0]).toBe("setup-token requires an interactive TTY.");
    expect(noClaude.code).toBe(1);
    expect(noClaude.stdout).toContain("npm install -g @anthropic-ai/claude-code");
    expect(noClaude.stdout).toContain("openclaw models auth paste-token --provider anthropic");
  });

  it("runs `claude setup-token`, shows its output with the token masked and stores the token (even wrapped)", async () => {
    const sb = sandbox();
    const token = setupToken();
    const bin = path.join(sb.root, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, "claude"),
      `#!/bin/sh\n[ "$1" = "setup-token" ] || exit 9\necho "Opening your browser to sign in..."\necho "Your long-lived token:"\necho\nprintf '%s\\n' '${token.slice(0, 70)}'\nprintf '%s\\n' '${token.slice(70)}'\necho\necho "Store this token somewhere safe."\n`,
      { mode: 0o755 },
    );
    const r = await sb.run(["models", "auth", "setup-token", "--provider", "anthropic", "--expires-in", "365d"], {
      tty: true,
      env: { PATH: `${bin}:/usr/bin:/bin` },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("Your long-lived token:");
    expect(r.stdout).toContain(`${token.slice(0, 8)}…${token.slice(66, 70)}`);
    expect(r.stdout).toContain("Store this token somewhere safe.");
    expect(r.stdout).toContain("Auth profile: anthropic:manual (anthropic/token)");
    expect(sb.readProfiles().profiles["anthropic:manual"]).toMatchObject({ type: "token", provider: "anthropic", token });
  });
});

describe("output hygiene", () => {
  it("no output of this file contains a whole secret", () => {
    expectNoSecretLeaked();
  });
});
