import { describe, expect, it } from "vitest";
import { commandMenu } from "../../../src/channels/telegram/commands.js";
import type { CommandDefinition } from "../../../src/gateway/types.js";

const def = (name: string, description = `${name} command`): CommandDefinition => ({
  name,
  description,
  handler: () => ({ text: "" }),
});

describe("commandMenu", () => {
  it("is the setMyCommands payload: valid names kept, `-` listed as `_`, others skipped", () => {
    expect(
      commandMenu([
        def("model", "Show or change the model"),
        def("Opus"),
        def("gpt-mini"),
        def("new_x"),
        def("new-x"),
        def("x".repeat(33)),
        def("ünï"),
        def("test.alias"),
        def("new", "  "),
      ]),
    ).toEqual({
      commands: [
        { command: "model", description: "Show or change the model" },
        { command: "opus", description: "Opus command" },
        { command: "gpt_mini", description: "gpt-mini command" },
        { command: "new_x", description: "new_x command" },
        { command: "new", description: "new" },
      ],
      renamed: new Map([["gpt_mini", "gpt-mini"]]),
      skipped: ["new-x", "x".repeat(33), "ünï", "test.alias"],
    });
  });

  it("trims descriptions to 256 chars, drops duplicates and stops at 100 commands", () => {
    const menu = commandMenu([
      def("a", "d".repeat(300)),
      def("A"),
      ...Array.from({ length: 120 }, (_, i) => def(`c${i}`)),
    ]);
    expect(menu.commands[0]?.description.length).toBe(256);
    expect(menu.commands.length).toBe(100);
    expect(menu.skipped[0]).toBe("A");
    expect(menu.skipped.length).toBe(22);
  });
});
