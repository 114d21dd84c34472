/**
 * The chat responder inside the real gateway (SQLite session store, the `/model` plugin, the host's
 * routing, wired as `openclaw gateway` wires it), against the loopback provider fake, with two
 * Anthropic keys in order `anthropic:a`, `anthropic:b`. Every reply and log line of a test is
 * checked for the keys after it, and the gateway is closed.
 */
import { afterEach, expect } from "vitest";
import { createChatResponder } from "../../src/chat/responder.js";
import type { ChannelCapabilities, CommandInvocation } from "../../src/gateway/types.js";
import type { FakeProvider } from "../fakes/provider-api.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";
import { scaled } from "../support/slowness.js";
import { apiKey, fakeProviders, leaks, testClock, type TestClock } from "./harness.js";

export const KEY_A = "sk-ant-api03-GWAGWAGWAGWAGWAGWAGWAaaaa";
export const KEY_B = "sk-ant-api03-GWBGWBGWBGWBGWBGWBGWBbbbb";
export const CAPS: ChannelCapabilities = { maxLength: 4096, buttons: false, ephemeral: false };

/** The console user's invocation of `command` (empty for a plain message). */
export function invocation(command: string, args = "", via: CommandInvocation["via"] = "text"): CommandInvocation {
  return { channel: "console", chatId: "local", sender: { id: "local" }, isGroup: false, command, args, via };
}

/** One started gateway and what a test does with it. */
export interface GatewayChat {
  readonly gw: TestGateway;
  readonly clock: TestClock;
  /** A plain message; every reply, joined by line breaks. */
  say(text: string): Promise<string>;
  /** A command; its reply, or undefined when it is left to the message route. */
  command(name: string, args?: string, via?: CommandInvocation["via"]): Promise<string | undefined>;
}

/** Registers the leak check and close; `start(config)` builds a gateway with `config` merged over the base. */
export function useGatewayChat(fake: FakeProvider): (config?: Record<string, unknown>) => Promise<GatewayChat> {
  let gw: TestGateway | undefined;
  const replies: string[] = [];
  afterEach(async () => {
    if (gw) expect(leaks([...replies, ...gw.logs], [KEY_A, KEY_B])).toEqual([]);
    replies.length = 0;
    await gw?.close();
    gw = undefined;
  });
  return async (config = {}) => {
    const clock = testClock();
    const g = await createTestGateway({
      config: {
        models: { providers: fakeProviders(fake) },
        auth: { order: { anthropic: ["anthropic:a", "anthropic:b"] } },
        ...config,
      },
      authProfiles: {
        version: 1,
        profiles: { "anthropic:a": apiKey("anthropic", KEY_A), "anthropic:b": apiKey("anthropic", KEY_B) },
      },
      clock,
    });
    gw = g;
    const log = (level: "info" | "warn" | "error", message: string) => void g.logs.push(`[${level}] ${message}`);
    g.useChat(createChatResponder(g.services, log, { timeoutMs: scaled(2000) }));
    return {
      gw: g,
      clock,
      async say(text) {
        const out = (await g.host.handleMessage(invocation(""), text, CAPS)).map((r) => r.text);
        replies.push(...out);
        return out.join("\n");
      },
      async command(name, args = "", via = "text") {
        const r = await g.host.handleCommand(invocation(name, args, via), CAPS);
        replies.push(r?.text ?? "");
        return r?.text;
      },
    };
  };
}
