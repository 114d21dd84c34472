/**
 * The chat responder inside the real gateway: SQLite session store, the `/model` plugin, the host's
 * routing, wired as `openclaw gateway` wires it. What a user types decides what the fake provider sees.
 */
import { describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { KEY_A, KEY_B, useGatewayChat } from "./gateway-chat.js";

const fake = useFakeProvider();
const start = useGatewayChat(fake);

describe("chat through the gateway", () => {
  it("/model with a pin decides the model and credential of the next message", async () => {
    const { say, command } = await start();
    fake.defaultText("ok");
    await command("model", "haiku@anthropic:b");
    expect(await say("hi")).toBe("ok");
    expect(fake.requests[0]).toMatchObject({ credential: KEY_B, model: "claude-haiku-5-5" });
  });

  it("a user pin is never silently replaced by failover", async () => {
    const { gw: g, say, command } = await start();
    fake.script(KEY_B, { kind: "status", status: 401 });
    fake.script(KEY_A, { kind: "text", text: "must not answer" });
    await command("model", "sonnet@anthropic:b");
    const reply = await say("hi");
    expect(reply).toContain("Your pinned profile anthropic:b");
    expect(reply).toContain("/model default");
    expect(fake.requestsFor(KEY_A)).toEqual([]);
    // The pin is still there: the failure did not rewrite it.
    expect((await g.services.sessions.get("agent:main:main"))?.profileId).toBe("anthropic:b");
  });

  it("failover cools the credential in the session store the resolver reads", async () => {
    const { gw: g, say } = await start();
    fake.script(KEY_A, { kind: "status", status: 429, retryAfterSeconds: 7 });
    fake.script(KEY_B, { kind: "text", text: "b answers" });
    expect(await say("hi")).toBe("b answers");
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
    const { say, command } = await start();
    fake.defaultText("answer");
    await say("one");
    await say("two");
    expect(fake.requests[1]?.messages).toHaveLength(3);
    await command("new");
    await say("three");
    expect(fake.requests[2]?.messages).toEqual([{ role: "user", content: "three" }]);
  });
});
