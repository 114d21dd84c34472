/**
 * Streamed answers through the real Discord adapter (discord.js over the loopback gateway and
 * REST fakes): one message that grows by edits, paced, continued past 2000 characters.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../src/channels/discord/index.js";
import { splitText } from "../../../src/channels/discord/messages.js";
import { createChatResponder } from "../../../src/chat/responder.js";
import { GatewayHttpServer } from "../../../src/gateway/http-server.js";
import { snowflake, startFakeDiscord, type FakeDiscord, type RecordedRequest } from "../../fakes/discord-api.js";
import { useFakeProvider } from "../../fakes/use-fake-provider.js";
import { fakeProviders } from "../../chat/harness.js";
import { createTestGateway, type TestGateway } from "../../support/gateway.js";
import { scaled } from "../../support/slowness.js";
import { OWNER, SECRETS, gatewayOptions } from "./support.js";

// A fresh DM channel per test, so one test's messages never answer another's wait.
let DM_CHANNEL = snowflake();

function answer(count: number, size = 25): string {
  return Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, "0")} `.padEnd(size, "·")).join("");
}

const provider = useFakeProvider();
let fake: FakeDiscord;
let gw: TestGateway | undefined;
let channel: RunningDiscord | undefined;

beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  DM_CHANNEL = snowflake();
  await channel?.stop();
  await gw?.close();
  channel = undefined;
  gw = undefined;
});

async function start(model = "anthropic/claude-sonnet-5-5", streaming?: "off"): Promise<void> {
  const base = gatewayOptions({ apiBase: fake.restApi, ...(streaming ? { streaming } : {}) });
  gw = await createTestGateway({
    ...base,
    config: { ...base.config, agents: { defaults: { model } }, models: { providers: fakeProviders(provider) } },
    chat: (services) => createChatResponder(services, () => undefined),
  });
  const logs = gw.logs;
  channel = await startDiscord(
    {
      host: gw.host,
      http: new GatewayHttpServer(() => undefined),
      log: (level, m) => void logs.push(`[${level}] ${m}`),
      env: { DISCORD_BOT_TOKEN: fake.token },
    },
    { commandsRefreshMs: 0 },
  );
}

/** Sends a DM and waits until the channel's messages read `pages`; returns the requests it made. */
async function ask(text: string, pages: readonly string[]): Promise<{ sent: number; requests: RecordedRequest[] }> {
  const before = fake.requests.length;
  const sent = Date.now();
  fake.userMessage(text, OWNER, { channelId: DM_CHANNEL });
  const deadline = Date.now() + scaled(15_000);
  const contents = () => fake.channelMessages(DM_CHANNEL).map((m) => m.content);
  while (JSON.stringify(contents().slice(-pages.length)) !== JSON.stringify(pages)) {
    if (Date.now() > deadline) throw new Error(`no final answer; have ${JSON.stringify(contents())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const requests = fake.requests
    .slice(before)
    .filter((r) => r.path.startsWith(`/channels/${DM_CHANNEL}/messages`) && r.method !== "GET");
  return { sent, requests };
}

function gaps(requests: RecordedRequest[]): number[] {
  return requests.slice(1).map((r, i) => r.at - (requests[i]?.at ?? 0));
}

describe("Discord: a streamed answer grows in one message", () => {
  it.each([
    ["Anthropic", "anthropic/claude-sonnet-5-5", SECRETS.work],
    ["an OpenAI-compatible stream", "openai/gpt-5.4", SECRETS.openai],
  ])(
    "%s, 40 pieces 50 ms apart: first message within 1.5 s, edits at least 1 s apart, the whole answer at the end",
    async (_name, model, key) => {
      const whole = answer(40);
      provider.script(key, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 50 } });
      await start(model);
      const { sent, requests } = await ask("count", [whole]);
      const [first, ...rest] = requests;
      expect(first?.method).toBe("POST");
      expect((first?.at ?? Number.POSITIVE_INFINITY) - sent).toBeLessThanOrEqual(scaled(1500));
      const edits = rest.filter((r) => r.method === "PATCH");
      expect(edits).toHaveLength(rest.length);
      // About 2 s of stream at one edit a second: one edit with a part, one with the whole.
      expect(edits.length).toBeGreaterThanOrEqual(2);
      for (const gap of gaps(edits)) expect(gap).toBeGreaterThanOrEqual(1000);
    },
  );

  it("a longer answer (40 pieces 100 ms apart) gets at least 3 edits, never two within 1 s", async () => {
    const whole = answer(40);
    provider.script(SECRETS.work, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 100 } });
    await start();
    const { requests } = await ask("count", [whole]);
    const edits = requests.filter((r) => r.method === "PATCH");
    expect(edits.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps(edits)) expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it("past 2000 characters it continues in new messages, each within 2000", async () => {
    const whole = answer(40, 120);
    provider.script(SECRETS.work, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 10 } });
    await start();
    const pages = splitText(whole);
    expect(pages.length).toBeGreaterThan(1);
    await ask("long", pages);
    for (const m of fake.channelMessages(DM_CHANNEL)) expect(m.content.length).toBeLessThanOrEqual(2000);
  });

  it("a 429 after the tenth piece ends the message with the note and sends nothing twice", async () => {
    const whole = answer(40);
    provider.script(SECRETS.work, { kind: "text", text: whole, stream: { chunks: 40, gapMs: 20, failAfter: 10 } });
    await start();
    const final = `${whole.slice(0, 250)}\n\n[…cut off: rate limited on anthropic:work; free again in 30s]`;
    const { requests } = await ask("count", [final]);
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
    // The setup-token profile comes first and fails before any text (401): that one may fail over.
    // After work's tenth piece nothing is asked again.
    expect(provider.requests.map((r) => r.credential)).toEqual([SECRETS.personal, SECRETS.work]);
  });

  it("with streaming off, the answer is one message and nothing is edited", async () => {
    const whole = answer(10);
    provider.script(SECRETS.work, { kind: "text", text: whole, stream: { chunks: 10, gapMs: 20 } });
    await start("anthropic/claude-sonnet-5-5", "off");
    const { requests } = await ask("count", [whole]);
    expect(requests.map((r) => r.method)).toEqual(["POST"]);
  });
});
