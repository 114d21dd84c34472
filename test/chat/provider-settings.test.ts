import { beforeEach, describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { sessionKeys } from "../../src/sessions/keys.js";
import { apiKey, leakCheckedHarnesses } from "./harness.js";

const OPENAI_KEY = "sk-proj-CONFIGKEYCONFIGKEY000000";
const ANTHROPIC_REF_KEY = "sk-ant-api03-REFKEYREFKEYREFKEY0000";
const ANTHROPIC_ENV_KEY = "sk-ant-api03-ENVKEYENVKEYENVKEY0000";
const ANTHROPIC_STORED = "sk-ant-api03-STOREDSTOREDSTORED0000";
const PROXY_TOKEN = "proxy-token-SECRETSECRETSECRET00";
const SECRETS = [OPENAI_KEY, ANTHROPIC_REF_KEY, ANTHROPIC_ENV_KEY, ANTHROPIC_STORED, PROXY_TOKEN];

const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, SECRETS);
beforeEach(() => {
  fake.defaultText("fine");
});

function bodyOf(i = 0): Record<string, unknown> {
  return fake.requests[i]?.body as Record<string, unknown>;
}

describe("models.providers.<p>.apiKey and headers, agents.*.params, on the wire", () => {
  it("OpenAI-compatible: the config's apiKey, its headers (a SecretRef resolved), temperature, maxTokens and extra body fields", async () => {
    const h = await harness({
      env: { PROXY_TOKEN },
      config: {
        agents: {
          defaults: {
            model: "openai/gpt-5.4",
            models: {
              "openai/gpt-5.4": {
                params: {
                  temperature: 0.2,
                  maxTokens: 321,
                  chat_template_kwargs: { enable_thinking: false },
                  extra_body: { top_k: 5 },
                },
              },
            },
          },
        },
        models: {
          providers: {
            openai: {
              baseUrl: `${fake.url}/v1`,
              apiKey: OPENAI_KEY,
              headers: {
                "X-Proxy-Region": "us-west",
                "X-Proxy-Token": { source: "env", provider: "default", id: "PROXY_TOKEN" },
              },
            },
          },
        },
      },
    });
    expect(await h.say("hi")).toBe("fine");
    const sent = fake.requests[0];
    expect(sent?.credential).toBe(OPENAI_KEY);
    expect(sent?.headers["x-proxy-region"]).toBe("us-west");
    expect(sent?.headers["x-proxy-token"]).toBe(PROXY_TOKEN);
    expect(bodyOf()).toMatchObject({
      model: "gpt-5.4",
      temperature: 0.2,
      max_completion_tokens: 321,
      top_k: 5,
      chat_template_kwargs: { enable_thinking: false },
    });
  });

  it("Anthropic: a SecretRef apiKey comes after stored profiles and env keys; maxTokens is sent, temperature is not (the API has none)", async () => {
    const config = {
      agents: {
        defaults: {
          model: "anthropic/claude-sonnet-5-5",
          params: { temperature: 0.9, maxTokens: 500 },
          models: { "anthropic/claude-sonnet-5-5": { params: { maxTokens: 200 } } },
        },
        // The agent's own params win over every shared layer.
        entries: { main: { params: { maxTokens: 77 } } },
      },
      models: {
        providers: {
          anthropic: {
            baseUrl: fake.url,
            apiKey: { source: "env", provider: "default", id: "MY_ANTHROPIC" },
            headers: { "X-Proxy-Region": "eu" },
          },
        },
      },
    };
    const alone = await harness({ env: { MY_ANTHROPIC: ANTHROPIC_REF_KEY }, config });
    await alone.say("hi");
    expect(fake.requests[0]?.credential).toBe(ANTHROPIC_REF_KEY);
    expect(fake.requests[0]?.headers["x-proxy-region"]).toBe("eu");
    expect(bodyOf(0)).toMatchObject({ max_tokens: 77 });
    expect(bodyOf(0)).not.toHaveProperty("temperature");

    const withEnv = await harness({
      env: { MY_ANTHROPIC: ANTHROPIC_REF_KEY, ANTHROPIC_API_KEY: ANTHROPIC_ENV_KEY },
      config,
    });
    await withEnv.say("hi");
    expect(fake.requests[1]?.credential).toBe(ANTHROPIC_ENV_KEY);

    const stored = await harness({
      env: { MY_ANTHROPIC: ANTHROPIC_REF_KEY },
      config,
      authProfiles: { version: 1, profiles: { "anthropic:work": apiKey("anthropic", ANTHROPIC_STORED) } },
    });
    await stored.say("hi");
    expect(fake.requests[2]?.credential).toBe(ANTHROPIC_STORED);
    const order = stored.services
      .resolver()
      .resolve({ agentId: "main", provider: "anthropic" })
      .candidates.map((c) => c.id);
    expect(order).toEqual(["anthropic:work", "models.providers.anthropic.apiKey"]);
  });

  it("auth.order.<p>: [] leaves the config's apiKey out too", async () => {
    const h = await harness({
      config: {
        agents: { defaults: { model: "openai/gpt-5.4" } },
        auth: { order: { openai: [] } },
        models: { providers: { openai: { baseUrl: `${fake.url}/v1`, apiKey: OPENAI_KEY } } },
      },
    });
    const reply = await h.say("hi");
    expect(fake.requests).toHaveLength(0);
    expect(reply).toContain("openai");
    const [c] = h.services.resolver().resolve({ agentId: "main", provider: "openai" }).candidates;
    expect(c).toMatchObject({ id: "models.providers.openai.apiKey", reason: "excluded_by_auth_order" });
  });

  it("a message in a Telegram topic is answered by the model channels.modelByChannel names for it", async () => {
    const h = await harness({
      env: { ANTHROPIC_API_KEY: ANTHROPIC_ENV_KEY },
      config: {
        agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
        channels: { modelByChannel: { telegram: { "-100123:topic:99": "haiku" } } },
      },
    });
    const at = { channel: "telegram", chatId: "-100123", threadId: "99", senderId: "7", isGroup: true };
    const keys = sessionKeys({ agentId: "main", ...at });
    await h.say("hi", {
      invocation: { ...at, sender: { id: "7" }, command: "", args: "", via: "text" },
      sessionKey: keys.key,
      parentSessionKey: keys.parentKey,
    });
    await h.say("hi");
    expect(fake.requests.map((r) => r.model)).toEqual(["claude-haiku-5-5", "claude-sonnet-5-5"]);
  });
});
