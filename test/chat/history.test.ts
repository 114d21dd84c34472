import { describe, expect, it } from "vitest";
import { approxTokens, ConversationHistory, historyBudget, historyStep } from "../../src/chat/history.js";
import type { Turn, TurnOutcome } from "../../src/chat/turn.js";
import { refused } from "../../src/chat/fallback-text.js";
import type { ChatMessage } from "../../src/providers/types.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { leakCheckedHarnesses, startTestTurn } from "./harness.js";

const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, []);

const t = (tokens: number, tag = "x") => tag.padEnd(tokens * 4, ".");

describe("ConversationHistory", () => {
  it("starts with just the new message", () => {
    expect(new ConversationHistory().prompt("s", "hi", 1000)).toEqual([{ role: "user", content: "hi" }]);
  });

  it("sends exchanges oldest first, user and assistant alternating, then the new message", () => {
    const h = new ConversationHistory();
    h.append("s", "q1", "a1");
    h.append("s", "q2", "a2");
    expect(h.prompt("s", "q3", 1000).map((m) => `${m.role}:${m.content}`)).toEqual([
      "user:q1",
      "assistant:a1",
      "user:q2",
      "assistant:a2",
      "user:q3",
    ]);
  });

  it("keeps only the newest whole exchanges that fit the budget", () => {
    const h = new ConversationHistory();
    for (const n of [1, 2, 3]) h.append("s", t(10, `q${n}`), t(10, `a${n}`));
    // 50 tokens: 10 for the new message, 20 per exchange → the two newest.
    const sent = h.prompt("s", t(10, "new"), 50).map((m) => m.content.slice(0, 3));
    expect(sent).toEqual(["q2.", "a2.", "q3.", "a3.", "new"]);
    // Never a partial exchange, never an assistant turn first.
    expect(h.prompt("s", t(10, "new"), 39).map((m) => m.content.slice(0, 3))).toEqual(["q3.", "a3.", "new"]);
  });

  it("sends an oversized new message alone rather than dropping it", () => {
    const h = new ConversationHistory();
    h.append("s", "q", "a");
    expect(h.prompt("s", t(500), 100)).toEqual([{ role: "user", content: t(500) }]);
  });

  it("bounds what it stores per session by maxTokens", () => {
    const h = new ConversationHistory({ maxTokens: 50 });
    for (let i = 0; i < 4; i++) h.append("s", t(10), t(10));
    expect(h.size("s")).toBe(2);
    // The per-session cap also bounds the prompt, whatever budget the model allows.
    expect(h.prompt("s", "hi", 100_000)).toHaveLength(5);
  });

  it("forgets the least recently used session beyond maxSessions", () => {
    const h = new ConversationHistory({ maxSessions: 2 });
    h.append("a", "q", "r");
    h.append("b", "q", "r");
    h.prompt("a", "touch", 100);
    h.append("c", "q", "r");
    expect([h.size("a"), h.size("b"), h.size("c")]).toEqual([1, 0, 1]);
  });

  it("reset() forgets one session only", () => {
    const h = new ConversationHistory();
    h.append("a", "q", "r");
    h.append("b", "q", "r");
    h.reset("a");
    expect([h.size("a"), h.size("b")]).toEqual([0, 1]);
  });
});

describe("historyBudget", () => {
  it("leaves room for the answer and a margin, capped", () => {
    expect(historyBudget({ contextWindow: 200_000 }, 4096, 16_000)).toBe(16_000);
    expect(historyBudget({ contextWindow: 8_000 }, 2_000, 16_000)).toBe(8_000 - 2_000 - 800);
    expect(historyBudget(undefined, 4096, 100_000)).toBe(32_000 - 4096 - 3200);
    expect(historyBudget({ contextWindow: 2_000 }, 4096, 16_000)).toBe(1_000);
  });

  it("approximates tokens as characters / 4", () => {
    expect([approxTokens(""), approxTokens("abc"), approxTokens("abcd"), approxTokens("abcde")]).toEqual([0, 1, 1, 2]);
  });
});

describe("the history step", () => {
  /** Runs one turn of `text` through the step; `out` is what the steps after it answer. */
  async function run(
    step: ReturnType<typeof historyStep>,
    text: string,
    out: TurnOutcome,
  ): Promise<readonly ChatMessage[]> {
    const turn = await startTestTurn(await harness(), text);
    let sent: readonly ChatMessage[] = [];
    await step(turn, async (t: Turn) => {
      sent = t.messages;
      return out;
    });
    return sent;
  }

  it("sends the earlier exchanges before the message and remembers a whole answer", async () => {
    const step = historyStep(new ConversationHistory());
    expect(await run(step, "one", { kind: "reply", text: "first", remember: "first" })).toEqual([
      { role: "user", content: "one" },
    ]);
    expect(await run(step, "two", { kind: "reply", text: "second" })).toEqual([
      { role: "user", content: "one" },
      { role: "assistant", content: "first" },
      { role: "user", content: "two" },
    ]);
  });

  it("remembers no failure and no reply without an answer (stopped, cut off, a note)", async () => {
    const history = new ConversationHistory();
    const step = historyStep(history);
    await run(step, "one", refused("Anthropic rejected the request (400).", "request refused"));
    await run(step, "two", { kind: "reply", text: "half an (stopped)" });
    expect(history.size("agent:main:main")).toBe(0);
  });
});
