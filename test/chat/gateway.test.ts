/**
 * The chat responder inside the real gateway: SQLite session store, the `/model` plugin, the host's
 * routing, wired as `openclaw gateway` wires it. What a user types decides what the fake provider sees.
 */
import { afterEach, describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";
import { createChatResponder } from "../../src/chat/responder.js";
import type { ChannelCapabilities, CommandInvocation } from "../../src/gateway/types.js";
import { apiKey, fakeProviders, leaks, testClock } from "./harness.js";
import { scaled } from "../support/slowness.js";

const KEY_A = "sk-ant-api03-GWAGWAGWAGWAGWAGWAGWAaaaa";
const KEY_B = "sk-ant-api03-GWBGWBGWBGWBGWBGWBGWBbbbb";
const CAPS: ChannelCapabilities = { maxLength: 4096, buttons: false, ephemeral: false };

function invocation(command: string, args = ""): CommandInvocation {
  return { channel: "console", chatId: "local", sender: { id: "local" }, isGroup: false, command, args, via: "text" };
}

let gw: TestGateway | undefined;
const replies: string[] = [];

const fake = useFakeProvider();
afterEach(async () => {
  if (gw) expect(leaks([...replies, ...gw.logs], [KEY_A, KEY_B])).toEqual([]);
  replies.length = 0;
  await gw?.close();
  gw = undefined;
});

async function start(): Promise<TestGateway> {
  gw = await createTestGateway({
    config: {
      models: { providers: fakeProviders(fake) },
      auth: { order: { anthropic: ["anthropic:a", "anthropic:b"] } },
    },
    authProfiles: {
      version: 1,
      profiles: { "anthropic:a": apiKey("anthropic", KEY_A), "anthropic:b": apiKey("anthropic", KEY_B) },
    },
    clock: testClock(),
  });
  const log = (level: "info" | "warn" | "error", message: string) => void gw?.logs.push(`[${level}] ${message}`);
  gw.useChat(createChatResponder(gw.services, log, { timeoutMs: scaled(2000) }));
  return gw;
}

async function say(g: TestGateway, text: string): Promise<string> {
  const out = (await g.host.handleMessage(invocation(""), text, CAPS)).map((r) => r.text);
  replies.push(...out);
  return out.join("\n");
}

async function command(g: TestGateway, name: string, args = ""): Promise<string> {
  const r = await g.host.handleCommand(invocation(name, args), CAPS);
  replies.push(r?.text ?? "");
  return r?.text ?? "";
}

describe("chat through the gateway", () => {
  it("/model with a pin decides the model and credential of the next message", async () => {
    const g = await start();
    fake.defaultText("ok");
    await command(g, "model", "haiku@anthropic:b");
    expect(await say(g, "hi")).toBe("ok");
    expect(fake.requests[0]).toMatchObject({ credential: KEY_B, model: "claude-haiku-5-5" });
  });

  it("a user pin is never silently replaced by failover", async () => {
    const g = await start();
    fake.script(KEY_B, { kind: "status", status: 401 });
    fake.script(KEY_A, { kind: "text", text: "must not answer" });
    await command(g, "model", "sonnet@anthropic:b");
    const reply = await say(g, "hi");
    expect(reply).toContain("Your pinned profile anthropic:b");
    expect(reply).toContain("/model default");
    expect(fake.requestsFor(KEY_A)).toEqual([]);
    // The pin is still there: the failure did not rewrite it.
    expect((await g.services.sessions.get("agent:main:main"))?.profileId).toBe("anthropic:b");
  });

  it("failover cools the credential in the session store the resolver reads", async () => {
    const g = await start();
    fake.script(KEY_A, { kind: "status", status: 429, retryAfterSeconds: 7 });
    fake.script(KEY_B, { kind: "text", text: "b answers" });
    expect(await say(g, "hi")).toBe("b answers");
    const res = g.services
      .resolver()
      .resolve({ agentId: "main", provider: "anthropic", model: "anthropic/claude-sonnet-5-5" });
    expect(res.chosen?.id).toBe("anthropic:b");
    expect(res.candidates.find((c) => c.id === "anthropic:a")).toMatchObject({
      usable: false,
      reason: "cooldown",
      cooldown: { reason: "rate_limit", model: "anthropic/claude-sonnet-5-5" },
    });
  });

  it("/new forgets the conversation", async () => {
    const g = await start();
    fake.defaultText("answer");
    await say(g, "one");
    await say(g, "two");
    expect(fake.requests[1]?.messages).toHaveLength(3);
    await command(g, "new");
    await say(g, "three");
    expect(fake.requests[2]?.messages).toEqual([{ role: "user", content: "three" }]);
  });
});
