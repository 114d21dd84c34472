import { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { argsFromOptions, commandPayloads, registerCommands } from "../../../src/channels/discord/register.js";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord-api.js";
import type { TestGateway } from "../../support/gateway.js";
import { discordTestGateway, GUILD } from "./support.js";

let gw: TestGateway;
let fake: FakeDiscord;
let rest: REST;

beforeAll(async () => {
  gw = await discordTestGateway();
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.restApi }).setToken(fake.token);
});

afterAll(async () => {
  await fake.close();
  await gw.close();
});

describe("command registration", () => {
  it("puts every host command in one bulk overwrite per guild", async () => {
    await registerCommands(rest, fake.applicationId, [GUILD], gw.host.commands());
    const put = await fake.waitForRequest((r) => r.method === "PUT");
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/${GUILD}/commands`);
    const body = put.body as Array<{ name: string }>;
    expect(body.map((c) => c.name)).toEqual(gw.host.commands().map((c) => c.name));
    expect(body.slice(0, 4)).toMatchInlineSnapshot(`
      [
        {
          "description": "Show or change this chat's model and credential profile",
          "name": "model",
          "options": [
            {
              "autocomplete": true,
              "description": "list, status, default, or a model/alias[@profile] [--for 2h | --once <message>]",
              "name": "ref",
              "required": false,
              "type": 3,
            },
          ],
          "type": 1,
        },
        {
          "description": "List providers and their models",
          "name": "models",
          "options": [
            {
              "autocomplete": true,
              "description": "Provider whose models to list",
              "name": "provider",
              "required": false,
              "type": 3,
            },
            {
              "description": "Page number",
              "min_value": 1,
              "name": "page",
              "required": false,
              "type": 4,
            },
          ],
          "type": 1,
        },
        {
          "description": "Start a new conversation, optionally with another model and a first message",
          "name": "new",
          "options": [
            {
              "description": "Arguments: [model] [message]",
              "name": "args",
              "required": false,
              "type": 3,
            },
          ],
          "type": 1,
        },
        {
          "description": "Start over: the same as /new",
          "name": "reset",
          "options": [
            {
              "description": "Arguments: [model] [message]",
              "name": "args",
              "required": false,
              "type": 3,
            },
          ],
          "type": 1,
        },
      ]
    `);
    // Alias commands: a plain command with one optional free `args` string.
    expect(body.find((c) => c.name === "opus")).toEqual({
      type: 1,
      name: "opus",
      description: "Switch this chat to anthropic/claude-opus-5-5",
      options: [
        {
          type: 3,
          name: "args",
          description: "Arguments: [@profile] [-s|-a|-g] [--for <duration>|--once <message>]",
          required: false,
        },
      ],
    });
  });

  it("is idempotent: registering again keeps every command's id and version", async () => {
    const before = fake.commands(fake.applicationId, GUILD);
    await registerCommands(rest, fake.applicationId, [GUILD], gw.host.commands());
    expect(fake.commands(fake.applicationId, GUILD)).toEqual(before);
  });

  it("registers globally, usable in guilds and DMs, when no guild is configured", async () => {
    await registerCommands(rest, fake.applicationId, [], gw.host.commands());
    const put = await fake.waitForRequest(
      (r) => r.method === "PUT" && r.path === `/applications/${fake.applicationId}/commands`,
    );
    expect(put.body).toEqual(commandPayloads(gw.host.commands(), true));
    expect((put.body as Array<{ contexts?: number[] }>)[0]?.contexts).toEqual([0, 1]);
  });

  it("keeps descriptions within 100 characters and skips names Discord refuses", () => {
    const handler = () => ({ text: "" });
    const long = commandPayloads(
      [
        { name: "long", description: "d".repeat(150), handler },
        { name: "Bad Name", description: "x", handler },
      ],
      false,
    );
    expect(long.map((c) => c.name)).toEqual(["long"]);
    expect(long[0]?.description.length).toBe(100);
  });

  it("leaves out an alias command with a dot, saying which rule it breaks", () => {
    const handler = () => ({ text: "" });
    const logs: string[] = [];
    const body = commandPayloads(
      [
        { name: "gpt-mini", description: "Switch to gpt-mini", handler },
        { name: "test.alias", description: "Switch to test.alias", handler },
      ],
      false,
      (_level, message) => void logs.push(message),
    );
    expect(body.map((c) => c.name)).toEqual(["gpt-mini"]);
    expect(logs).toEqual([
      "discord: /test.alias is not a Discord command name (1-32 lower-case letters, digits, - and _); not registered, works typed",
    ]);
  });
});

describe("argsFromOptions", () => {
  it("gives back the text command's arguments", () => {
    const def = (name: string) => gw.host.commands().find((c) => c.name === name);
    expect(argsFromOptions(def("model"), [{ name: "ref", value: "opus@anthropic:work" }])).toBe("opus@anthropic:work");
    expect(argsFromOptions(def("model"), [])).toBe("");
    expect(
      argsFromOptions(def("models"), [
        { name: "provider", value: "openai" },
        { name: "page", value: 2 },
      ]),
    ).toBe("openai 2");
    expect(argsFromOptions(def("opus"), [{ name: "args", value: "-s" }])).toBe("-s");
  });
});
