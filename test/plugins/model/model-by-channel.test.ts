import { afterEach, describe, expect, test } from "vitest";
import { createHarness, defaultProfiles, type Harness, type Who } from "./services.js";

// OpenClaw's own example forms (its "shared channel policies" page): a Telegram group, one of its
// forum topics, a DM peer; a Discord channel and `*` for every other chat of a channel.
const CONFIG = {
  agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
  channels: {
    modelByChannel: {
      telegram: {
        "-1001234567890": "anthropic/claude-opus-4-6",
        "-1001234567890:topic:99": "anthropic/claude-haiku-5-5",
        "123456789": "openai/gpt-5.4",
      },
      discord: { "555000111": "opus", "*": "anthropic/claude-opus-4-8" },
    },
  },
  // `/model status` in a group shows credentials: the senders below are owners, as they must be.
  commands: { ownerAllowFrom: ["telegram:7", "telegram:123456789", "discord:9"] },
};

const GROUP: Who = { channel: "telegram", isGroup: true, chatId: "-1001234567890", senderId: "7" };
const TOPIC: Who = { ...GROUP, threadId: "99" };
const OTHER_TOPIC: Who = { ...GROUP, threadId: "100" };
const DM: Who = { channel: "telegram", isGroup: false, senderId: "123456789" };

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function firstLine(who: Who): Promise<string> {
  return (await h.text("/model status", who)).text.split("\n")[0] ?? "";
}

describe("channels.modelByChannel", () => {
  test("a topic, its group, a DM peer: the most specific key wins, and /model status names it", async () => {
    h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
    expect(await firstLine(TOPIC)).toBe(
      'Model: anthropic/claude-haiku-5-5 (haiku) — set for this chat by channels.modelByChannel.telegram["-1001234567890:topic:99"]',
    );
    expect(await firstLine(OTHER_TOPIC)).toBe(
      'Model: anthropic/claude-opus-4-6 — set for this chat by channels.modelByChannel.telegram["-1001234567890"]',
    );
    expect(await firstLine(GROUP)).toContain('channels.modelByChannel.telegram["-1001234567890"]');
    expect(await firstLine(DM)).toBe(
      'Model: openai/gpt-5.4 (gpt) — set for this chat by channels.modelByChannel.telegram["123456789"]',
    );
  });

  test("a DM peer's key does not follow that person into a group", async () => {
    h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
    const inOtherGroup: Who = { channel: "telegram", isGroup: true, chatId: "-42", senderId: "123456789" };
    expect(await firstLine(inOtherGroup)).toBe(
      "Model: anthropic/claude-sonnet-5-5 (sonnet) — the default (agents.defaults.model)",
    );
  });

  test("an alias is read through the catalog; `*` covers the channel's other chats; a thread uses its parent's key", async () => {
    h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
    const channel: Who = { channel: "discord", isGroup: true, chatId: "555000111", senderId: "9" };
    expect(await firstLine(channel)).toBe(
      'Model: anthropic/claude-opus-5-5 (opus) — set for this chat by channels.modelByChannel.discord["555000111"]',
    );
    expect(await firstLine({ ...channel, threadId: "777" })).toContain('channels.modelByChannel.discord["555000111"]');
    expect(await firstLine({ ...channel, chatId: "999" })).toBe(
      'Model: anthropic/claude-opus-4-8 — set for this chat by channels.modelByChannel.discord["*"]',
    );
  });

  test("a /model choice of the chat wins over the channel's model, and /model default goes back to it", async () => {
    h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
    await h.text("/model sonnet", TOPIC);
    const status = (await h.text("/model status", TOPIC)).text.split("\n");
    expect(status[0]).toMatch(/^Model: anthropic\/claude-sonnet-5-5 \(sonnet\) — chosen for this chat/);
    expect(status[1]).toBe(
      'Default: anthropic/claude-haiku-5-5 (haiku) — set for this chat by channels.modelByChannel.telegram["-1001234567890:topic:99"]',
    );
    await h.text("/model default", TOPIC);
    expect(await firstLine(TOPIC)).toContain("anthropic/claude-haiku-5-5 (haiku) — set for this chat by");
  });
});
