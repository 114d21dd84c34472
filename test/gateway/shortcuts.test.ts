import { describe, expect, it } from "vitest";
import { takeShortcuts } from "../../src/gateway/shortcuts.js";

const OURS = new Set(["help", "status", "whoami", "id"]);
const take = (text: string) => takeShortcuts(text, (name) => OURS.has(name));

describe("takeShortcuts", () => {
  it.each([
    ["what is this /status", ["status"], "what is this"],
    ["/status what is this", ["status"], "what is this"],
    ["a /STATUS b", ["status"], "a b"],
    ["/status:", ["status"], ""],
    ["line one\n/whoami\n  indented code", ["whoami"], "line one\n  indented code"],
    ["/id /status /id", ["id", "status"], ""],
    ["/help me /status", ["help", "status"], "me"],
  ])("%j → %j, rest %j", (text, names, rest) => {
    expect(take(text)).toEqual({ names, rest });
  });

  it.each(["thanks /status@OtherBot", "/usr/status", "x/status", "`/status`", "/statusbar", "/model opus", "/stop"])(
    "leaves %j alone",
    (text) => {
      expect(take(text)).toEqual({ names: [], rest: text });
    },
  );
});
