import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";
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
import { scaled } from "../support/slowness.js";
import { refusedPort } from "../support/refused-port.js";

beforeAll(requireBuild);
afterAll(removeSandboxes);

describe("openclaw doctor", () => {
  it("reports modes, expired tokens, missing auth, shell-only and refused keys, unusable channels; --fix repairs modes", async () => {
    const sb = sandbox();
    sb.writeConfig(
      {
        channels: { telegram: { enabled: true }, discord: { enabled: true } },
        commands: { ownerAllowFrom: ["discord:42"] },
      },
      0o644,
    );
    sb.writeProfiles(
      {
        version: 1,
        profiles: {
          "anthropic:old": { type: "token", provider: "anthropic", token: setupToken(), expires: Date.now() - DAY },
        },
      },
      "main",
      0o644,
    );
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
    expect(out).toContain(
      "agent main: no usable anthropic credential for the default model anthropic/claude-sonnet-5-5",
    );
    expect(out).toContain(
      "OPENAI_API_KEY is set only in this shell's environment; a gateway started as a service will not see it",
    );
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
    expect(bad.stdout).toContain("fix: fix the key named above; other checks ran with an empty config");
  });

  it("names the line and column of a config syntax error, and says to fix the syntax, not a key", async () => {
    const sb = sandbox();
    sb.writeConfig(`{\n  agents: { defaults: { model: "anthropic/claude-opus-5-5" }\n  session: {}\n}`);
    const r = await sb.run(["doctor"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`✗ Invalid config ${sb.configPath}: line 3, column 3: `));
    expect(r.stdout).toContain(
      "fix: fix the syntax at the line and column named above; other checks ran with an empty config",
    );
    expect(r.stdout).not.toContain("fix the key named above");
  });

  it("warns about a default model outside the catalog with the closest catalog ids; --check notes it without changing the exit code", async () => {
    const sb = sandbox();
    sb.writeConfig({ agents: { defaults: { model: "anthropic/opuss" } } });
    fs.writeFileSync(path.join(sb.state, ".env"), `ANTHROPIC_API_KEY=${apiKey()}\n`, { mode: 0o600 });
    const [doctor, check] = await Promise.all([sb.run(["doctor"]), sb.run(["models", "status", "--check"])]);
    expect(doctor.stdout).toContain(
      "! agent main: default model anthropic/opuss is not in the catalog; did you mean anthropic/claude-opus-5-5?",
    );
    expect(doctor.stdout).toContain("fix: openclaw models list --provider anthropic");
    expect(doctor.stdout).not.toContain("No problems found.");
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain("Check: ok, 1 note");
    expect(check.stdout).toContain(
      "  ? default model anthropic/opuss is not in the catalog; did you mean anthropic/claude-opus-5-5?",
    );
  });
});

/** A server on a random loopback port that accepts connections and never answers. */
async function listener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => void sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return { port, close };
}

describe("openclaw doctor: session store reachable", () => {
  it("SQLite default: ok without creating the file; an existing store opens; a file that is not SQLite is a finding", async () => {
    const fresh = sandbox();
    const file = path.join(fresh.state, "state", "sessions.sqlite");
    const r = await fresh.run(["doctor"]);
    expect(r.stdout).toContain(`✓ session store ${file} does not exist yet; the gateway creates it at first start`);
    expect(fs.existsSync(file)).toBe(false);

    const used = sandbox();
    expect((await used.run(["sessions", "list"])).code).toBe(0); // creates the store, as a gateway would
    const usedFile = path.join(used.state, "state", "sessions.sqlite");
    expect(fs.existsSync(usedFile)).toBe(true);
    const json = JSON.parse((await used.run(["doctor", "--json"])).stdout) as {
      findings: { check: string; severity: string; message: string }[];
    };
    expect(json.findings.filter((f) => f.check === "session-store")).toEqual([
      { check: "session-store", severity: "ok", message: `session store ${usedFile} opens (SQLite)` },
    ]);

    const broken = sandbox();
    const brokenFile = path.join(broken.state, "elsewhere.sqlite");
    broken.writeOwnConfig({ session: { store: { kind: "sqlite", path: brokenFile } } });
    fs.writeFileSync(brokenFile, "this is not a database, just text that is long enough to have a header".repeat(20), {
      mode: 0o600,
    });
    const b = await broken.run(["doctor"]);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain(
      `✗ session store ${brokenFile} does not open: The session store ${brokenFile} is not a SQLite database.`,
    );
    expect(b.stdout).toContain(`fix: repair or move ${brokenFile} away`);
  });

  it("Redis down (refused, or silent) is an error within ~2 s that names the URL without its password", async () => {
    const refused = { port: await refusedPort() };
    const silent = await listener();
    try {
      const down = sandbox();
      down.writeOwnConfig({
        session: {
          store: {
            kind: "redis",
            url: `redis://:hunter2-redis-password@127.0.0.1:${refused.port}/2`,
            keyPrefix: "gw:",
          },
        },
      });
      const hung = sandbox();
      hung.writeOwnConfig({ session: { store: { kind: "redis", url: `redis://127.0.0.1:${silent.port}` } } });
      const started = performance.now();
      const [d, h] = await Promise.all([down.run(["doctor"]), hung.run(["doctor", "--json"])]);
      expect(performance.now() - started).toBeLessThan(scaled(5_000));

      expect(d.code).toBe(1);
      expect(d.stdout).toContain(
        `✗ session store Redis redis://***@127.0.0.1:${refused.port}/2 (keyPrefix "gw:") is not reachable: connect ECONNREFUSED`,
      );
      expect(d.stdout).toContain(`fix: start Redis there, or correct session.store.url in ${down.ownConfigPath}`);
      expect(d.stdout + d.stderr).not.toContain("hunter2-redis-password");
      // One finding, not a second warning from reading cooldowns off the same dead store.
      expect(d.stderr).not.toContain("cooldowns not shown");

      expect(h.code).toBe(1);
      const report = JSON.parse(h.stdout) as {
        ok: boolean;
        findings: { check: string; severity: string; message: string }[];
      };
      expect(report.ok).toBe(false);
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          check: "session-store",
          severity: "error",
          message: `session store Redis redis://127.0.0.1:${silent.port} is not reachable: no answer within 2 s`,
        }),
      );
    } finally {
      await silent.close();
    }
  });

  it("prints no part of a Redis URL's credentials: user, password or query values", async () => {
    const refused = { port: await refusedPort() };
    const sb = sandbox();
    const url = `redis://gw-admin-user:pw%40hunter2-redis@127.0.0.1:${refused.port}/0?password=q-hunter3-redis-pass&db=0`;
    sb.writeConfig({ session: { store: { kind: "redis", url } } });
    for (const args of [["doctor"], ["doctor", "--json"]]) {
      const r = await sb.run(args);
      const out = r.stdout + r.stderr;
      expect(out).toContain(`Redis redis://***@127.0.0.1:${refused.port}/0?password=***&db=***`);
      for (const secret of ["gw-admin-user", "hunter2-redis", "q-hunter3-redis-pass"])
        expect(out).not.toContain(secret);
    }
  });
});

describeRedis("openclaw doctor: session store on a live Redis", () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.cleanup();
  });

  it("Redis answering PING is ok", async () => {
    const sb = sandbox();
    sb.writeConfig({ session: { store: { kind: "redis", url: redis?.url ?? "", keyPrefix: "doctor:" } } });
    const r = await sb.run(["doctor"]);
    expect(r.stdout).toMatch(
      new RegExp(
        `✓ session store Redis redis://127\\.0\\.0\\.1:${redis?.port} \\(keyPrefix "doctor:"\\) answered PING in \\d+ ms`,
      ),
    );
    expect(r.stderr).toBe("");
  });
});

describe("openclaw onboard", () => {
  it("--non-interactive stores an API key or a token (from stdin) and can set the default model", async () => {
    const sb = sandbox();
    const key = apiKey();
    const token = setupToken();
    const r1 = await sb.run([
      "onboard",
      "--non-interactive",
      "--accept-risk",
      "--auth-choice",
      "apiKey",
      "--anthropic-api-key",
      key,
      "--model",
      "opus",
    ]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout).toContain("Auth profile: anthropic:manual (anthropic/api_key)");
    expect(r1.stdout).toContain("Default model: anthropic/claude-opus-5-5");
    const r2 = await sb.run(
      [
        "onboard",
        "--non-interactive",
        "--auth-choice",
        "token",
        "--token-stdin",
        "--profile-id",
        "anthropic:sub",
        "--token-expires-in",
        "365d",
      ],
      {
        input: `${token.slice(0, 40)}\n${token.slice(40)}\n`,
      },
    );
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

  it("checks every input before writing anything: a bad --model, expiry or profile id stores no credential", async () => {
    const sb = sandbox();
    const key = apiKey();
    const base = ["onboard", "--non-interactive", "--auth-choice", "apiKey", "--token-stdin"];
    const [model, expiry, prefix] = await Promise.all([
      sb.run([...base, "--model", "opuss"], { input: key }),
      sb.run(
        ["onboard", "--non-interactive", "--auth-choice", "token", "--token-stdin", "--token-expires-in", "soon"],
        { input: setupToken() },
      ),
      sb.run([...base, "--profile-id", "openai:work"], { input: key }),
    ]);
    expect(model.code).toBe(1);
    expect(model.stderr).toContain('Unknown model "opuss". Nothing was stored.');
    expect(model.stderr).toMatch(/Did you mean `opus`/);
    expect(expiry.code).toBe(1);
    expect(prefix.code).toBe(1);
    expect(prefix.stderr).toContain(
      "Profile id openai:work names provider openai, but the credential is for anthropic",
    );
    expect(fs.existsSync(sb.profilesPath())).toBe(false);
    expect(fs.existsSync(sb.configPath)).toBe(false);
  });
});

describe("openclaw models auth setup-token", () => {
  it("needs a TTY; on one it explains how to get `claude` when it is missing", async () => {
    const sb = sandbox();
    const [noTty, noClaude] = await Promise.all([
      sb.run(["models", "auth", "setup-token", "--provider", "anthropic"]),
      sb.run(["models", "auth", "setup-token", "--provider", "anthropic"], {
        tty: true,
        env: { PATH: "/usr/bin:/bin" },
      }),
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
    expect(sb.readProfiles().profiles["anthropic:manual"]).toMatchObject({
      type: "token",
      provider: "anthropic",
      token,
    });
  });
});

describe("output hygiene", () => {
  it("no output of this file contains a whole secret", () => {
    expectNoSecretLeaked();
  });
});
