/**
 * Three ways OpenClaw users name models (issue 20): a semantic version with a pre-release tag,
 * a bare id that only the allowlist knows, and the provider listing that names this chat's pin.
 */
import { afterEach, describe, expect, test } from "vitest";
import { createHarness, defaultProfiles, type Harness } from "./services.js";

const DM_KEY = "agent:main:main";
let h: Harness;
afterEach(async () => {
  await h.close();
});

describe("model references as OpenClaw users type them", () => {
  test("a semantic version with a pre-release tag is part of the model id", async () => {
    h = await createHarness({
      config: { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } },
      profiles: defaultProfiles(),
    });
    const r = await h.text("/model openai/model@1.0.0-beta.1");
    expect(r.text).not.toContain("Unknown profile");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({ model: "openai/model@1.0.0-beta.1" });
    // With a profile too, the versioned id is quoted (DESIGN section 4: the first `@` splits).
    await h.text('/model "openai/model@1.0.0-beta.1"@openai:owner+work@example.com');
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "openai/model@1.0.0-beta.1",
      profileId: "openai:owner+work@example.com",
    });
  });

  test("a bare model id that exactly one allowed model matches selects it", async () => {
    h = await createHarness({
      config: {
        agents: {
          defaults: {
            model: "anthropic/claude-sonnet-5-5",
            modelPolicy: { allow: ["anthropic/*", "openrouter/kimi-k2.6"] },
          },
        },
      },
      profiles: defaultProfiles(),
    });
    const r = await h.text("/model kimi-k2.6");
    expect(r.text).not.toContain("Unknown model");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({ model: "openrouter/kimi-k2.6" });
  });

  test("several allowed providers serving the id still get the error listing them", async () => {
    h = await createHarness({
      config: {
        agents: {
          defaults: {
            model: "anthropic/claude-sonnet-5-5",
            modelPolicy: { allow: ["openai/kimi-k2.6", "openrouter/kimi-k2.6"] },
          },
        },
      },
      profiles: defaultProfiles(),
    });
    const r = await h.text("/model kimi-k2.6");
    expect(r.text).toContain('Unknown model "kimi-k2.6"');
    expect(r.text).toContain("`openai/kimi-k2.6`, `openrouter/kimi-k2.6`");
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
  });

  test("/models <provider> names this chat's pinned profile; every listing ends with the switch hint", async () => {
    h = await createHarness({
      config: { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } },
      profiles: defaultProfiles(),
    });
    await h.text("/model sonnet@anthropic:ci");
    const anthropic = await h.text("/models anthropic");
    expect(anthropic.text.split("\n")[0]).toMatch(/^anthropic — \d+ models, pinned profile anthropic:ci:$/);
    expect(anthropic.text.split("\n").at(-1)).toBe("Switch: /model <provider/model>");
    const openai = await h.text("/models openai");
    expect(openai.text).not.toContain("pinned");
    const providers = await h.text("/models");
    expect(providers.text.split("\n").at(-1)).toBe("Switch: /model <provider/model>");
  });
});
