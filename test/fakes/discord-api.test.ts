import { once } from "node:events";
import { constants as zlibConstants, inflateSync } from "node:zlib";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  REST,
  Routes,
  SlashCommandBuilder,
  type Interaction,
  type InteractionCallbackResponse,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startFakeDiscord, type FakeDiscord } from "./discord-api.js";
import { scaled } from "../support/slowness.js";

const user = { id: "2200000000000000001", username: "alice" };
const guildId = "3300000000000000001";
const channelId = "4400000000000000001";

describe("fake Discord REST", () => {
  it("stores bulk-overwritten commands idempotently", async () => {
    const fake = await startFakeDiscord();
    try {
      const rest = new REST({ api: fake.restApi }).setToken(fake.token);
      const body = [
        new SlashCommandBuilder()
          .setName("model")
          .setDescription("Pick a model")
          .addStringOption((o) => o.setName("name").setDescription("Model").setAutocomplete(true))
          .toJSON(),
      ];
      const first = await rest.put(Routes.applicationCommands(fake.applicationId), { body });
      const second = await rest.put(Routes.applicationCommands(fake.applicationId), { body });

      expect(second).toEqual(first);
      expect(fake.commands(fake.applicationId)).toEqual(first);
      expect(fake.commands(fake.applicationId)).toMatchObject([
        { name: "model", type: 1, application_id: fake.applicationId, id: expect.any(String) },
      ]);
      expect(await rest.get(Routes.applicationCommands(fake.applicationId))).toEqual(first);
    } finally {
      await fake.close();
    }
  });

  it("rejects a wrong bot token with 401", async () => {
    const fake = await startFakeDiscord({ token: "right" });
    try {
      const rest = new REST({ api: fake.restApi, retries: 0 }).setToken("wrong");
      const error: unknown = await rest.get(Routes.user()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).status).toBe(401);
    } finally {
      await fake.close();
    }
  });

  it("reads multipart bodies through payload_json", async () => {
    const fake = await startFakeDiscord();
    try {
      const rest = new REST({ api: fake.restApi }).setToken(fake.token);
      const message = (await rest.post(Routes.channelMessages("4400000000000000009"), {
        body: { content: "see file" },
        files: [{ name: "notes.txt", data: Buffer.from("hello"), contentType: "text/plain" }],
      })) as { id: string; attachments: { filename: string; size: number }[] };

      const request = await fake.waitForRequest((r) => r.method === "POST");
      expect(request.body).toMatchObject({ content: "see file" });
      expect(request.files).toEqual([{ field: "files[0]", filename: "notes.txt", contentType: "text/plain", size: 5 }]);
      expect(message.attachments).toMatchObject([{ filename: "notes.txt", size: 5 }]);
      expect(fake.message(message.id)?.content).toBe("see file");
    } finally {
      await fake.close();
    }
  });

  it("frames gateway payloads as a zlib stream when asked to", async () => {
    const fake = await startFakeDiscord();
    try {
      const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json&compress=zlib-stream`);
      const frames: Buffer[] = [];
      socket.on("message", (data: Buffer) => frames.push(data));
      await once(socket, "open");
      await expect.poll(() => frames.length).toBe(1);
      socket.send(JSON.stringify({ op: 1, d: null }));
      await expect.poll(() => frames.length).toBe(2);
      socket.close();

      // One inflater for the whole connection, as zlib-sync does in discord.js.
      const text = inflateSync(Buffer.concat(frames), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString();
      expect(text).toBe('{"op":10,"d":{"heartbeat_interval":45000}}{"op":11}');
      for (const frame of frames) expect([...frame.subarray(-4)]).toEqual([0x00, 0x00, 0xff, 0xff]);
    } finally {
      await fake.close();
    }
  });
});

describe("discord.js Client against fake Discord", () => {
  let fake: FakeDiscord;
  let client: Client;
  let deferResponse: InteractionCallbackResponse | undefined;

  beforeAll(async () => {
    fake = await startFakeDiscord({ guilds: [{ id: guildId, channels: [{ id: channelId }] }] });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restApi } });
    client.on(Events.InteractionCreate, (interaction) => void answer(interaction));
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
  });

  afterAll(async () => {
    // Normally the last test closes both; this is the safety net if it failed early.
    await client.destroy();
    await fake.close();
  });

  async function answer(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      await interaction.respond([{ name: "gpt-4o", value: "gpt-4o" }]);
    } else if (interaction.isChatInputCommand() && interaction.commandName === "ping") {
      await interaction.reply({ content: "pong", flags: MessageFlags.Ephemeral });
    } else if (interaction.isChatInputCommand() && interaction.commandName === "slow") {
      deferResponse = await interaction.deferReply({ withResponse: true });
      await interaction.editReply("done");
      await interaction.followUp({ content: "more", flags: MessageFlags.Ephemeral });
    } else if (interaction.isButton()) {
      await interaction.update({ content: "clicked", components: [] });
    }
  }

  it("becomes ready with the identified intents and cached guild", () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(fake.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
    expect(client.guilds.cache.get(guildId)?.channels.cache.has(channelId)).toBe(true);
  });

  it("records an ephemeral reply to a slash command and refuses a second one", async () => {
    const interaction = fake.slashCommand({ name: "ping", user, channelId: "5500000000000000001" });
    fake.sendInteraction(interaction);
    const request = await fake.waitForRequest(
      (r) => r.path === `/interactions/${interaction.id}/${interaction.token}/callback`,
    );

    expect(request.query).toEqual({ with_response: "false" });
    expect(fake.interactionResponses(interaction.id)).toMatchObject([
      { kind: "callback", messageId: expect.any(String), body: { type: 4, data: { content: "pong", flags: 64 } } },
    ]);

    const again = await fetch(`${fake.restApi}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: 4, data: { content: "twice" } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ code: 40060, message: "Interaction has already been acknowledged." });
  });

  it("records autocomplete results as callback type 8", async () => {
    const interaction = fake.slashCommand({
      name: "model",
      options: { name: "gp" },
      focused: "name",
      user,
      guildId,
      channelId,
    });
    expect(interaction.type).toBe(4);
    fake.sendInteraction(interaction);
    await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${interaction.id}/`));

    expect(fake.interactionResponses(interaction.id)).toMatchObject([
      { kind: "callback", body: { type: 8, data: { choices: [{ name: "gpt-4o", value: "gpt-4o" }] } } },
    ]);
  });

  it("records a deferred reply, its edit and a follow-up", async () => {
    const interaction = fake.slashCommand({ name: "slow", user, guildId, channelId });
    fake.sendInteraction(interaction);
    const followUpPath = `/webhooks/${fake.applicationId}/${interaction.token}`;
    await fake.waitForRequest((r) => r.method === "POST" && r.path === followUpPath);

    const responses = fake.interactionResponses(interaction.id);
    expect(responses.map((r) => r.kind)).toEqual(["callback", "edit", "followup"]);
    expect(responses[0]?.body).toMatchObject({ type: 5 });
    expect(deferResponse?.resource?.message?.id).toBe(responses[0]?.messageId);
    expect(responses[1]).toMatchObject({ messageId: responses[0]?.messageId, body: { content: "done" } });
    expect(fake.message(responses[0]?.messageId ?? "")?.content).toBe("done");
    expect(responses[2]?.body).toMatchObject({ content: "more", flags: 64 });
  });

  it("updates the message of a clicked button", async () => {
    const rest = new REST({ api: fake.restApi }).setToken(fake.token);
    const sent = await rest.post(Routes.channelMessages(channelId), {
      body: {
        content: "pick",
        components: [
          new ActionRowBuilder<ButtonBuilder>()
            .addComponents(new ButtonBuilder().setCustomId("go").setLabel("Go").setStyle(ButtonStyle.Primary))
            .toJSON(),
        ],
      },
    });
    const messageId = (sent as { id: string }).id;
    const interaction = fake.componentInteraction({
      customId: "go",
      componentType: ComponentType.Button,
      user,
      guildId,
      channelId,
      messageId,
    });
    fake.sendInteraction(interaction);
    await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${interaction.id}/`));

    expect(fake.interactionResponses(interaction.id)).toMatchObject([
      { kind: "callback", messageId, body: { type: 7, data: { content: "clicked", components: [] } } },
    ]);
    expect(fake.message(messageId)).toMatchObject({ content: "clicked", components: [] });
  });

  it("shuts down quickly", async () => {
    const started = Date.now();
    await client.destroy();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(scaled(2000));
  });
});
