/** `openclaw models status` shows each profile's spend today from the usage ledger, in text and in `--json`. */
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordInState, runAtSpendNow } from "../support/ledger.js";
import { writeStateDir } from "../support/state.js";

const KEY = `sk-ant-api03-${"K".repeat(40)}wk01`;
const TEAM = `sk-ant-api03-${"T".repeat(40)}tm02`;
const dir = writeStateDir({
  prefix: "openclaw-status-spend-",
  config: {},
  authProfiles: {
    version: 1,
    profiles: {
      "anthropic:work": { type: "api_key", provider: "anthropic", key: KEY },
      "anthropic:team": { type: "api_key", provider: "anthropic", key: TEAM },
      "anthropic:idle": { type: "api_key", provider: "anthropic", key: KEY.replace("wk01", "id03") },
    },
  },
});
beforeAll(() => recordInState(dir));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const status = (...args: string[]) => runAtSpendNow(dir, ["models", "status", ...args]);

interface Candidate {
  id: string;
  turnsToday: number;
  spentTodayUsd: number;
  unpricedTurnsToday: number;
}

it("--json: turnsToday, spentTodayUsd and unpricedTurnsToday on every candidate", async () => {
  const r = await status("--json");
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { auth: { providers: { provider: string; candidates: Candidate[] }[] } };
  const anthropic = report.auth.providers.find((p) => p.provider === "anthropic");
  const spend = Object.fromEntries(
    (anthropic?.candidates ?? []).map((c) => [c.id, [c.turnsToday, c.spentTodayUsd, c.unpricedTurnsToday]]),
  );
  expect(spend).toEqual({
    "anthropic:work": [2, 0.0791, 0],
    "anthropic:team": [1, 0.018, 0],
    "anthropic:idle": [0, 0, 0],
  });
});

it("text: `today $…` after each profile that paid for turns today", async () => {
  const lines = (await status()).stdout.split("\n");
  expect(lines.find((l) => l.includes(" anthropic:work  api_key"))).toMatch(/static\s+no expiry\s+today \$0\.08$/);
  expect(lines.find((l) => l.includes(" anthropic:team  api_key"))).toMatch(/today \$0\.02$/);
  expect(lines.find((l) => l.includes(" anthropic:idle  api_key"))).toMatch(/no expiry$/);
});
