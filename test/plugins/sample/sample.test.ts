/**
 * The plugin contract holds for a third plugin: `sample` (./index.ts) runs on Telegram (grammY
 * against the fake Bot API), Discord (discord.js against the fake Discord) and the console beside
 * `/model` and the auth monitor, and no file in src/channels/ or src/gateway/ names it.
 */
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleConsoleLine, runConsole } from "../../../src/channels/console/index.js";
import { completeConsoleLine } from "../../../src/channels/console/complete.js";
import type { PluginDefinition } from "../../../src/gateway/types.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { authMonitorPlugin } from "../../../plugins/auth-monitor/index.js";
import type { FakeDiscord } from "../../fakes/discord-api.js";
import { createTestGateway, type TestGateway } from "../../support/gateway.js";
import {
  ask,
  button,
  buttonsOf,
  lastBotMessageId,
  startHarness,
  type Harness,
} from "../../channels/telegram/harness.js";
import {
  answerTo,
  CHANNEL,
  type DiscordOnFake,
  discordOnFake,
  GUILD,
  MEMBER,
  option,
  OWNER,
  parts,
  press,
} from "../../channels/discord/support.js";
import { FLAVOURS, samplePlugin } from "./index.js";

/** The sample plugin's section, in our own file. */
const OWN = { sample: { greeting: "Enjoy", scoops: 2 } };
const plugins = (): PluginDefinition[] => [modelPlugin, samplePlugin, authMonitorPlugin()];
const OWNERS_ONLY = "Only the bot's owners may use this command.";

describe("on Telegram", () => {
  const ALICE = { id: 1001, first_name: "Alice" }; // owner
  const CAROL = { id: 1003, first_name: "Carol" }; // allowed, not an owner
  const DM = { id: ALICE.id, type: "private" } as const;
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: { commands: { allowFrom: { telegram: ["1001", "1003"] }, ownerAllowFrom: ["telegram:1001"] } },
      own: OWN,
      plugins: plugins(),
    });
  });
  afterAll(() => h.close());

  /** Presses the button labelled `label` on the bot's message `messageId` and returns the text it was edited to. */
  async function pressOn(messageId: number, label: string | RegExp): Promise<string | undefined> {
    h.fake.pressButton({ chatId: DM.id, messageId, from: ALICE, data: button(h, DM.id, messageId, label) });
    await h.fake.waitForCall("editMessageText");
    return h.fake.messages(DM.id).find((m) => m.message_id === messageId)?.text;
  }

  it("routes a press of its picker to it, with callback data within 64 bytes, and /model's picker to /model", async () => {
    expect((await ask(h, DM, ALICE, "/flavour")).text).toBe("Which flavour?");
    const picker = lastBotMessageId(h, DM.id);
    const buttons = buttonsOf(h.fake, DM.id, picker);
    expect(buttons.map(([label]) => label)).toEqual([...FLAVOURS, "Cancel"]);
    for (const [, data] of buttons) expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    // Its own settings (model-gateway.json's `sample`) shape the answer.
    expect(await pressOn(picker, "pistachio")).toBe("Enjoy: 2 scoop(s) of pistachio.");

    await ask(h, DM, ALICE, "/model");
    const modelPicker = lastBotMessageId(h, DM.id);
    expect(await pressOn(modelPicker, /^openai/)).toMatch(/^openai — \d+ models/);
  });

  it("refuses its owner-only command to a non-owner, and answers a mistake with its UserError", async () => {
    const carol = { id: CAROL.id, type: "private" } as const;
    expect((await ask(h, carol, CAROL, "/sample-reset")).text).toBe(OWNERS_ONLY);
    expect((await ask(h, DM, ALICE, "/sample-reset")).text).toBe("emptied");
    expect((await ask(h, DM, ALICE, "/flavour mango")).text).toBe(
      'No flavour "mango" here.\nChoose one of vanilla, chocolate, pistachio.',
    );
  });

  it("is in the command menu beside /model and /auth", () => {
    const menu = h.fake.commands().map((c) => c.command);
    expect(menu).toEqual(expect.arrayContaining(["model", "auth", "flavour", "sample_reset"]));
  });
});

describe("on Discord", () => {
  let running: DiscordOnFake;
  let fake: FakeDiscord;
  beforeAll(async () => {
    running = await discordOnFake({ own: OWN, plugins: plugins() });
    ({ fake } = running);
  });
  afterAll(() => running.close());

  /** Runs a slash command and returns the answer's message id and content. */
  async function slash(name: string, user = OWNER) {
    const answer = await answerTo(fake, fake.slashCommand({ name, user, guildId: GUILD, channelId: CHANNEL }));
    if (!answer) throw new Error(`/${name} got no answer`);
    return {
      messageId: answer.messageId ?? "",
      content: (answer.body as { data: { content: string } }).data.content,
    };
  }

  it("routes its select to it and /model's select to /model", async () => {
    const picker = await slash("flavour");
    expect(picker.content).toBe("Which flavour?");
    const menu = fake.message(picker.messageId);
    const chosen = await press(fake, picker.messageId, parts(menu).select?.custom_id ?? "", {
      values: [option(menu, /chocolate/)],
    });
    expect(chosen).toMatchObject({ type: 7, data: { content: "Enjoy: 2 scoop(s) of chocolate." } });

    const model = await slash("model");
    const modelMenu = fake.message(model.messageId);
    const provider = await press(fake, model.messageId, parts(modelMenu).select?.custom_id ?? "", {
      values: [option(modelMenu, /^openai/)],
    });
    expect(provider.type).toBe(7);
    expect(provider.data.content).toMatch(/^openai — \d+ models/);
  });

  it("completes its option in autocomplete, and refuses its owner-only command to a member", async () => {
    const auto = fake.slashCommand({
      name: "flavour",
      options: { flavour: "p" },
      focused: "flavour",
      user: MEMBER,
      guildId: GUILD,
      channelId: CHANNEL,
    });
    expect((await answerTo(fake, auto))?.body).toEqual({
      type: 8,
      data: { choices: [{ name: "pistachio", value: "pistachio" }] },
    });
    expect((await slash("sample-reset", MEMBER)).content).toBe(OWNERS_ONLY);
  });

  it("delivers a long direct message in whole lines of at most 2000 characters", async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `line ${i}: ${"x".repeat(20)}`);
    await running.channel.send?.(OWNER.id, { text: lines.join("\n") });
    const sent = fake.channelMessages(fake.dmChannelOf(OWNER.id)).map((m) => m.content);
    expect(sent.length).toBeGreaterThan(1);
    for (const part of sent) {
      expect(part.length).toBeLessThanOrEqual(2000);
      for (const line of part.split("\n")) expect(lines).toContain(line);
    }
    expect(sent.join("\n")).toBe(lines.join("\n"));
  });
});

describe("on the console", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway({ own: OWN, plugins: plugins() });
  });
  afterAll(() => gw.close());

  it("runs its commands beside /model and /auth; the console user is an owner", async () => {
    expect(await handleConsoleLine(gw.host, "/flavour vanilla")).toEqual(["Enjoy: 2 scoop(s) of vanilla."]);
    expect(await handleConsoleLine(gw.host, "/sample-reset")).toEqual(["emptied"]);
    expect((await handleConsoleLine(gw.host, "/auth"))[0]).toMatch(/^(Credentials|No credential)/);
    expect((await handleConsoleLine(gw.host, "/model status"))[0]).toContain("Model:");
  });

  it("completes its command and its option with Tab", async () => {
    expect(completeConsoleLine(gw.host, "/fla")).toEqual([["/flavour"], "/fla"]);
    expect(completeConsoleLine(gw.host, "/flavour ch")).toEqual([["chocolate"], "ch"]);
    expect(completeConsoleLine(gw.host, "/sample-reset x")).toEqual([[], "x"]);

    // Through readline on a terminal: Tab fills in the flavour, Enter sends the line.
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    let shown = "";
    output.on("data", (chunk: Buffer) => void (shown += chunk.toString()));
    const done = runConsole(gw.host, input, output);
    input.write("/flavour pi\t");
    input.write("\r");
    await expect.poll(() => shown).toContain("Enjoy: 2 scoop(s) of pistachio.");
    input.end();
    await done;
  });
});

describe("its config section", () => {
  it("is validated with the config, and a mistake in it names the plugin", async () => {
    await expect(createTestGateway({ own: { sample: { scoops: 0 } }, plugins: plugins() })).rejects.toThrow(
      /sample\.scoops: .* \(a setting of plugin sample\)/,
    );
    await expect(
      createTestGateway({ own: { auth: { monitor: { intervalMinutes: -1 } } }, plugins: plugins() }),
    ).rejects.toThrow(/auth\.monitor\.intervalMinutes: .* \(a setting of plugin auth-monitor\)/);
  });

  it("reports an unknown key in it against the plugin, and keeps the last good config on a bad edit", async () => {
    let now = 0;
    const gw = await createTestGateway({
      own: { sample: { greeting: "Hi", flavor: "vanilla" } },
      plugins: plugins(),
      clock: () => now,
    });
    try {
      const own = path.join(gw.stateDir, "model-gateway.json");
      expect(gw.services.config().warnings).toEqual([
        `${own}: sample.flavor is not a setting of plugin sample; it is ignored.`,
      ]);
      fs.writeFileSync(own, JSON.stringify({ sample: { scoops: 0 } }));
      now += 1000;
      expect(await handleConsoleLine(gw.host, "/flavour vanilla")).toEqual(["Hi: 1 scoop(s) of vanilla."]);
      expect(gw.logs.join("\n")).toMatch(
        /\[warn\] config change ignored: Invalid config .*sample\.scoops: .*\(a setting of plugin sample\)/,
      );
    } finally {
      await gw.close();
    }
  });
});
