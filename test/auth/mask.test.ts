import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { containsSecretShape, maskSecret, redactSecretShapes, redactSecrets } from "../../src/auth/mask.js";

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
  it("redacts known secrets inside text", () => {
    const secret = "sk-ant-api03-" + "z".repeat(40);
    expect(redactSecrets(`bad key ${secret} rejected`, [secret])).toBe(`bad key ${maskSecret(secret)} rejected`);
  });
});

describe("secret shapes", () => {
  const shaped = [
    "sk-ant-api03-" + "a".repeat(40),
    "sk-proj-" + "b".repeat(40),
    "7123456789:AA" + "c".repeat(33),
    Buffer.from("123456789012345678").toString("base64url") + ".GxYzAb." + "d".repeat(38),
  ];
  it.each(shaped)("recognises and masks %s", (s) => {
    expect(containsSecretShape(`use ${s} please`)).toBe(true);
    expect(redactSecretShapes(`use ${s} please`)).toBe(`use ${maskSecret(s)} please`);
  });
  it("leaves model ids and profile ids alone", () => {
    for (const s of ["anthropic/claude-opus-5-5", "openai:owner+work@example.com", "openrouter/anthropic/claude-sonnet-4.5", "gpt-5.4-mini"]) {
      expect(containsSecretShape(s)).toBe(false);
    }
  });
});
