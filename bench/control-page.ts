/**
 * The control page with a big state: 10,000 chats with a model or a pin and 90 days of usage
 * ledger (SQLite, as the gateway keeps them), loaded the way the page loads its views every second:
 * the Chats view's first page and a search, the Spend view, the Credentials view.
 * The baseline is a static answer of the same size from the same server (the gateway's
 * node:http server, same limits and Host check): what serving those bytes costs without the
 * page's work. Target: at most 3x.
 */
import http from "node:http";
import { systemClock } from "../src/util/clock.js";
import { assemble } from "../src/app/assemble.js";
import { mountControlPage } from "../src/app/control-page.js";
import { GatewayHttpServer } from "../src/gateway/http-server.js";
import { readHandoff } from "../src/ui/handoff.js";
import { writeStateDir } from "../test/support/state.js";
import { alternate, type BenchResult, rateFigure } from "./result.js";

const CHATS = 10_000;
const LEDGER_DAYS = 90;
const TURNS_A_DAY = 200;
const AGENT = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(port: number, path: string, cookie: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, agent: AGENT, headers: { cookie } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`${path}: HTTP ${res.statusCode}`)),
        );
      })
      .on("error", reject);
  });
}

/** Requests per second over about `ms`, one at a time, the n-th to `path(n)`. */
async function rate(port: number, path: (n: number) => string, cookie: string, ms: number): Promise<number> {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await get(port, path(n), cookie);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

/** Logs in as `openclaw dashboard` would and returns the session cookie. */
async function login(stateDir: string, port: number): Promise<string> {
  const handoff = readHandoff(stateDir);
  if (!handoff) throw new Error("no control-ui.json");
  const link = (await (
    await fetch(`${handoff.url}/ui/api/link`, { method: "POST", headers: { authorization: `Bearer ${handoff.key}` } })
  ).json()) as { path: string };
  const res = await fetch(`http://127.0.0.1:${port}${link.path}`, { redirect: "manual" });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`login failed: HTTP ${res.status}`);
  return cookie;
}

const bench = async (): Promise<BenchResult[]> => {
  const profiles: Record<string, object> = {};
  for (let i = 0; i < 4; i++)
    profiles[`anthropic:p${i}`] = { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"k".repeat(80)}${i}` };
  const stateDir = writeStateDir({
    prefix: "openclaw-bench-ui-",
    config: {},
    authProfiles: { version: 1, profiles },
  });
  const env = { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir };
  const app = assemble({ env, cwd: stateDir, clock: systemClock, log: () => {} });
  const services = await app.gateway();
  const now = Date.now();
  for (let i = 0; i < CHATS; i++) {
    const key = i % 2 ? `agent:main:telegram:group:-100${i}` : `agent:main:discord:channel:${9_000_000 + i}`;
    await services.sessions.update(
      key,
      { model: i % 3 ? "anthropic/claude-sonnet-4-5" : "anthropic/claude-haiku-4-5", setBy: `telegram:${i}` },
      now - i * 60_000,
    );
  }
  // 90 days of turns: 200 a day, across the chats, four profiles and two models.
  const day = 86_400_000;
  for (let d = 0; d < LEDGER_DAYS; d++)
    for (let t = 0; t < TURNS_A_DAY; t++) {
      const n = d * TURNS_A_DAY + t;
      await services.sessions.ledger.record({
        id: `turn-${n}`,
        at: now - d * day - t * 1000,
        channel: "telegram",
        sessionKey: `agent:main:telegram:group:-100${n % CHATS}`,
        agentId: "main",
        provider: "anthropic",
        model: t % 2 ? "anthropic/claude-sonnet-4-5" : "anthropic/claude-haiku-4-5",
        profileId: `anthropic:p${t % 4}`,
        tokens: { input: 1200, output: 300, cacheRead: 0, cacheWrite: 0 },
        costUsd: 0.004,
        outcome: "ok",
      });
    }
  const server = new GatewayHttpServer(() => {});
  const page = mountControlPage(server, { services, processEnv: env, cwd: stateDir, log: () => {} });
  const port = await server.listen(0, "127.0.0.1");
  page.publish(`http://127.0.0.1:${port}`);
  try {
    const cookie = await login(stateDir, port);
    const results: BenchResult[] = [];
    // Each view as a page asks for it every second (target 3x). Searches differ every time, so
    // each scans all 10,000 chats: reported against a static answer without a target.
    const views: [string, (n: number) => string, number | undefined][] = [
      ["chats view, first page of 10,000 chats", () => "/ui/api/chats?page=0", 3],
      ["chats view, a new search each time, 10,000 chats", (n) => `/ui/api/chats?q=group%3A-100${n % 9000}`, undefined],
      ["spend view, 30 of 90 days of ledger (18,000 turns)", () => "/ui/api/spend", 3],
      ["credentials view with spend today", () => "/ui/api/credentials", 3],
    ];
    for (const [name, path, target] of views) {
      const body = await get(port, path(4242), cookie);
      const staticPath = `/bench/static-${results.length}`;
      server.route("GET", staticPath, () => ({ status: 200, headers: { "content-type": "application/json" }, body }));
      const rates = await alternate(
        (ms) => rate(port, path, cookie, ms),
        (ms) => rate(port, () => staticPath, cookie, ms),
      );
      results.push(rateFigure(name, "pages/s", rates, `a static answer of ${body.length} bytes, same server`, target));
    }
    return results;
  } finally {
    page.withdraw();
    await server.close();
    await app.close();
  }
};

export default bench;
