import type { KeyObject } from "node:crypto";
import type { APIInteraction } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../src/channels/discord/index.js";
import { InteractionHandler } from "../../../src/channels/discord/interactions.js";
import {
  interactionsEndpoint,
  readInteraction,
  type InteractionWebhooks,
} from "../../../src/channels/discord/interactions-endpoint.js";
import { GatewayHttpServer } from "../../../src/gateway/http-server.js";
import { definePlugin } from "../../../src/gateway/types.js";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord-api.js";
import { createTestGateway, type TestGateway } from "../../support/gateway.js";
import {
  CHANNEL,
  discordTestGateway,
  gatewayOptions,
  GUILD,
  interactionKeys,
  leaksNoSecret,
  OWNER,
  signedHeaders,
  STRANGER,
} from "./support.js";

const keys = interactionKeys();
let fake: FakeDiscord;
let gw: TestGateway;
let http: GatewayHttpServer;
let url: string;
let channel: RunningDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord();
  gw = await discordTestGateway({
    apiBase: fake.restApi,
    guildIds: [GUILD],
    interactions: { publicKey: keys.publicKeyHex },
  });
  http = new GatewayHttpServer(() => undefined);
  channel = await startDiscord(
    { host: gw.host, http, log: () => undefined, env: { DISCORD_BOT_TOKEN: fake.token } },
    { commandsRefreshMs: 0 },
  );
  const port = await http.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${port}/discord/interactions`;
});

afterAll(async () => {
  await channel.stop();
  await http.close();
  await fake.close();
  await gw.close();
});

async function post(
  body: string,
  headers: Record<string, string>,
  to = url,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(to, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

function signed(interaction: unknown, key: KeyObject = keys.privateKey) {
  const body = JSON.stringify(interaction);
  return post(body, signedHeaders(key, body));
}

describe("HTTP interactions endpoint", () => {
  it("runs in http mode without a WebSocket and registered the commands over REST", () => {
    expect(channel.mode).toBe("http");
    expect(fake.identifies).toEqual([]);
    expect(fake.commands(fake.applicationId, GUILD).map((c) => c.name)).toContain("model");
  });

  it("answers a signed PING with PONG", async () => {
    expect(await signed({ type: 1, id: "1", application_id: fake.applicationId, token: "t", version: 1 })).toEqual({
      status: 200,
      json: { type: 1 },
    });
  });

  it("refuses missing, tampered, foreign and stale signatures with 401", async () => {
    const body = JSON.stringify({ type: 1, id: "1", application_id: fake.applicationId, token: "t" });
    const headers = signedHeaders(keys.privateKey, body);
    expect((await post(body, { "content-type": "application/json" })).status).toBe(401);
    expect((await post(body.replace('"type":1', '"type":2'), headers)).status).toBe(401);
    expect((await post(body, signedHeaders(interactionKeys().privateKey, body))).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body, signedHeaders(keys.privateKey, body, now - 6 * 60))).status).toBe(401);
    expect((await post(body, signedHeaders(keys.privateKey, body, now + 2 * 60))).status).toBe(401);
  });

  it("answers a signed but malformed body with 400", async () => {
    const body = "{not json";
    expect(await post(body, signedHeaders(keys.privateKey, body))).toEqual({
      status: 400,
      json: { error: "malformed JSON" },
    });
    expect((await signed({ hello: "world" })).status).toBe(400);
  });

  it("answers /model status in the HTTP response, ephemeral, with no secret in it", async () => {
    const res = await signed(
      fake.slashCommand({ name: "model", options: { ref: "status" }, user: OWNER, guildId: GUILD, channelId: CHANNEL }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    const content = (res.json as { data: { content: string } }).data.content;
    expect(content).toContain("anthropic:work");
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(leaksNoSecret(content)).toBe(true);
  });

  it("tells an unauthorised user privately that they are not allowed", async () => {
    const res = await signed(fake.slashCommand({ name: "model", user: STRANGER, guildId: GUILD, channelId: CHANNEL }));
    expect(res.json).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/not allowed/) } });
  });

  it("gives an unauthorised user no suggestions", async () => {
    const res = await signed(
      fake.slashCommand({
        name: "model",
        options: { ref: "op" },
        focused: "ref",
        user: STRANGER,
        guildId: GUILD,
        channelId: CHANNEL,
      }),
    );
    expect(res.json).toEqual({ type: 8, data: { choices: [] } });
    const allowed = await signed(
      fake.slashCommand({
        name: "model",
        options: { ref: "op" },
        focused: "ref",
        user: OWNER,
        guildId: GUILD,
        channelId: CHANNEL,
      }),
    );
    expect((allowed.json as { data: { choices: unknown[] } }).data.choices[0]).toEqual({
      name: "opus → anthropic/claude-opus-5-5",
      value: "opus",
    });
  });

  it("opens the picker as components bound to the caller", async () => {
    const res = await signed(fake.slashCommand({ name: "model", user: OWNER, guildId: GUILD, channelId: CHANNEL }));
    const data = (res.json as { type: number; data: { components: Array<{ components: Array<{ type: number }> }> } })
      .data;
    expect((res.json as { type: number }).type).toBe(4);
    expect(data.components[0]?.components[0]?.type).toBe(3);
    const press = await signed(
      fake.componentInteraction({
        customId: "forged",
        componentType: 2,
        user: OWNER,
        guildId: GUILD,
        channelId: CHANNEL,
        messageId: "5",
      }),
    );
    expect(press.json).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/out of date/) } });
  });
});

describe("readInteraction", () => {
  it("maps a thread to its parent channel and the DM user field", () => {
    const inThread = fake.slashCommand({
      name: "model",
      options: { ref: "opus" },
      user: OWNER,
      guildId: GUILD,
      channelId: "77",
    });
    const threadChannel = { id: "77", type: 11, guild_id: GUILD, parent_id: CHANNEL };
    expect(readInteraction({ ...inThread, channel: threadChannel })).toEqual({
      kind: "ok",
      id: inThread.id,
      applicationId: fake.applicationId,
      token: inThread.token,
      input: {
        kind: "command",
        place: { user: { id: OWNER.id, username: OWNER.username }, channelId: "77", parentId: CHANNEL, guildId: GUILD },
        command: "model",
        options: [{ name: "ref", value: "opus" }],
      },
    });
    const dm = readInteraction(fake.slashCommand({ name: "model", user: OWNER, channelId: "88" }));
    expect(dm).toMatchObject({
      kind: "ok",
      input: { kind: "command", place: { user: { id: OWNER.id }, channelId: "88" } },
    });
    expect(dm.kind === "ok" && dm.input.place.guildId).toBeUndefined();
    expect(
      readInteraction({
        type: 5,
        id: "1",
        application_id: "2",
        token: "t",
        user: { id: "3" },
        channel_id: "4",
        data: { custom_id: "m" },
      }),
    ).toEqual({ kind: "unsupported" });
    expect(readInteraction([1, 2])).toEqual({ kind: "invalid" });
  });
});

describe("HTTP interactions that take longer than the window", () => {
  it("defers (type 5) at once and edits @original through the webhook when the answer is ready", async () => {
    let release!: () => void; // assigned synchronously by the Promise executor
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = definePlugin({
      name: "slow",
      commands: () => [
        {
          name: "slow",
          description: "Waits",
          handler: async () => {
            await gate;
            return { text: "done at last" };
          },
        },
      ],
    });
    const g = await createTestGateway({ ...gatewayOptions(), plugins: [slow] });
    const calls: Array<{ op: string; app: string; token: string; body?: unknown }> = [];
    let edited!: () => void; // assigned synchronously by the Promise executor
    const editedP = new Promise<void>((resolve) => {
      edited = resolve;
    });
    const webhooks: InteractionWebhooks = {
      editOriginal: async (app, token, body) => {
        calls.push({ op: "edit", app, token, body });
        edited();
      },
      deleteOriginal: async (app, token) => void calls.push({ op: "delete", app, token }),
      followUp: async (app, token, body) => void calls.push({ op: "followUp", app, token, body }),
    };
    const handler = new InteractionHandler({
      host: g.host,
      log: () => undefined,
      secret: "s",
      ephemeral: true,
      deferAfterMs: 20,
    });
    const server = new GatewayHttpServer(() => undefined);
    server.route(
      "POST",
      "/i",
      interactionsEndpoint({
        publicKey: keys.publicKeyHex,
        handler,
        webhooks,
        claims: g.services.sessions,
        log: () => undefined,
      }),
    );
    try {
      const interaction: APIInteraction = fake.slashCommand({
        name: "slow",
        user: OWNER,
        guildId: GUILD,
        channelId: CHANNEL,
      });
      const body = JSON.stringify(interaction);
      const res = await server.handle({
        method: "POST",
        path: "/i",
        headers: signedHeaders(keys.privateKey, body),
        body: Buffer.from(body),
      });
      expect(res).toEqual({ status: 200, body: { type: 5, data: { flags: 64 } } });
      expect(calls).toEqual([]);
      release();
      await editedP;
      expect(calls).toEqual([
        {
          op: "edit",
          app: fake.applicationId,
          token: interaction.token,
          body: { content: "done at last", components: [], allowed_mentions: { parse: [] }, flags: 64 },
        },
      ]);
    } finally {
      await g.close();
    }
  });
});

describe("HTTP interactions endpoint after stop", () => {
  it("refuses new interactions with 503 once the channel is stopping", async () => {
    const own = await discordTestGateway({
      apiBase: fake.restApi,
      guildIds: [GUILD],
      interactions: { publicKey: keys.publicKeyHex },
    });
    const server = new GatewayHttpServer(() => undefined);
    const running = await startDiscord(
      { host: own.host, http: server, log: () => undefined, env: { DISCORD_BOT_TOKEN: fake.token } },
      { commandsRefreshMs: 0 },
    );
    const port = await server.listen(0, "127.0.0.1");
    const to = `http://127.0.0.1:${port}/discord/interactions`;
    const body = JSON.stringify({ type: 1, id: "1", application_id: fake.applicationId, token: "t", version: 1 });
    expect((await post(body, signedHeaders(keys.privateKey, body), to)).status).toBe(200);
    await running.stop();
    expect((await post(body, signedHeaders(keys.privateKey, body), to)).status).toBe(503);
    await server.close();
    await own.close();
  });
});
