import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../src/sessions/ledger.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { entry } from "../sessions/ledger-contract.js";
import { apiKey, groupNonOwner, leakCheckedHarnesses, MAIN_KEY, T0, type ChatHarness } from "./harness.js";

const KEY_WORK = "sk-ant-api03-BUDGETBUDGET00000000work";
const KEY_HOME = "sk-ant-api03-BUDGETBUDGET00000000home";
const SONNET = "anthropic/claude-sonnet-5";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY_WORK, KEY_HOME], {
  authProfiles: {
    version: 1,
    profiles: { "anthropic:work": apiKey("anthropic", KEY_WORK), "anthropic:home": apiKey("anthropic", KEY_HOME) },
  },
});
/** The config of a test: the default model, the profile order and `budgets`. */
const withBudgets = (budgets: object) => ({
  config: {
    agents: { defaults: { model: SONNET } },
    auth: { order: { anthropic: ["anthropic:work", "anthropic:home"] } },
    budgets,
  },
});
// T0 is 2027-01-15 08:00 UTC.
const NEXT_DAY = Date.parse("2027-01-16T00:00:00Z");
const NEXT_MONTH = Date.parse("2027-02-01T00:00:00Z");

/** Records a priced turn of this chat in the harness's ledger, as the ledger step records one. */
function spend(h: ChatHarness, usd: number, over: Partial<LedgerEntry> = {}): Promise<void> {
  return h.services.sessions.ledger.record(
    entry(h.clock(), { channel: "console", sessionKey: MAIN_KEY, costUsd: usd, ...over }),
  );
}

const refusal = (what: string, spent: string, limit: string, key: string, resets: string) =>
  `${what} has reached its ${key.endsWith("monthly") ? "monthly" : "daily"} budget: ${spent} of ${limit} spent ${key.endsWith("monthly") ? "this month" : "today"} (UTC). Nothing was sent to the model.\nIt resets at ${resets}. An owner may raise it: ${key}.usd in model-gateway.json.`;

describe("budgets, checked before the request", () => {
  it("a chat at its refuse limit sends nothing and says which limit, the spend, the reset and who may raise it", async () => {
    fake.defaultText("an answer");
    const h = await harness(withBudgets({ chats: { default: { daily: { usd: 1, action: "refuse" } } } }));
    for (let i = 0; i < 9; i++) await spend(h, 0.1);
    expect(await h.say("hi")).toBe("an answer");
    expect(fake.requests).toHaveLength(1);
    // Ten tenths reach the limit, however the store adds floats (added one by one: 0.9999999999999999).
    await spend(h, 0.1);
    expect(await h.say("hi again")).toBe(
      refusal("This chat", "$1.00", "$1.00", "budgets.chats.default.daily", "2027-01-16 00:00 UTC"),
    );
    expect(fake.requests).toHaveLength(1);
    expect(h.logs).toContain(
      `[info] chat session=${MAIN_KEY} budget=budgets.chats.default.daily spent=$1.00 limit=$1.00 refused`,
    );
  });

  it("a turn that reaches a refuse limit stops the very next turn of the chat, before its entry would have been flushed", async () => {
    // claude-sonnet-5: $10 per million output tokens, so 100,000 output tokens cost $1.00.
    const priced = (text: string) => ({ kind: "text" as const, text, usage: { input: 0, output: 100_000 } });
    fake.script(KEY_WORK, priced("one"), priced("two"));
    const h = await harness(withBudgets({ chats: { default: { daily: { usd: 1, action: "refuse" } } } }));
    expect(await h.say("hi")).toBe("one");
    expect(await h.say("again")).toBe(
      refusal("This chat", "$1.00", "$1.00", "budgets.chats.default.daily", "2027-01-16 00:00 UTC"),
    );
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses a turn a refuse limit covers on a model without a price, and lets a warn-only budget through", async () => {
    fake.defaultText("an answer");
    const unpriced = (budgets: object) => ({
      config: { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } }, budgets },
    });
    const h = await harness(unpriced({ chats: { default: { daily: { usd: 5, action: "refuse" } } } }));
    expect(await h.say("hi")).toBe(
      "This chat has a daily budget (budgets.chats.default.daily), but anthropic/claude-sonnet-5-5 has no price, so what it costs could not be counted. Nothing was sent to the model.\n" +
        "Pick a priced model (/model list), or an owner may give it one: cost under models.providers.anthropic.models[] in openclaw.json.",
    );
    expect(fake.requests).toHaveLength(0);
    const warned = await harness(unpriced({ chats: { default: { daily: { usd: 5, action: "warn" } } } }));
    expect(await warned.say("hi")).toBe("an answer");
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses as the README shows it", async () => {
    const h = await harness(withBudgets({ chats: { default: { daily: { usd: 2, action: "refuse" } } } }));
    h.clock.set(Date.parse("2026-12-07T17:00:00Z"));
    await spend(h, 2.04);
    const reply = await h.say("what changed in the last release?");
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    expect(readme).toContain(`> what changed in the last release?\n${reply}\n\`\`\``);
    expect(fake.requests).toHaveLength(0);
  });

  it("a daily limit resets at 00:00 UTC the next day, a monthly one on the 1st of the next month", async () => {
    fake.defaultText("an answer");
    const h = await harness(
      withBudgets({
        gateway: { daily: { usd: 2, action: "refuse" } },
        agents: { main: { monthly: { usd: 5, action: "refuse" } } },
      }),
    );
    /** Refused with `text` until the last ms before `resetAt`, answered from `resetAt` on. */
    const refusedUntil = async (text: string, resetAt: number) => {
      expect(await h.say("hi")).toBe(text);
      h.clock.set(resetAt - 1);
      expect(await h.say("hi")).toBe(text);
      h.clock.set(resetAt);
      expect(await h.say("hi")).toBe("an answer");
    };
    await spend(h, 2);
    await refusedUntil(
      refusal("This gateway", "$2.00", "$2.00", "budgets.gateway.daily", "2027-01-16 00:00 UTC"),
      NEXT_DAY,
    );
    await spend(h, 3);
    await refusedUntil(
      refusal("Agent main", "$5.00", "$5.00", "budgets.agents.main.monthly", "2027-02-01 00:00 UTC"),
      NEXT_MONTH,
    );
    expect(fake.requests).toHaveLength(2);
  });

  it("a warn limit adds one line at 80% and one at 100%, once per period, and never refuses", async () => {
    fake.defaultText("an answer");
    const h = await harness(withBudgets({ chats: { default: { daily: { usd: 1, action: "warn" } } } }));
    await spend(h, 0.79);
    expect(await h.say("hi")).toBe("an answer");
    await spend(h, 0.01);
    const at80 =
      "Budget: this chat has spent $0.80 of its $1.00 daily budget today (UTC) (80%); it resets at 2027-01-16 00:00 UTC.";
    expect(await h.say("hi")).toBe(`an answer\n\n${at80}`);
    expect(await h.say("hi")).toBe("an answer");
    await spend(h, 0.4);
    expect(await h.say("hi")).toBe(
      "an answer\n\nBudget: this chat has spent $1.20 of its $1.00 daily budget today (UTC) (120%); answers go on, as this limit only warns; it resets at 2027-01-16 00:00 UTC.",
    );
    expect(await h.say("hi")).toBe("an answer");
    h.clock.set(NEXT_DAY);
    await spend(h, 0.85);
    expect(await h.say("hi")).toMatch(
      /^an answer\n\nBudget: this chat has spent \$0\.85 .*\(85%\); it resets at 2027-01-17/,
    );
    expect(fake.requests).toHaveLength(6);
  });

  it("a named chat's override beats the chat default; every other chat keeps the default, each on its own spend", async () => {
    fake.defaultText("an answer");
    const h = await harness(
      withBudgets({
        chats: {
          default: { daily: { usd: 1, action: "refuse" } },
          byChannel: { telegram: { "-100777": { daily: { usd: 5, action: "refuse" } } } },
        },
      }),
    );
    const team = groupNonOwner("-100777");
    const other = groupNonOwner("-100888");
    const inTeam = { sessionKey: "agent:main:telegram:group:-100777", channel: "telegram" };
    const inOther = { sessionKey: "agent:main:telegram:group:-100888", channel: "telegram" };
    await spend(h, 2, inTeam);
    expect(await h.say("hi", team)).toBe("an answer");
    expect(await h.say("hi", other)).toBe("an answer");
    await spend(h, 1, inOther);
    expect(await h.say("hi", other)).toBe(
      refusal("This chat", "$1.00", "$1.00", "budgets.chats.default.daily", "2027-01-16 00:00 UTC"),
    );
    await spend(h, 3, inTeam);
    expect(await h.say("hi", team)).toBe(
      refusal(
        "This chat",
        "$5.00",
        "$5.00",
        'budgets.chats.byChannel.telegram["-100777"].daily',
        "2027-01-16 00:00 UTC",
      ),
    );
  });

  it("a profile past its limit is skipped for automatic selection, and logged", async () => {
    fake.script(KEY_HOME, { kind: "text", text: "answered from home" });
    const h = await harness(withBudgets({ profiles: { "anthropic:work": { daily: { usd: 1, action: "refuse" } } } }));
    await spend(h, 1, { profileId: "anthropic:work", sessionKey: "agent:main:elsewhere" });
    expect(await h.say("hi")).toBe("answered from home");
    expect(fake.requestsFor(KEY_WORK)).toHaveLength(0);
    expect(h.logs).toContain(
      `[info] chat session=${MAIN_KEY} budget=budgets.profiles["anthropic:work"].daily spent=$1.00 limit=$1.00 skipped credential=anthropic:work`,
    );
  });

  it("a profile the user pinned refuses the turn at its limit, with nothing sent and how to unpin", async () => {
    fake.defaultText("an answer");
    const h = await harness(
      withBudgets({ profiles: { "anthropic:work": { monthly: { usd: 10, action: "refuse" } } } }),
    );
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:work", pinSource: "user" }, T0);
    await spend(h, 10.5);
    expect(await h.say("hi")).toBe(
      "Credential anthropic:work has reached its monthly budget: $10.50 of $10.00 spent this month (UTC). This chat pinned it, so nothing was sent to the model.\n" +
        'It resets at 2027-02-01 00:00 UTC. An owner may raise it: budgets.profiles["anthropic:work"].monthly.usd in model-gateway.json. /model default unpins it.',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("with every credential past its limit, nothing is sent and the reply names them", async () => {
    fake.defaultText("an answer");
    const limit = { daily: { usd: 1, action: "refuse" } };
    const h = await harness(withBudgets({ profiles: { "anthropic:work": limit, "anthropic:home": limit } }));
    await spend(h, 1, { profileId: "anthropic:work" });
    await spend(h, 2, { profileId: "anthropic:home" });
    const reply = await h.say("hi");
    expect(reply).toBe(
      `${refusal("Credential anthropic:work", "$1.00", "$1.00", 'budgets.profiles["anthropic:work"].daily', "2027-01-16 00:00 UTC")}\nAlso past their budgets: anthropic:home ($2.00 of $1.00 spent today (UTC)).`,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("without budgets no turn is checked, whatever was spent", async () => {
    fake.defaultText("an answer");
    const h = await harness(withBudgets(undefined as unknown as object));
    await spend(h, 1000);
    expect(await h.say("hi")).toBe("an answer");
  });
});

describe("the fallback price guard", () => {
  const GPT = "openai/gpt-5.4";
  const OPUS = "anthropic/claude-opus-5";
  const MINI = "openai/gpt-5.4-mini";
  const OPENAI_KEY = "sk-proj-BUDGETBUDGET000000000openai";
  const env = { OPENAI_API_KEY: OPENAI_KEY };
  const config = (budgets?: object) => ({
    agents: { defaults: { model: { primary: GPT, fallbacks: [OPUS, MINI] } } },
    ...(budgets ? { budgets } : {}),
  });

  it("a fallback pricier than the configured default is not tried, and the reply says so", async () => {
    fake.script(OPENAI_KEY, { kind: "status", status: 529 }, { kind: "text", text: "from mini" });
    fake.script(KEY_WORK, { kind: "text", text: "from opus" });
    const h = await harness({ config: config(), env });
    const reply = await h.say("hi");
    expect(reply).toMatch(/^from mini\n\n— answered by openai\/gpt-5\.4-mini: /);
    expect(reply).toContain(
      `\nFallbacks not tried: ${OPUS} (its price ($5.00/$25.00 per million input/output tokens) is above ${GPT}'s ($2.50/$15.00); budgets.fallbacks.allowPricier in model-gateway.json allows it).`,
    );
    expect(fake.requestsFor(KEY_WORK)).toHaveLength(0);
  });

  it("is lifted by budgets.fallbacks.allowPricier", async () => {
    fake.script(OPENAI_KEY, { kind: "status", status: 529 });
    fake.script(KEY_WORK, { kind: "text", text: "from opus" });
    const h = await harness({ config: config({ fallbacks: { allowPricier: true } }), env });
    expect(await h.say("hi")).toMatch(/^from opus\n\n— answered by anthropic\/claude-opus-5: /);
  });
});
