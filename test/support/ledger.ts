import type { LedgerEntry, UsageLedger } from "../../src/sessions/ledger.js";
import { assembleState } from "./assembly.js";
import { runInProcess, type InProcessResult } from "./in-process-cli.js";

/** The moment the spend below is looked at: 7 December 2026, 15:00 UTC. */
export const SPEND_NOW = Date.UTC(2026, 11, 7, 15, 0);
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The console's chat (and a DM's with dmScope main). */
export const MAIN_CHAT = "agent:main:main";
export const GROUP_CHAT = "agent:main:telegram:group:-4101";

function entry(id: string, over: Partial<LedgerEntry> & Pick<LedgerEntry, "at">): LedgerEntry {
  return {
    id,
    channel: "console",
    sessionKey: MAIN_CHAT,
    agentId: "main",
    provider: "anthropic",
    model: "anthropic/claude-sonnet-5-5",
    profileId: "anthropic:work",
    tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    outcome: "ok",
    ...over,
  };
}

/**
 * A month of turns up to `now` as the gateway records them: two models and a cache hit today in the
 * main chat, OpenAI yesterday, an unpriced local model three days ago, a group chat with another
 * profile, the `work` agent, and one turn 40 days back (outside the default 30 days). `now` is at
 * least 6 hours into its UTC day.
 */
export function spendUpTo(now: number): LedgerEntry[] {
  return [
    entry("t1", {
      at: now - 6 * HOUR,
      tokens: { input: 1200, output: 300, cacheRead: 0, cacheWrite: 0 },
      costUsd: 0.0081,
    }),
    entry("t2", {
      at: now - 5 * HOUR,
      model: "anthropic/claude-opus-5-5",
      tokens: { input: 2000, output: 800, cacheRead: 5000, cacheWrite: 1000 },
      costUsd: 0.071,
    }),
    entry("t3", {
      at: now - DAY,
      provider: "openai",
      model: "openai/gpt-5",
      profileId: "openai:home",
      tokens: { input: 900, output: 400, cacheRead: 0, cacheWrite: 0 },
      costUsd: 0.0051,
    }),
    entry("t4", {
      at: now - 3 * DAY,
      provider: "local",
      model: "local/llama-4",
      profileId: "env:LOCAL_API_KEY",
      tokens: { input: 700, output: 200, cacheRead: 0, cacheWrite: 0 },
    }),
    entry("t5", {
      at: now - 2 * HOUR,
      channel: "telegram",
      sessionKey: GROUP_CHAT,
      profileId: "anthropic:team",
      tokens: { input: 3000, output: 600, cacheRead: 0, cacheWrite: 0 },
      costUsd: 0.018,
    }),
    entry("t6", {
      at: now - 2 * DAY,
      channel: "telegram",
      sessionKey: "agent:work:telegram:direct:1001",
      agentId: "work",
      model: "anthropic/claude-haiku-5-5",
      tokens: { input: 500, output: 100, cacheRead: 0, cacheWrite: 0 },
      costUsd: 0.0009,
    }),
    entry("t7", {
      at: now - 40 * DAY,
      tokens: { input: 10_000, output: 5000, cacheRead: 0, cacheWrite: 0 },
      costUsd: 1,
    }),
  ];
}

/** {@link spendUpTo} {@link SPEND_NOW}: what the tests and the README show. */
export const SPEND: readonly LedgerEntry[] = spendUpTo(SPEND_NOW);

/** Records every entry of `entries` in `ledger`, as the gateway's chat step would. */
export async function recordAll(ledger: UsageLedger, entries: readonly LedgerEntry[] = SPEND): Promise<void> {
  for (const e of entries) await ledger.record(e);
}

/** Records `entries` in the session store of `stateDir` (created if missing), as a gateway there would. */
export async function recordInState(stateDir: string, entries: readonly LedgerEntry[] = SPEND): Promise<void> {
  const app = assembleState(stateDir);
  try {
    await recordAll((await app.sessions()).ledger, entries);
  } finally {
    await app.close();
  }
}

/** Runs `openclaw <args>` in-process over `stateDir` at {@link SPEND_NOW}. */
export function runAtSpendNow(stateDir: string, args: readonly string[]): Promise<InProcessResult> {
  return runInProcess(args, {
    env: { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir },
    cwd: stateDir,
    clock: () => SPEND_NOW,
  });
}
