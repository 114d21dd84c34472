import { afterEach, describe, expect, it } from "vitest";
import { PluginRuntimes } from "../../src/gateway/plugin-runtime.js";
import type { CommandInvocation, PluginDefinition, PluginRuntime, Reply } from "../../src/gateway/types.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";

const CAPS = { maxLength: 4096, buttons: true, ephemeral: false };

describe("a plugin's proactive message", () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
  });

  it("carries buttons that come back to the plugin that sent it", async () => {
    let runtime: PluginRuntime | undefined;
    const pressed: string[] = [];
    const nudge: PluginDefinition = {
      name: "nudge",
      commands: () => [],
      start: (r) => {
        runtime = r;
      },
      onChoice: (_ctx, payload) => {
        pressed.push(payload);
        return { text: `done ${payload}` };
      },
    };
    gw = await createTestGateway({ plugins: [nudge], config: { commands: { ownerAllowFrom: ["telegram:42"] } } });
    const runtimes = new PluginRuntimes(gw.services, [nudge], () => undefined);
    const sent: Reply[] = [];
    runtimes.setOutlet("telegram", async (_user, reply) => void sent.push(reply));
    await runtimes.start();
    await runtime?.notify(
      { channel: "telegram", userId: "42" },
      { text: "Renew?", choices: [{ label: "Yes", payload: "renew:1" }] },
    );
    await runtimes.stop();

    const payload = sent[0]?.choices?.[0]?.payload ?? "";
    expect(payload).toBe("nudge:renew:1");
    const press: CommandInvocation = {
      channel: "telegram",
      chatId: "42",
      sender: { id: "42" },
      isGroup: false,
      command: "",
      args: "",
      via: "button",
    };
    expect((await gw.host.handleChoice(press, payload, CAPS)).text).toBe("done renew:1");
    expect(pressed).toEqual(["renew:1"]);
  });
});
