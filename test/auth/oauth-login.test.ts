import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { oauthLoginFor, type OAuthLogin } from "../../src/auth/oauth-endpoints.js";
import { browserLogin, deviceCodeLogin, type LoginDeps } from "../../src/auth/oauth-login.js";
import type { OpenClawConfig } from "../../src/config/schema.js";
import { browse, startFakeOAuthProvider, type FakeOAuthProvider } from "../fakes/oauth-provider.js";

let fake: FakeOAuthProvider;
let login: OAuthLogin;

beforeEach(async () => {
  fake = await startFakeOAuthProvider();
  const config = { models: { providers: { openai: { oauth: fake.settings } } } } as OpenClawConfig;
  const found = oauthLoginFor(config, "openai");
  if (!found) throw new Error("openai has a login");
  login = found;
});
afterEach(() => fake.close());

/** Deps whose "browser" follows the authorize URL, and whose clock only moves when polls sleep. */
function deps(onPage?: (page: { status: number; text: string }) => void): LoginDeps & { now: number; shown: string[] } {
  const d = {
    now: 1_000_000,
    shown: [] as string[],
    clock: () => d.now,
    sleep: async (ms: number) => {
      d.now += ms;
    },
    showUrl: (url: string) => {
      d.shown.push(url);
      void browse(url).then(onPage ?? (() => {}));
    },
    showDeviceCode: (p: { verificationUrl: string; userCode: string }) =>
      void d.shown.push(`${p.verificationUrl} ${p.userCode}`),
  };
  return d;
}

describe("OpenClaw's defaults", () => {
  it("are OpenAI's ChatGPT login: client id, consent page, callback on localhost:1455, device endpoint", () => {
    expect(oauthLoginFor({} as OpenClawConfig, "openai")).toMatchObject({
      clientId: "app_EMoamEEZ73f0CkXaXp7hrann",
      authorizeUrl: "https://auth.openai.com/oauth/authorize",
      tokenUrl: "https://auth.openai.com/oauth/token",
      redirectUri: "http://localhost:1455/auth/callback",
      deviceCodeUrl: "https://auth.openai.com/api/accounts/deviceauth/usercode",
      scope: "openid profile email offline_access",
    });
    expect(
      oauthLoginFor({} as OpenClawConfig, "openai", { OPENCLAW_OAUTH_CALLBACK_HOST: "127.0.0.1" })?.redirectUri,
    ).toBe("http://127.0.0.1:1455/auth/callback");
    expect(oauthLoginFor({} as OpenClawConfig, "anthropic")).toBeUndefined();
  });
});

describe("browser login (PKCE, loopback redirect)", () => {
  it("sends S256 PKCE and a state, receives the redirect, redeems the code with the verifier", async () => {
    let page = { status: 0, text: "" };
    const d = deps((p) => (page = p));
    const r = await browserLogin(login, d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.tokens).toMatchObject({
      email: "me@example.com",
      accountId: "acct-fake-1",
      chatgptPlanType: "plus",
      profileName: "me@example.com",
      expires: d.now + 864_000_000,
    });
    expect(fake.issued).toContain(r.tokens.access);
    expect(fake.issued).toContain(r.tokens.refresh);
    const q = fake.authorizeRequests[0];
    expect(q?.get("code_challenge_method")).toBe("S256");
    expect(q?.get("state")).toMatch(/^[0-9a-f]{32}$/);
    expect(q?.get("originator")).toBe("openclaw");
    expect(q?.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
    expect(fake.grants[0]).toMatchObject({ grant_type: "authorization_code", redirect_uri: q?.get("redirect_uri") });
    expect(page.status).toBe(200);
  });

  it("a declined consent ends the login with its reason and redeems nothing", async () => {
    fake.consent = "deny";
    const r = await browserLogin(login, deps());
    expect(r).toMatchObject({ ok: false, error: { code: "login_denied" } });
    if (!r.ok) expect(r.error.message).toContain("access_denied: The user declined");
    expect(fake.grants).toHaveLength(0);
  });

  it("a redirect with another state is refused, the page says so, and no code is redeemed", async () => {
    fake.consent = "wrong-state";
    let page = { status: 0, text: "" };
    const r = await browserLogin(
      login,
      deps((p) => (page = p)),
    );
    expect(r).toMatchObject({ ok: false, error: { code: "login_state_mismatch" } });
    expect(fake.grants).toHaveLength(0);
    await expect.poll(() => page.status).toBe(400);
    expect(page.text).toContain("State mismatch");
  });

  it("a token endpoint that fails ends the login with its status, never a token", async () => {
    fake.tokenFailure = 503;
    const r = await browserLogin(login, deps());
    expect(r).toMatchObject({ ok: false, error: { code: "login_token_failed" } });
    if (!r.ok) expect(r.error.message).toContain("HTTP 503 server_error: token service down");
  });

  it("a busy callback port is a clear failure that points to --device-code", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = await browserLogin({ ...login, redirectUri: `http://127.0.0.1:${port}/auth/callback` }, deps());
      expect(r).toMatchObject({ ok: false, error: { code: "login_callback_unavailable" } });
      if (!r.ok) expect(r.error.hint).toContain("--device-code");
    } finally {
      blocker.close();
    }
  });

  it("gives up when no redirect comes back in time", async () => {
    const d = { ...deps(), showUrl: () => {}, callbackTimeoutMs: 50 };
    const r = await browserLogin(login, d);
    expect(r).toMatchObject({ ok: false, error: { code: "login_timeout" } });
  });
});

describe("device-code login", () => {
  it("shows the verification page and code, polls until approved, redeems the code it returns", async () => {
    fake.pendingPolls = 2;
    const d = deps();
    const r = await deviceCodeLogin(login, d);
    expect(r).toMatchObject({ ok: true, tokens: { email: "me@example.com", accountId: "acct-fake-1" } });
    expect(d.shown).toEqual([`${fake.origin}/codex/device ABCD-1234`]);
    expect(fake.polls).toBe(3);
    expect(fake.grants[0]).toMatchObject({ redirect_uri: `${fake.origin}/deviceauth/callback` });
  });

  it("a code nobody approves expires after its lifetime, on the injected clock", async () => {
    fake.device = "pending";
    fake.deviceExpiresIn = 5;
    const d = deps();
    const r = await deviceCodeLogin(login, d);
    expect(r).toMatchObject({ ok: false, error: { code: "login_device_code_expired" } });
    expect(fake.polls).toBe(5);
    expect(fake.grants).toHaveLength(0);
  });

  it("the endpoint's expired_token and access_denied end the login with their own messages", async () => {
    fake.device = "expired";
    expect(await deviceCodeLogin(login, deps())).toMatchObject({
      ok: false,
      error: { code: "login_device_code_expired" },
    });
    fake.device = "deny";
    expect(await deviceCodeLogin(login, deps())).toMatchObject({ ok: false, error: { code: "login_denied" } });
    expect(fake.grants).toHaveLength(0);
  });
});
