import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeTokenEndpoint, type FakeTokenEndpoint } from "../fakes/token-endpoint.js";
import { expectNoSecretLeaked, removeSandboxes, sandbox, setupToken } from "./support.js";

afterAll(removeSandboxes);

const ID = "anthropic:me@example.com";
const HOUR = 3_600_000;

describe("OAuth profiles in models status and doctor", () => {
  let endpoint: FakeTokenEndpoint;
  let refresh: string;
  let access: string;

  beforeEach(async () => {
    refresh = setupToken();
    access = setupToken();
    endpoint = await startFakeTokenEndpoint({ refresh });
  });
  afterEach(() => endpoint.close());

  function withOAuth(expires: number, refreshedAt?: number) {
    const sb = sandbox();
    sb.writeConfig({ models: { providers: { anthropic: { oauth: { tokenUrl: endpoint.url } } } } });
    sb.writeProfiles({
      version: 1,
      profiles: {
        [ID]: {
          type: "oauth",
          provider: "anthropic",
          access,
          refresh,
          expires,
          email: "me@example.com",
          ...(refreshedAt !== undefined ? { refreshedAt } : {}),
        },
      },
    });
    return sb;
  }

  it("an expired profile with a refresh token is refreshable: used, not a problem, with its last refresh time", async () => {
    const now = Date.now();
    const sb = withOAuth(now - HOUR, now - 3 * HOUR);
    const text = await sb.run(["models", "status", "--check"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/effective\s+anthropic:me@example\.com \(oauth, default order\)/);
    expect(text.stdout).toMatch(/→\s+anthropic:me@example\.com\s+oauth\s+\S+\s+refreshable\s+expired 1h ago/);
    expect(text.stdout).toMatch(
      /anthropic:me@example\.com\s+oauth\s+refreshable\s+expired 1h ago\s+\S+\s+refreshed 3h ago/,
    );

    const json = JSON.parse((await sb.run(["models", "status", "--json"])).stdout) as {
      auth: {
        oauth: { profiles: { id: string; refreshable: boolean; lastRefreshAt: string | null; health: string }[] };
        providers: { provider: string; effective: { refreshable: boolean; lastRefreshAt: string | null } | null }[];
      };
    };
    expect(json.auth.oauth.profiles.find((p) => p.id === ID)).toMatchObject({
      refreshable: true,
      health: "expired",
      lastRefreshAt: new Date(now - 3 * HOUR).toISOString(),
    });
    expect(json.auth.providers.find((p) => p.provider === "anthropic")?.effective).toMatchObject({
      refreshable: true,
      lastRefreshAt: new Date(now - 3 * HOUR).toISOString(),
    });
    expect(endpoint.grants).toHaveLength(0);
  });

  it("doctor says a profile expiring within 24 h is refreshed before use; doctor --fix refreshes it now", async () => {
    const sb = withOAuth(Date.now() + 5 * HOUR);
    endpoint.expiresIn = 2 * 24 * 3600;
    const looked = await sb.run(["doctor"]);
    expect(looked.stdout).toContain(
      `✓ ${ID} (agent main) expires in 5h; refreshable, so it is refreshed before use (doctor --fix refreshes it now)`,
    );
    expect(endpoint.grants).toHaveLength(0);

    const fixed = await sb.run(["doctor", "--fix"]);
    expect(fixed.stdout).toContain(`✓ fixed: ${ID} (agent main) refreshed; expires in 2d`);
    expect(endpoint.grants).toHaveLength(1);
    const stored = sb.readProfiles().profiles[ID];
    expect(stored).toMatchObject({
      access: endpoint.issued[0],
      refresh: endpoint.validRefresh,
      email: "me@example.com",
    });
    expect(typeof stored.refreshedAt).toBe("number");
    for (const out of [fixed.stdout, fixed.stderr]) {
      expect(out).not.toContain(endpoint.issued[0]);
      expect(out).not.toContain(endpoint.validRefresh);
    }
    // Fresh now: a second --fix sends nothing.
    await sb.run(["doctor", "--fix"]);
    expect(endpoint.grants).toHaveLength(1);
  });

  it("doctor --fix with a revoked login says to log in again, with the exact command, and status shows auth", async () => {
    endpoint.mode = "revoked";
    const sb = withOAuth(Date.now() + 2 * HOUR);
    const fixed = await sb.run(["doctor", "--fix"]);
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).toContain(`✗ ${ID} (agent main): The OAuth login of ${ID} is no longer valid`);
    expect(fixed.stdout).toContain(
      `fix: Log in again: openclaw models auth login --provider anthropic --profile-id ${ID}.`,
    );
    const status = await sb.run(["models", "status"]);
    expect(status.stdout).toMatch(new RegExp(`${ID}\\s+cooldown: cooling down \\S+ after auth`));
    expect(status.stdout).toContain(
      `fix: log in again: openclaw models auth login --provider anthropic --profile-id ${ID}`,
    );
    expectNoSecretLeaked();
  });
});
