import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/auth/resolver.js";
import { callStep } from "../../src/chat/call.js";
import { STOP_ACTIONS } from "../../src/chat/stop.js";
import type { ChatSettings, Turn } from "../../src/chat/turn.js";
import type { Choice } from "../../src/gateway/types.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, leakCheckedHarnesses, startTestTurn, TEST_SETTINGS, type ChatHarness } from "./harness.js";

const KEY = "sk-ant-api03-CALLSTEPCALLSTEP00000aaaa";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY], {
  authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY) } },
});

/** A harness whose metrics observer writes what it heard into `counted`. */
function countingHarness(counted: string[]): Promise<ChatHarness> {
  return harness({
    observer: {
      command: () => undefined,
      modelRequest: (p, outcome) => void counted.push(`${p} ${outcome}`),
      modelUsage: () => undefined,
    },
  });
}

/** The step's call with the only credential. */
async function call(h: ChatHarness, turn: Turn, settings: ChatSettings = TEST_SETTINGS) {
  const candidate = h.services.resolver().resolve({ agentId: "main", provider: "anthropic" }).chosen as Candidate;
  const log = (level: string, m: string) => void h.logs.push(`[${level}] ${m}`);
  return callStep(h.services, log, settings)({ turn, candidate });
}

describe("the call step", () => {
  it("sends the turn's messages, limit and system prompt with the credential, logs one line and counts the call", async () => {
    fake.script(KEY, { kind: "text", text: "hello" });
    const counted: string[] = [];
    const h = await countingHarness(counted);
    const turn = await startTestTurn(h, "hi");
    const out = await call(h, turn, { ...TEST_SETTINGS, systemPrompt: "Be brief." });
    expect(out).toMatchObject({ ok: true, result: { text: "hello" } });
    expect(fake.requests[0]).toMatchObject({ credential: KEY, messages: [{ role: "user", content: "hi" }] });
    expect(fake.requests[0]?.body).toMatchObject({ system: "Be brief.", max_tokens: turn.answerTokens });
    expect(h.logs).toEqual([
      expect.stringMatching(
        /^\[info\] chat session=agent:main:main provider=anthropic model=anthropic\/claude-sonnet-5-5 credential=anthropic:a status=ok latency=\d+ms/,
      ),
    ]);
    expect(counted).toEqual(["anthropic ok"]);
  });

  it("streams the text so far into the sink with the Stop button, and keeps it when the stream breaks", async () => {
    fake.script(KEY, { kind: "text", text: "one two three four", stream: { chunks: 4, failAfter: 2 } });
    const h = await harness();
    const shown: Array<[string, readonly Choice[] | undefined]> = [];
    const turn: Turn = {
      ...(await startTestTurn(h, "hi")),
      sink: { update: (t, actions) => void shown.push([t, actions]) },
    };
    const out = await call(h, turn);
    expect(shown.map(([, actions]) => actions)).toEqual([STOP_ACTIONS, STOP_ACTIONS]);
    const soFar = shown.at(-1)?.[0];
    expect(soFar && "one two three four".startsWith(soFar)).toBe(true);
    expect(out).toMatchObject({ ok: false, failure: { kind: "rate_limit" }, partial: soFar });
  });

  it("classifies a failure, logs it with its status, and counts it by kind", async () => {
    fake.script(KEY, { kind: "status", status: 401 });
    const counted: string[] = [];
    const h = await countingHarness(counted);
    const out = await call(h, await startTestTurn(h, "hi"));
    expect(out).toMatchObject({ ok: false, failure: { kind: "auth", status: 401 }, partial: "" });
    expect(h.logs).toEqual([
      expect.stringMatching(
        /^\[warn\] .* credential=anthropic:a status=auth reason=unauthorized http=401 latency=\d+ms/,
      ),
    ]);
    expect(counted).toEqual(["anthropic auth"]);
  });
});
