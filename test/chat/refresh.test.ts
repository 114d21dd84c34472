import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Candidate } from "../../src/auth/resolver.js";
import { freshCredential } from "../../src/chat/refresh.js";
import { oauthProfile, startFakeTokenEndpoint, type FakeTokenEndpoint } from "../fakes/token-endpoint.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, candidateOf, leakCheckedHarnesses, T0, type ChatHarness } from "./harness.js";

const KEY = "sk-ant-api03-REFRESHSTEPREFRESH000aaaa";
const OAUTH_ID = "anthropic:me@example.com";
const ACCESS = `sk-ant-oat01-refresh-${"a".repeat(60)}`;
const REFRESH = `sk-ant-ort01-refresh-${"r".repeat(60)}`;
const fake = useFakeProvider();
let endpoint: FakeTokenEndpoint;
beforeEach(async () => {
  endpoint = await startFakeTokenEndpoint({ refresh: REFRESH });
});
afterEach(async () => {
  await endpoint.close();
});
const harness = leakCheckedHarnesses(fake, [KEY, ACCESS, REFRESH]);

/** A gateway with an OAuth profile expiring in `expiresInMs` and an API key. */
function gateway(expiresInMs: number): Promise<ChatHarness> {
  return harness({
    config: { models: { providers: { anthropic: { oauth: { tokenUrl: endpoint.url } } } } },
    authProfiles: {
      version: 1,
      profiles: {
        [OAUTH_ID]: oauthProfile(ACCESS, REFRESH, T0 + expiresInMs),
        "anthropic:a": apiKey("anthropic", KEY),
      },
    },
  });
}

const fresh = (h: ChatHarness, c: Candidate) =>
  freshCredential(h.services, (level, m) => void h.logs.push(`[${level}] ${m}`), "main", c);

describe("freshCredential", () => {
  it("refreshes an OAuth token expiring within 5 minutes and hands on the new one", async () => {
    const h = await gateway(60_000);
    const out = await fresh(h, candidateOf(h, OAUTH_ID));
    expect(endpoint.grants).toHaveLength(1);
    expect(out).toMatchObject({ id: OAUTH_ID, secret: endpoint.issued[0], health: "ok" });
    expect(h.logs).toEqual([`[info] chat: refreshed the OAuth profile ${OAUTH_ID}`]);
  });

  it("leaves an API key and a token with time left as they are, without asking the endpoint", async () => {
    const h = await gateway(60 * 60_000);
    for (const id of ["anthropic:a", OAUTH_ID]) {
      const c = candidateOf(h, id);
      expect(await fresh(h, c)).toBe(c);
    }
    expect(endpoint.grants).toHaveLength(0);
  });

  it("a revoked login is a failure that says how to log in again, logged without a secret", async () => {
    endpoint.mode = "revoked";
    const h = await gateway(60_000);
    const out = await fresh(h, candidateOf(h, OAUTH_ID));
    expect(out).toMatchObject({
      message: expect.stringContaining(`The OAuth login of ${OAUTH_ID} is no longer valid`),
    });
    expect(h.logs).toEqual([expect.stringMatching(new RegExp(`^\\[warn\\] chat: refresh of ${OAUTH_ID} failed: `))]);
  });
});
