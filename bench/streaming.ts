/**
 * Time to first token: a plain console message through the gateway (host, `/model` plugin's
 * directive check, session store, resolver, history, a client per call) until the first piece
 * reaches the channel's stream, against a bare `@anthropic-ai/sdk` stream to the same loopback
 * fake, which pays only HTTP and SSE parsing.
 */
import Anthropic from "@anthropic-ai/sdk";
import { createChatResponder } from "../src/chat/responder.js";
import type { ReplyStream } from "../src/gateway/types.js";
import { CONSOLE_CAPABILITIES, consoleInvocation } from "../src/channels/console/index.js";
import { startFakeProvider } from "../test/fakes/provider-api.js";
import { createTestGateway } from "../test/support/gateway.js";
import { costFigure, percentile, type BenchResult } from "./result.js";

const KEY = `sk-ant-api03-${"B".repeat(40)}ench`;
const ROUNDS = 40;
const ANSWER = "a streamed answer of a few words, in eight pieces, for the bench";

export default async function bench(): Promise<BenchResult[]> {
  const fake = await startFakeProvider();
  fake.script(KEY, { kind: "text", text: ANSWER, stream: { chunks: 8 } });
  const gateway = await createTestGateway({
    config: {
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      models: { providers: { anthropic: { baseUrl: fake.url } } },
    },
    authProfiles: { version: 1, profiles: { "anthropic:bench": { type: "api_key", provider: "anthropic", key: KEY } } },
    chat: (services) => createChatResponder(services, () => undefined),
  });
  const inv = consoleInvocation();
  const throughGateway = async (): Promise<number> => {
    const t0 = performance.now();
    let first: number | undefined;
    const stream: ReplyStream = {
      send: async () => undefined,
      update: () => void (first ??= performance.now()),
      finish: async () => undefined,
    };
    // Each round starts a fresh conversation, so the prompt does not grow from round to round.
    await gateway.services.chat?.reset("agent:main:main");
    await gateway.host.handleMessage(inv, "hi", CONSOLE_CAPABILITIES, stream);
    if (first === undefined) throw new Error("the gateway streamed nothing");
    return first - t0;
  };
  const client = new Anthropic({ apiKey: KEY, baseURL: fake.url, maxRetries: 0, logLevel: "off" });
  const bare = async (): Promise<number> => {
    const t0 = performance.now();
    let first: number | undefined;
    const events = await client.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 64,
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    for await (const e of events) if (e.type === "content_block_delta") first ??= performance.now();
    if (first === undefined) throw new Error("the SDK streamed nothing");
    return first - t0;
  };
  // Warm both paths (module loading, the first connection), then alternate so load falls on both.
  await throughGateway();
  await bare();
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    ours.push(await throughGateway());
    baseline.push(await bare());
  }
  await gateway.close();
  await fake.close();
  return [
    costFigure(
      `time to first token, console message through the gateway (median of ${ROUNDS})`,
      "ms",
      { ours: percentile(ours, 50), baseline: percentile(baseline, 50) },
      "bare @anthropic-ai/sdk stream, same fake",
      3,
    ),
  ];
}
