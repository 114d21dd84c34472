import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { maskSecret, redactSecrets } from "../../src/auth/mask.js";

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
