import { afterEach, describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, createChatHarness, MAIN_KEY, T0, type ChatHarness, type ChatHarnessOptions } from "./harness.js";

const SONNET = "anthropic/claude-sonnet-5-5";
const KEY_WORK = "sk-ant-api03-WORKWORKWORKWORKWORKwork";
const KEY_HOME = "sk-ant-api03-HOMEHOMEHOMEHOMEHOMEhome";
const PROFILES = {
  version: 1,
  profiles: { "anthropic:work": apiKey("anthropic", KEY_WORK), "anthropic:home": apiKey("anthropic", KEY_HOME) },
};
const ORDERED = { auth: { order: { anthropic: ["anthropic:work", "anthropic:home"] } } };
/** 40 pieces of 6 characters: "w00 · w01 · …". */
const ANSWER = Array.from({ length: 40 }, (_, i) => `w${String(i).padStart(2, "0")} · `).join("");

const fake = useFakeProvider();
let harnesses: ChatHarness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.close();
  harnesses = [];
});

async function harness(opts: ChatHarnessOptions = {}): Promise<ChatHarness> {
  const h = await createChatHarness(fake, { authProfiles: PROFILES, config: ORDERED, ...opts });
  harnesses.push(h);
  return h;
}

describe("chat: a streamed answer", () => {
  it("shows the answer growing, piece by piece, and ends with the whole of it", async () => {
    fake.script(KEY_WORK, { kind: "text", text: ANSWER, stream: { chunks: 40 } });
    const h = await harness();
    const { text, updates } = await h.stream("count");
    expect(text).toBe(ANSWER);
    expect(updates).toHaveLength(40);
    // Each update is the whole text so far, never a piece on its own.
    for (const [i, u] of updates.entries()) expect(ANSWER.startsWith(u) && u.length === (i + 1) * 6).toBe(true);
    // A streamed answer is remembered like any other.
    fake.script(KEY_WORK, { kind: "text", text: "again" });
    await h.say("and now?");
    expect(fake.requests[1]?.messages).toEqual([
      { role: "user", content: "count" },
      { role: "assistant", content: ANSWER },
      { role: "user", content: "and now?" },
    ]);
  });

  it("a 429 after the tenth piece ends the shown text with a note, cools work for that model, and tries nobody else", async () => {
    fake.script(KEY_WORK, { kind: "text", text: ANSWER, stream: { chunks: 40, failAfter: 10 } });
    fake.script(KEY_HOME, { kind: "text", text: "home would have answered" });
    const h = await harness();
    const { text, updates } = await h.stream("count");

    const shown = ANSWER.slice(0, 60);
    expect(updates.at(-1)).toBe(shown);
    expect(text).toBe(`${shown}\n\n[…cut off: rate limited on anthropic:work; free again in 30s]`);
    // Nothing is sent twice: home was never asked.
    expect(fake.requests.map((r) => r.credential)).toEqual([KEY_WORK]);
    expect(h.sessions.cooldowns.get("anthropic:work")?.cooldowns).toEqual([
      expect.objectContaining({ reason: "rate_limit", model: SONNET, until: T0 + 30_000 }),
    ]);
  });

  it("a failure before the first piece still fails over, and the next credential's answer streams", async () => {
    fake.script(KEY_WORK, { kind: "status", status: 429 });
    fake.script(KEY_HOME, { kind: "text", text: "home answers", stream: { chunks: 3 } });
    const h = await harness();
    const { text, updates } = await h.stream("hi");
    expect(text).toBe("home answers");
    expect(updates).toEqual(["home", "home ans", "home answers"]);
    expect(fake.requests.map((r) => r.credential)).toEqual([KEY_WORK, KEY_HOME]);
  });

  it("stop() ends the answer in flight; what was written stays, marked (stopped), and nothing cools", async () => {
    fake.script(KEY_WORK, { kind: "text", text: ANSWER, stream: { chunks: 40, gapMs: 20 } });
    const h = await harness();
    let stopped: boolean | undefined;
    const { text, updates } = await h.stream("count", (t) => {
      if (t.length === 18) stopped = h.chat.stop(MAIN_KEY);
    });
    expect(stopped).toBe(true);
    expect(text).toBe(`${updates.at(-1)} (stopped)`);
    expect(text.startsWith(ANSWER.slice(0, 18))).toBe(true);
    expect(h.sessions.cooldowns.get("anthropic:work")?.cooldowns ?? []).toEqual([]);
    // Nothing is running any more.
    expect(h.chat.stop(MAIN_KEY)).toBe(false);
  });
});
