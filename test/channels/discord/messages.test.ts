import { describe, expect, it } from "vitest";
import { callbackBody, clip, splitText } from "../../../src/channels/discord/messages.js";

describe("splitText", () => {
  it("keeps short text whole", () => {
    expect(splitText("hello")).toEqual(["hello"]);
  });

  it("splits at line breaks into parts of at most 2000 characters, losing nothing", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${"x".repeat(10)}`);
    const parts = splitText(lines.join("\n"));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join("\n")).toBe(lines.join("\n"));
  });

  it("hard-cuts a long word without splitting a surrogate pair", () => {
    const text = "a".repeat(1994) + "😀".repeat(10);
    const parts = splitText(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p).not.toMatch(/[\ud800-\udbff]$/);
    }
    expect(parts.join("")).toBe(text);
  });

  it("closes a code fence at a cut and reopens it in the next part", () => {
    const text = `\`\`\`\n${Array.from({ length: 200 }, (_, i) => `row ${i} ${"y".repeat(12)}`).join("\n")}\n\`\`\``;
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p.split("```").length % 2).toBe(1); // an even number of fences
    }
  });
});

describe("wire bodies", () => {
  it("marks private messages ephemeral with flags 64 and never pings", () => {
    expect(callbackBody({ kind: "message", message: { content: "hi", components: [], ephemeral: true } })).toEqual({
      type: 4,
      data: { content: "hi", components: [], allowed_mentions: { parse: [] }, flags: 64 },
    });
    expect(callbackBody({ kind: "defer", ephemeral: true })).toEqual({ type: 5, data: { flags: 64 } });
    expect(callbackBody({ kind: "defer", ephemeral: false })).toEqual({ type: 5, data: {} });
    expect(callbackBody({ kind: "defer-update" })).toEqual({ type: 6 });
    expect(callbackBody({ kind: "update", message: { content: "x", components: [], ephemeral: true } })).toEqual({
      type: 7,
      data: { content: "x", components: [], allowed_mentions: { parse: [] } },
    });
    expect(callbackBody({ kind: "choices", choices: [{ name: "a", value: "a" }] })).toEqual({
      type: 8,
      data: { choices: [{ name: "a", value: "a" }] },
    });
  });

  it("clips with an ellipsis", () => {
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("abc", 4)).toBe("abc");
  });
});
