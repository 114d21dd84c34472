import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { CommandInvocation } from "../../src/gateway/types.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";

const CONSOLE = { maxLength: 4096, buttons: false, ephemeral: false };
const typed = (line: string): CommandInvocation => {
  const [command = "", ...rest] = line.slice(1).split(" ");
  return {
    channel: "console",
    chatId: "local",
    sender: { id: "local" },
    isGroup: false,
    command,
    args: rest.join(" "),
    via: "text",
  };
};

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe("the running gateway's config", () => {
  it("follows its own -g write at once: /model default then answers with the new default", async () => {
    gw = await createTestGateway({ config: { agents: { defaults: { model: "anthropic/claude-opus-5-5" } } } });
    // Read once, so the config is cached and the poll interval has just started.
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-opus-5-5");
    const set = await gw.host.handleCommand(typed("/model sonnet -g"), CONSOLE);
    expect(set?.text).toContain("anthropic/claude-sonnet-5-5");
    const back = await gw.host.handleCommand(typed("/model default"), CONSOLE);
    expect(back?.text).toContain("anthropic/claude-sonnet-5-5");
    expect(back?.text).not.toContain("claude-opus-5-5");
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-sonnet-5-5");
  });

  it("still sees another process's edit within the poll interval", async () => {
    gw = await createTestGateway({ config: { agents: { defaults: { model: "anthropic/claude-opus-5-5" } } } });
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-opus-5-5");
    fs.writeFileSync(gw.configPath, JSON.stringify({ agents: { defaults: { model: "anthropic/claude-haiku-5-5" } } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(gw.services.config().config.agents?.defaults?.model).toBe("anthropic/claude-haiku-5-5");
  });
});
