import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autocompleteChoices } from "../../src/channels/discord/autocomplete.js";
import { toInvocation } from "../../src/channels/discord/invocation.js";
import { argsFromOptions, commandPayloads } from "../../src/channels/discord/register.js";
import { commandMenu } from "../../src/channels/telegram/commands.js";
import { CommandSpecError, validateCommand } from "../../src/gateway/command-spec.js";
import { definePlugin, type CommandDefinition } from "../../src/gateway/types.js";
import { modelPlugin } from "../../plugins/model/index.js";
import { authMonitorPlugin } from "../../plugins/auth-monitor/index.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";
import { CHANNEL, gatewayOptions, GUILD, MEMBER, OWNER } from "../channels/discord/support.js";

const FACES = ["d4", "d6", "d8", "d12", "d20"];

/**
 * A second plugin that no adapter has ever heard of: a completing option, a choice, an integer,
 * a boolean, an alias and an owner-only command.
 */
const dice = definePlugin({
  name: "dice",
  commands: () => [
    {
      name: "roll",
      description: "Roll dice",
      aliases: ["r"],
      options: [
        { name: "die", type: "string", description: "Which die", required: true, completes: true },
        { name: "times", type: "integer", description: "How many rolls", min: 1 },
        {
          name: "mode",
          type: "choice",
          description: "How to add up",
          choices: [
            { label: "Sum", value: "sum" },
            { label: "Each", value: "each" },
          ],
        },
        { name: "secret", type: "boolean", description: "Show only to me" },
      ],
      complete: (_option, partial, ctx) =>
        FACES.filter((f) => f.startsWith(partial)).map((f) => ({
          label: `${f} for ${ctx.isOwner ? "an owner" : "a member"}`,
          value: f,
        })),
      handler: (ctx) => ({ text: `rolled ${ctx.invocation.args}` }),
    },
    { name: "reroll-all", description: "Reset every table", ownerOnly: true, handler: () => ({ text: "all reset" }) },
  ],
});

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway({ ...gatewayOptions(), plugins: [modelPlugin, dice] });
});
afterAll(async () => {
  await gw.close();
});

const inGuild = (user: { id: string; username: string }, command: string, args = "") =>
  toInvocation({ user, channelId: CHANNEL, guildId: GUILD }, command, args, "native");

describe("a plugin declares its commands; adapters render them without knowing it", () => {
  it("becomes Discord slash commands with its own options and autocomplete", () => {
    const payloads = commandPayloads(gw.host.commands(), false);
    const roll = payloads.find((p) => p.name === "roll");
    expect(roll?.options).toEqual([
      { type: 3, name: "die", description: "Which die", required: true, autocomplete: true },
      { type: 4, name: "times", description: "How many rolls", required: false, min_value: 1 },
      {
        type: 3,
        name: "mode",
        description: "How to add up",
        required: false,
        choices: [
          { name: "Sum", value: "sum" },
          { name: "Each", value: "each" },
        ],
      },
      { type: 5, name: "secret", description: "Show only to me", required: false },
    ]);
    expect(payloads.find((p) => p.name === "r")?.options).toEqual(roll?.options);
  });

  it("gets autocomplete from its own complete function, per caller", () => {
    expect(autocompleteChoices(gw.host, inGuild(OWNER, "roll"), { name: "die", value: "d1" })).toEqual([
      { name: "d12 for an owner", value: "d12" },
    ]);
    expect(autocompleteChoices(gw.host, inGuild(MEMBER, "r"), { name: "die", value: "d2" })).toEqual([
      { name: "d20 for a member", value: "d20" },
    ]);
    // Options it did not declare as completing get nothing.
    expect(autocompleteChoices(gw.host, inGuild(OWNER, "roll"), { name: "times", value: "" })).toEqual([]);
  });

  it("receives slash options as the words its text command takes", async () => {
    const def = gw.host.commands().find((c) => c.name === "roll");
    const args = argsFromOptions(def, [
      { name: "secret", value: true },
      { name: "die", value: "d20" },
      { name: "times", value: 3 },
    ]);
    expect(args).toBe("d20 3 --secret");
    expect(
      await gw.host.handleCommand(inGuild(MEMBER, "roll", args), { maxLength: 2000, buttons: true, ephemeral: true }),
    ).toEqual({ text: "rolled d20 3 --secret" });
  });

  it("is in Telegram's command menu", () => {
    const menu = commandMenu(gw.host.commands());
    expect(menu.commands).toEqual(
      expect.arrayContaining([
        { command: "roll", description: "Roll dice" },
        { command: "r", description: "Roll dice" },
        { command: "reroll_all", description: "Reset every table" },
      ]),
    );
    expect(menu.renamed.get("reroll_all")).toBe("reroll-all");
  });

  it("has owner-only commands enforced by the host, not by the plugin", async () => {
    const caps = { maxLength: 2000, buttons: true, ephemeral: true };
    expect(await gw.host.handleCommand(inGuild(MEMBER, "reroll-all"), caps)).toEqual({
      text: "Only the bot's owners may use this command.",
      private: true,
    });
    expect(await gw.host.handleCommand(inGuild(OWNER, "reroll-all"), caps)).toEqual({ text: "all reset" });
  });
});

describe("the auth monitor, a plugin in its own folder, on channels that were not changed for it", () => {
  let mon: TestGateway;
  beforeAll(async () => {
    mon = await createTestGateway({ ...gatewayOptions(), plugins: [modelPlugin, authMonitorPlugin()] });
  });
  afterAll(async () => {
    await mon.close();
  });

  it("gets a Discord slash command with an autocompleting option, and suggestions for owners only", () => {
    const auth = commandPayloads(mon.host.commands(), false).find((p) => p.name === "auth");
    expect(auth?.options).toEqual([
      {
        type: 3,
        name: "action",
        description: "check: check every credential now and tell owners about changes",
        required: false,
        autocomplete: true,
      },
    ]);
    expect(autocompleteChoices(mon.host, inGuild(OWNER, "auth"), { name: "action", value: "ch" })).toEqual([
      { name: "check — check every credential now", value: "check" },
    ]);
    expect(autocompleteChoices(mon.host, inGuild(MEMBER, "auth"), { name: "action", value: "" })).toEqual([]);
    expect(
      argsFromOptions(
        mon.host.commands().find((c) => c.name === "auth"),
        [{ name: "action", value: "check" }],
      ),
    ).toBe("check");
  });

  it("is in Telegram's command menu", () => {
    expect(commandMenu(mon.host.commands()).commands).toContainEqual({
      command: "auth",
      description: "Credential health (owners only); /auth check checks now",
    });
  });

  it("is in /help, as every channel (the console too) shows it", async () => {
    const help = await mon.host.handleCommand(toInvocation({ user: OWNER, channelId: CHANNEL }, "help", "", "text"), {
      maxLength: 4096,
      buttons: false,
      ephemeral: false,
    });
    expect(help?.text).toContain(
      "/auth [check] — Credential health (owners only); /auth check checks now (owners only)",
    );
  });
});

describe("declarations are checked at start-up", () => {
  const base: CommandDefinition = { name: "ok", description: "fine", handler: () => ({ text: "" }) };
  const cases: Array<[string, CommandDefinition, string]> = [
    [
      "a name with a space",
      { ...base, name: "two words" },
      "/two words.name: must be 1-32 lower-case letters, digits, - or _, and dots between them",
    ],
    ["an empty description", { ...base, description: " " }, "/ok.description: must not be empty"],
    [
      "a long description",
      { ...base, description: "x".repeat(101) },
      "/ok.description: must be at most 100 characters (has 101)",
    ],
    [
      "an upper-case option",
      { ...base, options: [{ name: "Die", type: "string", description: "d" }] },
      '/ok.options[0].name: "Die" must be 1-32 of a-z, 0-9, - and _',
    ],
    [
      "a choice without choices",
      { ...base, options: [{ name: "c", type: "choice", description: "d" }] },
      "/ok.options[0].choices: a choice option needs 1-25 choices",
    ],
    [
      "completion without a function",
      { ...base, options: [{ name: "c", type: "string", description: "d", completes: true }] },
      "/ok.options[0].completes: /ok declares no complete function",
    ],
    [
      "a required option after an optional one",
      {
        ...base,
        options: [
          { name: "a", type: "string", description: "d" },
          { name: "b", type: "string", description: "d", required: true },
        ],
      },
      "/ok.options[1].required: required options come before optional ones",
    ],
    [
      "a twice-declared option",
      {
        ...base,
        options: [
          { name: "a", type: "string", description: "d" },
          { name: "a", type: "integer", description: "d" },
        ],
      },
      '/ok.options[1].name: "a" is declared twice',
    ],
  ];
  for (const [what, def, message] of cases) {
    it(`refuses ${what}, naming the field`, () => {
      expect(() => validateCommand(def)).toThrow(
        new CommandSpecError(message.slice(0, message.indexOf(":")), message.slice(message.indexOf(":") + 2)),
      );
    });
  }

  it("stops a gateway whose plugin breaks the contract", async () => {
    const broken = definePlugin({
      name: "broken",
      commands: () => [{ ...base, options: [{ name: "x", type: "string", description: "d", completes: true }] }],
    });
    await expect(createTestGateway({ plugins: [broken] })).rejects.toThrow(
      "/ok.options[0].completes: /ok declares no complete function",
    );
  });
});

describe("the contract: interrupting commands and command buttons", () => {
  const stopper = definePlugin({
    name: "stopper",
    commands: () => [
      { name: "halt", description: "Stop what runs", interrupts: true, handler: () => ({ text: "halted" }) },
    ],
  });
  const caps = { maxLength: 2000, buttons: true, ephemeral: true };

  it("says which commands interrupt, by declaration, for typed names and button payloads", async () => {
    const g = await createTestGateway({ ...gatewayOptions(), plugins: [modelPlugin, stopper] });
    try {
      expect(g.host.interrupts("halt")).toBe(true);
      expect(g.host.interrupts("model")).toBe(false);
      expect(g.host.pressInterrupts("/halt")).toBe(true);
      expect(g.host.pressInterrupts("halt")).toBe(false);
      expect(g.host.pressInterrupts("/model status")).toBe(false);
    } finally {
      await g.close();
    }
  });

  it("a payload that is a command line runs that command as the presser, refusals included", async () => {
    const g = await createTestGateway({ ...gatewayOptions(), plugins: [modelPlugin, stopper] });
    try {
      const press = (user: { id: string; username: string }) =>
        g.host.handleChoice(
          toInvocation({ user, channelId: CHANNEL, guildId: GUILD }, "", "", "button"),
          "/halt",
          caps,
        );
      expect((await press(MEMBER)).text).toBe("halted");
      expect((await press({ id: "999", username: "stranger" })).text).toMatch(/not allowed/);
    } finally {
      await g.close();
    }
  });
});

describe("the contract: button payloads carry their plugin's name", () => {
  const caps = { maxLength: 4096, buttons: true, ephemeral: false };
  const picky = (payload: string) =>
    definePlugin({
      name: "picky",
      commands: () => [
        {
          name: "pick",
          description: "A picker",
          handler: () => ({ text: "pick", choices: [{ label: "A", payload }] }),
        },
      ],
      onChoice: (_ctx, pressed) => ({ text: `picky got ${pressed}` }),
    });
  const pick = (g: TestGateway) =>
    g.host.handleCommand(toInvocation({ user: MEMBER, channelId: CHANNEL, guildId: GUILD }, "pick", "", "text"), caps);

  it("leads each payload with the plugin's name, and hands the plugin back its own payload", async () => {
    const g = await createTestGateway({ ...gatewayOptions(), plugins: [modelPlugin, picky("a:1")] });
    try {
      expect((await pick(g))?.choices).toEqual([{ label: "A", payload: "picky:a:1" }]);
      const press = (payload: string) =>
        g.host.handleChoice(toInvocation({ user: MEMBER, channelId: CHANNEL }, "", "", "button"), payload, caps);
      expect((await press("picky:a:1")).text).toBe("picky got a:1");
      // A payload no loaded plugin made: the host's one generic text.
      for (const stale of ["gone:a:1", "a:1", ""])
        expect(await press(stale)).toEqual({
          text: "This menu is out of date; run its command again for a fresh one.",
          replace: true,
        });
    } finally {
      await g.close();
    }
  });

  it("refuses a payload that would not fit Telegram's callback data, where the plugin makes it", async () => {
    const g = await createTestGateway({ ...gatewayOptions(), plugins: [picky("x".repeat(35))] });
    try {
      expect((await pick(g))?.text).toBe("Something went wrong on our side; it has been logged. Please try again.");
      expect(g.logs.join("\n")).toContain('plugin picky: button payload "xxxx');
      expect(g.logs.join("\n")).toContain("must be ASCII and at most 34 bytes");
    } finally {
      await g.close();
    }
  });

  it("stops a gateway whose plugin has a name a payload cannot carry", async () => {
    const bad = definePlugin({ name: "Has:Colon", commands: () => [] });
    await expect(createTestGateway({ plugins: [bad] })).rejects.toThrow(/plugin "Has:Colon": its name must be/);
  });
});

describe("the contract: commands that follow the config", () => {
  it("asks plugins for their commands once per config: a command added then runs, one dropped is gone", async () => {
    let declared: readonly CommandDefinition[] = [
      { name: "old", description: "Old", handler: () => ({ text: "old" }) },
    ];
    let asked = 0;
    const shifting = definePlugin({
      name: "shifting",
      commands: () => {
        asked++;
        return declared;
      },
    });
    let now = 0;
    const options = gatewayOptions();
    const g = await createTestGateway({ ...options, plugins: [shifting], clock: () => now });
    const caps = { maxLength: 2000, buttons: true, ephemeral: true };
    const run = (command: string) =>
      g.host.handleCommand(
        toInvocation({ user: MEMBER, channelId: CHANNEL, guildId: GUILD }, command, "", "text"),
        caps,
      );
    try {
      expect((await run("old"))?.text).toBe("old");
      const before = asked;
      declared = [
        { name: "new", description: "New", aliases: ["n"], interrupts: true, handler: () => ({ text: "new" }) },
      ];
      // Messages, menus and lookups use the table built for this config.
      for (let i = 0; i < 5; i++) expect((await run("old"))?.text).toBe("old");
      expect(g.host.commands().map((c) => c.name)).toEqual(["old"]);
      expect(asked).toBe(before);
      fs.writeFileSync(g.configPath, JSON.stringify({ ...options.config, session: { dmScope: "main" } }));
      now += 1000;
      expect(await run("old")).toBeUndefined();
      expect(g.host.hasCommand("old")).toBe(false);
      expect((await run("n"))?.text).toBe("new");
      expect(g.host.interrupts("new")).toBe(true);
      expect(g.host.commands().map((c) => c.name)).toEqual(["new", "n"]);
      expect(asked).toBe(before + 1);
    } finally {
      await g.close();
    }
  });
});
