import { describe, expect, it } from "vitest";
import { telegramSettings } from "../../../src/channels/telegram/settings.js";
import { secretMatches } from "../../../src/channels/telegram/webhook.js";
import { secretMatcher } from "../../../src/gateway/secret-match.js";
import { redactToken } from "../../../src/gateway/log.js";
import { UserFacingError } from "../../../src/util/user-error.js";

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof UserFacingError ? err.detail.code : "not a UserFacingError";
  }
  return undefined;
};

describe("telegramSettings", () => {
  it("takes the token from config, else TELEGRAM_BOT_TOKEN; polling unless webhookUrl is set", () => {
    expect(
      telegramSettings({ channels: { telegram: { botToken: "1:cfg" } } }, { TELEGRAM_BOT_TOKEN: "1:env" }),
    ).toEqual({ token: "1:cfg" });
    expect(telegramSettings({}, { TELEGRAM_BOT_TOKEN: "1:env" })).toEqual({ token: "1:env" });
    expect(
      telegramSettings({ channels: { telegram: { apiRoot: "http://127.0.0.1:9/" } } }, { TELEGRAM_BOT_TOKEN: "1:env" }),
    ).toEqual({
      token: "1:env",
      apiRoot: "http://127.0.0.1:9",
    });
    expect(codeOf(() => telegramSettings({}, {}))).toBe("telegram_token_missing");
  });

  it("needs a webhook secret in webhook mode, in Telegram's alphabet, of at least 16 characters", () => {
    const webhookUrl = "https://example.com/tg";
    const secret = "s3cr-et_0123456789";
    expect(
      telegramSettings({ channels: { telegram: { botToken: "1:t", webhookUrl, webhookSecret: secret } } }, {}),
    ).toEqual({
      token: "1:t",
      webhook: { url: webhookUrl, secret, path: "/telegram-webhook" },
    });
    expect(
      codeOf(() =>
        telegramSettings({ channels: { telegram: { botToken: "1:t", webhookUrl, webhookSecret: "s3cr-et_" } } }, {}),
      ),
    ).toBe("telegram_webhook_secret_short");
    expect(codeOf(() => telegramSettings({ channels: { telegram: { botToken: "1:t", webhookUrl } } }, {}))).toBe(
      "telegram_webhook_secret_missing",
    );
    expect(
      codeOf(() =>
        telegramSettings({ channels: { telegram: { botToken: "1:t", webhookUrl, webhookSecret: "has space" } } }, {}),
      ),
    ).toBe("telegram_webhook_secret_invalid");
    expect(
      telegramSettings(
        { channels: { telegram: { botToken: "1:t", webhookUrl, webhookSecret: secret, webhookPath: "/hook" } } },
        {},
      ).webhook?.path,
    ).toBe("/hook");
  });
});

describe("secretMatches", () => {
  it("accepts only the exact secret", () => {
    expect(secretMatches("abc", "abc")).toBe(true);
    expect(secretMatches("abd", "abc")).toBe(false);
    expect(secretMatches("abcd", "abc")).toBe(false);
    expect(secretMatches(undefined, "abc")).toBe(false);
    expect(secretMatches(["abc"], "abc")).toBe(false);
    expect(secretMatches("ab", "abc")).toBe(false);
    expect(secretMatches("", "abc")).toBe(false);
  });

  it("compares bytes, so a value that only starts alike or has other characters is refused", () => {
    const secret = "bench-webhook-secret-0123456789";
    const check = secretMatcher(secret);
    expect(check(secret)).toBe(true);
    // Checked twice in a row: the buffer a check copies into holds nothing of the one before.
    expect(check(secret.slice(0, -1))).toBe(false);
    expect(check(`${secret}\u0000`)).toBe(false);
    expect(check(`${secret.slice(0, -1)}é`)).toBe(false);
    expect(check(secret)).toBe(true);
    expect(secretMatcher("pässwort-0123456789")("pässwort-0123456789")).toBe(true);
  });
});

describe("redactToken", () => {
  it("hides the token raw and URL-encoded", () => {
    expect(redactToken("GET /bot123:ABC/getMe and /bot123%3AABC/x", "123:ABC")).toBe(
      "GET /bot<bot-token>/getMe and /bot<bot-token>/x",
    );
  });
});
