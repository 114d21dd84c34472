/**
 * A signed interaction replayed within its signature's window changes nothing (issue 26): each
 * interaction id is taken once in the session store, so two instances on one backend (a shared
 * SQLite file, or Redis) refuse a replay that either of them receives.
 */
import { ComponentType, type APIInteraction } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../src/channels/discord/index.js";
import { GatewayHttpServer } from "../../../src/gateway/http-server.js";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord-api.js";
import { createTestGateway, type TestGateway } from "../../support/gateway.js";
import { rawRequest } from "../../support/raw-http.js";
import { describeRedis } from "../../sessions/describe-redis.js";
import { RedisServer } from "../../sessions/redis-server.js";
import { CHANNEL, GUILD, gatewayOptions, interactionKeys, OWNER, signedHeaders } from "./support.js";

const keys = interactionKeys();
const SESSION = `agent:main:discord:channel:${CHANNEL}`;

/** One gateway instance serving HTTP interactions. */
interface Instance {
  readonly gw: TestGateway;
  readonly url: string;
  readonly port: number;
  readonly logs: string[];
  close(): Promise<void>;
}

async function startInstance(fake: FakeDiscord, extra: Record<string, unknown>, stateDir?: string): Promise<Instance> {
  const options = gatewayOptions(
    { apiBase: fake.restApi, guildIds: [GUILD], interactions: { publicKey: keys.publicKeyHex } },
    extra,
  );
  const gw = await createTestGateway({ ...options, ...(stateDir !== undefined ? { stateDir } : {}) });
  const logs: string[] = [];
  const http = new GatewayHttpServer(() => undefined);
  const channel: RunningDiscord = await startDiscord(
    {
      host: gw.host,
      http,
      log: (level, m) => void logs.push(`[${level}] ${m}`),
      env: { DISCORD_BOT_TOKEN: fake.token },
    },
    { commandsRefreshMs: 0 },
  );
  const port = await http.listen(0, "127.0.0.1");
  return {
    gw,
    port,
    url: `http://127.0.0.1:${port}/discord/interactions`,
    logs,
    close: async () => {
      await channel.stop();
      await http.close();
      await gw.close();
    },
  };
}

/** A request exactly as Discord signed it, so it can be sent again byte for byte. */
function signedRequest(interaction: APIInteraction): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(interaction);
  return { body, headers: signedHeaders(keys.privateKey, body) };
}

async function send(to: Instance, req: { body: string; headers: Record<string, string> }): Promise<unknown> {
  const res = await fetch(to.url, { method: "POST", headers: req.headers, body: req.body });
  expect(res.status).toBe(200);
  return res.json();
}

function setModel(fake: FakeDiscord, ref: string): APIInteraction {
  return fake.slashCommand({ name: "model", options: { ref }, user: OWNER, guildId: GUILD, channelId: CHANNEL });
}

async function sessionModel(i: Instance): Promise<string | undefined> {
  return (await i.gw.services.sessions.get(SESSION))?.model;
}

/** The replay scenario against one backend; `backend` gives the config both instances share. */
function replayContract(
  name: string,
  backend: () => Promise<{ extra: Record<string, unknown>; close(): Promise<void> }>,
) {
  describe(`a replayed interaction, ${name}`, () => {
    let fake: FakeDiscord;
    let a: Instance;
    let b: Instance;
    // Whatever was started is stopped even when the set-up failed half-way.
    const started: Array<{ close(): Promise<void> }> = [];

    beforeEach(async () => {
      fake = await startFakeDiscord();
      started.push(fake);
      const shared = await backend();
      started.push(shared);
      a = await startInstance(fake, shared.extra);
      started.push(a);
      b = await startInstance(fake, shared.extra, a.gw.stateDir);
      started.push(b);
    });
    afterEach(async () => {
      for (const s of started.splice(0).reverse()) await s.close();
    });

    it("switches nothing back, on either instance, and answers with a private notice", async () => {
      const opus = signedRequest(setModel(fake, "opus"));
      expect(await send(a, opus)).toMatchObject({ type: 4 });
      expect(await sessionModel(a)).toBe("anthropic/claude-opus-5-5");
      expect(await send(a, signedRequest(setModel(fake, "sonnet")))).toMatchObject({ type: 4 });
      expect(await sessionModel(a)).toBe("anthropic/claude-sonnet-5-5");

      for (const to of [b, a]) {
        expect(await send(to, opus)).toEqual({
          type: 4,
          data: {
            content: "This interaction was already handled.",
            components: [],
            allowed_mentions: { parse: [] },
            flags: 64,
          },
        });
        expect(await sessionModel(to)).toBe("anthropic/claude-sonnet-5-5");
      }
      expect(b.logs.join("\n")).toMatch(/\[warn\] discord: interaction \d+ arrived again; the replay changed nothing/);
    });

    it("acknowledges a replayed menu choice without touching its message", async () => {
      type Picker = {
        data: { components: Array<{ components: Array<{ custom_id: string; options: Array<{ value: string }> }> }> };
      };
      const picker = (await send(
        a,
        signedRequest(fake.slashCommand({ name: "model", user: OWNER, guildId: GUILD, channelId: CHANNEL })),
      )) as Picker;
      const select = picker.data.components[0]?.components[0];
      const press = signedRequest(
        fake.componentInteraction({
          customId: select?.custom_id ?? "",
          componentType: ComponentType.StringSelect,
          values: [select?.options[0]?.value ?? ""],
          user: OWNER,
          guildId: GUILD,
          channelId: CHANNEL,
          messageId: "5",
        }),
      );
      expect(await send(a, press)).toMatchObject({ type: 7 });
      // Type 6 acknowledges the press and leaves the message as it is.
      expect(await send(b, press)).toEqual({ type: 6 });
    });
  });
}

replayContract("SQLite", async () => ({ extra: {}, close: async () => undefined }));

describeRedis("Redis", () => {
  replayContract("Redis", async () => {
    const redis = await RedisServer.start();
    return {
      extra: { session: { store: { kind: "redis", url: redis.url, keyPrefix: `replay-${process.pid}:` } } },
      close: () => redis.cleanup(),
    };
  });
});

describe("the interactions endpoint before the body", () => {
  it("refuses a request without signature headers, or with a stale timestamp, before reading its body", async () => {
    const fake = await startFakeDiscord();
    const i = await startInstance(fake, {});
    try {
      const stale = String(Math.floor(Date.now() / 1000) - 10 * 60);
      for (const headers of ["", `X-Signature-Ed25519: ${"a".repeat(128)}\r\nX-Signature-Timestamp: ${stale}\r\n`]) {
        // The 100 kB never come: an answer proves the endpoint did not wait for them.
        const out = await rawRequest(
          i.port,
          `POST /discord/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n${headers}\r\n`,
        );
        expect(out.received).toMatch(/^HTTP\/1\.1 401 /);
      }
    } finally {
      await i.close();
      await fake.close();
    }
  });
});
