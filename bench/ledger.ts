/**
 * What the usage ledger costs a chat turn: a console message through the gateway to the loopback
 * fake and back, with the ledger on (an entry written per call, the chat's footer read and shown)
 * against the same gateway with `usage.ledger: false`. Both ends are ours, so the ratio is the
 * ledger's share of a whole turn; the network call to a real provider would make it smaller still.
 */
import { createChatResponder } from "../src/chat/responder.js";
import { CONSOLE_CAPABILITIES, consoleInvocation } from "../src/channels/console/index.js";
import { startFakeProvider } from "../test/fakes/provider-api.js";
import { createTestGateway, type TestGateway } from "../test/support/gateway.js";
import { costFigure, percentile, type BenchResult } from "./result.js";

const KEY = `sk-ant-api03-${"L".repeat(40)}edgr`;
const ROUNDS = 15;
const TURNS_PER_ROUND = 20;

export default async function bench(): Promise<BenchResult[]> {
  const fake = await startFakeProvider();
  fake.script(KEY, {
    kind: "text",
    text: "an answer of a few words",
    usage: { input: 1_200, output: 40, cacheRead: 800 },
  });
  const gatewayWith = (own: object) =>
    createTestGateway({
      config: {
        agents: { defaults: { model: "anthropic/claude-opus-5-5" } },
        models: { providers: { anthropic: { baseUrl: fake.url } } },
      },
      own,
      authProfiles: {
        version: 1,
        profiles: { "anthropic:bench": { type: "api_key", provider: "anthropic", key: KEY } },
      },
      chat: (services) => createChatResponder(services, () => undefined),
    });
  const on = await gatewayWith({});
  const off = await gatewayWith({ usage: { ledger: false } });
  // The costliest setting: every turn reads the footer setting and shows tokens and cost.
  await on.services.sessions.ledger.setFooter("agent:main:main", "full");
  const inv = consoleInvocation();
  /** Milliseconds per turn over one round of turns. */
  const round = async (gateway: TestGateway): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < TURNS_PER_ROUND; i++) {
      // Each turn starts a fresh conversation, so the prompt does not grow from turn to turn.
      await gateway.services.chat?.reset("agent:main:main");
      await gateway.host.handleMessage(inv, "hi", CONSOLE_CAPABILITIES);
    }
    return (performance.now() - t0) / TURNS_PER_ROUND;
  };
  const [shown] = await on.host.handleMessage(inv, "hi", CONSOLE_CAPABILITIES);
  if (!shown?.text.includes("Usage:")) throw new Error(`the ledger's footer is missing: ${shown?.text}`);
  await round(off);
  const withLedger: number[] = [];
  const without: number[] = [];
  const ratios: number[] = [];
  // Alternating rounds, so load from other processes falls on both alike.
  for (let i = 0; i < ROUNDS; i++) {
    const a = await round(on);
    const b = await round(off);
    withLedger.push(a);
    without.push(b);
    ratios.push(a / b);
  }
  await on.close();
  await off.close();
  await fake.close();
  const figure = costFigure(
    `chat turn, ledger on vs off (ms per turn, median of ${ROUNDS} rounds)`,
    "ms",
    { ours: percentile(withLedger, 50), baseline: percentile(without, 50) },
    "the same turn with usage.ledger: false",
    1.05,
  );
  // The ratio is the median of each round's own ratio: a round and its neighbour share the load of
  // the moment, which drifts on a busy machine more than the two turns differ.
  return [{ ...figure, ratio: percentile(ratios, 50), spread: [Math.min(...ratios), Math.max(...ratios)] }];
}
