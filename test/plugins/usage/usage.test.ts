/**
 * `/usage`: the footer setting (kept in the real SQLite store across a restart) and the spend the
 * ledger recorded, on the console and on Telegram (grammY against the fake Bot API), with turns
 * written into the ledger as the gateway's chat step writes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleConsoleLine } from "../../../src/channels/console/index.js";
import type { LedgerEntry } from "../../../src/sessions/ledger.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { usagePlugin } from "../../../plugins/usage/index.js";
import { testClock } from "../../chat/harness.js";
import { GROUP_CHAT, MAIN_CHAT, recordAll, SPEND, SPEND_NOW } from "../../support/ledger.js";
import { createTestGateway, type TestGateway } from "../../support/gateway.js";
import { readmeOutput } from "../../support/readme.js";
import {
  ask,
  button,
  buttonsOf,
  lastBotMessageId,
  nextMessage,
  startHarness,
  textOf,
  type Harness,
} from "../../channels/telegram/harness.js";

const plugins = () => [modelPlugin, usagePlugin];

describe("/usage on the console", () => {
  let gw: TestGateway;
  const start = (stateDir?: string) =>
    createTestGateway({ plugins: plugins(), clock: testClock(SPEND_NOW), ...(stateDir ? { stateDir } : {}) });
  beforeAll(async () => {
    gw = await start();
    await recordAll(gw.services.sessions.ledger);
  });
  afterAll(() => gw.close());
  const say = async (line: string) => (await handleConsoleLine(gw.host, line)).join("\n---\n");

  it("/usage shows this chat's footer and the options; /usage full is remembered across a restart", async () => {
    expect((await say("/usage")).split("\n")).toEqual([
      "Usage footer in this chat: off (no footer).",
      "",
      "/usage off — no footer",
      "/usage tokens — input and output tokens under each answer",
      "/usage full — tokens and the estimated cost under each answer",
      "/usage cost — this chat's spend today and in the last 30 days",
      "/usage cost all — every chat, agent and profile",
    ]);
    expect(await say("/usage full")).toBe(
      "Usage footer in this chat: full (tokens and the estimated cost under each answer).",
    );
    await gw.close();
    gw = await start(gw.stateDir);
    expect(await say("/usage")).toMatch(/^Usage footer in this chat: full \(/);
    expect(await gw.services.sessions.ledger.footer(MAIN_CHAT)).toBe("full");
    expect(await say("/usage TOKENS")).toMatch(/^Usage footer in this chat: tokens \(/);
    expect(await gw.services.sessions.ledger.footer(GROUP_CHAT)).toBe("off");
  });

  it("/usage cost: this chat today and in 30 days, by model and by profile, unpriced turns counted", async () => {
    const lines = (await say("/usage cost")).split("\n");
    expect(readmeOutput("> /usage cost")).toEqual(lines);
    expect(lines).toEqual([
      "Usage cost for this chat (UTC days)",
      "Today: $0.08 · 2 turns · 3.2k in / 1.1k out · cache 5k read / 1k write",
      "Last 30 days: $0.08 + 1 unpriced · 4 turns · 4.8k in / 1.7k out · cache 5k read / 1k write",
      "1 turn used a model without a price (cost in the catalog or models.providers): counted, never as free.",
      "",
      "By model",
      "anthropic/claude-opus-5-5: today $0.07, 1 turn · 30d $0.07, 1 turn",
      "anthropic/claude-sonnet-5-5: today $0.0081, 1 turn · 30d $0.0081, 1 turn",
      "openai/gpt-5: today none · 30d $0.0051, 1 turn",
      "local/llama-4: today none · 30d unpriced, 1 turn",
      "",
      "By profile",
      "anthropic:work: today $0.08, 2 turns · 30d $0.08, 2 turns",
      "openai:home: today none · 30d $0.0051, 1 turn",
      "env:LOCAL_API_KEY: today none · 30d unpriced, 1 turn",
    ]);
  });

  it("/usage cost all: every chat, agent and profile (the console user is an owner)", async () => {
    const text = await say("/usage cost all");
    expect(text.split("\n").slice(0, 3)).toEqual([
      "Usage cost, every chat (UTC days)",
      "Today: $0.10 · 3 turns · 6.2k in / 1.7k out · cache 5k read / 1k write",
      "Last 30 days: $0.10 + 1 unpriced · 6 turns · 8.3k in / 2.4k out · cache 5k read / 1k write",
    ]);
    for (const line of [
      "By agent",
      "main: today $0.10, 3 turns · 30d $0.10 + 1 unpriced, 5 turns",
      "work: today none · 30d $0.0009, 1 turn",
      "anthropic:team: today $0.02, 1 turn · 30d $0.02, 1 turn",
      "anthropic:work: today $0.08, 2 turns · 30d $0.08, 3 turns",
      "By chat",
      "agent:main:main: today $0.08, 2 turns · 30d $0.08 + 1 unpriced, 4 turns",
      "agent:work:telegram:direct:1001: today none · 30d $0.0009, 1 turn",
    ])
      expect(text.split("\n")).toContain(line);
    // 40 days back is outside the 30 days.
    expect(text).not.toContain("$1.");
  });

  it("a word /usage does not know is answered with the forms it does know", async () => {
    expect(await say("/usage cost everything")).toBe(
      '"/usage cost everything" is not something /usage does.\nUse /usage off, /usage tokens, /usage full, /usage cost or /usage cost all.',
    );
  });
});

describe("/usage on Telegram", () => {
  const ALICE = { id: 1001, first_name: "Alice" }; // owner
  const BOB = { id: 1002, first_name: "Bob" }; // may use commands, no owner
  const BOB_DM = { id: BOB.id, type: "private" } as const;
  const ALICE_DM = { id: ALICE.id, type: "private" } as const;
  const GROUP = { id: -4101, type: "group" } as const;
  let t: Harness;
  beforeAll(async () => {
    t = await startHarness({
      config: { commands: { allowFrom: { telegram: ["1002"] }, ownerAllowFrom: ["telegram:1001"] } },
      plugins: plugins(),
      clock: testClock(SPEND_NOW),
    });
    await recordAll(t.gateway.services.sessions.ledger);
  });
  afterAll(() => t.close());

  it("a button per footer setting runs /usage <setting> for the presser", async () => {
    expect((await ask(t, BOB_DM, BOB, "/usage")).text).toMatch(/^Usage footer in this chat: off/);
    const menu = lastBotMessageId(t, BOB_DM.id);
    expect(buttonsOf(t.fake, BOB_DM.id, menu).map(([label]) => label)).toEqual(["✓ off", "tokens", "full"]);
    t.fake.pressButton({ chatId: BOB_DM.id, messageId: menu, from: BOB, data: button(t, BOB_DM.id, menu, "tokens") });
    expect(textOf(await nextMessage(t.fake, BOB_DM.id))).toMatch(/^Usage footer in this chat: tokens \(/);
  });

  it("/usage cost all is for owners only; a non-owner gets a clear refusal", async () => {
    expect((await ask(t, BOB_DM, BOB, "/usage cost all")).text).toBe(
      "/usage cost all shows the spend of every chat, agent and credential, so only an owner may see it.\nSend /usage cost for this chat's spend.",
    );
    const owner = await ask(t, GROUP, ALICE, "/usage cost all");
    expect(owner.text).toContain("By chat\nagent:main:main: today $0.08");
  });

  it("in a group only owners see which profiles paid, as in /model status", async () => {
    const guest = (await ask(t, GROUP, BOB, "/usage cost")).text;
    expect(guest).toContain("By model\nanthropic/claude-sonnet-5-5: today $0.02, 1 turn · 30d $0.02, 1 turn");
    expect(guest).toContain("By profile: only owners see which profiles paid in a group; ask me in a direct message.");
    expect(guest).not.toContain("anthropic:team");
    const owner = (await ask(t, GROUP, ALICE, "/usage cost")).text;
    expect(owner).toContain("By profile\nanthropic:team: today $0.02, 1 turn · 30d $0.02, 1 turn");
  });

  it("with hundreds of chats the reply fits Telegram's 4096 and Discord's 2000, largest first, the rest counted", async () => {
    const many: LedgerEntry[] = Array.from({ length: 300 }, (_, i) => ({
      ...(SPEND[0] as LedgerEntry),
      id: `many-${i}`,
      sessionKey: `agent:main:telegram:direct:${5000 + i}`,
      costUsd: 0.001 * (i + 1),
    }));
    await recordAll(t.gateway.services.sessions.ledger, many);
    const text = (await ask(t, ALICE_DM, ALICE, "/usage cost all")).text;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain("By agent\nmain:");
    expect(text).toContain("By profile\nanthropic:work:");
    expect(text).toContain("By chat\nagent:main:telegram:direct:5299: today $0.30, 1 turn");
    expect(text).toMatch(/\n… \d+ more \(openclaw gateway usage-cost --by chat\)$/);

    const discord = await t.gateway.host.handleCommand(
      {
        channel: "console",
        chatId: "local",
        sender: { id: "local" },
        isGroup: false,
        command: "usage",
        args: "cost all",
        via: "native",
      },
      { maxLength: 2000, buttons: true, ephemeral: true },
    );
    expect(discord?.text.length).toBeLessThanOrEqual(2000);
    expect(discord?.text).toContain("By chat\nagent:main:telegram:direct:5299");
  });
});
