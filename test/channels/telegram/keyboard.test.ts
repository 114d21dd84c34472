import { describe, expect, it } from "vitest";
import { CallbackDataTooLongError, renderKeyboard } from "../../../src/channels/telegram/keyboard.js";
import { callbackBinder, verifyPress } from "../../../src/channels/telegram/callbacks.js";
import { FOREIGN_MENU_TEXT, STALE_MENU_TEXT } from "../../../src/gateway/choice-route.js";
import { payloadSecretFromToken } from "../../../src/gateway/bound-payload.js";
import type { Reply } from "../../../src/gateway/types.js";

const secret = payloadSecretFromToken("123:TEST-token");
const chatId = -1001234567890;
const opener = "1234567890";

const providers: Reply = {
  text: "Pick a provider",
  columns: 2,
  choices: [
    { label: "anthropic (9)", payload: "p:anthropic", selected: true },
    { label: "openai (4)", payload: "p:openai" },
    { label: "openrouter (2)", payload: "p:openrouter" },
  ],
  actions: [{ label: "Cancel", payload: "x" }],
};

describe("renderKeyboard", () => {
  it("puts choices in rows of `columns`, marks the selected one and puts actions in one row", () => {
    expect(renderKeyboard(providers, (p) => `<${p}>`)).toEqual({
      inline_keyboard: [
        [
          { text: "✓ anthropic (9)", callback_data: "<p:anthropic>" },
          { text: "openai (4)", callback_data: "<p:openai>" },
        ],
        [{ text: "openrouter (2)", callback_data: "<p:openrouter>" }],
        [{ text: "Cancel", callback_data: "<x>" }],
      ],
    });
  });

  it("defaults to one choice per row and leaves out an empty keyboard", () => {
    const models: Reply = {
      text: "anthropic models",
      choices: [
        { label: "claude-opus-5-5", payload: "m:0" },
        { label: "claude-sonnet-5-5", payload: "m:1" },
      ],
      actions: [
        { label: "◀ Prev", payload: "pg:0" },
        { label: "1/2", payload: "noop" },
        { label: "Next ▶", payload: "pg:1" },
      ],
    };
    expect(renderKeyboard(models, (p) => p)?.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([
      ["claude-opus-5-5"],
      ["claude-sonnet-5-5"],
      ["◀ Prev", "1/2", "Next ▶"],
    ]);
    expect(renderKeyboard({ text: "done" }, (p) => p)).toBeUndefined();
  });

  it("binds the real wire payload to chat and opener (snapshot)", () => {
    expect(renderKeyboard(providers, callbackBinder(secret, chatId, opener))).toMatchInlineSnapshot(`
      {
        "inline_keyboard": [
          [
            {
              "callback_data": "kf12oi.iGUisLSN.p:anthropic",
              "text": "✓ anthropic (9)",
            },
            {
              "callback_data": "kf12oi.9TL8A80J.p:openai",
              "text": "openai (4)",
            },
          ],
          [
            {
              "callback_data": "kf12oi.9HYbQvqT.p:openrouter",
              "text": "openrouter (2)",
            },
          ],
          [
            {
              "callback_data": "kf12oi.XHHjfN0f.x",
              "text": "Cancel",
            },
          ],
        ],
      }
    `);
  });

  it("fits a 40-byte payload for a 10-digit user in 64 bytes and refuses anything longer", () => {
    const bind = callbackBinder(secret, chatId, "9999999999");
    const fits = renderKeyboard({ text: "t", choices: [{ label: "a", payload: "m".repeat(40) }] }, bind);
    const data = fits?.inline_keyboard[0]?.[0];
    expect(data && "callback_data" in data ? Buffer.byteLength(data.callback_data) : 0).toBeLessThanOrEqual(64);
    expect(() => renderKeyboard({ text: "t", choices: [{ label: "a", payload: "m".repeat(60) }] }, bind)).toThrow(
      CallbackDataTooLongError,
    );
  });
});

describe("verifyPress", () => {
  const data = callbackBinder(secret, chatId, opener)("p:openai");

  it("gives the payload back to the opener in the same chat", () => {
    expect(verifyPress(secret, chatId, opener, data)).toEqual({ kind: "ok", payload: "p:openai" });
  });

  it("tells someone else that the menu is not theirs", () => {
    expect(verifyPress(secret, chatId, "42", data)).toEqual({ kind: "foreign", text: FOREIGN_MENU_TEXT });
  });

  it("refuses forged, edited, other-chat and other-token data as out of date", () => {
    const stale = { kind: "invalid", text: STALE_MENU_TEXT };
    expect(verifyPress(secret, chatId, opener, "p:openai")).toEqual(stale);
    expect(verifyPress(secret, chatId, opener, data.replace("p:openai", "p:anthropic"))).toEqual(stale);
    expect(verifyPress(secret, chatId + 1, opener, data)).toEqual(stale);
    expect(verifyPress(payloadSecretFromToken("other"), chatId, opener, data)).toEqual(stale);
    expect(verifyPress(secret, chatId, opener, "..")).toEqual(stale);
    expect(verifyPress(secret, chatId, opener, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.a.b")).toEqual(stale);
  });
});
