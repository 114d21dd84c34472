import { afterAll, describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../src/sessions/ledger.js";
import { openSessionStore } from "../../src/sessions/open.js";
import { entry } from "../sessions/ledger-contract.js";
import { removeSandboxes, sandbox, type Sandbox } from "./support.js";

afterAll(removeSandboxes);

const NOW = Date.parse("2027-01-15T08:00:00Z");
const clock = () => NOW;
const BUDGETS = {
  gateway: { monthly: { usd: 200, action: "refuse" } },
  profiles: { "anthropic:work": { daily: { usd: 5, action: "warn" } } },
  chats: {
    default: { daily: { usd: 2, action: "refuse" } },
    byChannel: { telegram: { "-100777": { daily: { usd: 10, action: "refuse" } } } },
  },
};

/** Records priced turns in the sandbox's SQLite ledger, as the gateway would have. */
async function spent(sb: Sandbox, entries: readonly Partial<LedgerEntry>[]): Promise<void> {
  const store = await openSessionStore({ config: {}, stateDir: sb.state, clock });
  try {
    for (const e of entries)
      await store.ledger.record(entry(NOW - 3_600_000, { sessionKey: "agent:main:main", costUsd: 1, ...e }));
  } finally {
    await store.close();
  }
}

describe("openclaw doctor on budgets", () => {
  it("shows each budget with its use this period and its reset, as notes", async () => {
    const sb = sandbox();
    sb.writeOwnConfig({ budgets: BUDGETS });
    await spent(sb, [
      { costUsd: 4.5 },
      { costUsd: 2.25, sessionKey: "agent:main:telegram:group:-100888" },
      // The chat with an override spent the most, but counts against its own limit only.
      { costUsd: 5, sessionKey: "agent:main:telegram:group:-100777", profileId: "anthropic:home" },
      // Last month: counted by no budget today.
      { costUsd: 50, at: Date.parse("2026-12-31T23:00:00Z") },
    ]);
    const r = await sb.run(["doctor"], { clock });
    const lines = r.stdout.split("\n").filter((l) => l.includes("budgets."));
    expect(lines).toEqual([
      "  i budgets.gateway.monthly: $200.00 monthly, refuse; $11.75 of $200.00 spent this month (UTC) (5%); resets at 2027-02-01 00:00 UTC",
      '  i budgets.profiles["anthropic:work"].daily: $5.00 daily, warn; $6.75 of $5.00 spent today (UTC) (135%, reached); resets at 2027-01-16 00:00 UTC',
      '  i budgets.chats.byChannel.telegram["-100777"].daily: $10.00 daily per chat, refuse; most spent: agent:main:telegram:group:-100777, $5.00 of $10.00 spent today (UTC) (50%); resets at 2027-01-16 00:00 UTC',
      "  i budgets.chats.default.daily: $2.00 daily per chat, refuse; most spent: agent:main:main, $4.50 of $2.00 spent today (UTC) (225%, reached); resets at 2027-01-16 00:00 UTC",
    ]);
  });

  it("without a session store yet, says nothing has been spent", async () => {
    const sb = sandbox();
    sb.writeOwnConfig({ budgets: { gateway: { daily: { usd: 1, action: "refuse" } } } });
    const r = await sb.run(["doctor", "--json"], { clock });
    const findings = (JSON.parse(r.stdout) as { findings: { check: string; message: string }[] }).findings;
    expect(findings.filter((f) => f.check === "budgets").map((f) => f.message)).toEqual([
      "budgets.gateway.daily: $1.00 daily, refuse; nothing spent yet (no session store); resets at 2027-01-16 00:00 UTC",
      // The built-in default model has no published price.
      "agent main: default model anthropic/claude-sonnet-5-5 has no price, so budgets cannot count its turns (a refuse limit refuses them, a warn limit never warns)",
    ]);
  });

  it("says nothing of prices when the default model has one", async () => {
    const sb = sandbox();
    sb.writeConfig({ agents: { defaults: { model: "anthropic/claude-sonnet-5" } } });
    sb.writeOwnConfig({ budgets: { gateway: { daily: { usd: 1, action: "refuse" } } } });
    const r = await sb.run(["doctor", "--json"], { clock });
    const findings = (JSON.parse(r.stdout) as { findings: { check: string; message: string }[] }).findings;
    expect(findings.filter((f) => f.message.includes("no price"))).toEqual([]);
  });

  it("warns that no budget can be reached while the ledger is off", async () => {
    const sb = sandbox();
    sb.writeOwnConfig({ usage: { ledger: false }, budgets: { gateway: { daily: { usd: 1, action: "refuse" } } } });
    const r = await sb.run(["doctor"], { clock });
    expect(r.stdout).toContain(
      "  ! usage.ledger is false, so no new turn is counted and no budget can be reached\n      fix: remove usage.ledger (or set it to true) in model-gateway.json, or remove budgets",
    );
    expect(r.code).toBe(1);
  });
});
