import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chatLimits, turnLimits, profileLimits, type BudgetsConfig } from "../../src/config/budgets.js";
import type { ChatAddress } from "../../src/config/by-channel.js";
import { loadConfig } from "../../src/config/load.js";
import { legacyKeys, migrateLegacy } from "../../src/config/own-settings.js";
import { unknownKeys } from "../../src/config/known-keys.js";

function files(openclaw: object, own: object): { file: string; ownFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "budgets-config-"));
  const file = path.join(dir, "openclaw.json");
  const ownFile = path.join(dir, "model-gateway.json");
  fs.writeFileSync(file, JSON.stringify(openclaw));
  fs.writeFileSync(ownFile, JSON.stringify(own));
  return { file, ownFile };
}

const BUDGETS = {
  gateway: { monthly: { usd: 500, action: "refuse" } },
  agents: { main: { daily: { usd: 20, action: "warn" } } },
  profiles: { "anthropic:work": { daily: { usd: 5, action: "refuse" } } },
  chats: {
    default: { daily: { usd: 1, action: "refuse" }, monthly: { usd: 10, action: "refuse" } },
    byChannel: {
      telegram: { "-1001234567890": { daily: { usd: 3, action: "warn" } }, "-1001234567890:topic:99": {} },
      discord: { "987654321": { monthly: { usd: 50, action: "refuse" } } },
    },
  },
  fallbacks: { allowPricier: true },
} as const satisfies BudgetsConfig;

const group = (channel: string, chatId: string, threadId?: string): ChatAddress => ({
  channel,
  chatId,
  ...(threadId !== undefined ? { threadId } : {}),
  sender: { id: "42" },
  isGroup: true,
});

describe("budgets in model-gateway.json", () => {
  it("are ours: read from our file, and OpenClaw's file never needs them", () => {
    const { file, ownFile } = files({}, { budgets: BUDGETS });
    const loaded = loadConfig(file, { ownFile });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.budgets?.chats?.default?.daily).toEqual({ usd: 1, action: "refuse" });
  });

  it("refuse a misspelt key, a missing action and a limit of 0, naming the key", () => {
    const bad = (budgets: object) => {
      const { file, ownFile } = files({}, { budgets });
      return () => loadConfig(file, { ownFile });
    };
    expect(bad({ gateway: { dialy: { usd: 1, action: "refuse" } } })).toThrow(
      /budgets\.gateway: Unrecognized key: "dialy"/,
    );
    expect(bad({ gateway: { daily: { usd: 1 } } })).toThrow(
      /budgets\.gateway\.daily\.action: expected "refuse" or "warn"/,
    );
    expect(bad({ agents: { main: { daily: { usd: 0, action: "warn" } } } })).toThrow(
      /budgets\.agents\.main\.daily\.usd: expected a limit in USD above 0/,
    );
  });

  it("in openclaw.json are a key OpenClaw refuses, which doctor --fix moves to our file", () => {
    const raw = { budgets: BUDGETS };
    expect(legacyKeys(raw, { stateDir: os.tmpdir() }).map((k) => k.key)).toEqual(["budgets"]);
    expect(unknownKeys(raw)).toEqual([]);
    const own: Record<string, unknown> = {};
    migrateLegacy(raw, own, { stateDir: os.tmpdir() });
    expect(raw).toEqual({});
    expect(own.budgets).toEqual(BUDGETS);
  });
});

describe("the limits that apply", () => {
  it("give every chat the default, each its own, and a named chat its override instead", () => {
    expect(
      chatLimits(BUDGETS, "agent:main:main", {
        channel: "console",
        chatId: "local",
        sender: { id: "local" },
        isGroup: false,
      }),
    ).toEqual([
      {
        scope: "chat",
        subject: "agent:main:main",
        period: "daily",
        usd: 1,
        action: "refuse",
        key: "budgets.chats.default.daily",
      },
      {
        scope: "chat",
        subject: "agent:main:main",
        period: "monthly",
        usd: 10,
        action: "refuse",
        key: "budgets.chats.default.monthly",
      },
    ]);
    // The override replaces the default whole: no monthly limit for this chat.
    const key = "agent:main:telegram:group:-1001234567890";
    expect(chatLimits(BUDGETS, key, group("telegram", "-1001234567890"))).toEqual([
      {
        scope: "chat",
        subject: key,
        period: "daily",
        usd: 3,
        action: "warn",
        key: 'budgets.chats.byChannel.telegram["-1001234567890"].daily',
      },
    ]);
  });

  it("match named chats in the key forms of channels.modelByChannel", () => {
    // A topic's own key wins over its chat's (an empty one: that topic has no limit at all).
    expect(chatLimits(BUDGETS, "t", group("telegram", "-1001234567890", "99"))).toEqual([]);
    // Another topic of the chat falls back to the chat's key.
    expect(chatLimits(BUDGETS, "t", group("telegram", "-1001234567890", "7")).map((l) => l.key)).toEqual([
      'budgets.chats.byChannel.telegram["-1001234567890"].daily',
    ]);
    // A DM is keyed by the peer's id; the same id in a group is not that DM.
    const dm: ChatAddress = { channel: "discord", chatId: "dm-channel-1", sender: { id: "987654321" }, isGroup: false };
    expect(chatLimits(BUDGETS, "d", dm).map((l) => l.key)).toEqual([
      'budgets.chats.byChannel.discord["987654321"].monthly',
    ]);
    expect(chatLimits(BUDGETS, "g", { ...dm, chatId: "555", isGroup: true }).map((l) => l.key)).toEqual([
      "budgets.chats.default.daily",
      "budgets.chats.default.monthly",
    ]);
  });

  it("add the agent's and the gateway's to a turn; a profile's are asked per credential", () => {
    const keys = turnLimits(BUDGETS, {
      sessionKey: "agent:main:main",
      agentId: "main",
      chat: { channel: "console", chatId: "local", sender: { id: "local" }, isGroup: false },
    }).map((l) => l.key);
    expect(keys).toEqual([
      "budgets.chats.default.daily",
      "budgets.chats.default.monthly",
      "budgets.agents.main.daily",
      "budgets.gateway.monthly",
    ]);
    expect(profileLimits(BUDGETS, "anthropic:work").map((l) => l.key)).toEqual([
      'budgets.profiles["anthropic:work"].daily',
    ]);
    expect(profileLimits(BUDGETS, "anthropic:home")).toEqual([]);
  });
});
