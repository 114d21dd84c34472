/**
 * One-shot (`/model x --once …`) and timed (`/model x --for 2h`) switches in the real gateway: the
 * `/model` plugin behind the host, the chat responder against the loopback Anthropic fake, the
 * SQLite session store, an injected clock. What the fake is asked for is what a user would get.
 */
import { describe, expect, it } from "vitest";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import type { ReplyStream } from "../../src/gateway/types.js";
import { CAPS, invocation, KEY_A, KEY_B, useGatewayChat } from "./gateway-chat.js";

const KEY = "agent:main:main";
const HOUR = 3_600_000;

const fake = useFakeProvider();
const start = useGatewayChat(fake);
const withFallbacks = () =>
  start({
    agents: {
      defaults: { model: { primary: "anthropic/claude-sonnet-5-5", fallbacks: ["anthropic/claude-haiku-5-5"] } },
    },
  });

const models = () => fake.requests.map((r) => r.model);

describe("/model <ref> --once <text>", () => {
  it("answers that one message with the named model; the next plain message uses the chat's own", async () => {
    const { gw: g, say, command } = await withFallbacks();
    fake.defaultText("ok");
    await command("model", "haiku@anthropic:b");
    const before = await g.services.sessions.get(KEY);
    // Typed as a command, it is left to the message route, as `/model opus explain this` is.
    expect(await command("model", " opus --once explain  this")).toBeUndefined();
    const reply = await say("/model opus --once explain  this");
    expect(reply).toContain(
      "This message only: anthropic/claude-opus-5-5 (opus); this chat stays on anthropic/claude-haiku-5-5 (haiku).",
    );
    expect(reply).toMatch(/ok$/);
    expect(fake.requests[0]).toMatchObject({ model: "claude-opus-5-5", credential: KEY_B });
    expect(fake.requests[0]?.messages).toEqual([{ role: "user", content: "explain  this" }]);
    expect(await g.services.sessions.get(KEY)).toEqual(before);

    expect(await say("and now?")).toBe("ok");
    expect(fake.requests[1]).toMatchObject({ model: "claude-haiku-5-5", credential: KEY_B });
    // The one-shot exchange is part of the conversation, like any other.
    expect(fake.requests[1]?.messages).toHaveLength(3);
  });

  it("with no session model, the chat goes on with the default; no auto pin is written for the one-shot model", async () => {
    const { gw: g, say } = await withFallbacks();
    fake.defaultText("ok");
    await say("/model opus@anthropic:b --once hi");
    expect(fake.requests[0]).toMatchObject({ model: "claude-opus-5-5", credential: KEY_B });
    expect(await g.services.sessions.get(KEY)).toBeUndefined();
    await say("hello");
    expect(fake.requests[1]).toMatchObject({ model: "claude-sonnet-5-5", credential: KEY_A });
  });

  it("is strict: its pin never fails over to another credential, and its model never falls back", async () => {
    const { say } = await withFallbacks();
    fake.script(KEY_B, { kind: "status", status: 401 });
    fake.defaultText("must not answer");
    const reply = await say("/model opus@anthropic:b --once hi");
    expect(reply).toContain("anthropic:b");
    expect(reply).not.toContain("must not answer");
    expect(fake.requestsFor(KEY_A)).toEqual([]);
    expect(models()).toEqual(["claude-opus-5-5"]);

    fake.reset();
    fake.script(KEY_A, { kind: "status", status: 529 });
    fake.script(KEY_B, { kind: "status", status: 529 });
    const busy = await say("/model opus --once hi");
    expect(busy).toContain("This message asked for anthropic/claude-opus-5-5 with --once, so no other model is tried.");
    expect(models().every((m) => m === "claude-opus-5-5")).toBe(true);
  });

  it("streams the answer after the notice, as any message", async () => {
    const { gw: g } = await withFallbacks();
    fake.defaultText("streamed answer");
    const sent: string[] = [];
    let finished = "";
    const stream: ReplyStream = {
      send: async (r) => void sent.push(r.text),
      update: () => undefined,
      finish: async (r) => void (finished = r.text),
    };
    await g.host.handleMessage(invocation(""), "/model opus --once hi", CAPS, stream);
    expect(sent[0]).toContain("This message only: anthropic/claude-opus-5-5 (opus)");
    expect(finished).toBe("streamed answer");
    expect(fake.requests[0]?.model).toBe("claude-opus-5-5");
  });

  it("as a native command (Discord's slash command) the confirmation and the answer come in one reply", async () => {
    const { gw: g, command } = await withFallbacks();
    fake.defaultText("native ok");
    const reply = await command("model", "opus --once hi", "native");
    expect(reply).toMatch(/^This message only: anthropic\/claude-opus-5-5 \(opus\)[\s\S]*\n\nnative ok$/);
    expect(fake.requests[0]?.model).toBe("claude-opus-5-5");
    expect(await g.services.sessions.get(KEY)).toBeUndefined();
  });

  it("refusals change nothing and send nothing: no text, an unknown model", async () => {
    const { gw: g, say, command } = await withFallbacks();
    fake.defaultText("must not answer");
    expect(await command("model", " opus --once")).toContain("--once needs the message to answer.");
    expect(await say("/model opux --once hi")).toContain('Unknown model "opux"');
    expect(fake.requests).toEqual([]);
    expect(await g.services.sessions.get(KEY)).toBeUndefined();
  });
});

describe("/model <ref> --for <duration>", () => {
  it("switches the chat until then, shows the time left, then goes back to what it had", async () => {
    const { gw: g, say, command, clock } = await withFallbacks();
    fake.defaultText("ok");
    await command("model", "haiku@anthropic:b");
    clock.set(Date.UTC(2027, 0, 15, 14, 10));
    const set = await command("model", "opus --for 1h20m");
    expect(set).toContain(
      "Model for this chat: anthropic/claude-opus-5-5 (opus) until 15:30 UTC (1h 20m left), then back to anthropic/claude-haiku-5-5 (haiku).",
    );
    await say("hi");
    expect(fake.requests[0]).toMatchObject({ model: "claude-opus-5-5", credential: KEY_B });

    clock.advance(20 * 60_000);
    const status = await command("model", "status");
    expect(status).toContain("until 15:30 UTC (1h left), then back to anthropic/claude-haiku-5-5 (haiku)");
    expect(await command("model")).toContain("until 15:30 UTC (1h left)");
    // /new keeps it.
    await command("new");
    expect((await g.services.sessions.get(KEY))?.model).toBe("anthropic/claude-opus-5-5");

    clock.advance(HOUR);
    await say("back?");
    expect(fake.requests[1]).toMatchObject({ model: "claude-haiku-5-5", credential: KEY_B });
    expect(await g.services.sessions.get(KEY)).toMatchObject({
      model: "anthropic/claude-haiku-5-5",
      profileId: "anthropic:b",
      pinSource: "user",
    });
    expect(await g.services.sessions.get(KEY)).not.toHaveProperty("timed");
    expect(await command("model", "status")).not.toContain("then back to");
  });

  it("from nothing it goes back to the default; a plain /model replaces it for good", async () => {
    const { gw: g, say, command, clock } = await withFallbacks();
    fake.defaultText("ok");
    expect(await command("model", "opus --for 2h")).toContain(
      "then back to the default, anthropic/claude-sonnet-5-5 (sonnet).",
    );
    clock.advance(2 * HOUR);
    await say("hi");
    expect(fake.requests[0]?.model).toBe("claude-sonnet-5-5");
    expect((await g.services.sessions.get(KEY))?.model).toBeUndefined();

    await command("model", "opus --for 2h");
    await command("model", "haiku");
    clock.advance(3 * HOUR);
    await say("still haiku?");
    expect(fake.requests[1]?.model).toBe("claude-haiku-5-5");
    expect(await command("model", "status")).not.toContain("then back to");
  });

  it("a bad duration is refused with the form and the bounds, and changes nothing", async () => {
    const { gw: g, command } = await withFallbacks();
    const reply = await command("model", "opus --for 45d");
    expect(reply).toContain("45d is longer than 30 days.");
    expect(reply).toContain("at least 1 minute, at most 30 days");
    expect(await g.services.sessions.get(KEY)).toBeUndefined();
  });
});
