/**
 * `/model status` through the Discord HTTP interactions endpoint, in process: `http.handle(req)`
 * on the gateway's HTTP server with the route `startDiscord` registers in interactions mode, so
 * every request pays the Ed25519 signature check, JSON parsing, the adapter and the `/model`
 * plugin over real config, credential files and SQLite sessions. No socket, no Discord.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { startDiscord } from "../src/channels/discord/index.js";
import { publicKeyFromHex, verifyInteraction } from "../src/channels/discord/signature.js";
import { GatewayHttpServer, type HttpRequest } from "../src/gateway/http-server.js";
import { createTestGateway } from "../test/support/gateway.js";
import { alternate, costFigure, inFlight, percentile, rateFigure, timed, type BenchResult } from "./result.js";

const OWNER = "2200000000000000001";
const GUILD = "3300000000000000001";
const CHANNEL = "4400000000000000001";
const APP = "1100000000000000001";
const PATH = "/discord/interactions";

/** A signed `/model status` chat-input interaction, as Discord would POST it. */
function statusRequest(privateKey: crypto.KeyObject, n: number): HttpRequest {
  const body = JSON.stringify({
    id: String(1_000_000_000_000_000_000n + BigInt(n)),
    application_id: APP,
    type: 2,
    token: `bench-token-${n}`,
    version: 1,
    guild_id: GUILD,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 0, guild_id: GUILD },
    member: { user: { id: OWNER, username: "owner", global_name: null }, roles: [], permissions: "0" },
    data: { id: "1", type: 1, name: "model", options: [{ name: "ref", type: 3, value: "status" }] },
    locale: "en-US",
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = crypto.sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return {
    method: "POST",
    path: PATH,
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": signature,
      "x-signature-timestamp": timestamp,
    },
    body: Buffer.from(body),
  };
}

/**
 * Signed `/model status` interactions through the endpoint against the Ed25519 signature check
 * alone, the one step no implementation can skip: the ratio is what everything else costs.
 */
export default async function bench(): Promise<BenchResult[]> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const publicKeyHex = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
  const gateway = await createTestGateway({
    config: {
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      commands: { ownerAllowFrom: [`discord:${OWNER}`] },
      channels: { discord: { interactions: { publicKey: publicKeyHex } } },
    },
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"W".repeat(40)}work` },
        "anthropic:ci": { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"C".repeat(40)}ci99` },
      },
    },
  });
  const http = new GatewayHttpServer(() => undefined);
  // HTTP interactions mode without a bot token: no REST call is made (nothing to register).
  const channel = await startDiscord(
    { host: gateway.host, http, log: () => undefined, env: {} },
    { commandsRefreshMs: 0 },
  );
  // Signing is Discord's cost, not ours: requests are signed before each round. Each carries a new
  // interaction id, since the endpoint answers a repeated one as a replay without running it.
  let serial = 0;
  const fresh: HttpRequest[] = [];
  const refill = (n: number) => {
    fresh.length = 0;
    for (let i = 0; i < n; i++) fresh.push(statusRequest(privateKey, serial++));
  };
  const one = async () => {
    const req = fresh.pop();
    if (!req) throw new Error("bench: ran out of signed requests");
    const res = await http.handle(req);
    const body = res.body as { type?: number; data?: { content?: string } } | undefined;
    if (res.status !== 200 || body?.type !== 4 || !body.data?.content?.includes("anthropic"))
      throw new Error(`bench: unexpected answer ${res.status} ${JSON.stringify(res.body)}`);
  };
  // The signature check alone may see the same requests again: it keeps no memory.
  const pool = Array.from({ length: 2000 }, (_, i) => statusRequest(privateKey, -1 - i));
  const key = publicKeyFromHex(publicKeyHex);
  let v = 0;
  const verify = () => {
    const req = pool[v++ % pool.length] as HttpRequest;
    if (
      !verifyInteraction(
        key,
        String(req.headers["x-signature-ed25519"]),
        String(req.headers["x-signature-timestamp"]),
        req.body,
        Date.now(),
      )
    ) {
      throw new Error("bench: a signature failed to verify");
    }
  };
  try {
    refill(3000);
    for (let i = 0; i < 2000; i++) await one(); // warm-up: JIT, caches, the first SQLite reads
    // The rate once warm (the warm-up's own is the cold start's, and a round then ran out).
    const warmStart = performance.now();
    for (let i = 0; i < 1000; i++) await one();
    const warmRate = 1000 / (performance.now() - warmStart);
    // Enough signed requests for a round at four times the warm rate.
    const perRound = (ms: number) => Math.ceil(warmRate * ms * 4) + 1000;
    for (let i = 0; i < 2000; i++) verify();
    const oursLatency: number[] = [];
    const verifyLatency: number[] = [];
    const seq = await alternate(
      (ms) => {
        refill(perRound(ms));
        return timed(one, ms, oursLatency);
      },
      (ms) => timed(verify, ms, verifyLatency),
    );
    const par = await alternate(
      (ms) => {
        refill(perRound(ms));
        return inFlight(one, 64, ms);
      },
      (ms) => inFlight(async () => verify(), 64, ms),
    );
    const verifyName = "Ed25519 signature check alone";
    return [
      rateFigure("/model status interactions (signed HTTP), one at a time", "req/s", seq, verifyName, 3),
      costFigure(
        "/model status interaction p99 latency",
        "ms",
        { ours: percentile(oursLatency, 99), baseline: percentile(verifyLatency, 99) },
        verifyName,
      ),
      rateFigure("/model status interactions, 64 concurrently", "req/s", par, verifyName, 3),
    ];
  } finally {
    await channel.stop();
    await gateway.close();
    fs.rmSync(gateway.stateDir, { recursive: true, force: true });
  }
}
