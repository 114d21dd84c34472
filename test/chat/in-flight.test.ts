import { describe, expect, it } from "vitest";
import { InFlight, stoppedReply } from "../../src/chat/in-flight.js";
import { SHUTDOWN_NOTE } from "../../src/chat/stop.js";
import type { Turn, TurnOutcome } from "../../src/chat/turn.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, leakCheckedHarnesses, MAIN_KEY, startTestTurn } from "./harness.js";

const KEY = "sk-ant-api03-INFLIGHTINFLIGHTINFLIGHT00";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY], {
  authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY) } },
});

/** Runs `turn` through the in-flight step with a rest that waits until the turn is aborted. */
function runUntilAborted(inFlight: InFlight, turn: Turn): Promise<TurnOutcome> {
  return inFlight.step(
    turn,
    (t) =>
      new Promise((resolve) => {
        const done = () => resolve({ kind: "reply", text: "aborted" });
        t.stop.signal.addEventListener("abort", done);
        t.shutdown.addEventListener("abort", done);
      }),
  );
}

describe("the in-flight step", () => {
  it("/stop aborts the turn of its session only while it runs", async () => {
    const h = await harness();
    const inFlight = new InFlight();
    const turn = await startTestTurn(h, "hi", { shutdown: inFlight.signal });
    expect(inFlight.stop(MAIN_KEY)).toBe(false);
    const running = runUntilAborted(inFlight, turn);
    expect(inFlight.stop("agent:main:discord:channel:1")).toBe(false);
    expect(inFlight.stop(MAIN_KEY)).toBe(true);
    expect(inFlight.stop(MAIN_KEY)).toBe(false);
    expect(await running).toEqual({ kind: "reply", text: "aborted" });
    expect(inFlight.stop(MAIN_KEY)).toBe(false);
  });

  it("close() aborts every turn through the shutdown signal", async () => {
    const h = await harness();
    const inFlight = new InFlight();
    const turn = await startTestTurn(h, "hi", { shutdown: inFlight.signal });
    const running = runUntilAborted(inFlight, turn);
    inFlight.close();
    await running;
    expect(turn.shutdown.aborted).toBe(true);
    expect(turn.stop.signal.aborted).toBe(false);
  });
});

describe("stoppedReply", () => {
  it("keeps what was written, marked stopped, or the shutdown note; nothing when the turn was not stopped", async () => {
    const h = await harness();
    const shutdown = new AbortController();
    const turn = await startTestTurn(h, "hi", { shutdown: shutdown.signal });
    expect(stoppedReply(turn, "half an")).toBeUndefined();
    turn.stop.abort();
    expect(stoppedReply(turn, "half an")).toEqual({ kind: "reply", text: "half an (stopped)" });
    expect(stoppedReply(turn, "")).toEqual({ kind: "reply", text: "(stopped)" });
    shutdown.abort();
    expect(stoppedReply(turn, "half an")).toEqual({ kind: "reply", text: `half an\n\n${SHUTDOWN_NOTE}` });
    expect(stoppedReply(turn, "")).toEqual({ kind: "reply", text: SHUTDOWN_NOTE });
  });
});
