import fs from "node:fs";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CachedProfileReader } from "../../src/auth/store.js";
import { assembleState } from "../support/assembly.js";
import { createIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";
import { browse, startFakeOAuthProvider, type FakeOAuthProvider } from "../fakes/oauth-provider.js";
import { writeStateDir } from "../support/state.js";

let fake: FakeOAuthProvider;
let state: string;

beforeEach(async () => {
  fake = await startFakeOAuthProvider();
  state = writeStateDir({
    prefix: "auth-login-",
    config: { models: { providers: { openai: { oauth: fake.settings } } } },
  });
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(state, { recursive: true, force: true });
});

/**
 * Runs `openclaw models auth login <args>` in this process; a URL of the fake's consent page that
 * the command prints is followed the way a browser would follow it.
 */
async function login(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  let browsed = false;
  stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  stderr.setEncoding("utf8").on("data", (d: string) => {
    err += d;
    const url = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/.exec(err)?.[1];
    if (url && !browsed) {
      browsed = true;
      void browse(url);
    }
  });
  const io = createIo({
    env: { PATH: process.env.PATH, HOME: state, OPENCLAW_STATE_DIR: state },
    cwd: state,
    stdin: () => Readable.from([""]),
    stdout,
    stderr,
    promptOutput: () => stderr,
  });
  const code = await runCli(["models", "auth", "login", ...args], io);
  return { code, stdout: out, stderr: err };
}

const store = () => assembleState(state).credentials;
const config = () => JSON.parse(fs.readFileSync(path.join(state, "openclaw.json"), "utf8"));

function expectNoTokenIn(text: string): void {
  for (const t of fake.issued) {
    expect(text).not.toContain(t);
    expect(text).not.toContain(t.slice(10, 40));
  }
}

describe("openclaw models auth login --provider openai", () => {
  it("browser login: stores OpenClaw's OAuth profile, records it in the config, and a running reader sees it", async () => {
    const reader = new CachedProfileReader(store(), Date.now, 0);
    expect(reader.get("main").profiles).toEqual({});
    const r = await login(["--provider", "openai"]);
    expect(r.code, r.stderr).toBe(0);
    const id = "openai:me@example.com";
    const stored = store().read("main").profiles[id];
    expect(stored).toEqual({
      type: "oauth",
      provider: "openai",
      access: fake.issued[0],
      refresh: fake.issued[1],
      expires: expect.any(Number),
      email: "me@example.com",
      accountId: "acct-fake-1",
      chatgptPlanType: "plus",
    });
    expect(stored?.expires).toBeGreaterThan(Date.now() + 9 * 86_400_000);
    expect(config().auth.profiles[id]).toEqual({ provider: "openai", mode: "oauth", email: "me@example.com" });
    expect(r.stdout.split("\n")[0]).toBe(`Auth profile: ${id} (openai/oauth)`);
    expect(r.stdout).toContain("Default model available: openai/gpt-6-astra (current default unchanged");
    // A ChatGPT sign-in serves OpenClaw; the gateway's OpenAI API calls need a key, and it says so.
    expect(r.stdout).toContain("this gateway calls the OpenAI API, which does not accept it");
    expect(r.stderr).toContain("Open this URL in a browser on this machine");
    // The gateway's view of the store follows the write without a restart.
    expect(Object.keys(reader.get("main").profiles)).toEqual([id]);
    expectNoTokenIn(r.stdout + r.stderr);
  });

  it("--device-code --profile-id --set-default --force: replaces the provider's other logins only after the login worked, and keeps its API key", async () => {
    const apiKey = `sk-proj-${"k".repeat(40)}`;
    await store().update("main", (f) => {
      f.profiles["openai:old"] = {
        type: "oauth",
        provider: "openai",
        access: `old-access-${"o".repeat(30)}`,
        refresh: `old-refresh-${"o".repeat(30)}`,
        expires: Date.now() + 3_600_000,
      };
      f.profiles["openai:key"] = { type: "api_key", provider: "openai", key: apiKey };
      f.order = { openai: ["openai:old"] };
    });
    const r = await login([
      "--provider",
      "openai",
      "--device-code",
      "--profile-id",
      "openai:work",
      "--set-default",
      "--force",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Open ${fake.origin}/codex/device in any browser and enter the code ABCD-1234`);
    const file = store().read("main");
    // The gateway calls OpenAI with the API key (a ChatGPT sign-in is not accepted there): it stays.
    expect(Object.keys(file.profiles).sort()).toEqual(["openai:key", "openai:work"]);
    // The order listed only the removed profile, so it went with it (as logout drops an emptied list).
    expect(file.order).toBeUndefined();
    expect(r.stdout).toContain("Removed the other openai logins (--force): openai:old");
    expect(r.stdout).toContain("Default model set to openai/gpt-6-astra");
    expect(config().agents.defaults).toEqual({
      model: { primary: "openai/gpt-6-astra" },
      models: { "openai/gpt-6-astra": {} },
    });
    expectNoTokenIn(r.stdout + r.stderr);
  });

  it("puts the new profile first in the agent's existing order for the provider, as OpenClaw does", async () => {
    await store().update("main", (f) => {
      f.profiles["openai:other"] = { type: "api_key", provider: "openai", key: `sk-proj-${"p".repeat(40)}` };
      f.order = { openai: ["openai:other"] };
    });
    const r = await login(["--provider", "openai", "--device-code"]);
    expect(r.code, r.stderr).toBe(0);
    expect(store().read("main").order).toEqual({ openai: ["openai:me@example.com", "openai:other"] });
  });

  it("a declined consent, an expired device code or a failing token endpoint: a clear error, exit 1, nothing stored", async () => {
    await store().update("main", (f) => {
      f.profiles["openai:old"] = { type: "api_key", provider: "openai", key: `sk-proj-${"o".repeat(40)}` };
    });
    const before = fs.readFileSync(path.join(state, "openclaw.json"), "utf8");
    fake.consent = "deny";
    const denied = await login(["--provider", "openai", "--force"]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("error: The sign-in was declined at the consent page (access_denied");
    fake.device = "expired";
    const expired = await login(["--provider", "openai", "--device-code"]);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain("error: The device code expired before the sign-in was approved");
    fake.consent = "approve";
    fake.tokenFailure = 500;
    const broken = await login(["--provider", "openai"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("error: The token endpoint did not complete the login: HTTP 500 server_error");
    expect(Object.keys(store().read("main").profiles)).toEqual(["openai:old"]);
    expect(fs.readFileSync(path.join(state, "openclaw.json"), "utf8")).toBe(before);
  });

  it("a provider OpenClaw logs in to another way is refused with where to go instead", async () => {
    const r = await login(["--provider", "anthropic"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: This CLI has no OAuth login for anthropic.");
    expect(r.stderr).toContain("setup-token --provider anthropic");
    const both = await login(["--provider", "openai", "--device-code", "--method", "oauth"]);
    expect(both.stderr).toContain("--device-code cannot be combined with --method unless method is device-code.");
  });
});
