import { describe, expect, it } from "vitest";
import { credentialStep } from "../../src/chat/credential.js";
import type { Attempt, CallOutcome } from "../../src/chat/turn.js";
import type { Classification } from "../../src/providers/classify.js";
import { oauthProfile, startFakeTokenEndpoint } from "../fakes/token-endpoint.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, leakCheckedHarnesses, MAIN_KEY, startTestTurn, T0, type ChatHarness } from "./harness.js";

const KEY_A = "sk-ant-api03-CREDSTEPCREDSTEP00000aaaa";
const KEY_B = "sk-ant-api03-CREDSTEPCREDSTEP00000bbbb";
const KEY_C = "sk-ant-api03-CREDSTEPCREDSTEP00000cccc";
const OAUTH_ID = "anthropic:me@example.com";
const ACCESS = `sk-ant-oat01-credstep-${"a".repeat(60)}`;
const REFRESH = `sk-ant-ort01-credstep-${"r".repeat(60)}`;
const PROFILES = {
  "anthropic:a": apiKey("anthropic", KEY_A),
  "anthropic:b": apiKey("anthropic", KEY_B),
  "anthropic:c": apiKey("anthropic", KEY_C),
};
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY_A, KEY_B, KEY_C, ACCESS, REFRESH], {
  authProfiles: { version: 1, profiles: PROFILES },
  config: { auth: { order: { anthropic: ["anthropic:a", "anthropic:b", "anthropic:c"] } } },
});

const fails = (failure: Classification): CallOutcome => ({ ok: false, failure, partial: "" });
const AUTH = fails({ kind: "auth", reasonCode: "unauthorized", status: 401, detail: "" });
const OVERLOADED = fails({ kind: "overloaded", reasonCode: "overloaded", status: 529, detail: "" });

/**
 * Runs the credential step with the real resolver; the attempt's steps are replaced by `outcomes`
 * per credential id (an answer for any other). Returns the outcome and the ids tried, in order.
 */
async function run(h: ChatHarness, outcomes: Record<string, CallOutcome>, commands = { model: "model" }) {
  const tried: string[] = [];
  const attempt = async ({ candidate }: Attempt): Promise<CallOutcome> => {
    tried.push(candidate.id);
    return outcomes[candidate.id] ?? { ok: true, result: { text: `answered by ${candidate.id}` } };
  };
  const log = (level: string, m: string) => void h.logs.push(`[${level}] ${m}`);
  const out = await credentialStep(h.services, log, attempt)(await startTestTurn(h, "hi", { commands }));
  return { out, tried };
}

describe("the credential step", () => {
  it("tries the credentials in the resolver's order, each once, until one answers, and remembers that answer", async () => {
    const h = await harness();
    expect(await run(h, { "anthropic:a": AUTH })).toEqual({
      out: { kind: "reply", text: "answered by anthropic:b", remember: "answered by anthropic:b" },
      tried: ["anthropic:a", "anthropic:b"],
    });
  });

  it("an auto pin goes first, then the normal order; a user's pin is the only one tried", async () => {
    const h = await harness();
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:c", pinSource: "auto" }, T0);
    expect((await run(h, { "anthropic:c": AUTH })).tried).toEqual(["anthropic:c", "anthropic:a"]);
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:b", pinSource: "user" }, T0);
    const pinned = await run(h, { "anthropic:b": OVERLOADED });
    expect(pinned.tried).toEqual(["anthropic:b"]);
    expect(pinned.out).toMatchObject({ kind: "failure", unavailable: false });
  });

  it("an empty answer says so and is not remembered; one cut off at the limit says where", async () => {
    const h = await harness();
    const empty = await run(h, { "anthropic:a": { ok: true, result: { text: "" } } });
    expect(empty.out).toEqual({ kind: "reply", text: "(The model returned no text.)" });
    const long = await run(h, { "anthropic:a": { ok: true, result: { text: "and so", stopReason: "max_tokens" } } });
    expect(long.out).toMatchObject({
      text: expect.stringMatching(/^and so\n\n\[the answer was cut off at \d+ tokens\]$/),
      remember: "and so",
    });
  });

  it("when every credential failed, one line each", async () => {
    const h = await harness();
    const { out, tried } = await run(h, { "anthropic:a": AUTH, "anthropic:b": AUTH, "anthropic:c": AUTH });
    expect(tried).toEqual(["anthropic:a", "anthropic:b", "anthropic:c"]);
    expect(out).toMatchObject({ kind: "failure", unavailable: true });
    expect(out.text.split("\n")[0]).toBe("All 3 anthropic credentials failed for anthropic/claude-sonnet-5-5:");
  });

  describe("an OAuth profile about to expire", () => {
    async function withRevokedLogin(test: (h: ChatHarness) => Promise<void>): Promise<void> {
      const endpoint = await startFakeTokenEndpoint({ refresh: REFRESH });
      endpoint.mode = "revoked";
      try {
        await test(
          await harness({
            config: {
              auth: { order: { anthropic: [OAUTH_ID, "anthropic:a"] } },
              models: { providers: { anthropic: { oauth: { tokenUrl: endpoint.url } } } },
            },
            authProfiles: {
              version: 1,
              profiles: {
                [OAUTH_ID]: oauthProfile(ACCESS, REFRESH, T0 + 60_000),
                "anthropic:a": apiKey("anthropic", KEY_A),
              },
            },
          }),
        );
      } finally {
        await endpoint.close();
      }
    }

    it("whose refresh fails is passed over without a call, and named when nothing else answers", async () => {
      await withRevokedLogin(async (h) => {
        const { out, tried } = await run(h, { "anthropic:a": AUTH });
        expect(tried).toEqual(["anthropic:a"]);
        expect(out.text.split("\n")[0]).toBe("The anthropic credential failed for anthropic/claude-sonnet-5-5:");
        expect(out.text).toContain(`The OAuth login of ${OAUTH_ID} is no longer valid`);
      });
    });

    it("pinned by a user, says so naming the model command as declared, and tries nothing else", async () => {
      await withRevokedLogin(async (h) => {
        await h.sessions.update(MAIN_KEY, { profileId: OAUTH_ID, pinSource: "user" }, T0);
        const { out, tried } = await run(h, {}, { model: "llm" });
        expect(tried).toEqual([]);
        expect(out).toMatchObject({ kind: "failure", unavailable: false });
        expect(
          out.text.endsWith(
            `(This session is pinned to ${OAUTH_ID}, so no other credential is tried; /llm default unpins.)`,
          ),
        ).toBe(true);
      });
    });
  });
});
