/**
 * Model references and `/models` forms that OpenClaw users type (issue 18): quantised local
 * models, Anthropic shorthand, `openrouter:auto`, aliases with dots, and OpenClaw's `/models`
 * spellings. Each test is the example: what is typed, what is answered, what is stored.
 */
import { afterEach, describe, expect, test } from "vitest";
import { createHarness, SECRETS, type Harness } from "./services.js";

const DM_KEY = "agent:main:main";
const OPENAI_KEY = `sk-proj-${"Q".repeat(40)}wk12`;

const profiles = {
  version: 1,
  profiles: {
    "anthropic:ci": { type: "api_key", provider: "anthropic", key: SECRETS.ci },
    "openai:work": { type: "api_key", provider: "openai", key: OPENAI_KEY },
  },
};

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function start(config: object = {}): Promise<Harness> {
  h = await createHarness({
    config: { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } }, ...config },
    profiles,
  });
  return h;
}

describe("model references as OpenClaw writes them", () => {
  test("/model openai/qwen3.6-27b@iq3_xxs@work pins work on the quantised model", async () => {
    await start();
    const r = await h.text("/model openai/qwen3.6-27b@iq3_xxs@work");
    expect(r.text).toContain("Model for this chat: openai/qwen3.6-27b@iq3_xxs.");
    expect(r.text).toContain("Pinned profile: openai:work.");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "openai/qwen3.6-27b@iq3_xxs",
      profileId: "openai:work",
    });
  });

  test("/model openai/qwen3.6-27b@iq3_xxs selects that model and pins nothing", async () => {
    await start();
    const r = await h.text("/model openai/qwen3.6-27b@iq3_xxs");
    expect(r.text).not.toContain("Unknown profile");
    expect(r.text).not.toContain("Pinned profile");
    const session = await h.sessions.get(DM_KEY);
    expect([session?.model, session?.profileId ?? "none"]).toEqual(["openai/qwen3.6-27b@iq3_xxs", "none"]);
    await h.text("/model openai/qwen3.6-27b@f16");
    const f16 = await h.sessions.get(DM_KEY);
    expect([f16?.model, f16?.profileId ?? "none"]).toEqual(["openai/qwen3.6-27b@f16", "none"]);
  });

  test("/model anthropic/opus-4.6 stores and shows the catalog id anthropic/claude-opus-4-6", async () => {
    await start();
    const r = await h.text("/model anthropic/opus-4.6");
    expect(r.text).toContain("Model for this chat: anthropic/claude-opus-4-6.");
    expect(r.text).not.toContain("not in the catalog");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({ model: "anthropic/claude-opus-4-6" });
  });

  test("/model sonnet-4.6 and /model claude-opus-4.6 find the Anthropic models they stand for", async () => {
    await start();
    expect((await h.text("/model sonnet-4.6")).text).toContain("Model for this chat: anthropic/claude-sonnet-4-6.");
    expect((await h.text("/model claude-opus-4.6@ci")).text).toContain("Pinned profile: anthropic:ci.");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "anthropic/claude-opus-4-6",
      profileId: "anthropic:ci",
    });
  });

  test("/model openrouter:auto is openrouter/auto", async () => {
    await start();
    const r = await h.text("/model openrouter:auto");
    expect(r.text).toContain("Model for this chat: openrouter/auto.");
    expect(r.text).not.toContain("not in the catalog");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({ model: "openrouter/auto" });
  });
});

describe("an alias with a dot (agents.defaults.models[ref].alias)", () => {
  const config = { agents: { defaults: { models: { "openai/o3": { alias: "test.alias" } } } } };

  test("works as /test.alias, as /model test.alias, and at the start of a message", async () => {
    await start(config);
    expect((await h.text("/test.alias")).text).toContain("Model for this chat: openai/o3 (test.alias).");
    await h.text("/model default");
    expect((await h.text("/model Test.Alias@work")).text).toContain("Pinned profile: openai:work.");
    await h.text("/model default");
    const inline = await h.message("/test.alias explain this diff");
    expect(inline?.text).toBe("explain this diff");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({ model: "openai/o3" });
  });

  test("in the middle of a message it is text for the model, not a switch", async () => {
    await start(config);
    expect(await h.message("switch to /test.alias please")).toBeUndefined();
    expect(await h.message("I tried /model opus yesterday")).toBeUndefined();
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
  });
});

describe("/models as OpenClaw spells it", () => {
  test("/models list anthropic is /models anthropic", async () => {
    await start();
    const list = await h.text("/models list anthropic");
    expect(list.text).toBe((await h.text("/models anthropic")).text);
    expect(list.text).toMatch(/^anthropic — \d+ models/);
    expect((await h.text("/models list anthropic 2")).text).toBe((await h.text("/models anthropic 2")).text);
    expect((await h.text("/models providers")).text).toBe((await h.text("/models")).text);
  });

  test("/models add answers where models come from and changes nothing", async () => {
    await start();
    const config = h.readConfig();
    const before = (await h.text("/models openai")).text;
    const r = await h.text("/models add openai gpt-9-preview");
    expect(r.text).toContain("/models add is not a command here");
    expect(r.text).toContain("models.providers");
    expect(r.text).toContain("/model <provider/model>");
    expect(h.readConfig()).toBe(config);
    expect((await h.text("/models openai")).text).toBe(before);
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
  });
});
