// Resolver throughput as the gateway uses it per message: session record from the cache, then one
// resolution with the profiles and env keys in memory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assemble } from "../src/app/assemble.js";
import { systemClock } from "../src/util/clock.js";
import { fill, indexes } from "./sessions.js";
import { alternate, rateFigure, syncRate, type BenchResult } from "./result.js";

const SESSIONS = 100_000;

export default async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-resolver-"));
  try {
    const agent = path.join(dir, "agents", "main", "agent");
    fs.mkdirSync(agent, { recursive: true });
    const secret = (tag: string) => `sk-ant-api03-${tag}${"x".repeat(80)}`;
    fs.writeFileSync(
      path.join(agent, "auth-profiles.json"),
      JSON.stringify({
        profiles: {
          "anthropic:work": {
            type: "token",
            provider: "anthropic",
            token: `sk-ant-oat01-${"t".repeat(90)}`,
            expires: Date.now() + 86_400_000 * 30,
          },
          "anthropic:team": { type: "api_key", provider: "anthropic", key: secret("a") },
          "anthropic:spare": { type: "api_key", provider: "anthropic", key: secret("b") },
        },
      }),
    );
    const file = path.join(dir, "sessions.sqlite");
    await fill(file, SESSIONS);
    // Our own settings: the filled file, with a cache that holds every session.
    fs.writeFileSync(
      path.join(dir, "model-gateway.json"),
      JSON.stringify({ session: { store: { kind: "sqlite", path: file }, cacheSize: SESSIONS } }),
    );
    const app = assemble({
      env: { OPENCLAW_STATE_DIR: dir, ANTHROPIC_API_KEY: secret("env") },
      cwd: dir,
      clock: systemClock,
      log: () => undefined,
    });
    const services = await app.gateway();
    const store = services.sessions;
    const keys = Array.from({ length: SESSIONS }, (_, i) => `agent:main:telegram:direct:${i}`);
    for (const k of keys) await store.get(k);
    const order = indexes(SESSIONS, 1 << 20);
    const resolveFor = (i: number) => {
      const rec = store.peek(keys[order[i & (order.length - 1)] ?? 0] ?? "");
      return services.resolver().resolve({
        agentId: "main",
        provider: "anthropic",
        model: rec?.model ?? "anthropic/claude-sonnet-5-5",
        ...(rec?.profileId ? { pin: { profileId: rec.profileId, source: rec.pinSource ?? "user" } } : {}),
      });
    };
    // The floor: the same keys in the same order looked up in a plain Map of the same records.
    const plain = new Map(keys.map((k) => [k, store.peek(k)]));
    let found = 0;
    const lookup = (i: number) => {
      if (plain.get(keys[order[i & (order.length - 1)] ?? 0] ?? "")) found++;
    };
    syncRate(300, resolveFor); // warm-up
    syncRate(300, lookup);
    const rates = await alternate(
      (ms) => syncRate(ms, resolveFor),
      (ms) => syncRate(ms, lookup),
      5,
      600,
    );
    await app.close();
    if (found === 0) throw new Error("resolver bench: the Map baseline found no session");
    return [
      rateFigure(
        `resolutions, ${SESSIONS.toLocaleString("en-US")} cached sessions, 3 profiles + env key`,
        "/s",
        rates,
        "Map.get of the same keys",
        40,
      ),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
