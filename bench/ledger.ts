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
/** Turns measured on each gateway, one on and one off in turn. */
const TURNS = 1_000;
/** Turns per block whose own ratio gives the spread. */
const BLOCK = 100;

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
  /** Milliseconds one turn takes, from a fresh conversation (so the prompt does not grow). */
  const turn = async (gateway: TestGateway): Promise<number> => {
    await gateway.services.chat?.reset("agent:main:main");
    const t0 = performance.now();
    await gateway.host.handleMessage(inv, "hi", CONSOLE_CAPABILITIES);
    return performance.now() - t0;
  };
  const [shown] = await on.host.handleMessage(inv, "hi", CONSOLE_CAPABILITIES);
  if (!shown?.text.includes("Usage:")) throw new Error(`the ledger's footer is missing: ${shown?.text}`);
  for (let i = 0; i < 20; i++) await Promise.all([turn(on), turn(off)]);
  const withLedger: number[] = [];
  const without: number[] = [];
  // One turn each in turn, the first of the pair alternating, so load from other processes falls
  // on both alike; medians, so the turns a busy machine stalls do not decide the figure.
  for (let i = 0; i < TURNS; i++) {
    if (i % 2 === 0) {
      withLedger.push(await turn(on));
      without.push(await turn(off));
    } else {
      without.push(await turn(off));
      withLedger.push(await turn(on));
    }
  }
  await on.close();
  await off.close();
  await fake.close();
  const ratios: number[] = [];
  for (let i = 0; i < TURNS; i += BLOCK)
    ratios.push(percentile(withLedger.slice(i, i + BLOCK), 50) / percentile(without.slice(i, i + BLOCK), 50));
  const figure = costFigure(
    `chat turn, ledger on vs off (ms; ratio: median of ${TURNS} neighbouring pairs)`,
    "ms",
    { ours: percentile(withLedger, 50), baseline: percentile(without, 50) },
    "the same turn with usage.ledger: false",
    1.05,
  );
  // The ratio is the median over pairs of neighbouring turns, each of which shares the load of its
  // moment: on a busy machine that drifts more than the two gateways differ.
  const pairs = withLedger.map((ms, i) => ms / (without[i] ?? ms));
  return [{ ...figure, ratio: percentile(pairs, 50), spread: [Math.min(...ratios), Math.max(...ratios)] }];
}
