/**
 * `openclaw gateway usage-cost`, run in-process over a real SQLite session store (and once over a
 * real redis-server) holding a month of recorded turns; the gateway is not running.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionStateDir } from "../../src/config/paths.js";
import { NO_USAGE } from "../../src/sessions/ledger-sums.js";
import { readmeOutput } from "../support/readme.js";
import { recordInState, runAtSpendNow } from "../support/ledger.js";
import { writeStateDir } from "../support/state.js";
import { describeRedis } from "../sessions/describe-redis.js";
import { RedisServer } from "../sessions/redis-server.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A state dir with a `work` agent beside `main`, and our own settings (`session.store`) when given. */
function stateDir(own?: object): string {
  const dir = writeStateDir({ prefix: "openclaw-usage-cost-", config: {}, ...(own ? { own } : {}) });
  fs.mkdirSync(path.join(dir, "agents", "work"), { recursive: true });
  dirs.push(dir);
  return dir;
}

const cli = (dir: string, ...args: string[]) => runAtSpendNow(dir, ["gateway", "usage-cost", ...args]);

interface Report {
  days: number;
  from: string;
  to: string;
  totals: Record<string, number>;
  rows: Array<Record<string, unknown>>;
}
const json = async (dir: string, ...args: string[]): Promise<Report> => {
  const r = await cli(dir, ...args, "--json");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
};

const row = (key: string, turns: number, input: number, output: number, costUsd: number, cache = [0, 0]) => ({
  key,
  turns,
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: cache[0],
  cacheWriteTokens: cache[1],
  costUsd,
});

describe("openclaw gateway usage-cost (SQLite)", () => {
  const dir = stateDir();
  beforeAll(() => recordInState(dir));

  it("--json: the last 30 UTC days of the default agent, by day, in exactly the documented shape", async () => {
    const r = await json(dir);
    expect(r).toEqual({
      days: 30,
      from: "2026-11-08",
      to: "2026-12-07",
      totals: {
        turns: 5,
        inputTokens: 7800,
        outputTokens: 2300,
        cacheReadTokens: 5000,
        cacheWriteTokens: 1000,
        costUsd: 0.1022,
        unpricedTurns: 1,
      },
      rows: [
        row("2026-12-04", 1, 700, 200, 0),
        row("2026-12-06", 1, 900, 400, 0.0051),
        row("2026-12-07", 3, 6200, 1700, 0.0971, [5000, 1000]),
      ],
    });
    expect(Object.keys(r)).toEqual(["days", "from", "to", "totals", "rows"]);
  });

  it("prints what the README shows", async () => {
    const r = await cli(dir, "--by", "provider", "--json");
    expect(readmeOutput("$ openclaw gateway usage-cost --by provider --json")).toEqual(r.stdout.trimEnd().split("\n"));
  });

  it("--by provider, model, profile, chat and agent group the same turns, largest cost first", async () => {
    const keys = async (by: string) => (await json(dir, "--by", by)).rows.map((x) => [x.key, x.turns, x.costUsd]);
    expect(await keys("provider")).toEqual([
      ["anthropic", 3, 0.0971],
      ["openai", 1, 0.0051],
      ["local", 1, 0],
    ]);
    expect(await keys("model")).toEqual([
      ["anthropic/claude-opus-5-5", 1, 0.071],
      ["anthropic/claude-sonnet-5-5", 2, 0.0261],
      ["openai/gpt-5", 1, 0.0051],
      ["local/llama-4", 1, 0],
    ]);
    expect(await keys("profile")).toEqual([
      ["anthropic:work", 2, 0.0791],
      ["anthropic:team", 1, 0.018],
      ["openai:home", 1, 0.0051],
      ["env:LOCAL_API_KEY", 1, 0],
    ]);
    expect(await keys("chat")).toEqual([
      ["agent:main:main", 4, 0.0842],
      ["agent:main:telegram:group:-4101", 1, 0.018],
    ]);
    expect(await keys("agent")).toEqual([["main", 5, 0.1022]]);
  });

  it("--days, --agent and --all-agents choose which turns", async () => {
    const today = await json(dir, "--days", "1");
    expect([today.days, today.from, today.to, today.totals.turns, today.totals.costUsd]).toEqual([
      1,
      "2026-12-07",
      "2026-12-07",
      3,
      0.0971,
    ]);
    const sixty = await json(dir, "--days", "60");
    expect([sixty.from, sixty.totals.turns, sixty.totals.costUsd]).toEqual(["2026-10-09", 6, 1.1022]);
    const work = await json(dir, "--agent", "work", "--by", "chat");
    expect(work.rows).toEqual([row("agent:work:telegram:direct:1001", 1, 500, 100, 0.0009)]);
    const all = await json(dir, "--all-agents", "--by", "agent");
    expect(all.rows.map((x) => [x.key, x.turns])).toEqual([
      ["main", 5],
      ["work", 1],
    ]);
    expect(all.totals.costUsd).toBe(0.1031);
  });

  it("prints an aligned table with a totals line, and says unpriced turns are not free", async () => {
    const r = await cli(dir, "--by", "model");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "Usage cost: 30 days, 2026-11-08 to 2026-12-07 (UTC), agent main, by model",
      "MODEL                        TURNS  INPUT  OUTPUT  CACHE READ  CACHE WRITE  COST",
      "anthropic/claude-opus-5-5    1      2000   800     5000        1000         $0.07",
      "anthropic/claude-sonnet-5-5  2      4200   900     0           0            $0.03",
      "openai/gpt-5                 1      900    400     0           0            $0.0051",
      "local/llama-4                1      700    200     0           0            unpriced",
      "TOTAL                        5      7800   2300    5000        1000         $0.10 + 1 unpriced",
      "1 turn used a model without a price: counted in TURNS and tokens, never as free.",
      "",
    ]);
  });

  it("refuses a bad --days, --by or both agent flags with exit 1 and a clear line", async () => {
    for (const [args, message] of [
      [["--days", "0"], 'error: Invalid --days. Use an integer from 1 to 36500, e.g. --days 30. Received: "0".'],
      [["--days", "week"], 'error: Invalid --days. Use an integer from 1 to 36500, e.g. --days 30. Received: "week".'],
      [
        ["--days", "200000000"],
        'error: Invalid --days. Use an integer from 1 to 36500, e.g. --days 30. Received: "200000000".',
      ],
      [
        ["--by", "month"],
        'error: Invalid --by. Use one of day, provider, model, profile, chat, agent. Received: "month".',
      ],
      [["--agent", "work", "--all-agents"], "error: Use --agent or --all-agents, not both."],
    ] as const) {
      const r = await cli(dir, ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim()).toBe(message);
      expect(r.stdout).toBe("");
    }
    const j = await cli(dir, "--by", "month", "--json");
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: "bad_flag" } });
  });

  it("takes the largest --days it allows: a century back to today, the turn 40 days back among them", async () => {
    const r = await json(dir, "--days", "36500");
    expect(r).toMatchObject({ days: 36500, from: "1927-01-02", to: "2026-12-07" });
    expect(r.totals.turns).toBe(6);
  });
});

describe("openclaw gateway usage-cost with no session store yet", () => {
  it("prints an empty report and creates no store", async () => {
    const dir = stateDir();
    const r = await json(dir, "--by", "profile");
    expect(r).toEqual({ days: 30, from: "2026-11-08", to: "2026-12-07", totals: NO_USAGE, rows: [] });
    const text = await cli(dir);
    expect(text.stdout).toBe(
      "Usage cost: 30 days, 2026-11-08 to 2026-12-07 (UTC), agent main, by day\nNo model turns recorded.\n",
    );
    expect(fs.existsSync(sessionStateDir(dir))).toBe(false);
  });
});

describeRedis("openclaw gateway usage-cost (Redis)", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(() => redis.cleanup());

  it("reads the ledger from the Redis store that session.store names", async () => {
    const dir = stateDir({ session: { store: { kind: "redis", url: redis.url, keyPrefix: `usage-${process.pid}:` } } });
    await recordInState(dir);
    const r = await json(dir, "--all-agents", "--by", "profile");
    expect(r.totals).toMatchObject({ turns: 6, costUsd: 0.1031, unpricedTurns: 1 });
    expect(r.rows.map((x) => x.key)).toEqual(["anthropic:work", "anthropic:team", "openai:home", "env:LOCAL_API_KEY"]);
  });
});
