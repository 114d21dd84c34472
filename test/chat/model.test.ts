import { describe, expect, it } from "vitest";
import { startTurn } from "../../src/chat/model.js";
import type { GatewayServices } from "../../src/gateway/types.js";
import type { Catalog } from "../../src/models/catalog.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import {
  apiKey,
  leakCheckedHarnesses,
  MAIN_KEY,
  startTestTurn,
  T0,
  TEST_SETTINGS,
  type ChatHarness,
} from "./harness.js";

const KEY_A = "sk-ant-api03-MODELSTEPMODELSTEP0000aa";
const KEY_B = "sk-ant-api03-MODELSTEPMODELSTEP0000bb";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY_A, KEY_B], {
  authProfiles: {
    version: 1,
    profiles: { "anthropic:a": apiKey("anthropic", KEY_A), "anthropic:b": apiKey("anthropic", KEY_B) },
  },
});

function refused(h: ChatHarness, commands = { model: "model" }, services = h.services): Promise<unknown> {
  return startTurn(
    { services, settings: TEST_SETTINGS, commands, shutdown: new AbortController().signal },
    h.context(),
    "hi",
    undefined,
  );
}

describe("the model step", () => {
  it("takes the agent's configured model with the catalog's cap on the answer, and sends the message alone", async () => {
    const h = await harness({ config: { agents: { defaults: { model: "haiku" } } } });
    const turn = await startTestTurn(h, "hello");
    expect(turn.model.ref).toBe("anthropic/claude-haiku-5-5");
    expect(turn.provider.id).toBe("anthropic");
    expect(turn.answerTokens).toBe(Math.min(TEST_SETTINGS.maxAnswerTokens, turn.model.model?.maxTokens ?? Infinity));
    expect(turn.messages).toEqual([{ role: "user", content: "hello" }]);
    expect(turn.pin).toBeUndefined();
    expect(turn.facts).toMatchObject({ provider: "anthropic", providerName: "Anthropic", now: T0, showMasked: true });
  });

  it("a thread without a record of its own takes its parent's model and pin", async () => {
    const h = await harness();
    await h.sessions.update(
      MAIN_KEY,
      { model: "anthropic/claude-opus-5-5", profileId: "anthropic:b", pinSource: "user" },
      T0,
    );
    const turn = await startTestTurn(h, "hi", {
      ctx: { sessionKey: `${MAIN_KEY}:thread:9`, parentSessionKey: MAIN_KEY },
    });
    expect(turn.model.ref).toBe("anthropic/claude-opus-5-5");
    expect(turn.pin).toEqual({ profileId: "anthropic:b", source: "user" });
  });

  it("the model's params.maxTokens is the answer's limit, above ours", async () => {
    const h = await harness({
      config: {
        agents: {
          defaults: { model: "haiku", models: { "anthropic/claude-haiku-5-5": { params: { maxTokens: 9000 } } } },
        },
      },
    });
    expect((await startTestTurn(h, "hi")).answerTokens).toBe(9000);
  });

  it("an unknown model is answered with the catalog's message", async () => {
    const h = await harness();
    await h.sessions.update(MAIN_KEY, { model: "nonsense-model" }, T0);
    expect(await refused(h)).toMatch(/^Unknown model "nonsense-model"\./);
  });

  it("a model of a provider the catalog lost names the model command as declared", async () => {
    const h = await harness({
      config: { models: { providers: { custom: { baseUrl: fake.url, models: [{ id: "m1" }] } } } },
    });
    await h.sessions.update(MAIN_KEY, { model: "custom/m1" }, T0);
    // The catalog as a config change that dropped the provider leaves it.
    const catalog = h.services.catalog();
    const providers = new Map([...catalog.providers].filter(([id]) => id !== "custom"));
    const services: GatewayServices = Object.create(h.services);
    const lost: Catalog = Object.create(catalog);
    Object.defineProperty(lost, "providers", { value: providers });
    services.catalog = () => lost;
    expect(await refused(h, { model: "llm" }, services)).toBe(
      'Unknown provider "custom" for custom/m1. Use /llm list to pick a model.',
    );
  });
});
