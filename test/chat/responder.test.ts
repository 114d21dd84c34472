import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-api.js";
import {
  apiKey,
  createChatHarness,
  groupNonOwner,
  leaks,
  MAIN_KEY,
  T0,
  type ChatHarness,
  type ChatHarnessOptions,
} from "./harness.js";
import { PASTE_API_KEY } from "../../src/chat/failure-text.js";
import { maskSecret } from "../../src/util/mask.js";
import { SHUTDOWN_NOTE } from "../../src/chat/stop.js";
import { scaled } from "../support/slowness.js";

const MIN = 60_000;
const SONNET = "anthropic/claude-sonnet-5-5";
const HAIKU = "anthropic/claude-haiku-5-5";

// Long enough (>= 24 chars) that masks show `first8…last4`, so a leak would be unmistakable.
const KEY_A = "sk-ant-api03-AAAAAAAAAAAAAAAAAAAAaaaa";
const KEY_B = "sk-ant-api03-BBBBBBBBBBBBBBBBBBBBbbbb";
const KEY_C = "sk-ant-api03-CCCCCCCCCCCCCCCCCCCCcccc";
const SETUP_TOKEN = "sk-ant-oat01-TTTTTTTTTTTTTTTTTTTTtttt";
const ENV_K1 = "sk-ant-api03-ENVKEY1111111111111111";
const ENV_K2 = "sk-ant-api03-ENVKEY2222222222222222";
const OPENAI_KEY = "sk-proj-OPENAIOPENAIOPENAI0000";
const OPENROUTER_KEY = "sk-or-v1-ROUTERROUTERROUTER0000";
const ALL_SECRETS = [KEY_A, KEY_B, KEY_C, SETUP_TOKEN, ENV_K1, ENV_K2, OPENAI_KEY, OPENROUTER_KEY];

const THREE = {
  version: 1,
  profiles: {
    "anthropic:a": apiKey("anthropic", KEY_A),
    "anthropic:b": apiKey("anthropic", KEY_B),
    "anthropic:c": apiKey("anthropic", KEY_C),
  },
};
const ORDERED = { auth: { order: { anthropic: ["anthropic:a", "anthropic:b", "anthropic:c"] } } };

let fake: FakeProvider;
let harnesses: ChatHarness[] = [];
/** Every reply and log line of the whole file, checked for secrets at the end. */
const everything: string[] = [];

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
  expect(everything.length).toBeGreaterThan(20);
  expect(leaks(everything, ALL_SECRETS)).toEqual([]);
});
beforeEach(() => {
  fake.reset();
});
afterEach(async () => {
  for (const h of harnesses) {
    // Per test too, so a leak names the test that caused it.
    expect(leaks([...h.replies, ...h.logs], ALL_SECRETS)).toEqual([]);
    everything.push(...h.replies, ...h.logs);
    await h.close();
  }
  harnesses = [];
});

async function harness(opts: ChatHarnessOptions = {}): Promise<ChatHarness> {
  const h = await createChatHarness(fake, opts);
  harnesses.push(h);
  return h;
}

function credentialsUsed(): Array<string | null> {
  return fake.requests.map((r) => r.credential);
}

describe("chat: the happy path", () => {
  it("answers with the resolver's credential and logs one line per call, without the secret", async () => {
    fake.script(KEY_A, { kind: "text", text: "hello from the fake" });
    const h = await harness({ authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } } });

    expect(await h.say("hi")).toBe("hello from the fake");

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      api: "anthropic",
      model: "claude-sonnet-5-5",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toMatch(
      /^\[info\] chat session=agent:main:main provider=anthropic model=anthropic\/claude-sonnet-5-5 credential=anthropic:a status=ok latency=\d+ms/,
    );
    expect(h.sessions.cooldowns.get("anthropic:a")?.lastUsedAt).toBe(T0);
  });

  it("returns a long answer whole (channels split it)", async () => {
    const long = "word ".repeat(3000);
    fake.script(KEY_A, { kind: "text", text: long });
    const h = await harness({ authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } } });
    expect(await h.say("tell me everything")).toBe(long);
  });

  it("uses the session's model, else the agent's configured one", async () => {
    fake.defaultText("ok");
    const h = await harness({ authProfiles: THREE, config: { agents: { defaults: { model: "haiku" } } } });
    await h.say("one");
    await h.sessions.update(MAIN_KEY, { model: "anthropic/claude-opus-5-5" }, T0);
    await h.say("two");
    expect(fake.requests.map((r) => r.model)).toEqual(["claude-haiku-5-5", "claude-opus-5-5"]);
  });

  it("a thread without its own record inherits the parent's model and pin", async () => {
    fake.defaultText("ok");
    const h = await harness({ authProfiles: THREE });
    await h.sessions.update(MAIN_KEY, { model: HAIKU, profileId: "anthropic:c", pinSource: "user" }, T0);
    await h.say("in a thread", { sessionKey: `${MAIN_KEY}:thread:9`, parentSessionKey: MAIN_KEY });
    expect(fake.requests[0]).toMatchObject({ credential: KEY_C, model: "claude-haiku-5-5" });
  });

  it("speaks OpenAI's API with max_completion_tokens, and OpenRouter's with max_tokens", async () => {
    fake.script(OPENAI_KEY, { kind: "text", text: "from gpt" });
    fake.script(OPENROUTER_KEY, { kind: "text", text: "from the router" });
    const h = await harness({
      authProfiles: {
        version: 1,
        profiles: { "openai:k": apiKey("openai", OPENAI_KEY), "openrouter:k": apiKey("openrouter", OPENROUTER_KEY) },
      },
    });
    await h.sessions.update(MAIN_KEY, { model: "openai/gpt-5.4-mini" }, T0);
    expect(await h.say("hi")).toBe("from gpt");
    await h.sessions.update(MAIN_KEY, { model: "openrouter/anthropic/claude-sonnet-4.5" }, T0);
    expect(await h.say("hi again")).toBe("from the router");

    const [gpt, router] = fake.requests;
    expect(gpt).toMatchObject({ api: "openai", model: "gpt-5.4-mini", credentialHeader: "authorization" });
    expect(gpt?.body).toHaveProperty("max_completion_tokens");
    expect(gpt?.body).not.toHaveProperty("max_tokens");
    expect(router).toMatchObject({ api: "openai", model: "anthropic/claude-sonnet-4.5", credential: OPENROUTER_KEY });
    expect(router?.body).toHaveProperty("max_tokens");
  });
});

describe("chat: Anthropic credentials on the wire", () => {
  it("sends a setup-token as Bearer with the oauth beta header, never as x-api-key", async () => {
    fake.script(SETUP_TOKEN, { kind: "text", text: "via setup-token" });
    const h = await harness({
      authProfiles: {
        version: 1,
        profiles: { "anthropic:st": { type: "token", provider: "anthropic", token: SETUP_TOKEN } },
      },
    });

    expect(await h.say("hi")).toBe("via setup-token");

    const [rec] = fake.requests;
    expect(rec?.credentialHeader).toBe("authorization");
    expect(rec?.headers.authorization).toBe(`Bearer ${SETUP_TOKEN}`);
    expect(rec?.headers["x-api-key"]).toBeUndefined();
    expect(rec?.anthropicBeta).toContain("oauth-2025-04-20");
  });

  it("sends an API key as Bearer (SDK 1.x) without the oauth beta header", async () => {
    fake.script(KEY_A, { kind: "text", text: "ok" });
    const h = await harness({ authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } } });
    await h.say("hi");
    const [rec] = fake.requests;
    expect(rec?.headers.authorization).toBe(`Bearer ${KEY_A}`);
    expect(rec?.anthropicBeta ?? "").not.toContain("oauth");
  });

  it("treats a setup-token stored as an api_key like a token", async () => {
    fake.script(SETUP_TOKEN, { kind: "text", text: "ok" });
    const h = await harness({
      authProfiles: { version: 1, profiles: { "anthropic:mislabelled": apiKey("anthropic", SETUP_TOKEN) } },
    });
    await h.say("hi");
    expect(fake.requests[0]?.anthropicBeta).toContain("oauth-2025-04-20");
    expect(fake.requests[0]?.headers["x-api-key"]).toBeUndefined();
  });
});

describe("chat: failover", () => {
  it("rotates past a 401 to the next profile in order and cools the first for 10 minutes", async () => {
    fake.script(KEY_A, { kind: "status", status: 401 });
    fake.script(KEY_B, { kind: "text", text: "answered by b" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });

    expect(await h.say("hi")).toBe("answered by b");

    expect(credentialsUsed()).toEqual([KEY_A, KEY_B]);
    const [cooldown] = h.sessions.cooldowns.get("anthropic:a")?.cooldowns ?? [];
    expect(cooldown).toMatchObject({ reason: "auth", until: T0 + 10 * MIN });
    expect(cooldown?.model).toBeUndefined();
    expect(h.logs.map((l) => l.replace(/latency=\d+ms/, "latency=Xms"))).toEqual([
      '[warn] chat session=agent:main:main provider=anthropic model=anthropic/claude-sonnet-5-5 credential=anthropic:a status=auth reason=unauthorized http=401 latency=Xms detail="invalid x-api-key"',
      expect.stringMatching(/^\[info\] .* credential=anthropic:b status=ok latency=Xms/),
    ]);

    // The next message skips the cooling profile without calling it.
    fake.reset();
    fake.defaultText("again");
    await h.say("more");
    expect(credentialsUsed()).toEqual([KEY_B]);
  });

  it("a 429 with retry-after 7 cools that profile for that model only, for 7 s", async () => {
    fake.script(
      KEY_A,
      { kind: "status", status: 429, retryAfterSeconds: 7 },
      { kind: "text", text: "a, on another model" },
    );
    fake.script(KEY_B, { kind: "text", text: "b answers" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });

    expect(await h.say("hi")).toBe("b answers");
    const state = h.sessions.cooldowns.get("anthropic:a");
    expect(state?.cooldowns).toEqual([
      expect.objectContaining({ reason: "rate_limit", model: SONNET, until: T0 + 7000 }),
    ]);

    const resolver = h.services.resolver();
    expect(resolver.resolve({ agentId: "main", provider: "anthropic", model: SONNET }).chosen?.id).toBe("anthropic:b");
    expect(resolver.resolve({ agentId: "main", provider: "anthropic", model: HAIKU }).chosen?.id).toBe("anthropic:a");

    // The session now keeps the profile that answered (an auto pin), so the provider cache stays warm.
    expect(await h.sessions.get(MAIN_KEY)).toMatchObject({ profileId: "anthropic:b", pinSource: "auto" });

    // Same profile, another model: usable at once (dropping the auto pin, as /new does).
    await h.sessions.update(MAIN_KEY, { model: HAIKU, profileId: null, pinSource: null }, T0);
    expect(await h.say("on haiku")).toBe("a, on another model");

    h.clock.advance(7000);
    expect(resolver.resolve({ agentId: "main", provider: "anthropic", model: SONNET }).chosen?.id).toBe("anthropic:a");
  });

  it("rotates env key lists (ANTHROPIC_API_KEYS) on a 429", async () => {
    fake.script(ENV_K1, { kind: "status", status: 429, retryAfterSeconds: 30 });
    fake.script(ENV_K2, { kind: "text", text: "second env key" });
    const h = await harness({ env: { ANTHROPIC_API_KEYS: `${ENV_K1},${ENV_K2}` } });

    expect(await h.say("hi")).toBe("second env key");
    expect(credentialsUsed()).toEqual([ENV_K1, ENV_K2]);
    expect(h.sessions.cooldowns.get("env:ANTHROPIC_API_KEYS[1]")?.cooldowns[0]).toMatchObject({
      reason: "rate_limit",
      model: SONNET,
      until: T0 + 30_000,
    });
    expect(h.logs.join("\n")).toContain(
      "credential=env:ANTHROPIC_API_KEYS[1] status=rate_limit reason=rate_limited http=429 retryAfter=30000ms",
    );
  });

  it("when every key is rate-limited, says when to try again", async () => {
    fake.script(ENV_K1, { kind: "status", status: 429, retryAfterSeconds: 20 });
    fake.script(ENV_K2, { kind: "status", status: 429, retryAfterSeconds: 5 });
    const h = await harness({ env: { ANTHROPIC_API_KEYS: `${ENV_K1} ${ENV_K2}` } });
    const reply = await h.say("hi");
    expect(reply.split("\n")).toEqual([
      `All 2 anthropic credentials failed for ${SONNET}:`,
      `• env:ANTHROPIC_API_KEYS[1] (sk-ant-a…1111): Anthropic rate-limited it for ${SONNET} (429); free again in 20s`,
      `• env:ANTHROPIC_API_KEYS[2] (sk-ant-a…2222): Anthropic rate-limited it for ${SONNET} (429); free again in 5s`,
      "Try again in 5s.",
    ]);
  });

  it("a 402 cools the profile for billing and moves on", async () => {
    fake.script(KEY_A, { kind: "status", status: 402 });
    fake.script(KEY_B, { kind: "text", text: "b pays" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });

    expect(await h.say("hi")).toBe("b pays");
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns).toEqual([
      expect.objectContaining({ reason: "billing", until: T0 + 10 * MIN }),
    ]);
  });

  it("tells the user when every credential failed, one line each", async () => {
    fake.script(KEY_A, { kind: "status", status: 401 });
    fake.script(KEY_B, { kind: "status", status: 402 });
    fake.script(KEY_C, { kind: "status", status: 429, retryAfterSeconds: 7 });
    const h = await harness({ authProfiles: THREE, config: ORDERED });

    const reply = await h.say("hi");

    expect(credentialsUsed()).toEqual([KEY_A, KEY_B, KEY_C]);
    expect(reply).toContain(`All 3 anthropic credentials failed for ${SONNET}`);
    expect(reply).toContain(
      "anthropic:a (sk-ant-a…aaaa): Anthropic rejected the credential (401); cooling down for 10m",
    );
    expect(reply).toContain(
      "anthropic:b (sk-ant-a…bbbb): Anthropic refused it for billing or credit (402); cooling down for 10m",
    );
    expect(reply).toContain(
      `anthropic:c (sk-ant-a…cccc): Anthropic rate-limited it for ${SONNET} (429); free again in 7s`,
    );

    // The next message does not call anyone: the resolver says when the first is free again.
    fake.reset();
    expect(await h.say("again")).toMatch(/^Every anthropic credential is cooling down; the next is free in 7s\./);
    expect(fake.requests).toHaveLength(0);
  });

  it("a 529 cools nothing and gets one retry on the next credential at most", async () => {
    fake.script(KEY_A, { kind: "status", status: 529 });
    fake.script(KEY_B, { kind: "status", status: 529 });
    fake.script(KEY_C, { kind: "text", text: "never asked" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });

    const reply = await h.say("hi");

    expect(credentialsUsed()).toEqual([KEY_A, KEY_B]);
    expect(reply).toBe(`Anthropic is overloaded (529) for ${SONNET}; please try again in a moment.`);
    expect([...h.sessions.cooldowns.entries().values()].flatMap((s) => s.cooldowns)).toEqual([]);
  });

  it("a 529 followed by a working credential answers", async () => {
    fake.script(KEY_A, { kind: "status", status: 529 });
    fake.script(KEY_B, { kind: "text", text: "b is fine" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });
    expect(await h.say("hi")).toBe("b is fine");
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns ?? []).toEqual([]);
  });

  it("a hanging provider times out, cools nothing, and the next credential answers", async () => {
    fake.script(KEY_A, { kind: "hang" });
    fake.script(KEY_B, { kind: "text", text: "b was quick" });
    const h = await harness({ authProfiles: THREE, config: ORDERED, chat: { timeoutMs: scaled(300) } });

    expect(await h.say("hi")).toBe("b was quick");
    expect(h.logs[0]).toMatch(/credential=anthropic:a status=timeout reason=timeout/);
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns ?? []).toEqual([]);
  });

  it("with a single hanging credential, says it timed out", async () => {
    fake.script(KEY_A, { kind: "hang" });
    const h = await harness({
      authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } },
      chat: { timeoutMs: 300 },
    });
    expect(await h.say("hi")).toBe(
      `Anthropic did not answer within 300ms for ${SONNET}; please try again in a moment.`,
    );
  });

  it("close() ends a call in flight at once instead of waiting for its timeout, and the reply says so", async () => {
    fake.script(KEY_A, { kind: "hang" });
    const h = await harness({
      authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } },
      chat: { timeoutMs: 60_000 },
    });
    const started = Date.now();
    const answer = h.say("hi");
    await new Promise((r) => setTimeout(r, 100));
    h.chat.close();
    const text = await answer;
    expect(Date.now() - started).toBeLessThan(scaled(5_000));
    expect(text).toBe(SHUTDOWN_NOTE);
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns ?? []).toEqual([]);
  });

  it("an auto pin is tried first but does not stop rotation", async () => {
    fake.script(KEY_B, { kind: "status", status: 401 });
    fake.script(KEY_A, { kind: "text", text: "a answers" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:b", pinSource: "auto" }, T0);

    expect(await h.say("hi")).toBe("a answers");
    expect(credentialsUsed()).toEqual([KEY_B, KEY_A]);
  });
});

describe("chat: a session pinned by a user", () => {
  it("does not rotate, names the profile with its masked secret, and says how to unpin", async () => {
    fake.script(KEY_A, { kind: "status", status: 401 });
    fake.script(KEY_B, { kind: "text", text: "must not be used" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "user" }, T0);

    const reply = await h.say("hi");

    expect(credentialsUsed()).toEqual([KEY_A]);
    expect(reply).toBe(
      "Your pinned profile anthropic:a (sk-ant-a…aaaa) failed: Anthropic rejected the credential (401); cooling down for 10m. " +
        "This session is pinned to it, so no other credential is tried. Use /model default to unpin, or pin another profile with /model <model>@<profileId>.",
    );
    expect(h.sessions.cooldowns.get("anthropic:a")?.cooldowns[0]).toMatchObject({ reason: "auth" });

    // While it cools, the resolver's strict pin error answers without a call.
    fake.reset();
    expect(await h.say("again")).toMatch(
      /^The pinned profile anthropic:a is cooling down for 10m after an auth error; pinned sessions do not switch credentials\. Use \/model default/,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("names the model command under the name the plugins declared", async () => {
    fake.script(KEY_A, { kind: "status", status: 401 });
    const h = await harness({ authProfiles: THREE, config: ORDERED, chat: { commands: { model: "llm" } } });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "user" }, T0);
    expect(await h.say("hi")).toMatch(
      / Use \/llm default to unpin, or pin another profile with \/llm <model>@<profileId>\.$/,
    );
  });

  it("a pinned rate limit names the model and the wait", async () => {
    fake.script(KEY_B, { kind: "status", status: 429, retryAfterSeconds: 7 });
    const h = await harness({ authProfiles: THREE, config: ORDERED });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:b", pinSource: "user" }, T0);
    expect(await h.say("hi")).toContain(
      `failed: Anthropic rate-limited it for ${SONNET} (429); free again in 7s. This session is pinned to it`,
    );
    expect(credentialsUsed()).toEqual([KEY_B]);
  });

  it("shows no masked secret to a non-owner in a group", async () => {
    fake.script(KEY_A, { kind: "status", status: 401 });
    const h = await harness({ authProfiles: THREE, config: ORDERED });
    const key = "agent:main:telegram:group:-100";
    await h.sessions.update(key, { profileId: "anthropic:a", pinSource: "user" }, T0);
    const reply = await h.say("hi", groupNonOwner("-100"));
    expect(reply).toContain("Your pinned profile anthropic:a failed");
    expect(reply).not.toContain("sk-ant-a…");
  });

  it("a pinned session is not retried elsewhere when the provider is overloaded", async () => {
    fake.script(KEY_A, { kind: "status", status: 529 });
    const h = await harness({ authProfiles: THREE, config: ORDERED });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "user" }, T0);
    expect(await h.say("hi")).toBe(
      "Anthropic is overloaded (529); please try again in a moment. (This session is pinned to anthropic:a, so no other credential is tried.)",
    );
    expect(credentialsUsed()).toEqual([KEY_A]);
    expect([...h.sessions.cooldowns.entries().values()].flatMap((s) => s.cooldowns)).toEqual([]);
  });

  it("a pinned expired or missing profile gives the resolver's error and hint", async () => {
    const h = await harness({ authProfiles: THREE });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:gone", pinSource: "user" }, T0);
    expect(await h.say("hi")).toBe(
      "The pinned profile anthropic:gone no longer exists. Use /model default to unpin, or pin another profile with /model <model>@<profileId>.",
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe("chat: Claude Code-only credentials", () => {
  const profiles = {
    version: 1,
    profiles: { "anthropic:cc": { type: "token", provider: "anthropic", token: SETUP_TOKEN } },
  };

  it("advises an API key and marks the profile incompatible for status views", async () => {
    fake.script(SETUP_TOKEN, { kind: "claude-code-only" });
    const h = await harness({ authProfiles: profiles });

    const reply = await h.say("hi");

    expect(reply).toBe(
      "The credential anthropic:cc (sk-ant-o…tttt) is a Claude Code-only token: Anthropic refuses it for API requests. " +
        `Add an Anthropic API key with \`${PASTE_API_KEY}\`; the profile is marked incompatible in \`openclaw models status\`.`,
    );
    expect(reply).toContain(`\`${PASTE_API_KEY}\``);
    expect(h.sessions.cooldowns.get("anthropic:cc")?.cooldowns[0]).toMatchObject({ reason: "incompatible" });
    const res = h.services.resolver().resolve({ agentId: "main", provider: "anthropic", model: SONNET });
    expect(res.candidates[0]).toMatchObject({ id: "anthropic:cc", usable: false, reason: "incompatible" });
  });

  it("an unpinned session moves on to an API key", async () => {
    fake.script(SETUP_TOKEN, { kind: "claude-code-only" });
    fake.script(KEY_A, { kind: "text", text: "api key answers" });
    const h = await harness({
      authProfiles: { version: 1, profiles: { ...profiles.profiles, "anthropic:a": apiKey("anthropic", KEY_A) } },
    });
    // oauth/token profiles rank before api keys when nothing orders them.
    expect(await h.say("hi")).toBe("api key answers");
    expect(credentialsUsed()).toEqual([SETUP_TOKEN, KEY_A]);
  });

  it("a pinned Claude Code-only profile gets the advice and the unpin hint", async () => {
    fake.script(SETUP_TOKEN, { kind: "claude-code-only" });
    const h = await harness({ authProfiles: profiles });
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:cc", pinSource: "user" }, T0);
    const reply = await h.say("hi");
    expect(reply).toContain(PASTE_API_KEY);
    expect(reply).toContain("/model default");
  });
});

describe("chat: requests the provider refuses", () => {
  it("a 400 is not retried on other credentials, and an echoed secret is masked", async () => {
    fake.script(KEY_A, { kind: "status", status: 400, message: `messages: bad request from key ${KEY_A}` });
    const h = await harness({ authProfiles: THREE, config: ORDERED });

    const reply = await h.say("hi");

    expect(credentialsUsed()).toEqual([KEY_A]);
    expect(reply).toBe("Anthropic rejected the request (400): messages: bad request from key sk-ant-a…aaaa.");
    expect(h.logs[0]).toContain('detail="messages: bad request from key sk-ant-a…aaaa"');
    expect([...h.sessions.cooldowns.entries().values()].flatMap((s) => s.cooldowns)).toEqual([]);
  });

  it("a secret the provider echoes URL-encoded is masked in the reply and the log", async () => {
    // A proxy's key: base64, with characters that URL encoding escapes.
    const proxyKey = "Zq/8+Wm2=Lr5Tx9/Vb3+Nc7=Hd1/Kf6+Jg4==";
    const forms = [encodeURIComponent(proxyKey), new URLSearchParams({ s: proxyKey }).toString().slice(2)];
    const only = { version: 1, profiles: { "anthropic:proxy": apiKey("anthropic", proxyKey) } };
    for (const echoed of forms) {
      fake.reset();
      fake.script(proxyKey, { kind: "status", status: 400, message: `bad request: key=${echoed}&model=x` });
      const h = await harness({ authProfiles: only });
      const reply = await h.say("hi");
      expect(reply).toBe(`Anthropic rejected the request (400): bad request: key=${maskSecret(proxyKey)}&model=x.`);
      const seen = [...h.replies, ...h.logs].join("\n");
      expect(seen).toContain(`key=${maskSecret(proxyKey)}&model=x`);
      for (const form of [proxyKey, ...forms]) expect(seen).not.toContain(form.slice(8, 20));
    }
  });

  it("a malformed answer says it could not be read", async () => {
    fake.script(KEY_A, { kind: "malformed" });
    const h = await harness({ authProfiles: THREE, config: ORDERED });
    expect(await h.say("hi")).toBe("Anthropic sent an answer that could not be read; please try again.");
    expect(h.logs[0]).toMatch(/status=format reason=malformed_response/);
  });

  it("no credential at all: the resolver's message and hint, naming the state dir's .env", async () => {
    const h = await harness();
    expect(await h.say("hi")).toBe(
      `No usable credential for anthropic. Run \`openclaw models auth paste-api-key --provider anthropic\` or put ANTHROPIC_API_KEY in ${path.join(h.services.stateDir, ".env")}.`,
    );
  });

  it("an unreadable credential file: its message to the owner, a generic reply to a group", async () => {
    const h = await harness({ authProfiles: THREE });
    fs.writeFileSync(
      path.join(h.services.stateDir, "agents", "main", "agent", "auth-profiles.json"),
      `{ "profiles": { "anthropic:a": { "key": "${KEY_A}"`,
    );
    h.clock.advance(1000); // past the credential reader's re-check interval
    expect(await h.say("hi")).toMatch(
      /^Invalid credential file .*auth-profiles\.json: line 1, column \d+: not valid JSON \([^)]*\)\.$/,
    );
    const group = await h.say("hi", groupNonOwner("-1"));
    expect(group).toBe("Something went wrong while asking the model; it has been logged. Please try again.");
    expect(h.logs.at(-1)).toMatch(
      /^\[error\] chat session=agent:main:telegram:group:-1 failed: Invalid credential file/,
    );
  });

  it("an unknown session model: the catalog's message", async () => {
    const h = await harness({ authProfiles: THREE });
    await h.sessions.update(MAIN_KEY, { model: "nonsense-model" }, T0);
    expect(await h.say("hi")).toMatch(/^Unknown model "nonsense-model"\./);
  });
});

describe("chat: conversation history", () => {
  it("sends earlier exchanges, and reset() forgets them", async () => {
    fake.script(
      KEY_A,
      { kind: "text", text: "first answer" },
      { kind: "text", text: "second answer" },
      { kind: "text", text: "third answer" },
    );
    const h = await harness({ authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } } });

    await h.say("one");
    await h.say("two");
    expect(fake.requests[1]?.messages).toEqual([
      { role: "user", content: "one" },
      { role: "assistant", content: "first answer" },
      { role: "user", content: "two" },
    ]);

    await h.chat.reset(MAIN_KEY);
    await h.say("three");
    expect(fake.requests[2]?.messages).toEqual([{ role: "user", content: "three" }]);
  });

  it("keeps histories per session", async () => {
    fake.defaultText("ok");
    const h = await harness({ authProfiles: THREE });
    await h.say("in main");
    await h.say("elsewhere", { sessionKey: "agent:main:discord:channel:1" });
    expect(fake.requests[1]?.messages).toEqual([{ role: "user", content: "elsewhere" }]);
  });

  it("drops the oldest exchanges beyond the token budget", async () => {
    fake.defaultText("x".repeat(40)); // 10 tokens per answer
    const h = await harness({ authProfiles: THREE, chat: { historyTokens: 60 } });
    for (const n of [1, 2, 3, 4, 5]) await h.say(`message ${n} `.padEnd(40, "."));
    // Each exchange is 20 tokens; 60 - 10 for the new message leaves room for the two newest.
    const last = fake.requests[4]?.messages ?? [];
    expect(
      last
        .filter((m) => (m as { role: string }).role === "user")
        .map((m) => (m as { content: string }).content.slice(0, 9)),
    ).toEqual(["message 3", "message 4", "message 5"]);
  });

  it("does not store a failed turn", async () => {
    fake.script(KEY_A, { kind: "status", status: 400 }, { kind: "text", text: "fine now" });
    const h = await harness({ authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } } });
    await h.say("broken");
    await h.say("again");
    expect(fake.requests[1]?.messages).toEqual([{ role: "user", content: "again" }]);
  });

  it("answers messages of one session in order, each seeing the one before", async () => {
    fake.script(KEY_A, { kind: "text", text: "A1" }, { kind: "text", text: "A2" });
    const h = await harness({ authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY_A) } } });
    const [r1, r2] = await Promise.all([h.say("first"), h.say("second")]);
    expect([r1, r2]).toEqual(["A1", "A2"]);
    expect(fake.requests[1]?.messages).toHaveLength(3);
  });
});
