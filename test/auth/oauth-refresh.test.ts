import { spawn } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryCooldownStore } from "../../src/auth/cooldowns.js";
import { OAuthRefresher, type RefresherDeps } from "../../src/auth/oauth-refresh.js";
import { redactText } from "../../src/auth/redact.js";
import { AuthProfileStore } from "../../src/auth/store.js";
import type { OpenClawConfig } from "../../src/config/schema.js";
import { MemoryLeaseStore } from "../../src/auth/lease.js";
import {
  OAUTH_ID as ID,
  oauthProfile,
  startFakeTokenEndpoint,
  type FakeTokenEndpoint,
} from "../fakes/token-endpoint.js";
import { ROOT, requireBuild } from "../support/cli.js";
import { scaled } from "../support/slowness.js";
import { writeStateDir } from "../support/state.js";
import type { RefresherSpec } from "./fixtures/refresher.js";

const OLD_ACCESS = `sk-ant-oat01-old-${"a".repeat(70)}`;
const OLD_REFRESH = `sk-ant-ort01-old-${"r".repeat(70)}`;
const MINUTE = 60_000;
const target = { agentId: "main", provider: "anthropic", profileId: ID };

describe("OAuth profiles that refresh", () => {
  let endpoint: FakeTokenEndpoint;
  let stateDir: string;
  let config: OpenClawConfig;

  const profileFile = () => path.join(stateDir, "agents", "main", "agent", "auth-profiles.json");
  const stored = () =>
    (JSON.parse(fs.readFileSync(profileFile(), "utf8")) as { profiles: Record<string, Record<string, unknown>> })
      .profiles[ID];

  function writeProfile(expires: number, extra: Record<string, unknown> = {}) {
    config = { models: { providers: { anthropic: { oauth: { tokenUrl: endpoint.url } } } } };
    stateDir = writeStateDir({
      prefix: "openclaw-oauth-",
      config,
      authProfiles: {
        version: 1,
        profiles: {
          [ID]: {
            ...oauthProfile(OLD_ACCESS, OLD_REFRESH, expires),
            // A field some other tool wrote: kept on write-back.
            accountUuid: "acc-123",
            ...extra,
          },
        },
      },
    });
  }

  function refresher(over: Partial<RefresherDeps> = {}) {
    const cooldowns = new MemoryCooldownStore();
    const r = new OAuthRefresher({
      store: new AuthProfileStore(stateDir),
      leases: new MemoryLeaseStore(),
      cooldowns,
      config: () => config,
      clock: Date.now,
      ...over,
    });
    return { r, cooldowns };
  }

  beforeEach(async () => {
    endpoint = await startFakeTokenEndpoint({ refresh: OLD_REFRESH });
  });
  afterEach(async () => {
    await endpoint.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it("refreshes a profile 4 minutes from expiry and writes the rotated tokens back, keeping every other field", async () => {
    writeProfile(Date.now() + 4 * MINUTE);
    const { r } = refresher();
    const before = Date.now();
    const got = await r.ensureFresh(target);

    expect(endpoint.grants).toHaveLength(1);
    expect(endpoint.grants[0]?.contentType).toBe("application/json");
    expect(endpoint.grants[0]?.fields).toEqual({
      grant_type: "refresh_token",
      refresh_token: OLD_REFRESH,
      client_id: "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
    });
    expect(got).toMatchObject({ ok: true, refreshed: true, secret: endpoint.issued[0] });
    const p = stored();
    expect(p).toMatchObject({
      type: "oauth",
      provider: "anthropic",
      access: endpoint.issued[0],
      refresh: endpoint.validRefresh,
      email: "me@example.com",
      accountUuid: "acc-123",
    });
    expect(p?.refresh).not.toBe(OLD_REFRESH);
    expect(Number(p?.expires)).toBeGreaterThanOrEqual(before + 3600_000);
    expect(Number(p?.refreshedAt)).toBeGreaterThanOrEqual(before);
    expect(fs.statSync(profileFile()).mode & 0o777).toBe(0o600);
    // Both new tokens are known to the redactor.
    expect(redactText(`a ${endpoint.issued[0]} b ${endpoint.validRefresh}`)).not.toContain(endpoint.validRefresh);
    expect(redactText(`${endpoint.issued[0]}`)).not.toBe(endpoint.issued[0]);

    // Fresh now: the next ask sends nothing.
    expect(await r.ensureFresh(target)).toMatchObject({ ok: true, refreshed: false, secret: endpoint.issued[0] });
    expect(endpoint.grants).toHaveLength(1);
  });

  it("a token with more than 5 minutes left is used as it is", async () => {
    writeProfile(Date.now() + 6 * MINUTE);
    const got = await refresher().r.ensureFresh(target);
    expect(got).toMatchObject({ ok: true, refreshed: false, secret: OLD_ACCESS });
    expect(endpoint.grants).toHaveLength(0);
  });

  it("20 callers at once in one process share one refresh", async () => {
    writeProfile(Date.now() - MINUTE);
    endpoint.delayMs = 100;
    const { r } = refresher();
    const all = await Promise.all(Array.from({ length: 20 }, () => r.ensureFresh(target)));
    expect(endpoint.grants).toHaveLength(1);
    for (const g of all) expect(g).toMatchObject({ ok: true, secret: endpoint.issued[0] });
  });

  it("invalid_grant marks the profile auth with the login command, and the dead token is never sent again", async () => {
    writeProfile(Date.now() - MINUTE);
    endpoint.mode = "revoked";
    const { r, cooldowns } = refresher();
    const got = await r.ensureFresh(target);
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.failure).toMatchObject({ code: "oauth_refresh_invalid_grant", kind: "invalid_grant", transient: false });
    expect(got.failure.message).toContain("HTTP 400 invalid_grant");
    expect(got.failure.hint).toBe(`Log in again: openclaw models auth login --provider anthropic --profile-id ${ID}.`);
    expect(cooldowns.get(ID)?.cooldowns[0]?.reason).toBe("auth");
    // Asked again (the cooldown lapsed, another message): the same token is not sent again.
    const again = await r.ensureFresh(target);
    expect(again.ok).toBe(false);
    expect(endpoint.grants).toHaveLength(1);
    // Nothing was written over the stored login.
    expect(stored()).toMatchObject({ access: OLD_ACCESS, refresh: OLD_REFRESH });
  });

  it("a token endpoint that does not answer is a transient failure: nothing cools, the next ask refreshes", async () => {
    writeProfile(Date.now() - MINUTE);
    endpoint.mode = "hang";
    const { r, cooldowns } = refresher({ timeoutMs: 200 });
    const got = await r.ensureFresh(target);
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.failure).toMatchObject({ code: "oauth_refresh_timeout", kind: "timeout", transient: true });
    expect(got.failure.message).toContain("no answer from the token endpoint within 200 ms");
    expect(cooldowns.get(ID)).toBeUndefined();
    expect(stored()).toMatchObject({ access: OLD_ACCESS, refresh: OLD_REFRESH });

    endpoint.mode = "rotate";
    expect(await r.ensureFresh(target)).toMatchObject({ ok: true, refreshed: true });
    expect(endpoint.grants).toHaveLength(2);
  });

  it("a provider whose refresh token does not rotate keeps the stored one", async () => {
    writeProfile(Date.now() - MINUTE);
    endpoint.mode = "keep";
    expect(await refresher().r.ensureFresh(target)).toMatchObject({ ok: true, refreshed: true });
    expect(stored()).toMatchObject({ access: endpoint.issued[0], refresh: OLD_REFRESH });
  });

  it("OpenAI profiles refresh with a form body and OpenAI's client id; a configured client id wins", async () => {
    writeProfile(Date.now() - MINUTE);
    const file = JSON.parse(fs.readFileSync(profileFile(), "utf8")) as {
      profiles: Record<string, Record<string, unknown>>;
    };
    file.profiles["openai:me"] = { ...file.profiles[ID], provider: "openai" };
    fs.writeFileSync(profileFile(), JSON.stringify(file));
    config = { models: { providers: { openai: { oauth: { tokenUrl: endpoint.url } } } } };
    const openai = { agentId: "main", provider: "openai", profileId: "openai:me" };
    expect(await refresher().r.ensureFresh(openai)).toMatchObject({ ok: true, refreshed: true });
    expect(endpoint.grants[0]?.contentType).toBe("application/x-www-form-urlencoded");
    expect(endpoint.grants[0]?.fields.client_id).toBe("app_EMoamEEZ73f0CkXaXp7hrann");

    fs.writeFileSync(profileFile(), JSON.stringify(file));
    config = { models: { providers: { openai: { oauth: { tokenUrl: endpoint.url, clientId: "my-client" } } } } };
    endpoint.mode = "keep";
    await refresher().r.ensureFresh(openai);
    expect(endpoint.grants[1]?.fields.client_id).toBe("my-client");
  });

  it("a redirect from the token endpoint fails naming the endpoint, and the address it points to never gets the refresh token", async () => {
    // The first endpoint answers every request with a redirect to the second, a real token endpoint
    // that would accept the refresh token and record it.
    const asked: string[] = [];
    let status = 307;
    const redirector = createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(status, { location: endpoint.url });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/v1/oauth/token?tenant=1`;
      for (const code of [307, 308, 302]) {
        status = code;
        writeProfile(Date.now() - MINUTE);
        config = { models: { providers: { anthropic: { oauth: { tokenUrl: url } } } } };
        const { r, cooldowns } = refresher();
        const got = await r.ensureFresh(target);
        expect(got.ok).toBe(false);
        if (got.ok) return;
        expect(got.failure).toMatchObject({ code: "oauth_refresh_redirected", kind: "redirected", transient: false });
        expect(got.failure.message).toBe(
          `Refreshing ${ID} failed: the token endpoint ${url.replace("?tenant=1", "")} answered HTTP ${code} (a redirect, which is not followed).`,
        );
        expect(got.failure.hint).toBe(
          "Set models.providers.anthropic.oauth.tokenUrl to the endpoint's current address.",
        );
        expect(JSON.stringify(got)).not.toContain(OLD_REFRESH.slice(0, 20));
        expect(cooldowns.get(ID)?.cooldowns[0]?.reason).toBe("auth");
        expect(stored()).toMatchObject({ access: OLD_ACCESS, refresh: OLD_REFRESH });
      }
      expect(asked).toEqual(Array(3).fill("POST /v1/oauth/token?tenant=1"));
      expect(endpoint.grants).toEqual([]);
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it("a token endpoint over plain http to another machine is refused before anything is sent, naming the key", async () => {
    writeProfile(Date.now() - MINUTE);
    // Built in code, past the config schema that refuses it at load.
    for (const tokenUrl of ["http://auth.example.invalid/v1/oauth/token", "ftp://127.0.0.1/token"]) {
      config = { models: { providers: { anthropic: { oauth: { tokenUrl } } } } };
      const got = await refresher().r.ensureFresh(target);
      expect(got.ok).toBe(false);
      if (got.ok) return;
      expect(got.failure).toMatchObject({ code: "oauth_refresh_insecure_endpoint", transient: false });
      expect(got.failure.hint).toBe(
        "Set models.providers.anthropic.oauth.tokenUrl to an https:// URL (http:// only to 127.0.0.0/8, [::1] or localhost).",
      );
    }
    expect(stored()).toMatchObject({ access: OLD_ACCESS, refresh: OLD_REFRESH });
  });

  it("a provider without a known token endpoint says which config key to set", async () => {
    writeProfile(Date.now() - MINUTE);
    config = {};
    const file = JSON.parse(fs.readFileSync(profileFile(), "utf8")) as {
      profiles: Record<string, Record<string, unknown>>;
    };
    file.profiles["mistral:me"] = { ...file.profiles[ID], provider: "mistral" };
    fs.writeFileSync(profileFile(), JSON.stringify(file));
    const got = await refresher().r.ensureFresh({ agentId: "main", provider: "mistral", profileId: "mistral:me" });
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.failure.hint).toContain("models.providers.mistral.oauth.tokenUrl");
  });

  it("two processes on one state dir (SQLite session store) spend the refresh token once", async () => {
    requireBuild();
    writeProfile(Date.now() + MINUTE);
    endpoint.delayMs = 300;
    const spec: RefresherSpec = { stateDir, profileId: ID, provider: "anthropic", count: 5 };
    const script = path.join(ROOT, "dist", "test", "auth", "fixtures", "refresher.js");
    const children = [0, 1].map(() => {
      const proc = spawn(process.execPath, [script, JSON.stringify(spec)], { stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let err = "";
      proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
      proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const until = async (re: RegExp) => {
        const deadline = Date.now() + scaled(15_000);
        while (!re.test(out)) {
          if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`child: ${out}\n${err}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return out;
      };
      return { proc, until };
    });
    await Promise.all(children.map((c) => c.until(/^ready$/m)));
    for (const c of children) c.proc.stdin.write("go\n");
    const outputs = await Promise.all(children.map((c) => c.until(/^\[.*\]$/m)));
    const results = outputs.flatMap((o) => JSON.parse(o.split("\n")[1] ?? "[]") as { ok: boolean; secret?: string }[]);

    expect(endpoint.grants).toHaveLength(1);
    expect(results).toHaveLength(10);
    for (const g of results) expect(g).toEqual({ ok: true, secret: endpoint.issued[0] });
    expect(stored()).toMatchObject({ access: endpoint.issued[0], refresh: endpoint.validRefresh });
  });
});
