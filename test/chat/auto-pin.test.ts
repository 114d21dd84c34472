import { describe, expect, it } from "vitest";
import { autoPinStep } from "../../src/chat/auto-pin.js";
import type { CallOutcome, Turn } from "../../src/chat/turn.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, candidateOf, leakCheckedHarnesses, MAIN_KEY, startTestTurn, T0, type ChatHarness } from "./harness.js";

const KEY_A = "sk-ant-api03-AUTOPINAUTOPIN000000aaaa";
const KEY_B = "sk-ant-api03-AUTOPINAUTOPIN000000bbbb";
const ENV_KEY = "sk-ant-api03-AUTOPINENVKEY0000000eeee";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY_A, KEY_B, ENV_KEY], {
  authProfiles: {
    version: 1,
    profiles: { "anthropic:a": apiKey("anthropic", KEY_A), "anthropic:b": apiKey("anthropic", KEY_B) },
  },
});
const ANSWERED: CallOutcome = { ok: true, result: { text: "fine" } };

async function answeredBy(h: ChatHarness, turn: Turn, id: string, outcome = ANSWERED): Promise<void> {
  await autoPinStep(h.services, () => undefined)({ turn, candidate: candidateOf(h, id) }, async () => outcome);
}

describe("the auto-pin step", () => {
  it("keeps an unpinned session on the profile that answered, and moves an auto pin on to the next one", async () => {
    const h = await harness();
    await answeredBy(h, await startTestTurn(h, "hi"), "anthropic:b");
    expect(await h.sessions.get(MAIN_KEY)).toMatchObject({ profileId: "anthropic:b", pinSource: "auto" });
    await answeredBy(h, await startTestTurn(h, "hi"), "anthropic:a");
    expect(await h.sessions.get(MAIN_KEY)).toMatchObject({ profileId: "anthropic:a", pinSource: "auto" });
  });

  it("leaves a user's pin, a failed call, a fallback model's turn and an env key alone", async () => {
    const h = await harness({ env: { ANTHROPIC_API_KEY: ENV_KEY } });
    const turn = await startTestTurn(h, "hi");
    await answeredBy(h, turn, "anthropic:a", {
      ok: false,
      failure: { kind: "auth", reasonCode: "unauthorized", detail: "" },
      partial: "",
    });
    await answeredBy(h, { ...turn, fallback: true }, "anthropic:a");
    await answeredBy(h, turn, "env:ANTHROPIC_API_KEY");
    expect(await h.sessions.get(MAIN_KEY)).toBeUndefined();

    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "user" }, T0);
    await answeredBy(h, await startTestTurn(h, "hi"), "anthropic:b");
    expect(await h.sessions.get(MAIN_KEY)).toMatchObject({ profileId: "anthropic:a", pinSource: "user" });
  });

  it("does not overwrite a pin set while the turn ran", async () => {
    const h = await harness();
    const turn = await startTestTurn(h, "hi");
    await h.sessions.update(MAIN_KEY, { profileId: "anthropic:a", pinSource: "user" }, T0);
    await answeredBy(h, turn, "anthropic:b");
    expect(await h.sessions.get(MAIN_KEY)).toMatchObject({ profileId: "anthropic:a", pinSource: "user" });
  });
});
