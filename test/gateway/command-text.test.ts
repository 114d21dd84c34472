import { describe, expect, it } from "vitest";
import { parseCommandText } from "../../src/gateway/command-text.js";

describe("parseCommandText", () => {
  it.each([
    ["/model", { command: "model", args: "" }],
    ["/MODEL list", { command: "model", args: " list" }],
    ["/model: opus", { command: "model", args: " opus" }],
    ["/model@OurBot status", { command: "model", args: " status", addressedTo: "OurBot" }],
    ["/model@OurBot: opus", { command: "model", args: " opus", addressedTo: "OurBot" }],
    ["/opus@work", { command: "opus", args: "@work" }],
    ["/opus@anthropic:work -g", { command: "opus", args: "@anthropic:work -g" }],
    ["/gpt-mini hi", { command: "gpt-mini", args: " hi" }],
    ["hello /model", undefined],
    ["/modelling", { command: "modelling", args: "" }],
    ["/model/x", undefined],
    // Dots between name characters are part of the name (an alias like `test.alias`); a trailing one is punctuation.
    ["/test.alias hi", { command: "test.alias", args: " hi" }],
    ["/Test.Alias@work", { command: "test.alias", args: "@work" }],
    ["/opus.", undefined],
    ["/a..b", undefined],
  ])("%s", (text, expected) => {
    expect(parseCommandText(text, "OurBot")).toEqual(expected);
  });

  it("ignores a command addressed to another bot", () => {
    expect(parseCommandText("/model@OtherBot list", "OurBot")).toBeUndefined();
    expect(parseCommandText("/model@OtherBot list")).toEqual({
      command: "model",
      args: " list",
      addressedTo: "OtherBot",
    });
  });
});
