import { describe, expect, it } from "vitest";
import { fallbackStep } from "../../src/chat/fallback.js";
import { refused, unavailable } from "../../src/chat/fallback-text.js";
import type { Turn, TurnOutcome } from "../../src/chat/turn.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { leakCheckedHarnesses, MAIN_KEY, startTestTurn, T0, TEST_SETTINGS, type ChatHarness } from "./harness.js";

const SONNET = "anthropic/claude-sonnet-5-5";
const GPT = "openai/gpt-5.2";
const HAIKU = "anthropic/claude-haiku-5-5";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [], {
  config: { agents: { defaults: { model: { primary: SONNET, fallbacks: [GPT, HAIKU] } } } },
});
const DOWN = unavailable("Every anthropic credential is cooling down.", "every anthropic credential is cooling down");

/**
 * Runs the fallback step over a turn; the steps after it answer per model from `answers` (a
 * failure for any other). Returns the reply and the turns the rest was run with.
 */
async function run(h: ChatHarness, answers: Record<string, TurnOutcome>, commands = { model: "model" }) {
  const turns: Turn[] = [];
  const log = (level: string, m: string) => void h.logs.push(`[${level}] ${m}`);
  const out = await fallbackStep(
    h.services,
    log,
    TEST_SETTINGS,
  )(await startTestTurn(h, "hi", { commands }), async (t) => {
    turns.push(t);
    return answers[t.model.ref] ?? DOWN;
  });
  return { out, turns };
}

describe("the fallback step", () => {
  it("passes an answer of the configured model through untouched", async () => {
    const answer = { kind: "reply" as const, text: "from sonnet", remember: "from sonnet" };
    const { out, turns } = await run(await harness(), { [SONNET]: answer });
    expect(out).toBe(answer);
    expect(turns).toHaveLength(1);
  });

  it("asks each fallback in order as a fallback turn without the pin, and notes who answered and why", async () => {
    const h = await harness();
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "auto" }, T0);
    const { out, turns } = await run(h, { [HAIKU]: { kind: "reply", text: "from haiku", remember: "from haiku" } });
    expect(turns.map((t) => [t.model.ref, t.fallback ?? false, t.pin?.profileId])).toEqual([
      [SONNET, false, "anthropic:a"],
      [GPT, true, undefined],
      [HAIKU, true, undefined],
    ]);
    expect(turns[1]?.facts).toMatchObject({ provider: "openai", providerName: "OpenAI", model: GPT });
    expect(out).toEqual({
      kind: "reply",
      text: `from haiku\n\n— answered by ${HAIKU}: every anthropic credential is cooling down; ${GPT} too: every anthropic credential is cooling down`,
    });
    expect(h.logs).toEqual([
      `[info] chat session=${MAIN_KEY} fallback from=${SONNET} to=${GPT} reason="every anthropic credential is cooling down"`,
      `[info] chat session=${MAIN_KEY} fallback from=${GPT} to=${HAIKU} reason="every anthropic credential is cooling down"`,
    ]);
  });

  it("a refused request is not handed on", async () => {
    const bad = refused("Anthropic rejected the request (400).", "request refused");
    const { out, turns } = await run(await harness(), { [SONNET]: bad });
    expect(out).toEqual({ kind: "reply", text: bad.text });
    expect(turns).toHaveLength(1);
  });

  it("a model the user chose never falls back: the reply says how to go back, naming the model command as declared", async () => {
    const h = await harness();
    await h.sessions.update(MAIN_KEY, { model: HAIKU }, T0);
    const { out, turns } = await run(h, {}, { model: "llm" });
    expect(turns).toHaveLength(1);
    expect(out.text).toBe(
      `${DOWN.text}\nThis chat chose ${HAIKU}, so no other model is tried. /llm default goes back to ${SONNET} (falling back to ${GPT}, ${HAIKU}); /llm list shows the others.`,
    );
  });
});
