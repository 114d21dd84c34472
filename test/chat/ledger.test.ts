import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqlite } from "../../src/util/sqlite.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";
import { apiKey, leakCheckedHarnesses, MAIN_KEY, T0, type ChatHarness } from "./harness.js";

const OPUS = "anthropic/claude-opus-5-5"; // $4 in, $20 out, $0.2 cache read, $5 cache write per million
const SONNET = "anthropic/claude-sonnet-5-5"; // no published price
const GPT = "openai/gpt-5.4"; // $2.5 in, $15 out, $0.25 cache read

const KEY_A = "sk-ant-api03-LEDGERLEDGERLEDGERaaaa";
const KEY_B = "sk-ant-api03-LEDGERLEDGERLEDGERbbbb";
const OPENAI_KEY = "sk-proj-LEDGERLEDGERLEDGER0000";
const PROFILES = {
  version: 1,
  profiles: {
    "anthropic:a": apiKey("anthropic", KEY_A),
    "anthropic:b": apiKey("anthropic", KEY_B),
    "openai:k": apiKey("openai", OPENAI_KEY),
  },
};

const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY_A, KEY_B, OPENAI_KEY], { authProfiles: PROFILES });

/** A harness whose chats use `model` (with `fallbacks`), and `auth.order` tries anthropic:a first. */
function on(model: string, fallbacks: string[] = [], extra: Record<string, unknown> = {}): Promise<ChatHarness> {
  return harness({
    config: {
      agents: { defaults: { model: { primary: model, fallbacks } } },
      auth: { order: { anthropic: ["anthropic:a", "anthropic:b"] } },
      ...extra,
    },
  });
}

interface Row {
  id: string;
  at: number;
  channel: string;
  session_key: string;
  agent_id: string;
  provider: string;
  model: string;
  profile_id: string;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  cost_usd: number | null;
  outcome: string;
}

/**
 * The ledger's entries as the SQLite store wrote them to its file, after closing the
 * responder: that writes the entries it holds back (on SQLite, before close() returns).
 */
function recorded(h: ChatHarness): Row[] {
  h.chat.close();
  return entries(h);
}

/** The ledger's entries in the SQLite file now, by time, outcome and profile (a turn's calls share its time). */
function entries(h: ChatHarness): Row[] {
  const db = openSqlite(path.join(h.services.stateDir, "state", "sessions.sqlite"), { readonly: true });
  try {
    return db.prepare("SELECT * FROM ledger_entries ORDER BY at, outcome, profile_id").all() as Row[];
  } finally {
    db.close();
  }
}

/** The test day and the days around it. */
const ALL_TIME = { from: T0 - 86_400_000, to: T0 + 86_400_000 };

describe("the ledger step, on the SQLite store", () => {
  it("records an answered call once, with the provider's counts and the cost at the model's price", async () => {
    fake.script(KEY_A, {
      kind: "text",
      text: "hello",
      usage: { input: 1_000, output: 200, cacheRead: 5_000, cacheWrite: 300 },
    });
    const h = await on(OPUS);
    expect(await h.say("hi")).toBe("hello");
    // The next call is an entry of its own.
    expect(await h.say("again")).toBe("hello");
    const [first, second, ...rest] = recorded(h);
    expect(rest).toEqual([]);
    const expected = {
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      at: T0,
      channel: "console",
      session_key: MAIN_KEY,
      agent_id: "main",
      provider: "anthropic",
      model: OPUS,
      profile_id: "anthropic:a",
      input: 1_000,
      output: 200,
      cache_read: 5_000,
      cache_write: 300,
      // (1000 × 4 + 200 × 20 + 5000 × 0.2 + 300 × 5) / 1e6
      cost_usd: expect.closeTo(0.0105, 10),
      outcome: "ok",
    };
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(first?.id).not.toBe(second?.id);
    const totals = await h.services.sessions.ledger.totals({ ...ALL_TIME, sessionKey: MAIN_KEY });
    expect(totals).toMatchObject({ turns: 2, inputTokens: 2_000, unpricedTurns: 0 });
    expect(totals.costUsd).toBeCloseTo(0.021, 10);
  });

  it("counts OpenAI's cached prompt tokens once, as cache reads at their own price", async () => {
    fake.script(OPENAI_KEY, { kind: "text", text: "hi", usage: { input: 100, output: 10, cacheRead: 900 } });
    const h = await on(GPT);
    await h.say("hi");
    const rows = recorded(h);
    expect(rows).toMatchObject([
      { provider: "openai", model: GPT, profile_id: "openai:k", input: 100, output: 10, cache_read: 900 },
    ]);
    // (100 × 2.5 + 10 × 15 + 900 × 0.25) / 1e6
    expect(rows[0]?.cost_usd).toBeCloseTo(0.000625, 12);
  });

  it("counts a model without a price as unpriced, never as free", async () => {
    fake.script(KEY_A, { kind: "text", text: "hi", usage: { input: 10, output: 5 } });
    const h = await on(SONNET);
    await h.say("hi");
    expect(recorded(h)).toMatchObject([{ model: SONNET, input: 10, output: 5, cost_usd: null, outcome: "ok" }]);
    expect(await h.services.sessions.ledger.totals(ALL_TIME)).toMatchObject({ turns: 1, costUsd: 0, unpricedTurns: 1 });
  });

  it("takes a streamed answer's final count, not the sum of its running totals", async () => {
    fake.script(KEY_A, {
      kind: "text",
      text: "a streamed answer",
      usage: { input: 50, output: 40 },
      stream: { chunks: 4 },
    });
    const h = await on(OPUS);
    await h.services.sessions.ledger.setFooter(MAIN_KEY, "tokens");
    const { text, updates } = await h.stream("hi");
    expect(updates.length).toBeGreaterThan(1);
    expect(recorded(h)).toMatchObject([{ input: 50, output: 40, outcome: "ok" }]);
    // The footer is on the final text only, with the same count.
    expect(text).toBe("a streamed answer\n\nUsage: 50 in / 40 out");
    expect(updates.some((u) => u.includes("Usage:"))).toBe(false);
  });

  it("records an answer cut off at the token limit as cut_off", async () => {
    fake.script(KEY_A, { kind: "text", text: "half", cutOff: true, usage: { input: 10, output: 16 } });
    const h = await on(OPUS);
    expect(await h.say("hi")).toContain("cut off");
    expect(recorded(h)).toMatchObject([{ output: 16, outcome: "cut_off" }]);
  });

  it("records an HTTP error answer as failed and the credential that answered next as ok", async () => {
    fake.script(KEY_A, { kind: "status", status: 429 });
    fake.script(KEY_B, { kind: "text", text: "from b", usage: { input: 7, output: 3 } });
    const h = await on(OPUS);
    expect(await h.say("hi")).toBe("from b");
    expect(recorded(h).map((e) => [e.profile_id, e.outcome, e.input, e.output])).toEqual([
      ["anthropic:a", "failed", 0, 0],
      ["anthropic:b", "ok", 7, 3],
    ]);
    // The error cost nothing: a priced model's turns are all priced, none "unpriced".
    const totals = await h.services.sessions.ledger.totals(ALL_TIME);
    expect([totals.turns, totals.unpricedTurns]).toEqual([2, 0]);
    expect(recorded(h)[0]?.cost_usd).toBe(0);
  });

  it("records a stream that broke off as failed, with the counts the provider had reported", async () => {
    fake.script(KEY_A, {
      kind: "text",
      text: "0123456789",
      usage: { input: 60, cacheRead: 400 },
      stream: { chunks: 10, failAfter: 3, failWith: 500 },
    });
    const h = await on(OPUS);
    await h.stream("hi");
    expect(recorded(h)).toMatchObject([{ profile_id: "anthropic:a", input: 60, cache_read: 400, outcome: "failed" }]);
  });

  it("records nothing for a call that never reached a provider", async () => {
    const h = await on(OPUS, [], {
      // Nothing listens on port 9: the connection is refused.
      models: { providers: { anthropic: { baseUrl: "http://127.0.0.1:9" } } },
    });
    await h.say("hi");
    expect(recorded(h)).toEqual([]);
  });

  it("records a streamed answer ended by /stop as stopped", async () => {
    fake.script(KEY_A, {
      kind: "text",
      text: "abcdefgh",
      usage: { input: 30 },
      stream: { chunks: 8, gapMs: 30 },
    });
    const h = await on(OPUS);
    const { text } = await h.stream("hi", () => void h.chat.stop(MAIN_KEY));
    expect(text).toContain("(stopped)");
    expect(recorded(h)).toMatchObject([{ input: 30, outcome: "stopped" }]);
  });

  it("records the fallback model's answer for the configured one as fallback", async () => {
    fake.script(KEY_A, { kind: "status", status: 529 });
    fake.script(KEY_B, { kind: "status", status: 529 });
    fake.script(OPENAI_KEY, { kind: "text", text: "from gpt", usage: { input: 8, output: 4 } });
    const h = await on(OPUS, [GPT]);
    expect(await h.say("hi")).toContain("from gpt");
    expect(recorded(h).map((e) => [e.model, e.profile_id, e.outcome])).toEqual([
      [OPUS, "anthropic:a", "failed"],
      [OPUS, "anthropic:b", "failed"],
      [GPT, "openai:k", "fallback"],
    ]);
  });

  it("logs a write that fails and still answers", async () => {
    fake.script(KEY_A, { kind: "text", text: "still here" });
    const h = await on(OPUS);
    // The ledger's table gone from under the store: every write of it fails.
    const db = openSqlite(path.join(h.services.stateDir, "state", "sessions.sqlite"));
    db.exec("DROP TABLE ledger_entries");
    db.close();
    expect(await h.say("hi")).toBe("still here");
    await expect
      .poll(() => h.logs.find((l) => l.includes("not recorded")), { timeout: 10_000 })
      .toMatch(/^\[error\] ledger session=agent:main:main model=anthropic\/claude-opus-5-5 credential=anthropic:a/);
  });
});

describe("the usage footer", () => {
  it("shows tokens, or tokens and the estimated cost, as the chat's setting says, from the next turn on", async () => {
    fake.script(KEY_A, { kind: "text", text: "answer", usage: { input: 1_234, output: 56, cacheRead: 2_000 } });
    const h = await on(OPUS);
    const ledger = h.services.sessions.ledger;
    expect(await h.say("hi")).toBe("answer");
    await ledger.setFooter(MAIN_KEY, "tokens");
    expect(await h.say("hi")).toBe("answer\n\nUsage: 1.2k in / 56 out · cache 2k read / 0 write");
    await ledger.setFooter(MAIN_KEY, "full");
    // (1234 × 4 + 56 × 20 + 2000 × 0.2) / 1e6 = 0.006456
    expect(await h.say("hi")).toBe("answer\n\nUsage: 1.2k in / 56 out · cache 2k read / 0 write · ~$0.0065");
    await ledger.setFooter(MAIN_KEY, "off");
    expect(await h.say("hi")).toBe("answer");
  });

  it("says unpriced for a model without a price, and sums every call of the turn", async () => {
    fake.script(KEY_A, { kind: "status", status: 429 });
    fake.script(KEY_B, { kind: "text", text: "answer", usage: { input: 10, output: 2 } });
    const h = await on(SONNET);
    await h.services.sessions.ledger.setFooter(MAIN_KEY, "full");
    expect(await h.say("hi")).toBe("answer\n\nUsage: 10 in / 2 out · unpriced");
  });

  it("is not shown, and nothing is recorded, with usage.ledger off", async () => {
    fake.script(KEY_A, { kind: "text", text: "answer" });
    const h = await on(OPUS, [], { usage: { ledger: false } });
    await h.services.sessions.ledger.setFooter(MAIN_KEY, "full");
    expect(await h.say("hi")).toBe("answer");
    expect(recorded(h)).toEqual([]);
  });
});

describeRedis("the ledger step, on a real redis-server", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it("adds up two instances' calls, and a footer set on one shows on the other's next turn", async () => {
    const store = { kind: "redis", url: server.url, keyPrefix: `ledger-${process.pid}:` };
    fake.script(KEY_A, { kind: "text", text: "answer", usage: { input: 100, output: 20, cacheWrite: 1_000 } });
    const one = await on(OPUS, [], { session: { store } });
    const two = await on(OPUS, [], { session: { store } });
    expect(await one.say("hi")).toBe("answer");
    await two.services.sessions.ledger.setFooter(MAIN_KEY, "full");
    // (100 × 4 + 20 × 20 + 1000 × 5) / 1e6 = 0.0058
    expect(await one.say("hi")).toBe("answer\n\nUsage: 100 in / 20 out · cache 0 read / 1k write · ~$0.0058");
    await expect
      .poll(() => two.services.sessions.ledger.totals({ ...ALL_TIME, profileId: "anthropic:a" }))
      .toMatchObject({ turns: 2, inputTokens: 200, outputTokens: 40, cacheWriteTokens: 2_000, unpricedTurns: 0 });
    const totals = await two.services.sessions.ledger.totals(ALL_TIME);
    expect(totals.costUsd).toBeCloseTo(0.0116, 10);
  });
});
