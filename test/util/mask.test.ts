import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { containsSecretShape, maskSecret, redactSecretShapes } from "../../src/util/mask.js";

describe("maskSecret", () => {
  it("shows at most 8 + 4 characters of long secrets", () => {
    expect(maskSecret("sk-ant-oat01-abcdefghijklmnopqrstuvwxyzFq1x")).toBe("sk-ant-o…Fq1x");
  });
  it("shows nothing of secrets under 24 characters", () => {
    expect(maskSecret("sk-short-1234567890")).toBe("****");
    expect(maskSecret("")).toBe("(empty)");
  });
  it("never contains the secret or more than 12 of its characters", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (s) => {
        const m = maskSecret(s);
        if (s.length >= 13) expect(m.includes(s)).toBe(false);
        expect(m.replace("…", "").length).toBeLessThanOrEqual(12);
      }),
    );
  });
});

describe("secret shapes", () => {
  const shaped = [
    `sk-ant-api03-${"a".repeat(40)}`,
    `sk-proj-${"b".repeat(40)}`,
    `7123456789:AA${"c".repeat(33)}`,
    `${Buffer.from("123456789012345678").toString("base64url")}.GxYzAb.${"d".repeat(38)}`,
  ];
  it.each(shaped)("recognises and masks %s", (s) => {
    expect(containsSecretShape(`use ${s} please`)).toBe(true);
    expect(redactSecretShapes(`use ${s} please`)).toBe(`use ${maskSecret(s)} please`);
  });
  it.each([
    ["a line break", "\n"],
    ["CRLF", "\r\n"],
    ["spaces", "  "],
    ["a quote", '"'],
    ["a JSON escape", "\\n"],
    ["an escaped quote and line break", '\\"\\n'],
  ])("masks a key split by %s, both halves", (_name, split) => {
    const key = `sk-ant-api03-${"k".repeat(30)}${split}${"q".repeat(30)}Fq1x`;
    const out = redactSecretShapes(`detail="Bearer ${key}" is invalid`);
    expect(out).not.toContain("k".repeat(12));
    expect(out).not.toContain("q".repeat(12));
    expect(out).toMatch(/^detail="Bearer sk-ant-a…Fq1x"? is invalid$/);
  });
  it("finds a Discord token whose first part has 23 or 28 characters, and no token with 22", () => {
    for (const first of ["e".repeat(23), "f".repeat(28)]) {
      const token = `${first}.GxYzAb.${"g".repeat(38)}`;
      expect(redactSecretShapes(`version 1.2.3 and ${token}.`)).toBe(`version 1.2.3 and ${maskSecret(token)}.`);
    }
    const short = `${"h".repeat(22)}.GxYzAb.${"g".repeat(38)}`;
    expect(containsSecretShape(`see ${short}`)).toBe(false);
  });
  it("masks a key split soon after its prefix", () => {
    const out = redactSecretShapes(`Unknown agent "sk-ant-api03-Fdkz\n${"r".repeat(80)}".`);
    expect(out).toBe(`Unknown agent "sk-ant-a…rrrr".`);
  });
  it("leaves model ids and profile ids alone", () => {
    for (const s of [
      "anthropic/claude-opus-5-5",
      "openai:owner+work@example.com",
      "openrouter/anthropic/claude-sonnet-4.5",
      "gpt-5.4-mini",
    ]) {
      expect(containsSecretShape(s)).toBe(false);
    }
  });
});
