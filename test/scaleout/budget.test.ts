/**
 * Budgets across instances (issue #30): two gateways (two assemblies, each with its own state dir
 * and chat responder) on one real redis-server read one ledger, so a limit reached through one is
 * enforced by the other before it sends anything, and a warning line is shown once in all.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createChatHarness, MAIN_KEY, type ChatHarness } from "../chat/harness.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { eventually } from "../sessions/child.js";
import { entry } from "../sessions/ledger-contract.js";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";

const KEY = "sk-ant-api03-SCALEOUTBUDGET000000000key";
const fake = useFakeProvider();

describeRedis("budgets on two gateways sharing one Redis", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  /** Two gateways on one fresh key prefix of the server, with `budgets`. */
  async function twoGateways(budgets: object): Promise<[ChatHarness, ChatHarness]> {
    const keyPrefix = `budget-${crypto.randomBytes(4).toString("hex")}:`;
    const config = {
      agents: { defaults: { model: "anthropic/claude-sonnet-5" } },
      session: { store: { kind: "redis", url: server.url, keyPrefix } },
      budgets,
    };
    const env = { ANTHROPIC_API_KEY: KEY };
    return [await createChatHarness(fake, { config, env }), await createChatHarness(fake, { config, env })];
  }

  const spend = (h: ChatHarness, usd: number): Promise<void> =>
    h.services.sessions.ledger.record(entry(h.clock(), { sessionKey: MAIN_KEY, costUsd: usd }));

  it("one gateway spends up to the limit through its turns; the other's next turn is refused, with nothing sent", async () => {
    // $0.20 of input and $0.80 of output at claude-sonnet-5's $2/$10 per million: $1.00 a turn.
    fake.script(KEY, { kind: "text", text: "an answer", usage: { input: 100_000, output: 80_000 } });
    const [a, b] = await twoGateways({ gateway: { daily: { usd: 2, action: "refuse" } } });
    try {
      expect(await a.say("one")).toBe("an answer");
      expect(await a.say("two")).toBe("an answer");
      // The ledger is written just after the reply: the second dollar is in by then, or soon.
      const today = { from: a.clock() - 3_600_000, to: a.clock() + 3_600_000 };
      await eventually(
        async () => (await b.services.sessions.ledger.totals(today)).costUsd >= 2,
        2_000,
        "both turns in the shared ledger",
      );
      const sent = fake.requests.length;
      expect(await b.say("three")).toBe(
        "This gateway has reached its daily budget: $2.00 of $2.00 spent today (UTC). Nothing was sent to the model.\n" +
          "It resets at 2027-01-16 00:00 UTC. An owner may raise it: budgets.gateway.daily.usd in model-gateway.json.",
      );
      expect(await a.say("four")).toMatch(/^This gateway has reached its daily budget/);
      expect(fake.requests).toHaveLength(sent);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a warn limit's line is shown once, by whichever gateway answers first", async () => {
    fake.defaultText("an answer");
    const [a, b] = await twoGateways({ gateway: { daily: { usd: 1, action: "warn" } } });
    try {
      await spend(a, 0.9);
      const replies = [await a.say("hi"), await b.say("hi"), await a.say("hi")];
      expect(replies.filter((r) => r.includes("Budget: this gateway has spent $0.90"))).toHaveLength(1);
      expect(replies[0]).toContain("(90%)");
    } finally {
      await a.close();
      await b.close();
    }
  });
});
