import { describe, expect, it } from "vitest";
import { sessionKeys, type DmScope, type SessionTarget } from "../../src/sessions/keys.js";

const dm = (channel: string, senderId: string): SessionTarget => ({
  agentId: "main",
  channel,
  chatId: senderId,
  senderId,
  isGroup: false,
});
const group = (channel: string, chatId: string, threadId?: string): SessionTarget => ({
  agentId: "main",
  channel,
  chatId,
  senderId: "42",
  isGroup: true,
  ...(threadId !== undefined ? { threadId } : {}),
});

describe("sessionKeys (DESIGN section 5)", () => {
  const table: Array<[string, SessionTarget, DmScope | undefined, { key: string; parentKey?: string }]> = [
    ["DM, default scope main", dm("telegram", "42"), undefined, { key: "agent:main:main" }],
    ["DM, scope main", dm("discord", "7"), "main", { key: "agent:main:main" }],
    [
      "DM, per-channel-peer (telegram)",
      dm("telegram", "42"),
      "per-channel-peer",
      { key: "agent:main:telegram:direct:42" },
    ],
    ["DM, per-channel-peer (discord)", dm("discord", "7"), "per-channel-peer", { key: "agent:main:discord:direct:7" }],
    ["DM, per-peer", dm("telegram", "42"), "per-peer", { key: "agent:main:direct:42" }],
    ["DM of another agent", { ...dm("telegram", "42"), agentId: "ops" }, "main", { key: "agent:ops:main" }],
    ["Telegram group", group("telegram", "-100123"), undefined, { key: "agent:main:telegram:group:-100123" }],
    [
      "Telegram forum topic",
      group("telegram", "-100123", "77"),
      undefined,
      { key: "agent:main:telegram:group:-100123:topic:77", parentKey: "agent:main:telegram:group:-100123" },
    ],
    ["Discord channel", group("discord", "998"), undefined, { key: "agent:main:discord:channel:998" }],
    [
      "Discord thread",
      group("discord", "998", "1001"),
      undefined,
      { key: "agent:main:discord:channel:998:thread:1001", parentKey: "agent:main:discord:channel:998" },
    ],
    ["groups ignore dmScope", group("telegram", "-1"), "per-channel-peer", { key: "agent:main:telegram:group:-1" }],
  ];

  it.each(table)("%s", (_name, target, scope, expected) => {
    expect(scope === undefined ? sessionKeys(target) : sessionKeys(target, scope)).toEqual(expected);
  });

  it("a thread's parent is the key of the chat it belongs to", () => {
    const thread = sessionKeys(group("telegram", "-5", "3"));
    expect(thread.parentKey).toBe(sessionKeys(group("telegram", "-5")).key);
    expect(thread.key.startsWith(`${thread.parentKey}:`)).toBe(true);
  });
});
