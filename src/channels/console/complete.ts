import type { PluginHost } from "../../gateway/host.js";
import { HELP_COMMAND } from "../../gateway/help.js";
import { consoleInvocation, CONSOLE_CAPABILITIES } from "./invocation.js";

/**
 * Tab completion for a console line, in readline's completer shape: the candidates and the part of
 * the line they replace. `/mo` completes command names; after a command, the word being typed
 * completes the declared option at its position (the text command takes options as words in
 * declared order) when that option `completes`, with the command's own suggestions.
 */
export function completeConsoleLine(host: PluginHost, line: string): [string[], string] {
  const command = /^\/(\S*)$/.exec(line);
  if (command) {
    const typed = (command[1] ?? "").toLowerCase();
    const names = [...host.commands().map((c) => c.name), HELP_COMMAND].filter((n) => n.startsWith(typed));
    return [names.map((n) => `/${n}`), line];
  }
  const words = /^\/(\S+)\s+(.*)$/.exec(line);
  if (!words) return [[], line];
  const name = (words[1] ?? "").toLowerCase();
  const args = (words[2] ?? "").split(/\s+/);
  const partial = args.pop() ?? "";
  const option = host.commands().find((c) => c.name === name)?.options?.[args.length];
  if (!option?.completes) return [[], partial];
  const suggestions = host.complete(consoleInvocation(name, ""), CONSOLE_CAPABILITIES, option.name, partial);
  return [suggestions.map((s) => s.value), partial];
}
