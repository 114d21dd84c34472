import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LedgerEntry, UsageFilter, UsageGroup, UsageLedger, UsageRow } from "../../src/sessions/ledger.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { scaled } from "../support/slowness.js";

/** One backend's ledger data, opened as often as a test needs (each open is a separate instance). */
export interface LedgerHarness {
  /** Opens the session store on the shared data, as another gateway instance (or a restart) would. */
  open(): Promise<SessionStore>;
  /** How many raw (not rolled-up) entries the backend keeps, read behind the ledger's back. */
  rawEntries(): Promise<number>;
  /** Closes what `open` opened and removes the data. */
  cleanup(): Promise<void>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Midnight UTC, 10 March 2026. */
const D0 = Date.UTC(2026, 2, 10);
const GROUPS: readonly UsageGroup[] = ["day", "provider", "model", "profile", "chat", "agent", "channel"];

let seq = 0;
/** A priced Anthropic turn in a Telegram chat with a new id, changed by `over`. */
export function entry(at: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id: `call-${++seq}`,
    at,
    channel: "telegram",
    sessionKey: "agent:main:telegram:direct:1",
    agentId: "main",
    provider: "anthropic",
    model: "anthropic/claude-opus-4-5",
    profileId: "anthropic:work",
    tokens: { input: 1000, output: 200, cacheRead: 50, cacheWrite: 10 },
    costUsd: 0.02,
    outcome: "ok",
    ...over,
  };
}

/** A row's numbers, with the cost rounded so float sums compare exactly. */
function rounded(row: UsageRow): UsageRow {
  return { ...row, costUsd: Math.round(row.costUsd * 1e9) / 1e9 };
}

/** Every answer the ledger gives for `filter`: the totals and each group's summary. */
async function answers(ledger: UsageLedger, filter: UsageFilter): Promise<unknown> {
  const totals = rounded({ key: "", ...(await ledger.totals(filter)) });
  const groups: Record<string, UsageRow[]> = {};
  for (const by of GROUPS) groups[by] = (await ledger.summarize(filter, by)).map(rounded);
  return { totals, groups };
}

/**
 * The usage ledger's contract (issue #30), run against every session store backend: idempotent
 * records, instances adding up, totals and summaries by every group and filter, UTC days, unpriced
 * turns, roll-up by day and footers that persist.
 */
export function usageLedgerContract(name: string, create: () => Promise<LedgerHarness>): void {
  describe(`${name} usage ledger contract`, () => {
    let h: LedgerHarness;
    let store: SessionStore;
    let ledger: UsageLedger;
    beforeEach(async () => {
      h = await create();
      store = await h.open();
      ledger = store.ledger;
    });
    afterEach(async () => {
      await h.cleanup();
    });
    const wholeDay = (day: number): UsageFilter => ({ from: D0 + day * DAY, to: D0 + (day + 1) * DAY });

    it("an empty ledger answers zeros and no rows", async () => {
      expect(await ledger.totals(wholeDay(0))).toEqual({
        turns: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        unpricedTurns: 0,
      });
      expect(await ledger.summarize(wholeDay(0), "model")).toEqual([]);
    });

    it("sums every count of the entries in the range", async () => {
      await ledger.record(entry(D0 + HOUR));
      await ledger.record(entry(D0 + 2 * HOUR, { tokens: { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 } }));
      const totals = await ledger.totals(wholeDay(0));
      expect({ ...totals, costUsd: totals.costUsd.toFixed(9) }).toEqual({
        turns: 2,
        inputTokens: 1001,
        outputTokens: 202,
        cacheReadTokens: 53,
        cacheWriteTokens: 14,
        costUsd: "0.040000000",
        unpricedTurns: 0,
      });
    });

    it("the same id twice counts once, from one instance or two", async () => {
      const other = (await h.open()).ledger;
      const e = entry(D0 + HOUR);
      await ledger.record(e);
      await ledger.record(e);
      await Promise.all([ledger.record(e), other.record(e), other.record(e)]);
      const totals = await ledger.totals(wholeDay(0));
      expect(totals.turns).toBe(1);
      expect(totals.inputTokens).toBe(1000);
    });

    it("two instances' turns add up, in the same daily row", async () => {
      const other = (await h.open()).ledger;
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => ledger.record(entry(D0 + i * HOUR))),
        ...Array.from({ length: 4 }, (_, i) => other.record(entry(D0 + i * HOUR + 1))),
      ]);
      for (const reader of [ledger, other]) {
        const rows = await reader.summarize(wholeDay(0), "model");
        expect(rows.map(rounded)).toEqual([
          {
            key: "anthropic/claude-opus-4-5",
            turns: 9,
            inputTokens: 9000,
            outputTokens: 1800,
            cacheReadTokens: 450,
            cacheWriteTokens: 90,
            costUsd: 0.18,
            unpricedTurns: 0,
          },
        ]);
      }
    });

    it("a summary asked again shows this instance's turn at once, another's once the store has seen it", async () => {
      const other = (await h.open()).ledger;
      const turns = async () => (await ledger.summarize(wholeDay(0), "profile")).map((r) => [r.key, r.turns]);
      expect(await turns()).toEqual([]);
      await ledger.record(entry(D0 + HOUR));
      expect(await turns()).toEqual([["anthropic:work", 1]]);
      await other.record(entry(D0 + 2 * HOUR));
      await expect.poll(turns, { timeout: scaled(10_000) }).toEqual([["anthropic:work", 2]]);
      await other.record(entry(D0 + 3 * HOUR, { profileId: "anthropic:ci" }));
      await expect.poll(turns, { timeout: scaled(10_000) }).toEqual([
        ["anthropic:work", 2],
        ["anthropic:ci", 1],
      ]);
      // Totals, which budgets check, never wait.
      await other.record(entry(D0 + 4 * HOUR));
      expect((await ledger.totals(wholeDay(0))).turns).toBe(4);
    });

    it("an unpriced turn is counted as unpriced, never as free", async () => {
      await ledger.record(entry(D0 + HOUR, { costUsd: 0.5 }));
      await ledger.record(entry(D0 + HOUR, { costUsd: undefined, model: "local/llama" }));
      await ledger.record(entry(D0 + HOUR, { costUsd: 0, model: "openai/free-tier" }));
      const totals = await ledger.totals(wholeDay(0));
      expect(totals).toMatchObject({ turns: 3, costUsd: 0.5, unpricedTurns: 1 });
      const rows = await ledger.summarize(wholeDay(0), "model");
      expect(rows.map((r) => [r.key, r.turns, r.costUsd, r.unpricedTurns])).toEqual([
        ["anthropic/claude-opus-4-5", 1, 0.5, 0],
        ["local/llama", 1, 0, 1],
        ["openai/free-tier", 1, 0, 0],
      ]);
    });

    it("an entry at 23:59:59.999Z and one at 00:00Z fall on different UTC days", async () => {
      const midnight = D0 + DAY;
      await ledger.record(entry(midnight - 1, { costUsd: 1 }));
      await ledger.record(entry(midnight, { costUsd: 2 }));
      expect((await ledger.totals(wholeDay(0))).costUsd).toBe(1);
      expect((await ledger.totals(wholeDay(1))).costUsd).toBe(2);
      const days = await ledger.summarize({ from: D0, to: D0 + 2 * DAY }, "day");
      expect(days.map((r) => [r.key, r.costUsd])).toEqual([
        ["2026-03-10", 1],
        ["2026-03-11", 2],
      ]);
      // A range that is not day-aligned counts exactly the entries inside it.
      expect((await ledger.totals({ from: midnight - 1, to: midnight })).costUsd).toBe(1);
      expect((await ledger.totals({ from: midnight - HOUR, to: midnight + HOUR })).turns).toBe(2);
      expect((await ledger.totals({ from: midnight + 1, to: midnight + HOUR })).turns).toBe(0);
    });

    describe("summaries and filters", () => {
      beforeEach(async () => {
        // Two chats, two agents, two providers, three profiles, two channels, over three days.
        await ledger.record(entry(D0 + HOUR, { costUsd: 0.1 }));
        await ledger.record(entry(D0 + DAY + HOUR, { costUsd: 0.3, profileId: "anthropic:home" }));
        await ledger.record(
          entry(D0 + DAY + 2 * HOUR, {
            channel: "discord",
            sessionKey: "agent:ops:discord:channel:9",
            agentId: "ops",
            provider: "openai",
            model: "openai/gpt-5",
            profileId: "openai:team",
            costUsd: 0.5,
          }),
        );
        await ledger.record(
          entry(D0 + 2 * DAY + HOUR, {
            channel: "discord",
            sessionKey: "agent:ops:discord:channel:9",
            agentId: "ops",
            costUsd: undefined,
          }),
        );
      });
      const all: UsageFilter = { from: D0, to: D0 + 3 * DAY };
      const keysOf = async (filter: UsageFilter, by: UsageGroup) =>
        (await ledger.summarize(filter, by)).map((r) => [r.key, r.turns, Number(r.costUsd.toFixed(9))]);

      it("groups by every dimension, largest cost first and days oldest first", async () => {
        expect(await keysOf(all, "day")).toEqual([
          ["2026-03-10", 1, 0.1],
          ["2026-03-11", 2, 0.8],
          ["2026-03-12", 1, 0],
        ]);
        expect(await keysOf(all, "provider")).toEqual([
          ["openai", 1, 0.5],
          ["anthropic", 3, 0.4],
        ]);
        expect(await keysOf(all, "model")).toEqual([
          ["openai/gpt-5", 1, 0.5],
          ["anthropic/claude-opus-4-5", 3, 0.4],
        ]);
        expect(await keysOf(all, "profile")).toEqual([
          ["openai:team", 1, 0.5],
          ["anthropic:home", 1, 0.3],
          ["anthropic:work", 2, 0.1],
        ]);
        expect(await keysOf(all, "chat")).toEqual([
          ["agent:ops:discord:channel:9", 2, 0.5],
          ["agent:main:telegram:direct:1", 2, 0.4],
        ]);
        expect(await keysOf(all, "agent")).toEqual([
          ["ops", 2, 0.5],
          ["main", 2, 0.4],
        ]);
        expect(await keysOf(all, "channel")).toEqual([
          ["discord", 2, 0.5],
          ["telegram", 2, 0.4],
        ]);
      });

      it("filters by chat, agent, profile and provider, alone and together", async () => {
        expect(await keysOf({ ...all, sessionKey: "agent:ops:discord:channel:9" }, "model")).toEqual([
          ["openai/gpt-5", 1, 0.5],
          ["anthropic/claude-opus-4-5", 1, 0],
        ]);
        expect(await keysOf({ ...all, agentId: "main" }, "day")).toEqual([
          ["2026-03-10", 1, 0.1],
          ["2026-03-11", 1, 0.3],
        ]);
        expect(await keysOf({ ...all, profileId: "anthropic:work" }, "chat")).toEqual([
          ["agent:main:telegram:direct:1", 1, 0.1],
          ["agent:ops:discord:channel:9", 1, 0],
        ]);
        expect(await keysOf({ ...all, provider: "anthropic", agentId: "ops" }, "profile")).toEqual([
          ["anthropic:work", 1, 0],
        ]);
        expect((await ledger.totals({ ...all, provider: "openai", agentId: "main" })).turns).toBe(0);
        // The same filters on a partial range, answered from the raw entries.
        expect(await keysOf({ from: D0 + DAY + 90 * 60_000, to: D0 + 3 * DAY, agentId: "ops" }, "provider")).toEqual([
          ["openai", 1, 0.5],
          ["anthropic", 1, 0],
        ]);
      });
    });

    it("a roll-up folds old raw entries by day and changes no answer for a day-aligned range", async () => {
      const kinds: Array<Partial<LedgerEntry>> = [
        {},
        { costUsd: undefined, model: "local/llama", provider: "local", profileId: "local:default" },
        { channel: "discord", sessionKey: "agent:ops:discord:channel:9", agentId: "ops", costUsd: 0.7 },
      ];
      let n = 0;
      for (let day = 0; day < 5; day++) {
        for (const [i, kind] of kinds.entries()) {
          await ledger.record(entry(D0 + day * DAY + (i + 1) * 5 * HOUR + day, kind));
          n++;
        }
      }
      const filters: UsageFilter[] = [
        { from: D0 - DAY, to: D0 + 6 * DAY },
        { from: D0 + DAY, to: D0 + 2 * DAY },
        { from: D0 + 2 * DAY, to: D0 + 4 * DAY, agentId: "ops" },
        { from: D0, to: D0 + 5 * DAY, provider: "local" },
        { from: D0, to: D0 + 3 * DAY, sessionKey: "agent:main:telegram:direct:1", profileId: "anthropic:work" },
      ];
      const before = await Promise.all(filters.map((f) => answers(ledger, f)));
      expect(await h.rawEntries()).toBe(n);

      // Mid-day: only whole days before it fold; the third day stays raw.
      expect(await ledger.rollUp(D0 + 3 * DAY - 1)).toBe(6);
      expect(await h.rawEntries()).toBe(n - 6);
      expect(await ledger.rollUp(D0 + 3 * DAY - 1)).toBe(0);
      expect(await Promise.all(filters.map((f) => answers(ledger, f)))).toEqual(before);
      // Another instance sees the same answers.
      const other = (await h.open()).ledger;
      expect(await Promise.all(filters.map((f) => answers(other, f)))).toEqual(before);
      // Days not rolled up still answer a partial range exactly.
      expect((await ledger.totals({ from: D0 + 3 * DAY, to: D0 + 3 * DAY + 12 * HOUR })).turns).toBe(2);
    });

    it("footers persist across a restart and are seen by another instance", async () => {
      const chat = "agent:main:telegram:direct:1";
      expect(await ledger.footer(chat)).toBe("off");
      await ledger.setFooter(chat, "tokens");
      await ledger.setFooter("agent:main:discord:channel:2", "full");
      const other = (await h.open()).ledger;
      expect(await other.footer(chat)).toBe("tokens");
      await other.setFooter(chat, "full");
      expect(await ledger.footer(chat)).toBe("full");
      await store.close();
      const restarted = (await h.open()).ledger;
      expect(await restarted.footer(chat)).toBe("full");
      expect(await restarted.footer("agent:main:discord:channel:2")).toBe("full");
      await restarted.setFooter(chat, "off");
      expect(await other.footer(chat)).toBe("off");
      expect(await other.footer("agent:main:telegram:direct:404")).toBe("off");
    });

    it("entries persist across a restart", async () => {
      await ledger.record(entry(D0 + HOUR));
      await store.close();
      expect((await (await h.open()).ledger.totals(wholeDay(0))).turns).toBe(1);
    });
  });
}
