import { describe, expect, it } from "vitest";
import {
  GENERIC_ERROR,
  InteractionHandler,
  type InteractionInput,
  type InteractionResponder,
} from "../../../src/channels/discord/interactions.js";
import type { InitialResponse, OutMessage } from "../../../src/channels/discord/messages.js";
import type { PluginHost } from "../../../src/gateway/host.js";
import { definePlugin, type PluginDefinition } from "../../../src/gateway/types.js";
import { createTestGateway } from "../../support/gateway.js";
import { CHANNEL, gatewayOptions, GUILD, OWNER } from "./support.js";

type Call =
  | { op: "initial"; response: InitialResponse }
  | { op: "edit" | "followUp"; message: OutMessage }
  | { op: "delete" };

function recorder(): { responder: InteractionResponder; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    responder: {
      initial: async (response) => void calls.push({ op: "initial", response }),
      editOriginal: async (message) => void calls.push({ op: "edit", message }),
      deleteOriginal: async () => void calls.push({ op: "delete" }),
      followUp: async (message) => void calls.push({ op: "followUp", message }),
    },
  };
}

async function run(plugin: PluginDefinition, input: InteractionInput, ephemeral = true, breakAccess = false) {
  const logs: string[] = [];
  const g = await createTestGateway({ ...gatewayOptions(), plugins: [plugin] });
  try {
    const fail = () => {
      throw new Error("config unreadable");
    };
    // The same host, except that deciding access throws (as a broken config read would).
    const host: PluginHost = breakAccess ? Object.create(g.host, { access: { value: fail } }) : g.host;
    const handler = new InteractionHandler({ host, log: (_, m) => void logs.push(m), secret: "s", ephemeral });
    const { responder, calls } = recorder();
    await handler.handle(input, responder);
    return { calls, logs };
  } finally {
    await g.close();
  }
}

const place = { user: OWNER, channelId: CHANNEL, guildId: GUILD };
const command = (name: string): InteractionInput => ({ kind: "command", place, command: name, options: [] });

describe("InteractionHandler", () => {
  it("answers a failure with a generic private message and logs it", async () => {
    const broken = definePlugin({
      name: "broken",
      commands: () => {
        throw new Error("catalog exploded");
      },
    });
    const { calls, logs } = await run(broken, command("model"));
    expect(calls).toEqual([
      {
        op: "initial",
        response: { kind: "message", message: { content: GENERIC_ERROR, components: [], ephemeral: true } },
      },
    ]);
    expect(logs).toEqual(["discord: command /model failed: catalog exploded"]);
    const auto = await run(
      broken,
      { kind: "autocomplete", place, command: "model", options: [], focused: { name: "ref", value: "" } },
      true,
      true,
    );
    expect(auto.calls).toEqual([{ op: "initial", response: { kind: "choices", choices: [] } }]);
    expect(auto.logs).toEqual(["discord: autocomplete /model failed: config unreadable"]);
  });

  it("splits a long reply into a reply and follow-ups of at most 2000 characters", async () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i}`).join("\n");
    const long = definePlugin({
      name: "long",
      commands: () => [{ name: "long", description: "d", handler: () => ({ text }) }],
    });
    const { calls } = await run(long, command("long"));
    expect(calls.map((c) => c.op)).toEqual(["initial", "followUp"]);
    const contents = calls.map((c) =>
      c.op === "initial" && c.response.kind === "message"
        ? c.response.message.content
        : c.op === "followUp"
          ? c.message.content
          : "",
    );
    for (const c of contents) expect(c.length).toBeLessThanOrEqual(2000);
    expect(contents.join("\n")).toBe(text);
  });

  it("follows slashCommand.ephemeral, but keeps private replies private", async () => {
    const both = definePlugin({
      name: "both",
      commands: () => [
        { name: "open", description: "d", handler: () => ({ text: "everyone" }) },
        { name: "mine", description: "d", handler: () => ({ text: "only me", private: true }) },
      ],
    });
    const open = await run(both, command("open"), false);
    expect(open.calls[0]).toMatchObject({ response: { kind: "message", message: { ephemeral: false } } });
    const mine = await run(both, command("mine"), false);
    expect(mine.calls[0]).toMatchObject({ response: { kind: "message", message: { ephemeral: true } } });
  });

  it("says so when a registered command is no longer offered", async () => {
    const none = definePlugin({ name: "none", commands: () => [] });
    const { calls } = await run(none, command("gone"));
    expect(calls).toMatchObject([
      {
        op: "initial",
        response: {
          kind: "message",
          message: { ephemeral: true, content: expect.stringMatching(/no longer available/) },
        },
      },
    ]);
  });
});
