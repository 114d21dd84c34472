import { GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../src/channels/discord/index.js";
import { GatewayHttpServer } from "../../../src/gateway/http-server.js";
import { definePlugin } from "../../../src/gateway/types.js";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord-api.js";
import { createTestGateway, type TestGateway } from "../../support/gateway.js";
import {
  answerTo,
  CHANNEL,
  discordTestGateway,
  gatewayOptions,
  GUILD,
  leaksNoSecret,
  MEMBER,
  OWNER,
  STRANGER,
} from "./support.js";

const DM_CHANNEL = "4400000000000000099";

let fake: FakeDiscord;
let gw: TestGateway;
let channel: RunningDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });
  gw = await discordTestGateway({ apiBase: fake.restApi, guildIds: [GUILD] });
  const env = {
    host: gw.host,
    http: new GatewayHttpServer(() => undefined),
    log: (level: "info" | "warn" | "error", m: string) => void gw.logs.push(`[${level}] ${m}`),
    env: { DISCORD_BOT_TOKEN: fake.token },
  };
  channel = await startDiscord(env, { commandsRefreshMs: 0 });
});

afterAll(async () => {
  await channel.stop();
  await fake.close();
  await gw.close();
});

describe("discord.js gateway mode", () => {
  it("identifies with the guild, message, DM and message-content intents and registers the commands", () => {
    expect(channel.mode).toBe("gateway");
    expect(fake.identifies[0]?.intents).toBe(
      GatewayIntentBits.Guilds |
        GatewayIntentBits.GuildMessages |
        GatewayIntentBits.DirectMessages |
        GatewayIntentBits.MessageContent,
    );
    expect(fake.commands(fake.applicationId, GUILD).map((c) => c.name)).toEqual(gw.host.commands().map((c) => c.name));
    expect(gw.logs.join("\n")).not.toContain(fake.token);
  });

  it("answers /model status from INTERACTION_CREATE over REST, ephemeral", async () => {
    const interaction = fake.slashCommand({
      name: "model",
      options: { ref: "status" },
      user: OWNER,
      guildId: GUILD,
      channelId: CHANNEL,
    });
    fake.sendInteraction(interaction);
    const callback = await fake.waitForRequest(
      (r) => r.path === `/interactions/${interaction.id}/${interaction.token}/callback`,
    );
    expect(callback.body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringContaining("anthropic:work") },
    });
    expect(leaksNoSecret(JSON.stringify(callback.body))).toBe(true);
  });

  it("sends an unauthorised user an ephemeral refusal for /model, /model opus and autocomplete", async () => {
    for (const args of [{}, { ref: "opus" }] as Array<Record<string, string>>) {
      const interaction = fake.slashCommand({
        name: "model",
        options: args,
        user: STRANGER,
        guildId: GUILD,
        channelId: CHANNEL,
      });
      fake.sendInteraction(interaction);
      await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${interaction.id}/`));
      expect(fake.interactionResponses(interaction.id)).toMatchObject([
        { kind: "callback", body: { type: 4, data: { flags: 64, content: expect.stringMatching(/not allowed/) } } },
      ]);
    }
    const auto = fake.slashCommand({
      name: "model",
      options: { ref: "op" },
      focused: "ref",
      user: STRANGER,
      guildId: GUILD,
      channelId: CHANNEL,
    });
    fake.sendInteraction(auto);
    await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${auto.id}/`));
    expect(fake.interactionResponses(auto.id)).toEqual([
      { kind: "callback", body: { type: 8, data: { choices: [] } } },
    ]);
  });

  it("answers autocomplete with models, aliases and profiles", async () => {
    const auto = fake.slashCommand({
      name: "model",
      options: { ref: "opus@" },
      focused: "ref",
      user: OWNER,
      guildId: GUILD,
      channelId: CHANNEL,
    });
    const body = (await answerTo(fake, auto))?.body as {
      type: number;
      data: { choices: Array<{ value: string }> };
    };
    expect(body.type).toBe(8);
    expect(body.data.choices.map((c) => c.value).sort()).toEqual(["opus@anthropic:personal", "opus@anthropic:work"]);
  });

  /** `/model ref:<ref>` sent by a member in thread `thread` of the channel; the reply's body. */
  async function modelInThread(thread: string, ref: string): Promise<unknown> {
    const interaction = fake.slashCommand({
      name: "model",
      options: { ref },
      user: MEMBER,
      guildId: GUILD,
      channelId: thread,
    });
    (interaction as { channel: unknown }).channel = {
      id: thread,
      type: 11,
      guild_id: GUILD,
      parent_id: CHANNEL,
      name: `t${thread}`,
      flags: 0,
    };
    fake.sendInteraction(interaction);
    await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${interaction.id}/`));
    return fake.interactionResponses(interaction.id)[0]?.body;
  }

  it("sets the model of a thread's session from a slash command in the thread", async () => {
    const thread = "4400000000000000050";
    expect(await modelInThread(thread, "haiku")).toMatchObject({
      type: 4,
      data: { content: expect.stringContaining("claude-haiku-5-5") },
    });
    expect((await gw.services.sessions.get(`agent:main:discord:channel:${CHANNEL}:thread:${thread}`))?.model).toBe(
      "anthropic/claude-haiku-5-5",
    );
  });

  it("takes --for in the slash command's ref option and --once in a typed message", async () => {
    const thread = "4400000000000000060";
    expect(await modelInThread(thread, "haiku --for 2h")).toMatchObject({
      data: { content: expect.stringMatching(/claude-haiku-5-5 \(haiku\) until .* \(2h left\), then back to/) },
    });
    const key = `agent:main:discord:channel:${CHANNEL}:thread:${thread}`;
    // Two hours from when it was set, by the gateway's clock.
    const left = ((await gw.services.sessions.get(key))?.timed?.until ?? 0) - gw.services.clock();
    expect(left).toBeGreaterThan(3_600_000);
    expect(left).toBeLessThanOrEqual(2 * 3_600_000);

    const asked: Array<string | undefined> = [];
    gw.useChat({
      respond: async (_ctx, text, _sink, model) => {
        asked.push(model?.ref);
        return { text: `answer to ${text}` };
      },
      reset: async () => undefined,
      stop: () => false,
      close: () => undefined,
    });
    const dm = "4400000000000000098";
    fake.userMessage("/model opus --once hi there", OWNER, { channelId: dm });
    const answered = await fake.waitForRequest(
      (r) =>
        r.method === "POST" && r.path === `/channels/${dm}/messages` && JSON.stringify(r.body).includes("answer to"),
    );
    expect(answered.body).toMatchObject({ content: expect.stringContaining("answer to hi there") });
    expect(asked).toEqual(["anthropic/claude-opus-5-5"]);
    expect((await gw.services.sessions.get("agent:main:main"))?.model).toBeUndefined();
  });

  it("answers a text /model status in a DM", async () => {
    fake.userMessage("/model status", OWNER, { channelId: DM_CHANNEL });
    const sent = await fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${DM_CHANNEL}/messages`);
    expect(sent.body).toMatchObject({
      content: expect.stringContaining("anthropic:work"),
      allowed_mentions: { parse: [] },
    });
    expect(leaksNoSecret(JSON.stringify(sent.body))).toBe(true);
  });

  it("answers a guild message only when it mentions the bot, dropping the mention", async () => {
    fake.userMessage("/model haiku", MEMBER, { channelId: CHANNEL, guildId: GUILD });
    fake.userMessage(`<@${fake.botUser.id}> /model sonnet`, MEMBER, { channelId: CHANNEL, guildId: GUILD }, true);
    const sent = await fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${CHANNEL}/messages`);
    expect(sent.body).toMatchObject({
      content: expect.stringContaining("claude-sonnet-5-5"),
      message_reference: { message_id: expect.any(String) },
    });
    expect((await gw.services.sessions.get(`agent:main:discord:channel:${CHANNEL}`))?.model).toBe(
      "anthropic/claude-sonnet-5-5",
    );
    expect(fake.requests.filter((r) => r.method === "POST" && r.path === `/channels/${CHANNEL}/messages`)).toHaveLength(
      1,
    );
  });

  it("re-registers idempotently", async () => {
    const before = fake.commands(fake.applicationId, GUILD);
    await channel.register();
    expect(fake.commands(fake.applicationId, GUILD)).toEqual(before);
  });
});

describe("gateway mode start-up", () => {
  it("fails clearly, without the token, when Discord refuses the token", async () => {
    const f = await startFakeDiscord({ token: "the-right-token" });
    const g = await discordTestGateway({ apiBase: f.restApi });
    const logs: string[] = [];
    try {
      const env = {
        host: g.host,
        http: new GatewayHttpServer(() => undefined),
        log: (_: string, m: string) => void logs.push(m),
        env: { DISCORD_BOT_TOKEN: "a-wrong-token" },
      };
      const err: unknown = await startDiscord(env, { commandsRefreshMs: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^discord: could not connect/);
      expect((err as Error).message).not.toContain("a-wrong-token");
      expect(logs.join("\n")).not.toContain("a-wrong-token");
    } finally {
      await f.close();
      await g.close();
    }
  });
});

describe("gateway mode with a slow command", () => {
  it("defers, then edits the reply; a private reply after a public deferral is re-sent privately", async () => {
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
        {
          name: "secret",
          description: "Waits, then answers privately",
          handler: async () => {
            await gate;
            return { text: "for you only", private: true };
          },
        },
      ],
    });
    const f = await startFakeDiscord();
    const g = await createTestGateway({
      ...gatewayOptions({ apiBase: f.restApi, slashCommand: { ephemeral: false } }),
      plugins: [slow],
    });
    const running = await startDiscord(
      {
        host: g.host,
        http: new GatewayHttpServer(() => undefined),
        log: () => undefined,
        env: { DISCORD_BOT_TOKEN: f.token },
      },
      { deferAfterMs: 20, commandsRefreshMs: 0 },
    );
    try {
      const a = f.slashCommand({ name: "slow", user: OWNER, channelId: DM_CHANNEL });
      const b = f.slashCommand({ name: "secret", user: OWNER, channelId: DM_CHANNEL });
      f.sendInteraction(a);
      f.sendInteraction(b);
      await f.waitForRequest((r) => r.path === `/interactions/${a.id}/${a.token}/callback`);
      await f.waitForRequest((r) => r.path === `/interactions/${b.id}/${b.token}/callback`);
      release();
      await f.waitForRequest((r) => r.method === "PATCH" && r.path.includes(a.token));
      await f.waitForRequest((r) => r.method === "POST" && r.path === `/webhooks/${f.applicationId}/${b.token}`);
      expect(f.interactionResponses(a.id)).toMatchObject([
        { kind: "callback", body: { type: 5 } },
        { kind: "edit", body: { content: "done at last" } },
      ]);
      expect(f.interactionResponses(b.id)).toMatchObject([
        { kind: "callback", body: { type: 5 } },
        { kind: "delete" },
        { kind: "followup", body: { content: "for you only", flags: 64 } },
      ]);
    } finally {
      await running.stop();
      await f.close();
      await g.close();
    }
  });
});
