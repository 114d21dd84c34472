/** Session keys read back into channel and chat, as the control page lists them. */
import { describe, expect, it } from "vitest";
import { sessionKeyParts, sessionKeys } from "../../src/sessions/keys.js";

describe("sessionKeyParts", () => {
  it("reads every key sessionKeys writes", () => {
    const dm = { agentId: "main", channel: "telegram", chatId: "42", senderId: "42", isGroup: false };
    expect(sessionKeyParts(sessionKeys(dm).key)).toEqual({ agentId: "main", chat: "main" });
    expect(sessionKeyParts(sessionKeys(dm, "per-peer").key)).toEqual({ agentId: "main", chat: "direct 42" });
    expect(sessionKeyParts(sessionKeys(dm, "per-channel-peer").key)).toEqual({
      agentId: "main",
      channel: "telegram",
      chat: "direct 42",
    });
    expect(sessionKeyParts(sessionKeys(dm, "per-account-channel-peer").key)).toEqual({
      agentId: "main",
      channel: "telegram",
      chat: "direct 42",
    });
    const topic = sessionKeys({ ...dm, chatId: "-100", threadId: "7", isGroup: true });
    expect(sessionKeyParts(topic.key)).toEqual({
      agentId: "main",
      channel: "telegram",
      chat: "group -100 topic 7",
      parentKey: topic.parentKey,
    });
    const thread = sessionKeys({ ...dm, channel: "discord", chatId: "555", threadId: "9", isGroup: true });
    expect(sessionKeyParts(thread.key)).toMatchObject({ channel: "discord", chat: "channel 555 thread 9" });
    expect(sessionKeyParts(thread.key).parentKey).toBe(thread.parentKey);
  });

  it("shows a key of another shape whole", () => {
    expect(sessionKeyParts("legacy-session")).toEqual({ agentId: "", chat: "legacy-session" });
  });
});
