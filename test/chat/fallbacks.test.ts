import { describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { oauthProfile, startFakeTokenEndpoint } from "../fakes/token-endpoint.js";
import { apiKey, leakCheckedHarnesses, MAIN_KEY, T0, type ChatHarness } from "./harness.js";

const MIN = 60_000;
const SONNET = "anthropic/claude-sonnet-5-5";
const HAIKU = "anthropic/claude-haiku-5-5";
const GPT = "openai/gpt-5.2";
const ROUTER = "openrouter/openai/gpt-5";

const KEY_A = "sk-ant-api03-AAAAAAAAAAAAAAAAAAAAaaaa";
const OPENAI_KEY = "sk-proj-OPENAIOPENAIOPENAI0000";
const ROUTER_KEY = "sk-or-v1-ROUTERROUTERROUTER0000";
const OAUTH_ID = "anthropic:me@example.com";
const OLD_ACCESS = `sk-ant-oat01-old-${"a".repeat(70)}`;
const OLD_REFRESH = `sk-ant-ort01-old-${"r".repeat(70)}`;
const SECRETS = [KEY_A, OPENAI_KEY, ROUTER_KEY, OLD_ACCESS, OLD_REFRESH];

const PROFILES = {
  version: 1,
  profiles: {
    "anthropic:a": apiKey("anthropic", KEY_A),
    "openai:k": apiKey("openai", OPENAI_KEY),
    "openrouter:k": apiKey("openrouter", ROUTER_KEY),
  },
};

/** `agents.defaults.model` as OpenClaw's object, plus whatever else a test needs. */
function withFallbacks(fallbacks: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { agents: { defaults: { model: { primary: SONNET, fallbacks }, ...extra } } };
}

const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, SECRETS, { authProfiles: PROFILES });

/** Puts the only Anthropic credential in a 4-minute rate-limit cooldown for Sonnet. */
async function coolAnthropic(h: ChatHarness): Promise<void> {
  await h.sessions.cooldowns.recordFailure("anthropic:a", {
    reason: "rate_limit",
    model: SONNET,
    retryAfterMs: 4 * MIN,
    now: T0,
  });
}

describe("fallbacks of a configured default model", () => {
  it("answers from the fallback when every credential of the default is cooling down, for this turn only", async () => {
    fake.script(OPENAI_KEY, { kind: "text", text: "from gpt" });
    fake.script(KEY_A, { kind: "text", text: "from sonnet" });
    const h = await harness({ config: withFallbacks([GPT]) });
    await coolAnthropic(h);

    expect(await h.say("hi")).toBe(
      `from gpt\n\n— answered by ${GPT}: every anthropic credential is cooling down (rate limit, 4m left)`,
    );
    expect(fake.requests.map((r) => [r.credential, r.model])).toEqual([[OPENAI_KEY, "gpt-5.2"]]);
    expect(h.logs.join("\n")).toContain(`fallback from=${SONNET} to=${GPT}`);
    // The session's model and pin are untouched: the next turn starts from the default again.
    expect(await h.sessions.get(MAIN_KEY)).toBeUndefined();

    h.clock.advance(4 * MIN);
    expect(await h.say("again")).toBe("from sonnet");
    expect(fake.requests.map((r) => r.credential)).toEqual([OPENAI_KEY, KEY_A]);
  });

  it("the fallback's answer goes into the history without the note", async () => {
    fake.script(OPENAI_KEY, { kind: "text", text: "from gpt" });
    fake.script(KEY_A, { kind: "text", text: "from sonnet" });
    const h = await harness({ config: withFallbacks([GPT]) });
    await coolAnthropic(h);
    await h.say("first");
    h.clock.advance(4 * MIN);
    await h.say("second");
    expect(fake.requests[1]?.messages).toEqual([
      { role: "user", content: "first" },
      { role: "assistant", content: "from gpt" },
      { role: "user", content: "second" },
    ]);
  });

  it("falls back when the default's credentials fail during the turn (429), naming the cooldown just set", async () => {
    fake.script(KEY_A, { kind: "status", status: 429, retryAfterSeconds: 120 });
    fake.script(OPENAI_KEY, { kind: "text", text: "from gpt" });
    const h = await harness({ config: withFallbacks([GPT]) });

    expect(await h.say("hi")).toBe(
      `from gpt\n\n— answered by ${GPT}: every anthropic credential is cooling down (rate limit, 2m left)`,
    );
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns[0]).toMatchObject({
      reason: "rate_limit",
      model: SONNET,
    });
  });

  it("falls back when the provider cannot be reached", async () => {
    fake.script(OPENAI_KEY, { kind: "text", text: "from gpt" });
    const h = await harness({
      config: { ...withFallbacks([GPT]), models: { providers: { anthropic: { baseUrl: "http://127.0.0.1:1" } } } },
    });
    expect(await h.say("hi")).toBe(`from gpt\n\n— answered by ${GPT}: Anthropic could not be reached`);
    expect(h.sessions.cooldowns.get("anthropic:a")).toBeUndefined();
  });

  it("walks the chain in order and names every model passed over", async () => {
    fake.script(OPENAI_KEY, { kind: "status", status: 402 });
    fake.script(ROUTER_KEY, { kind: "text", text: "from the router" });
    const h = await harness({ config: withFallbacks([GPT, ROUTER]) });
    await coolAnthropic(h);

    expect(await h.say("hi")).toBe(
      `from the router\n\n— answered by ${ROUTER}: every anthropic credential is cooling down (rate limit, 4m left); ` +
        `${GPT} too: every openai credential is cooling down (billing, 10m left)`,
    );
  });

  it("a same-provider fallback uses the credential that is cooling down only for the other model", async () => {
    fake.script(KEY_A, { kind: "text", text: "from haiku" });
    const h = await harness({ config: withFallbacks(["haiku"]) });
    await coolAnthropic(h);
    expect(await h.say("hi")).toBe(
      `from haiku\n\n— answered by ${HAIKU}: every anthropic credential is cooling down (rate limit, 4m left)`,
    );
    expect(fake.requests[0]).toMatchObject({ credential: KEY_A, model: "claude-haiku-5-5" });
  });

  it("when every fallback fails too, the default's failure comes first, then each fallback's", async () => {
    const h = await harness({
      config: withFallbacks([GPT]),
      authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } },
    });
    await coolAnthropic(h);
    expect((await h.say("hi")).split("\n")).toEqual([
      "Every anthropic credential is cooling down; the next is free in 4m. Try again then, or add another credential.",
      `Fallbacks failed too: ${GPT} (no openai credential is set up).`,
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  it("does not fall back on a request the provider refuses whatever the model (400)", async () => {
    fake.script(KEY_A, { kind: "status", status: 400, message: "bad request" });
    fake.script(OPENAI_KEY, { kind: "text", text: "never asked" });
    const h = await harness({ config: withFallbacks([GPT]) });
    expect(await h.say("hi")).not.toContain("answered by");
    expect(fake.requests.map((r) => r.credential)).toEqual([KEY_A]);
  });
});

describe("fallbacks and modelPolicy.allow", () => {
  it("skips a fallback outside the allowlist and tries the next", async () => {
    fake.script(OPENAI_KEY, { kind: "text", text: "never asked" });
    fake.script(ROUTER_KEY, { kind: "text", text: "from the router" });
    const h = await harness({
      config: withFallbacks([GPT, ROUTER], { modelPolicy: { allow: ["anthropic/*", "openrouter/*"] } }),
    });
    await coolAnthropic(h);
    expect(await h.say("hi")).toMatch(new RegExp(`^from the router\\n\\n— answered by ${ROUTER}: every anthropic`));
    expect(fake.requests.map((r) => r.credential)).toEqual([ROUTER_KEY]);
  });

  it("says which fallbacks were not tried when none is allowed", async () => {
    const h = await harness({ config: withFallbacks([GPT], { modelPolicy: { allow: ["anthropic/*"] } }) });
    await coolAnthropic(h);
    const reply = await h.say("hi");
    expect(reply.split("\n")[1]).toBe(`Fallbacks not tried: ${GPT} (not in agents.defaults.modelPolicy.allow).`);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("a model the user chose never falls back", () => {
  it("a session model cooling down gives the error and the way back, and calls no fallback", async () => {
    fake.script(OPENAI_KEY, { kind: "text", text: "never asked" });
    const h = await harness({ config: withFallbacks([GPT]) });
    await h.sessions.update(MAIN_KEY, { model: SONNET }, T0);
    await coolAnthropic(h);

    expect((await h.say("hi")).split("\n")).toEqual([
      "Every anthropic credential is cooling down; the next is free in 4m. Try again then, or add another credential.",
      `This chat chose ${SONNET}, so no other model is tried. /model default goes back to the configured default, which falls back to ${GPT}; /model list shows the others.`,
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  it("a thread inheriting its parent's model is strict too", async () => {
    const h = await harness({ config: withFallbacks([GPT]) });
    await h.sessions.update(MAIN_KEY, { model: "opus" }, T0);
    await h.sessions.cooldowns.recordFailure("anthropic:a", { reason: "auth", now: T0 });
    const reply = await h.say("hi", { sessionKey: `${MAIN_KEY}:thread:9`, parentSessionKey: MAIN_KEY });
    expect(reply).toContain(
      `This chat chose anthropic/claude-opus-5-5, so no other model is tried. /model default goes back to ${SONNET} (falling back to ${GPT})`,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("a user-pinned profile that fails says so and tries nothing else", async () => {
    fake.script(KEY_A, { kind: "status", status: 401 });
    const h = await harness({ config: withFallbacks([GPT]) });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "user" }, T0);
    expect(await h.say("hi")).toMatch(/^Your pinned profile anthropic:a .* failed: Anthropic rejected the credential/);
    expect(fake.requests.map((r) => r.credential)).toEqual([KEY_A]);
  });

  it("a user-pinned OAuth profile whose refresh fails says how to log in again and tries nothing else", async () => {
    const endpoint = await startFakeTokenEndpoint({ refresh: OLD_REFRESH });
    endpoint.mode = "revoked";
    try {
      const h = await harness({
        config: {
          ...withFallbacks([GPT]),
          models: { providers: { anthropic: { oauth: { tokenUrl: endpoint.url } } } },
        },
        authProfiles: {
          version: 1,
          profiles: { ...PROFILES.profiles, [OAUTH_ID]: oauthProfile(OLD_ACCESS, OLD_REFRESH, T0 + MIN) },
        },
      });
      await h.sessions.update(MAIN_KEY, { profileId: OAUTH_ID, pinSource: "user" }, T0);
      const reply = await h.say("hi");
      expect(reply).toContain(`The OAuth login of ${OAUTH_ID} is no longer valid`);
      expect(reply).toContain(
        `Log in again: openclaw models auth login --provider anthropic --profile-id ${OAUTH_ID}.`,
      );
      expect(
        reply.endsWith(
          `. (This session is pinned to ${OAUTH_ID}, so no other credential is tried; /model default unpins.)`,
        ),
      ).toBe(true);
      expect(reply).not.toContain("This chat chose");
      expect(endpoint.grants).toHaveLength(1);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await endpoint.close();
    }
  });
});

describe("which fallbacks an agent uses (OpenClaw's selection-source policy)", () => {
  it("an agent's own primary without fallbacks is strict", async () => {
    const h = await harness({
      config: {
        agents: { defaults: { model: { primary: HAIKU, fallbacks: [GPT] } }, entries: { main: { model: SONNET } } },
      },
    });
    await coolAnthropic(h);
    expect(await h.say("hi")).toBe(
      "Every anthropic credential is cooling down; the next is free in 4m. Try again then, or add another credential.",
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("an agent's { fallbacks } alone keeps the shared primary and replaces the chain", async () => {
    fake.script(ROUTER_KEY, { kind: "text", text: "from the router" });
    const h = await harness({
      config: {
        agents: {
          defaults: { model: { primary: SONNET, fallbacks: [GPT] } },
          entries: { main: { model: { fallbacks: [ROUTER] } } },
        },
      },
    });
    await coolAnthropic(h);
    expect(await h.say("hi")).toMatch(new RegExp(`— answered by ${ROUTER}: every anthropic credential`));
    expect(fake.requests.map((r) => r.credential)).toEqual([ROUTER_KEY]);
  });
});
