import { describe, expect, it } from "vitest";
import { splitText, TELEGRAM_MAX_TEXT } from "../../../src/channels/telegram/split.js";

describe("splitText", () => {
  it("keeps short text whole", () => {
    expect(splitText("hello\nworld")).toEqual(["hello\nworld"]);
  });

  it("drops empty and whitespace-only text (Telegram refuses it)", () => {
    expect(splitText("")).toEqual([]);
    expect(splitText(" \n ")).toEqual([]);
  });

  it("cuts at the last line break that fits", () => {
    expect(splitText("aaaa\nbbbb\ncccc", 10)).toEqual(["aaaa\nbbbb", "cccc"]);
  });

  it("falls back to a space, then to a hard cut", () => {
    expect(splitText("aaaa bbbb cccc", 10)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitText("abcdefghijkl", 5)).toEqual(["abcde", "fghij", "kl"]);
  });

  it("never halves a surrogate pair", () => {
    const chunks = splitText("abcd😀efgh", 5);
    expect(chunks).toEqual(["abcd", "😀efg", "h"]);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(5);
  });

  it("splits a long answer into chunks of at most 4096 on line boundaries, losing only the breaks", () => {
    const line = "x".repeat(99);
    const text = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(2, "0")}${line}`).join("\n");
    const chunks = splitText(text);
    expect(chunks.length).toBe(3);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
    expect(chunks.join("\n")).toBe(text);
    expect(chunks[1]?.startsWith("40")).toBe(true);
  });
});
